// Package bench holds the benchmarks of every pipeline stage on the article's Wix
// rendering and the corpus generator used by bench/run.sh. It has no code the tool uses.
package bench

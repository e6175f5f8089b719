// Command benchtool supports bench/run.sh: it generates the corpus, runs the goquery-only
// baseline the pipeline is compared with, and compares Parquet sizes with zstd-compressed
// JSONL, and with the same rows written again without statistics or page index.
//
//	benchtool gen -n 2000 -dups 100 -dir corpus -warc corpus.warc.gz
//	benchtool parse -workers 2 corpus
//	benchtool sizes [-floor] out
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/PuerkitoBio/goquery"
	"github.com/klauspost/compress/zstd"

	"github.com/articleetl/articleetl/internal/corpus"
	"github.com/articleetl/articleetl/internal/gctarget"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchtool gen|parse|sizes ...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "parse":
		err = parse(os.Args[2:])
	case "sizes":
		err = sizes(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtool:", err)
		os.Exit(1)
	}
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	n := fs.Int("n", 100, "distinct snapshots")
	dups := fs.Int("dups", 0, "exact duplicates added after them")
	dir := fs.String("dir", "", "write HTML files here")
	warc := fs.String("warc", "", "write one WARC here")
	fs.Parse(args)
	if *dir == "" && *warc == "" {
		return errors.New("gen: give -dir DIR for HTML files, -warc FILE for a WARC, or both")
	}
	if *dir != "" {
		if _, err := corpus.WriteDir(*dir, *n, *dups); err != nil {
			return err
		}
	}
	if *warc != "" {
		return corpus.WriteWARC(*warc, *n, *dups)
	}
	return nil
}

// parse is the baseline: read every .html file under a directory and parse it with goquery,
// nothing else, on as many workers as the pipeline gets.
func parse(args []string) error {
	fs := flag.NewFlagSet("parse", flag.ExitOnError)
	workers := fs.Int("workers", 1, "files parsed at once")
	target := fs.Int64("memory-target", 0, "heap bytes to grow to between collections, as articleetl run --memory-target (0: Go's default)")
	fs.Parse(args)
	defer gctarget.Set(*target)()
	files, err := filepath.Glob(filepath.Join(fs.Arg(0), "*.html"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	jobs := make(chan string)
	var wg sync.WaitGroup
	errs := make(chan error, *workers)
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range jobs {
				b, err := os.ReadFile(f)
				if err == nil {
					_, err = goquery.NewDocumentFromReader(bytes.NewReader(b))
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for _, f := range files {
		jobs <- f
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	fmt.Println(len(files), "files parsed")
	return nil
}

// sizes prints, per table, the Parquet file size and the size of its JSONL compressed with
// zstd at the default level; with -floor, also the sizes of the bare and plain rewrites
// (see floor.go).
func sizes(args []string) error {
	fs := flag.NewFlagSet("sizes", flag.ContinueOnError)
	withFloor := fs.Bool("floor", false, "also rewrite each table without statistics or page index, keeping its row groups and dictionary choices (bare), and without dictionaries too (plain)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return errors.New("usage: benchtool sizes [-floor] DIR (the output of articleetl run with both formats)")
	}
	dir := fs.Arg(0)
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if len(files) == 0 {
		return fmt.Errorf("sizes: no JSON Lines tables in %s", dir)
	}
	sort.Strings(files)
	enc, _ := zstd.NewWriter(nil)
	var pqTotal, bareTotal, plainTotal, zTotal int64
	line := func(table string, pq, bare, plain, jsonl, z int64) {
		fmt.Printf("%-15s parquet %9d B  ", table, pq)
		if *withFloor {
			fmt.Printf("bare %9d B  plain %9d B  ", bare, plain)
		}
		if jsonl < 0 {
			fmt.Printf("%26s", "")
		} else {
			fmt.Printf("jsonl %10d B  ", jsonl)
		}
		fmt.Printf("jsonl.zst %9d B  parquet/jsonl.zst %.2f", z, ratio(pq, z))
		if *withFloor {
			fmt.Printf("  bare/jsonl.zst %.2f  plain/jsonl.zst %.2f", ratio(bare, z), ratio(plain, z))
		}
		fmt.Println()
	}
	for _, f := range files {
		table := filepath.Base(strings.TrimSuffix(f, ".jsonl"))
		j, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		pq, err := os.ReadFile(filepath.Join(dir, table+".parquet"))
		if err != nil {
			return err
		}
		var bare, plain bytes.Buffer
		if *withFloor {
			for keep, out := range map[bool]*bytes.Buffer{true: &bare, false: &plain} {
				if err := rewriteBare(pq, out, keep); err != nil {
					return fmt.Errorf("sizes: %s.parquet: %w", table, err)
				}
			}
		}
		z := int64(len(enc.EncodeAll(j, nil)))
		pqTotal += int64(len(pq))
		bareTotal += int64(bare.Len())
		plainTotal += int64(plain.Len())
		zTotal += z
		line(table, int64(len(pq)), int64(bare.Len()), int64(plain.Len()), int64(len(j)), z)
	}
	line("total", pqTotal, bareTotal, plainTotal, -1, zTotal)
	return nil
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Package transform turns an extracted article into typed records: the document row,
// Q&A pairs, working groups and numeric facts, each with an id derived from content so it
// is stable across runs and across snapshots of the same article.
package transform

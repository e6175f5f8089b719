package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/articleetl/articleetl/internal/corpus"
)

// A WARC piped to standard input gives the tables the same WARC gives as a file, and a
// truncated one fails with one line naming standard input.
func TestWARCOnStdin(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir()) // where the WARC is spooled, and removed from
	warc := filepath.Join(t.TempDir(), "crawl.warc.gz")
	if err := corpus.WriteWARC(warc, 3, 1); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(warc)
	if err != nil {
		t.Fatal(err)
	}
	fromFile, fromStdin := t.TempDir(), t.TempDir()
	if code, _, stderr := runCLI(t, "", "run", "--quiet", "--format", "jsonl", "--out", fromFile, warc); code != 0 {
		t.Fatalf("run %s: exit %d: %s", warc, code, stderr)
	}
	if code, _, stderr := runCLI(t, string(data), "run", "--quiet", "--format", "jsonl", "--out", fromStdin, "-"); code != 0 {
		t.Fatalf("run -: exit %d: %s", code, stderr)
	}
	tables, _ := filepath.Glob(filepath.Join(fromFile, "*.jsonl"))
	if len(tables) == 0 {
		t.Fatal("no tables written")
	}
	for _, p := range tables {
		want, _ := os.ReadFile(p)
		got, err := os.ReadFile(filepath.Join(fromStdin, filepath.Base(p)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s from standard input differs from the file's (%v)", filepath.Base(p), err)
		}
	}
	if rows := jsonlRows(t, filepath.Join(fromStdin, "documents.jsonl")); len(rows) != 4 || rows[0]["source"] != corpus.URI {
		t.Errorf("documents = %d rows, first source %v; want 4 captures of %s", len(rows), rows[0]["source"], corpus.URI)
	}

	// Cut inside the third of the four records (about 26 KB each).
	code, _, stderr := runCLI(t, string(data[:len(data)/2+1000]), "run", "--quiet", "--out", t.TempDir(), "-")
	if code != 1 || !regexp.MustCompile(`^articleetl: -: reading WARC record at offset \d+: unexpected EOF\n$`).MatchString(stderr) {
		t.Errorf("truncated WARC on stdin: exit %d, stderr %q", code, stderr)
	}
	if spools, _ := filepath.Glob(filepath.Join(os.Getenv("TMPDIR"), "articleetl-*.warc")); len(spools) != 0 {
		t.Errorf("spooled WARCs left behind: %s", strings.Join(spools, " "))
	}
}

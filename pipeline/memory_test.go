package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/articleetl/articleetl/internal/corpus"
	"github.com/articleetl/articleetl/load"
)

// liveHeapAfter runs over dir (JSON Lines only, so that the Parquet writers' row groups,
// bounded but not the same at every count, do not blur the figure) and returns the live
// heap as processing ends, before the files are finished.
func liveHeapAfter(t *testing.T, dir string) uint64 {
	t.Helper()
	return liveHeapAt(t, func() error {
		_, err := Run(context.Background(), []string{dir}, jsonlConfig(t))
		return err
	})
}

// liveHeapAt returns the live heap when a run has processed its inputs (as the changes
// are finished, before the files are), or a merge has replayed them (while it still holds
// the list of them).
func liveHeapAt(t *testing.T, run func() error) uint64 {
	t.Helper()
	var heap uint64
	measure := func() {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = max(heap, ms.HeapAlloc) // a merge calls both hooks
	}
	testHookStreamed = func(bool) { measure() }
	testHookReplayed = measure
	defer func() { testHookStreamed, testHookReplayed = nil, nil }()
	if err := run(); err != nil {
		t.Fatal(err)
	}
	return heap
}

func jsonlConfig(t *testing.T) Config {
	cfg := config(filepath.Join(t.TempDir(), "out"))
	cfg.Formats = []load.Format{load.FormatJSONL}
	return cfg
}

// perInput is the growth of the live heap from one run to another, per extra input.
func perInput(t *testing.T, small, large uint64, inputs int) int64 {
	return (int64(large) - int64(small)) / int64(inputs)
}

// TestMemoryPerInput checks that what a run keeps per version of the article stays small:
// the live heap at the end of processing, with 400 distinct pages against 100 (and 5%
// exact copies), may grow by at most 2 KB an input. A run keeps a little for each version
// (its base document row, the spill file's index entry, sets of ids: about 450 B
// measured); a page's bytes, its records or its parse tree kept by mistake would be tens
// of KB and fail this.
func TestMemoryPerInput(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and processes 500 pages")
	}
	const maxPerInput = 2 << 10
	live := func(n int) uint64 {
		dir := filepath.Join(t.TempDir(), "in")
		if _, err := corpus.WriteDir(dir, n, n/20); err != nil {
			t.Fatal(err)
		}
		return liveHeapAfter(t, dir)
	}
	small, large := live(100), live(400)
	growth := perInput(t, small, large, 420-105)
	t.Logf("live heap: %d B with 105 inputs, %d B with 420: %d B an input", small, large, growth)
	if growth > maxPerInput {
		t.Errorf("a run keeps %d B an input, more than %d", growth, maxPerInput)
	}
}

// TestMemoryPerCapture checks what a run keeps for a capture of a version it has already
// seen, the bulk of an archive of a page that rarely changes: an exact copy, or the same
// content in other bytes (here an HTML comment). It keeps the capture's place on the
// timeline and, for new bytes, their hash, not the capture's document row: 113–177 B
// measured (maps and slices grow in steps), where keeping the row cost about 450 B. The
// bound, 300 B, fails if rows are kept again.
func TestMemoryPerCapture(t *testing.T) {
	checkPerCapture(t, "a run", 300, liveHeapAfter)
}

// TestMergeMemoryPerCapture is TestMemoryPerCapture for a merge of two shards, which
// holds the list of every shard's inputs until it has replayed them: 320–355 B a capture
// at that point, measured, where holding each input's manifest entry and whole document
// row cost about 1.2 KB (the bound, 600 B, fails that).
func TestMergeMemoryPerCapture(t *testing.T) {
	checkPerCapture(t, "a merge", 600, func(t *testing.T, dir string) uint64 {
		var shards []string
		for i := range 2 {
			cfg := jsonlConfig(t)
			cfg.Shard = Shard{Index: i, Count: 2}
			if _, err := Run(context.Background(), []string{dir}, cfg); err != nil {
				t.Fatal(err)
			}
			shards = append(shards, cfg.Out)
		}
		return liveHeapAt(t, func() error {
			_, err := Merge(context.Background(), shards, jsonlConfig(t))
			return err
		})
	})
}

// checkPerCapture measures live (the live heap of what processes a directory) over 20
// versions of the article, then over the same with 1,200 captures of them more, and fails
// if each capture costs more than maxPerCapture bytes.
func checkPerCapture(t *testing.T, what string, maxPerCapture int64, live func(*testing.T, string) uint64) {
	if testing.Short() {
		t.Skip("generates and processes 1,200 pages")
	}
	const versions, captures = 20, 1200
	dir := filepath.Join(t.TempDir(), "in")
	if _, err := corpus.WriteDir(dir, versions, 0); err != nil {
		t.Fatal(err)
	}
	small := live(t, dir)
	writeCaptures(t, dir, versions, captures)
	large := live(t, dir)
	growth := perInput(t, small, large, captures)
	t.Logf("live heap of %s: %d B with %d versions, %d B with %d captures more: %d B a capture", what, small, versions, large, captures, growth)
	if growth > maxPerCapture {
		t.Errorf("%s keeps %d B a capture, more than %d", what, growth, maxPerCapture)
	}
}

// writeCaptures adds captures of the versions in dir: every other one an exact copy, the
// others the same content in other bytes (an HTML comment).
func writeCaptures(t *testing.T, dir string, versions, captures int) {
	t.Helper()
	for i := range captures {
		page := corpus.Page(i % versions)
		if i%2 == 1 { // the same version in other bytes
			end := bytes.LastIndex(page, []byte("</body>"))
			page = append(page[:end:end], fmt.Appendf(nil, "<!-- capture %d -->%s", i, page[end:])...)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("capture-%05d.html", i)), page, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

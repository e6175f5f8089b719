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
	var heap uint64
	testHookStreamed = func(bool) {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = ms.HeapAlloc
	}
	defer func() { testHookStreamed = nil }()
	cfg := config(filepath.Join(t.TempDir(), "out"))
	cfg.Formats = []load.Format{load.FormatJSONL}
	if _, err := Run(context.Background(), []string{dir}, cfg); err != nil {
		t.Fatal(err)
	}
	return heap
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
// timeline and, for new bytes, their hash, not the capture's document row: about 90 B
// measured, where keeping the row cost about 300 B. The bound, 200 B, fails if rows are
// kept again.
func TestMemoryPerCapture(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and processes 1,200 pages")
	}
	const versions, captures, maxPerCapture = 20, 1200, 200
	dir := filepath.Join(t.TempDir(), "in")
	if _, err := corpus.WriteDir(dir, versions, 0); err != nil {
		t.Fatal(err)
	}
	small := liveHeapAfter(t, dir)
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
	large := liveHeapAfter(t, dir)
	growth := perInput(t, small, large, captures)
	t.Logf("live heap: %d B with %d versions, %d B with %d captures more: %d B a capture", small, versions, large, captures, growth)
	if growth > maxPerCapture {
		t.Errorf("a run keeps %d B a capture, more than %d", growth, maxPerCapture)
	}
}

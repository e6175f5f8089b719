package pipeline

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/articleetl/articleetl/internal/corpus"
	"github.com/articleetl/articleetl/load"
)

// TestMemoryPerInput checks that what a run keeps per input stays small: the live heap at
// the end of processing, with 400 inputs against 100, may grow by at most maxPerInput
// bytes an input. A run keeps a little per input (the document row for the timeline and
// exact duplicates, sets of hashes and ids, the spill file's index: 442 B measured); a page's
// bytes, its records or its parse tree kept by mistake would be tens of KB and fail this.
// JSON Lines only, so that the Parquet writers' row groups (bounded, but not the same at
// every count) do not blur the figure.
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
		var heap uint64
		testHookStreamed = func(bool) { // called as processing ends, before the files are finished
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
	small, large := live(100), live(400)
	perInput := (int64(large) - int64(small)) / (420 - 105)
	t.Logf("live heap: %d B with 105 inputs, %d B with 420: %d B an input", small, large, perInput)
	if perInput > maxPerInput {
		t.Errorf("a run keeps %d B an input, more than %d", perInput, maxPerInput)
	}
}

package pipeline

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/articleetl/articleetl/internal/corpus"
	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/schemas"
)

// TestFailedInputHasOneErrorRow names a failing page twice in one run, then appends a run
// that fails on it again. The errors table keeps one row for it (its key is the input) and
// the manifest lists both failures of the first run. The appended run finds nothing new,
// so it leaves the dataset as it was and reports the failure; its errors part used to
// repeat the first one's byte for byte and collide with it.
func TestFailedInputHasOneErrorRow(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "chrome-only.html")
	os.WriteFile(bad, []byte("<html><body><nav>only chrome</nav></body></html>"), 0o644)
	good := filepath.Join("..", "testdata", "article", "wix.html")
	out := filepath.Join(dir, "out")
	cfg := config(out)
	cfg.KeepGoing, cfg.Append = true, true

	res, err := Run(context.Background(), []string{bad, good, bad}, cfg)
	if !errors.Is(err, ErrFailedInputs) {
		t.Fatalf("first run: %v, want ErrFailedInputs", err)
	}
	if res.Failed != 2 {
		t.Errorf("first run: %d inputs failed, want 2", res.Failed)
	}
	res, err = Run(context.Background(), []string{bad}, cfg)
	if !errors.Is(err, ErrFailedInputs) || !res.Unchanged {
		t.Fatalf("appending a run that fails on the same input: %v, unchanged %v; want ErrFailedInputs and the dataset unchanged", err, res.Unchanged)
	}
	m, err := load.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	var rows []schemas.InputError
	if err := load.ReadRows(out, m, schemas.Errors.Name, func(e *schemas.InputError) error {
		rows = append(rows, *e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Source != bad {
		t.Errorf("errors table: %+v, want one row for %s", rows, bad)
	}
	failed := 0
	for _, in := range m.Inputs {
		if in.Status == load.StatusFailed {
			failed++
		}
	}
	if failed != 2 {
		t.Errorf("manifest lists %d failed inputs, want the first run's 2", failed)
	}

	// An append with a new page and the failing one again writes the new page's rows and
	// no errors part, and lists the failure in the manifest once more.
	other := filepath.Join("..", "testdata", "article", "semantic-2018-06-02.html")
	res, err = Run(context.Background(), []string{other, bad}, cfg)
	if !errors.Is(err, ErrFailedInputs) || res.Unchanged {
		t.Fatalf("appending a new page and the failing one: %v, unchanged %v", err, res.Unchanged)
	}
	if m, err = load.ReadManifest(out); err != nil {
		t.Fatal(err)
	}
	if parts := m.Table(schemas.Errors.Name).Files; len(parts) != 2 { // the first run's, in each format
		t.Errorf("errors table files after the append: %d, want the first run's 2", len(parts))
	}
	if n := len(m.Inputs); n != 5 {
		t.Errorf("manifest lists %d inputs, want 5", n)
	}
}

// TestErrorRowsOf checks how a merge finds each failed input's row: by its key, the same
// row for a repeated input, and none for an input whose key no row has (a WARC record's
// source without its origin is another input than the URL of the same address).
func TestErrorRowsOf(t *testing.T) {
	origin := func(s string) *string { return &s }
	rows := []schemas.InputError{
		{Source: "a.html"},
		{Source: "https://x/p", Origin: origin("crawl.warc.gz@10")},
		{Source: "https://x/p", Origin: origin("crawl.warc.gz@90")},
	}
	e := newErrorRows(rows)
	for _, tt := range []struct {
		source, origin string
		want           int // row index, -1 for none
	}{
		{"https://x/p", "crawl.warc.gz@90", 2},
		{"a.html", "", 0},
		{"a.html", "", 0},
		{"https://x/p", "crawl.warc.gz@10", 1},
		{"https://x/p", "crawl.warc.gz@10", 1},
		{"https://x/p", "", -1},
		{"b.html", "", -1},
		{"https://x/p", "crawl.warc.gz@50", -1},
	} {
		got := e.of(tt.source, tt.origin)
		switch {
		case tt.want < 0 && got != nil:
			t.Errorf("of(%q, %q) = %+v, want none", tt.source, tt.origin, *got)
		case tt.want >= 0 && got != &rows[tt.want]:
			t.Errorf("of(%q, %q) = %+v, want row %d", tt.source, tt.origin, got, tt.want)
		}
	}
}

// TestMergeInterrupted cancels a merge once it has replayed its first input, as a signal
// does: the merge stops with the context's error and writes nothing, where it used to
// check for a signal only between shards and then run to its end.
func TestMergeInterrupted(t *testing.T) {
	in := filepath.Join(t.TempDir(), "corpus")
	if _, err := corpus.WriteDir(in, 12, 2); err != nil {
		t.Fatal(err)
	}
	var shards []string
	for i := range 2 {
		cfg := config(filepath.Join(t.TempDir(), "shard"))
		cfg.Shard = Shard{Index: i, Count: 2}
		if _, err := Run(context.Background(), []string{in}, cfg); err != nil {
			t.Fatal(err)
		}
		shards = append(shards, cfg.Out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := config(filepath.Join(t.TempDir(), "merged"))
	cfg.Progress = func(done int) {
		if done == 1 {
			cancel()
		}
	}
	res, err := Merge(ctx, shards, cfg)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("merge: %v after %d inputs, want context.Canceled", err, res.Inputs)
	}
	if res.Inputs != 1 {
		t.Errorf("merge replayed %d inputs after the cancel, want it to stop at 1", res.Inputs)
	}
	if _, err := os.Stat(cfg.Out); !os.IsNotExist(err) {
		t.Errorf("an interrupted merge wrote %s", cfg.Out)
	}
}

// TestCancelRemovesSpooledWARC cancels a run reading a WARC from standard input, which is
// copied to a temporary file first, once the run has consumed a capture: the copy must be
// gone when Run returns. (Run stopped waiting for its reader at the cancel, and the reader's
// removal of the copy raced with the process's exit.)
func TestCancelRemovesSpooledWARC(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	warc := filepath.Join(t.TempDir(), "captures.warc.gz")
	if err := corpus.WriteWARC(warc, 40, 0); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(warc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := config(filepath.Join(t.TempDir(), "out"))
	cfg.Source.Stdin = bytes.NewReader(data)
	cfg.Progress = func(done int) {
		if done == 1 {
			cancel()
		}
	}
	if _, err := Run(ctx, []string{"-"}, cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("run: %v, want context.Canceled", err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left in the temporary directory: %v", left)
	}
}

// TestMergeRefusesAppendableOut: a merge writes a flat dataset, so it refuses an --out that
// holds an appendable one, in its own words (it has no --append to suggest).
func TestMergeRefusesAppendableOut(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	cfg := config(out)
	cfg.Append = true
	if _, err := Run(context.Background(), []string{filepath.Join("..", "testdata", "article", "wix.html")}, cfg); err != nil {
		t.Fatal(err)
	}
	shard := filepath.Join(t.TempDir(), "shard")
	if _, err := Run(context.Background(), []string{filepath.Join("..", "testdata", "article", "wix.html")}, config(shard)); err != nil {
		t.Fatal(err)
	}
	_, err := Merge(context.Background(), []string{shard}, config(out))
	if err == nil || err.Error() != out+" holds an appendable dataset: merge into another --out" {
		t.Errorf("merge into an appendable dataset: %v", err)
	}
}

// TestMergeKeepsEachFailuresReason names a URL twice that fails differently each time (404,
// then 410): the errors table has one row for it, the first failure's, and the manifest
// each failure's own reason, in a merge as in the shard and the single run (the merge used
// to give both inputs the row's reason).
func TestMergeKeepsEachFailuresReason(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%2 == 1 {
			http.Error(w, "gone for now", http.StatusNotFound)
		} else {
			http.Error(w, "gone", http.StatusGone)
		}
	}))
	defer srv.Close()
	args := []string{filepath.Join("..", "testdata", "article", "wix.html"), srv.URL + "/flip", srv.URL + "/flip"}
	reasons := func(dir string) []string {
		m, err := load.ReadManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, in := range m.Inputs {
			out = append(out, in.Error)
		}
		return out
	}
	run := func(shard Shard) string {
		n.Store(0) // each run sees 404, then 410
		cfg := config(filepath.Join(t.TempDir(), "out"))
		cfg.KeepGoing, cfg.Shard, cfg.Source = true, shard, sourceOptions()
		if _, err := Run(context.Background(), args, cfg); err != nil && !errors.Is(err, ErrFailedInputs) {
			t.Fatal(err)
		}
		return cfg.Out
	}
	single := reasons(run(Shard{}))
	if len(single) != 3 || single[1] == single[2] {
		t.Fatalf("single run's reasons %q: want two different failures", single)
	}
	shards := []string{run(Shard{Index: 0, Count: 2}), run(Shard{Index: 1, Count: 2})}
	cfg := config(filepath.Join(t.TempDir(), "merged"))
	if _, err := Merge(context.Background(), shards, cfg); err != nil {
		t.Fatal(err)
	}
	if got := reasons(cfg.Out); !slices.Equal(got, single) {
		t.Errorf("merged manifest's reasons %q, want the single run's %q", got, single)
	}
}

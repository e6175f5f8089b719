package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

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
}

// TestErrorRowsOf checks how a merge finds each failed input's row: by its key, the first
// failure's row for a repeated input, and, for manifests that name no origins, the next
// row of the input's source.
func TestErrorRowsOf(t *testing.T) {
	origin := func(s string) *string { return &s }
	rows := []schemas.InputError{
		{Source: "a.html"},
		{Source: "https://x/p", Origin: origin("crawl.warc.gz@10")},
		{Source: "https://x/p", Origin: origin("crawl.warc.gz@90")},
	}
	for _, tt := range []struct {
		name    string
		lookups [][2]string // source, origin
		want    []int       // row index, -1 for none
	}{
		{"by key", [][2]string{{"https://x/p", "crawl.warc.gz@90"}, {"a.html", ""}, {"https://x/p", "crawl.warc.gz@10"}}, []int{2, 0, 1}},
		{"repeated input takes the first failure's row", [][2]string{{"a.html", ""}, {"a.html", ""}, {"https://x/p", "crawl.warc.gz@10"}, {"https://x/p", "crawl.warc.gz@10"}}, []int{0, 0, 1, 1}},
		{"manifest without origins", [][2]string{{"https://x/p", ""}, {"https://x/p", ""}}, []int{1, 2}},
		{"no row", [][2]string{{"b.html", ""}, {"https://x/p", "crawl.warc.gz@50"}}, []int{-1, -1}},
	} {
		e := newErrorRows(rows)
		for i, l := range tt.lookups {
			got := e.of(l[0], l[1])
			want := tt.want[i]
			switch {
			case want < 0 && got != nil:
				t.Errorf("%s: lookup %d %v: got %+v, want none", tt.name, i, l, *got)
			case want >= 0 && got != &rows[want]:
				t.Errorf("%s: lookup %d %v: got %+v, want row %d", tt.name, i, l, got, want)
			}
		}
	}
}

package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/articleetl/articleetl/internal/corpus"
	"github.com/articleetl/articleetl/load"
)

// TestStreamedChangesEqualEndOfRun checks that changes computed as snapshots arrive are
// the rows, in the order, that computing them at the end gives, and that the runs that
// break the pattern fall back (and still agree).
func TestStreamedChangesEqualEndOfRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, pages ...[]byte) string {
		d := filepath.Join(dir, name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		for i, p := range pages {
			if err := os.WriteFile(filepath.Join(d, fmt.Sprintf("in-%03d.html", i)), p, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return d
	}
	var inOrder, repeated, backwards [][]byte
	for i := range 12 {
		inOrder = append(inOrder, corpus.Page(i))
		repeated = append(repeated, corpus.Page(i), corpus.Page(i)) // each version twice in a row
		backwards = append(backwards, corpus.Page(11-i))
	}
	other := page(t, "semantic.html") // another rendering: the same article's first version
	warc := filepath.Join(dir, "captures.warc.gz")
	if err := corpus.WriteWARC(warc, 10, 3); err != nil { // the copies are later captures of early versions
		t.Fatal(err)
	}
	repeatedWARC := filepath.Join(dir, "repeated.warc.gz")
	if err := corpus.WriteWARCPages(repeatedWARC, repeated); err != nil { // captured twice: the second capture starts the next pair
		t.Fatal(err)
	}
	// Captures going back and forth between two versions: the pair 0 -> 1 comes twice, and
	// its changes are written once.
	alternating := filepath.Join(dir, "alternating.warc.gz")
	if err := corpus.WriteWARCPages(alternating, [][]byte{corpus.Page(0), corpus.Page(1), corpus.Page(0), corpus.Page(1), corpus.Page(2)}); err != nil {
		t.Fatal(err)
	}
	// Two WARCs: the second's capture of version 1 is dated before the first's.
	early := filepath.Join(dir, "early.warc.gz")
	if err := corpus.WriteWARCPages(early, [][]byte{corpus.Page(1)}); err != nil {
		t.Fatal(err)
	}
	sameTime := filepath.Join(dir, "same-time.warc.gz") // version 0 again, at its first capture's time
	if err := corpus.WriteWARCPages(sameTime, [][]byte{corpus.Page(0)}); err != nil {
		t.Fatal(err)
	}
	// Version 0 again at t0 and t1 (its own capture times) and at t2, where it would
	// start the pair that version 1 ends, with another capture time than the original's.
	laterTime := filepath.Join(dir, "later-time.warc.gz")
	if err := corpus.WriteWARCPages(laterTime, [][]byte{corpus.Page(0), corpus.Page(0), corpus.Page(0)}); err != nil {
		t.Fatal(err)
	}
	explainer, err := os.ReadFile(filepath.Join("..", "testdata", "explainers", "ghost-refugees.html"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		streamed bool
	}{
		{"versions in order", []string{write("in-order", inOrder...)}, true},
		{"each version captured twice", []string{write("repeated", repeated...)}, true},
		{"versions in reverse", []string{write("backwards", backwards...)}, false},
		// Copies of earlier versions given again later: dated files, so they stand next to
		// their originals on the timeline, and nothing changes.
		{"earlier versions again", []string{write("again", append(inOrder[:5:5], inOrder[1], other)...)}, true},
		{"a version out of order", []string{write("swapped", inOrder[0], inOrder[1], inOrder[3], inOrder[2], inOrder[4])}, false},
		{"a second article", []string{write("two", inOrder[0], explainer, inOrder[1])}, false},
		// Returns to earlier versions, read back from the spill file.
		{"WARC with later captures of early versions", []string{warc}, true},
		{"WARC with each version captured twice", []string{repeatedWARC}, true},
		{"WARC going back and forth between two versions", []string{alternating}, true},
		{"a capture dated before the last", []string{repeatedWARC, early}, false},
		{"the first capture given again", []string{repeatedWARC, sameTime}, true},
		{"a capture out of order at another time", []string{repeatedWARC, laterTime}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := func(streaming bool) (map[string]string, bool, int64) {
				testHookNoStreaming = !streaming
				var streamed bool
				testHookStreamed = func(on bool) { streamed = on }
				defer func() { testHookNoStreaming, testHookStreamed = false, nil }()
				out := filepath.Join(t.TempDir(), "out")
				if _, err := Run(context.Background(), tt.args, config(out)); err != nil {
					t.Fatal(err)
				}
				m, err := load.ReadManifest(out)
				if err != nil {
					t.Fatal(err)
				}
				files := map[string]string{}
				for _, tbl := range m.Tables {
					for _, f := range tbl.Files {
						files[f.Path] = f.SHA256
					}
				}
				return files, streamed, m.Table("changes").Rows
			}
			want, _, changes := run(false)
			got, streamed, _ := run(true)
			if streamed != tt.streamed {
				t.Errorf("changes streamed: %v, want %v", streamed, tt.streamed)
			}
			for name, sum := range want {
				if got[name] != sum {
					t.Errorf("%s differs from the end-of-run computation", name)
				}
			}
			if changes == 0 {
				t.Errorf("no changes at all: the case tests nothing")
			}
		})
	}
}

package source

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeParts writes parts i/n of args into dir and returns their paths, or the first error.
func writeParts(t *testing.T, dir string, n int, args []string) (parts []string, stats []IndexStats, err error) {
	t.Helper()
	for i := range n {
		var b bytes.Buffer
		s, err := WriteWARCIndexPart(context.Background(), args, Options{}, PartOf{Index: i, Count: n}, &b)
		if err != nil {
			return nil, nil, fmt.Errorf("part %d/%d: %w", i, n, err)
		}
		p := filepath.Join(dir, fmt.Sprintf("part-%d-of-%d", i, n))
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		parts, stats = append(parts, p), append(stats, s)
	}
	return parts, stats, nil
}

// TestPartsOfNRefuseWhatTheIndexRefuses: a directory holding a WARC file the index cannot
// read (a dangling symbolic link named .warc.gz) is refused by WriteWARCIndex ("cannot
// index ..."). Parts i/n of the same directory must refuse it too (a part or the join),
// not join into an index without the file, which the run then refuses ("not in the WARC
// index"). The first version re-dispatched each listed file through runner.path, whose
// os.Stat turned the file's failure into an argument's warning; a part now reads the
// listed files as they were found.
func TestPartsOfNRefuseWhatTheIndexRefuses(t *testing.T) {
	dir := t.TempDir()
	crawlDir := filepath.Join(dir, "crawl")
	if err := os.Mkdir(crawlDir, 0o755); err != nil {
		t.Fatal(err)
	}
	buildWARC(t, crawlDir, "a.warc.gz", "1.1", true, crawl())
	buildWARC(t, crawlDir, "c.warc.gz", "1.1", true, crawl()[:3])
	if err := os.Symlink(filepath.Join(dir, "gone.warc.gz"), filepath.Join(crawlDir, "b.warc.gz")); err != nil {
		t.Fatal(err)
	}
	args := []string{crawlDir}
	if _, err := WriteWARCIndex(context.Background(), args, Options{}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "b.warc.gz") {
		t.Fatalf("the whole index: %v, want it refused for b.warc.gz (the premise of this test)", err)
	}
	for n := 1; n <= 3; n++ {
		parts, _, err := writeParts(t, t.TempDir(), n, args)
		if err == nil {
			var joined bytes.Buffer
			var st IndexStats
			st, err = JoinWARCIndex(context.Background(), parts, &joined)
			if err == nil {
				t.Errorf("%d parts: every part and the join succeeded (an index of %d files); the whole index refuses the crawl", n, st.Files)
			}
		}
	}
}

// TestPartsOfNReportUnreadableArguments: a missing argument is a warning of the whole index
// (IndexStats.Unreadable, printed by the CLI; with no WARC file at all, the CLI's error).
// Parts i/n, which list the arguments' files and index only those, first dropped it: no
// part reported it, and an empty listing gave n empty parts that exited 0 without a word.
// Each part now reports the arguments' failures.
func TestPartsOfNReportUnreadableArguments(t *testing.T) {
	dir := t.TempDir()
	gz, _ := buildWARC(t, dir, "a.warc.gz", "1.1", true, crawl())
	missing := filepath.Join(dir, "missing")
	args := []string{missing, gz}
	whole, err := WriteWARCIndex(context.Background(), args, Options{}, &bytes.Buffer{})
	if err != nil || len(whole.Unreadable) != 1 {
		t.Fatalf("whole index: %v, unreadable %q", err, whole.Unreadable)
	}
	for n := 2; n <= 3; n++ {
		_, stats, err := writeParts(t, t.TempDir(), n, args)
		if err != nil {
			t.Fatal(err)
		}
		var reported []string
		for _, s := range stats {
			reported = append(reported, s.Unreadable...)
		}
		if len(reported) == 0 {
			t.Errorf("%d parts: no part reports %q, which the whole index reports", n, whole.Unreadable[0])
		}
	}
}

// TestPartsOfOtherListsAreRefused: parts written over other lists of WARC files (a file
// added to the crawl between two pods) cannot make one index: the join refuses them.
func TestPartsOfOtherListsAreRefused(t *testing.T) {
	dir := t.TempDir()
	a, _ := buildWARC(t, dir, "a.warc.gz", "1.1", true, crawl())
	b, _ := buildWARC(t, dir, "b.warc.gz", "1.1", true, crawl()[:3])
	c, _ := buildWARC(t, dir, "c.warc.gz", "1.1", true, crawl()[:2])
	first, _, err := writeParts(t, t.TempDir(), 2, []string{a, b})
	if err != nil {
		t.Fatal(err)
	}
	later, _, err := writeParts(t, t.TempDir(), 2, []string{a, b, c})
	if err != nil {
		t.Fatal(err)
	}
	_, err = JoinWARCIndex(context.Background(), []string{first[0], later[1]}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "other lists of WARC files") {
		t.Errorf("join of parts over two lists: %v, want it refused", err)
	}
}

package source

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
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

// TestPartsOfOtherCrawlsAreRefused: parts written over another crawl than the others (a
// file added between two pods' listings, or one that grew, which may move the boundary
// between parts) cannot make one index: the parts carry a hash of the file list and
// sizes, and the join refuses them.
func TestPartsOfOtherCrawlsAreRefused(t *testing.T) {
	for name, change := range map[string]func(t *testing.T, dir string, args []string) []string{
		"a file added": func(t *testing.T, dir string, args []string) []string {
			c, _ := buildWARC(t, dir, "c.warc.gz", "1.1", true, crawl()[:2])
			return append(args, c)
		},
		"a file grown": func(t *testing.T, dir string, args []string) []string {
			f, err := os.OpenFile(args[1], os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.Write([]byte("\n")); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			return args
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			a, _ := buildWARC(t, dir, "a.warc.gz", "1.1", true, crawl())
			b, _ := buildWARC(t, dir, "b.warc.gz", "1.1", true, crawl()[:3])
			args := []string{a, b}
			first, _, err := writeParts(t, t.TempDir(), 2, args)
			if err != nil {
				t.Fatal(err)
			}
			later, _, err := writeParts(t, t.TempDir(), 2, change(t, dir, args))
			if err != nil {
				t.Fatal(err)
			}
			_, err = JoinWARCIndex(context.Background(), []string{first[0], later[1]}, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), "other lists of WARC files") {
				t.Errorf("join of parts over two crawls: %v, want it refused", err)
			}
		})
	}
}

// TestPartRun: parts i/n are consecutive runs that cover every file once, in order, and
// hold about equal bytes: no part holds more than its share and one file. The split by
// count that came before gave a part of three small files and a part of one large file
// the same weight.
func TestPartRun(t *testing.T) {
	for _, tt := range []struct {
		sizes []int64
		n     int
		want  [][2]int
	}{
		{[]int64{10, 10, 10, 1000}, 2, [][2]int{{0, 3}, {3, 4}}},
		{[]int64{1000, 10, 10, 10}, 2, [][2]int{{0, 1}, {1, 4}}},
		{[]int64{5, 5, 5, 5}, 2, [][2]int{{0, 2}, {2, 4}}},
		{[]int64{100}, 3, [][2]int{{0, 0}, {0, 1}, {1, 1}}},     // one file: the middle part
		{[]int64{0, 0, 0}, 3, [][2]int{{0, 1}, {1, 2}, {2, 3}}}, // no bytes: by count
		{[]int64{1000, 1, 1, 1, 1000}, 3, [][2]int{{0, 1}, {1, 4}, {4, 5}}},
	} {
		var got [][2]int
		for i := range tt.n {
			lo, hi := partRun(tt.sizes, i, tt.n)
			got = append(got, [2]int{lo, hi})
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("partRun(%v, i, %d) = %v, want %v", tt.sizes, tt.n, got, tt.want)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		sizes := make([]int64, rng.IntN(12))
		var total, largest int64
		for k := range sizes {
			sizes[k] = rng.Int64N(1 << uint(rng.IntN(40)))
			total += sizes[k]
			largest = max(largest, sizes[k])
		}
		n := 2 + rng.IntN(7)
		next := 0
		for i := range n {
			lo, hi := partRun(sizes, i, n)
			if lo != next || hi < lo {
				t.Fatalf("partRun(%v, %d, %d) = [%d, %d), want a run from %d", sizes, i, n, lo, hi, next)
			}
			var bytes int64
			for _, s := range sizes[lo:hi] {
				bytes += s
			}
			if total > 0 && bytes > total/int64(n)+largest+1 {
				t.Fatalf("partRun(%v, %d, %d) = [%d, %d): %d bytes, more than a share (%d) and a file (%d)", sizes, i, n, lo, hi, bytes, total/int64(n), largest)
			}
			next = hi
		}
		if next != len(sizes) {
			t.Fatalf("parts of %d of %v end at file %d of %d", n, sizes, next, len(sizes))
		}
	}
}

// TestPartsSplitByBytes: on a crawl of one large WARC file and three small ones, the large
// one is a part of its own, and the joined parts are the whole index.
func TestPartsSplitByBytes(t *testing.T) {
	dir := t.TempDir()
	big := crawl()
	for len(big) < 40 {
		big = append(big, crawl()...)
	}
	var args []string
	for k, recs := range [][]warcRecord{crawl()[:2], crawl()[:2], crawl()[:2], big} {
		p, _ := buildWARC(t, dir, fmt.Sprintf("%d.warc.gz", k), "1.1", true, recs)
		args = append(args, p)
	}
	var whole bytes.Buffer
	if _, err := WriteWARCIndex(context.Background(), args, Options{}, &whole); err != nil {
		t.Fatal(err)
	}
	parts, stats, err := writeParts(t, t.TempDir(), 2, args)
	if err != nil {
		t.Fatal(err)
	}
	if stats[0].Files != 3 || stats[1].Files != 1 {
		t.Errorf("parts of 2 hold %d and %d files, want the three small ones and the large one", stats[0].Files, stats[1].Files)
	}
	var joined bytes.Buffer
	if _, err := JoinWARCIndex(context.Background(), parts, &joined); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(joined.Bytes(), whole.Bytes()) {
		t.Errorf("the joined parts differ from the whole index")
	}
}

// TestPartRunOfAnySizes: partRun neither panics nor loses a file for sizes that add to
// 2^63 bytes or more (two sparse files of 4 EiB on tmpfs made bits.Div64 divide by zero,
// killing every pod), nor for n past the product of i and the count of files (the split
// by count of files of no bytes wrapped and gave every part none); below 2^62 bytes it is
// exactly floor(n*(2*before+size)/(2*total)), as math/big computes it.
func TestPartRunOfAnySizes(t *testing.T) {
	check := func(sizes []int64, n int, is []int) {
		t.Helper()
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("partRun(%v, i, %d): panic %v", sizes, n, r)
			}
		}()
		var total big.Int
		for _, s := range sizes {
			total.Add(&total, big.NewInt(max(s, 0)))
		}
		exact := total.Cmp(big.NewInt(1<<62)) < 0 && total.Sign() > 0
		want := func(k int) int { // the part of file k, as the formula has it
			var before big.Int
			for _, s := range sizes[:k] {
				before.Add(&before, big.NewInt(max(s, 0)))
			}
			num := new(big.Int).Lsh(&before, 1)
			num.Add(num, big.NewInt(max(sizes[k], 0)))
			num.Mul(num, big.NewInt(int64(n)))
			q := num.Quo(num, new(big.Int).Lsh(&total, 1))
			return int(min(q.Int64(), int64(n-1)))
		}
		for _, i := range is {
			lo, hi := partRun(sizes, i, n)
			if lo < 0 || hi < lo || hi > len(sizes) {
				t.Fatalf("partRun(%v, %d, %d) = [%d, %d)", sizes, i, n, lo, hi)
			}
			if i == 0 && lo != 0 || i == n-1 && hi != len(sizes) {
				t.Fatalf("partRun(%v, %d, %d) = [%d, %d): the parts do not cover the files", sizes, i, n, lo, hi)
			}
			if i > 0 {
				if _, prev := partRun(sizes, i-1, n); prev != lo {
					t.Fatalf("partRun(%v, %d, %d) = [%d, %d) after a part ending at %d", sizes, i, n, lo, hi, prev)
				}
			}
			if exact {
				for k := lo; k < hi; k++ {
					if w := want(k); w != i {
						t.Fatalf("partRun(%v, %d, %d) = [%d, %d): file %d is of part %d", sizes, i, n, lo, hi, k, w)
					}
				}
			}
		}
	}
	all := func(n int) []int {
		is := make([]int, n)
		for i := range is {
			is[i] = i
		}
		return is
	}
	const huge = math.MaxInt
	for _, c := range []struct {
		sizes []int64
		n     int
	}{
		{[]int64{1 << 62, 1 << 62}, 2}, // a divisor of 0
		{[]int64{math.MaxInt64, 1}, 2},
		{[]int64{math.MaxInt64, math.MaxInt64, 3}, 10}, // a quotient past 64 bits
		{[]int64{math.MaxInt64, math.MaxInt64, math.MaxInt64, math.MaxInt64, 5}, 3},
		{[]int64{-1, 5, 0}, 2},
		{[]int64{1, 2, 3}, 2_000_000_000},
		{[]int64{0, 0, 0}, 2_000_000_000},
	} {
		check(c.sizes, c.n, all(min(c.n, 50)))
		check(c.sizes, c.n, []int{c.n - 2, c.n - 1, c.n / 2})
	}
	check([]int64{0, 0, 0}, huge, []int{0, 1, huge / 3, huge - 2, huge - 1})
	check([]int64{7, 0, 9}, huge, []int{0, 1, huge / 3, huge / 2, huge - 2, huge - 1})
	rng := rand.New(rand.NewPCG(5, 6))
	for range 3000 {
		sizes := make([]int64, rng.IntN(10))
		for k := range sizes {
			switch rng.IntN(4) {
			case 0:
			case 1:
				sizes[k] = rng.Int64N(1 << 20)
			case 2:
				sizes[k] = rng.Int64N(1 << uint(rng.IntN(63)))
			case 3:
				sizes[k] = math.MaxInt64 - rng.Int64N(1<<40)
			}
		}
		n := 2 + rng.IntN(12)
		is := all(n)
		if rng.IntN(4) == 0 {
			n = 2 + rng.IntN(huge-2)
			is = []int{0, n - 1, rng.IntN(n-1) + 1, rng.IntN(n-1) + 1}
		}
		check(sizes, n, is)
	}
}

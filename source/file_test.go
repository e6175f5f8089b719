package source

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// collect runs Each and returns every item.
func collect(t *testing.T, args []string, opts Options) []Item {
	t.Helper()
	var items []Item
	if err := Each(context.Background(), args, opts, func(it Item) error {
		items = append(items, it)
		return nil
	}); err != nil {
		t.Fatalf("Each: %v", err)
	}
	return items
}

// writeFiles creates files (path → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// summary is an item as "source" or "source: error", with paths relative to dir.
func summary(dir string, it Item) string {
	s := strings.TrimPrefix(filepath.ToSlash(it.Source), filepath.ToSlash(dir)+"/")
	if it.Err != nil {
		return s + ": " + it.Err.Error()
	}
	return s + " = " + string(it.Data)
}

func TestEachFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"site/a.html":        "A",
		"site/b.html":        "B",
		"site/b/c.htm":       "C",
		"site/b/deep/d.HTML": "D",
		"site/notes.txt":     "not a page",
		"site/img.png":       "\x89PNG",
		"site/a.html.bak":    "old",
		"empty/readme.md":    "nothing here",
		"x[1].html":          "literal brackets",
		"glob/one.html":      "1",
		"glob/two.html":      "2",
		"glob/three.htm":     "3",
		"glob/sub/four.html": "4",
		"big.html":           strings.Repeat("x", 2000),
		"order/z.html":       "Z",
		"order/a.html":       "A2",
	})
	tests := []struct {
		name  string
		args  []string
		stdin string
		opts  Options
		want  []string
	}{
		{name: "file", args: []string{"site/a.html"}, want: []string{"site/a.html = A"}},
		{name: "args in given order", args: []string{"order/z.html", "order/a.html"}, want: []string{"order/z.html = Z", "order/a.html = A2"}},
		{name: "directory recursive sorted by path, pages only", args: []string{"site"}, want: []string{
			"site/a.html = A", "site/b.html = B", "site/b/c.htm = C", "site/b/deep/d.HTML = D",
		}},
		{name: "directory with no pages", args: []string{"empty"}, want: []string{"empty: is a directory with no .html, .htm or .warc files"}},
		{name: "glob sorted", args: []string{"glob/*.htm*"}, want: []string{"glob/one.html = 1", "glob/three.htm = 3", "glob/two.html = 2"}},
		{name: "glob with question mark", args: []string{"glob/t??.html"}, want: []string{"glob/two.html = 2"}},
		{name: "glob matching a directory reads it", args: []string{"glob/s*"}, want: []string{"glob/sub/four.html = 4"}},
		{name: "glob without match", args: []string{"glob/*.xml"}, want: []string{"glob/*.xml: no files match"}},
		{name: "existing path with glob characters is literal", args: []string{"x[1].html"}, want: []string{"x[1].html = literal brackets"}},
		{name: "explicit file of any extension", args: []string{"site/notes.txt"}, want: []string{"site/notes.txt = not a page"}},
		{name: "missing file", args: []string{"nope.html", "site/a.html"}, want: []string{"nope.html: no such file", "site/a.html = A"}},
		{name: "stdin", args: []string{"-"}, stdin: "<p>from stdin</p>", want: []string{"- = <p>from stdin</p>"}},
		{name: "too large", args: []string{"big.html"}, opts: Options{MaxBytes: 1024}, want: []string{"big.html: page larger than 1 KiB limit"}},
		{name: "stdin too large", args: []string{"-"}, stdin: strings.Repeat("y", 1500), opts: Options{MaxBytes: 1000}, want: []string{"-: page larger than 1000 bytes limit"}},
	}
	t.Chdir(dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.Stdin = strings.NewReader(tt.stdin)
			var got []string
			for _, it := range collect(t, tt.args, opts) {
				if it.Err == nil && it.CapturedAt != nil {
					t.Errorf("%s: CapturedAt = %v for a plain file", it.Source, it.CapturedAt)
				}
				got = append(got, summary(dir, it))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

func TestEachErrorsAreTyped(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"big.html": strings.Repeat("x", 100)})
	items := collect(t, []string{filepath.Join(dir, "missing.html"), filepath.Join(dir, "*.none"), filepath.Join(dir, "big.html"), "-"},
		Options{MaxBytes: 10})
	if len(items) != 4 {
		t.Fatalf("got %d items, want 4", len(items))
	}
	var tl *TooLargeError
	for i, ok := range []bool{
		errors.Is(items[0].Err, ErrNoSuchFile),
		errors.Is(items[1].Err, ErrNoMatch),
		errors.As(items[2].Err, &tl) && tl.Limit == 10,
		errors.Is(items[3].Err, ErrNoStdin),
	} {
		if !ok {
			t.Errorf("item %d: unexpected error %v", i, items[i].Err)
		}
	}
}

func TestEachStopsEarly(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.html": "A", "b.html": "B", "c.html": "C"})
	stop := errors.New("stop")
	var seen []string
	err := Each(context.Background(), []string{dir}, Options{}, func(it Item) error {
		seen = append(seen, filepath.Base(it.Source))
		if len(seen) == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || !slices.Equal(seen, []string{"a.html", "b.html"}) {
		t.Errorf("Each = %v after %v, want stop after [a.html b.html]", err, seen)
	}

	ctx, cancel := context.WithCancel(context.Background())
	seen = nil
	err = Each(ctx, []string{dir}, Options{}, func(it Item) error {
		seen = append(seen, filepath.Base(it.Source))
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || len(seen) != 1 {
		t.Errorf("Each = %v after %v, want context.Canceled after one item", err, seen)
	}
}

// TestReadLimitedSized checks reading with a size known in advance, including a file that
// is longer or shorter than its size said (it changed after it was measured).
func TestReadLimitedSized(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 10) // 100 bytes
	tests := []struct {
		name        string
		limit, size int64
		tooLarge    bool
	}{
		{"size exact", 1000, 100, false},
		{"size unknown", 1000, 0, false},
		{"file grew", 1000, 40, false},
		{"file shrank", 1000, 300, false},
		{"at the limit", 100, 100, false},
		{"grew past the limit", 99, 50, true},
		{"size says past the limit", 99, 100, true},
		{"one byte over", 99, 99, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// iotest.OneByteReader makes every read short, as a slow file system might.
			for _, r := range []io.Reader{bytes.NewReader(data), iotest.OneByteReader(bytes.NewReader(data))} {
				got, err := readLimitedSized(r, tt.limit, tt.size)
				var tl *TooLargeError
				if tt.tooLarge {
					if !errors.As(err, &tl) || tl.Limit != tt.limit {
						t.Errorf("err = %v, want TooLargeError{%d}", err, tt.limit)
					}
					continue
				}
				if err != nil || !bytes.Equal(got, data) {
					t.Errorf("got %d bytes, %v; want the 100 bytes", len(got), err)
				}
			}
		})
	}
}

// TestEachWanted: with Options.Wanted, the inputs it does not want come in their place
// unread (no data, no error) and the others as without it, errors included. (That an
// unwanted file is not even opened is TestShardReadsOnlyItsFiles, in pipeline.)
func TestEachWanted(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.html": "<p>a</p>", "b.html": "<p>bb</p>", "big.html": strings.Repeat("x", 64), "c.html": "<p>c</p>"})
	opts := Options{MaxBytes: 32}
	var want []string
	for _, it := range collect(t, []string{dir}, opts) {
		want = append(want, summary(dir, it))
	}
	opts.Wanted = func(it Item) bool {
		return !strings.HasSuffix(it.Source, "b.html") && !strings.HasSuffix(it.Source, "c.html")
	}
	var got []string
	for _, it := range collect(t, []string{filepath.Join(dir, "a.html"), filepath.Join(dir, "b.html"), filepath.Join(dir, "big.html"), filepath.Join(dir, "c.html")}, opts) {
		got = append(got, summary(dir, it))
	}
	want[1], want[3] = "b.html = ", "c.html = "
	if !slices.Equal(got, want) {
		t.Errorf("wanted:\n%q\nwant\n%q", got, want)
	}
}

package source

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJoinedIndexIsTheIndex builds the index of every fixture in parts, each file alone,
// all files in one part, and the files split between two parts, and joins them: the
// result must be, byte for byte, the index built by reading the files one after another.
// The fixtures hold revisits of records in earlier files, one whose own file has a digest
// match but whose WARC-Refers-To is in an earlier file (the 404 with the page's body), an
// original in a damaged file and originals in a file gzipped as a whole.
func TestJoinedIndexIsTheIndex(t *testing.T) {
	for name, args := range indexFixtures(t) {
		t.Run(name, func(t *testing.T) {
			var whole bytes.Buffer
			if _, err := WriteWARCIndex(context.Background(), args, Options{}, &whole); err != nil {
				t.Fatal(err)
			}
			x, _ := buildIndex(t, args, Options{})
			files := x.paths // in the order a run reads them
			dir := t.TempDir()
			part := func(name string, files []string) string {
				var b bytes.Buffer
				if _, err := WriteWARCIndexPart(context.Background(), files, Options{}, &b); err != nil {
					t.Fatalf("part of %v: %v", files, err)
				}
				p := filepath.Join(dir, name)
				if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return p
			}
			var each []string
			for i, f := range files {
				each = append(each, part("each-"+string(rune('a'+i)), []string{f}))
			}
			ways := map[string][]string{
				"a part per file": each,
				"one part":        {part("all", files)},
			}
			if len(files) > 1 {
				ways["two parts"] = []string{part("first", files[:1]), part("rest", files[1:])}
			}
			for way, parts := range ways {
				var joined bytes.Buffer
				stats, err := JoinWARCIndex(context.Background(), parts, &joined)
				if err != nil {
					t.Fatalf("%s: join: %v", way, err)
				}
				if !bytes.Equal(joined.Bytes(), whole.Bytes()) {
					t.Errorf("%s: the joined index differs from the index:\n%s\nwant\n%s", way, joined.Bytes(), whole.Bytes())
				}
				if stats.Files != len(files) {
					t.Errorf("%s: %d files joined, want %d", way, stats.Files, len(files))
				}
			}
		})
	}
}

// TestJoinRefuses: parts that cannot make one index are refused, naming the part and why.
func TestJoinRefuses(t *testing.T) {
	args := indexFixtures(t)["revisits across files"]
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	part := func(name string, opts Options, files ...string) string {
		var b bytes.Buffer
		if _, err := WriteWARCIndexPart(context.Background(), files, opts, &b); err != nil {
			t.Fatal(err)
		}
		return write(name, b.Bytes())
	}
	first, second := part("first", Options{}, args[0]), part("second", Options{}, args[1])
	other := part("other-limit", Options{MaxBytes: 8 << 20}, args[1])
	var index bytes.Buffer
	if _, err := WriteWARCIndex(context.Background(), args, Options{}, &index); err != nil {
		t.Fatal(err)
	}
	whole := write("whole.idx", index.Bytes())
	full, err := os.ReadFile(second)
	if err != nil {
		t.Fatal(err)
	}
	cut := write("cut", full[:len(full)-len(full)/3])
	for _, c := range []struct {
		name  string
		parts []string
		want  string
	}{
		{"a file in two parts", []string{first, first}, "given twice"},
		{"another page size limit", []string{first, other}, "page size limit"},
		{"an index, not a part", []string{whole}, "not a part of an index"},
		{"a part cut short", []string{first, cut}, "cut short"},
		{"no such part", []string{filepath.Join(dir, "none")}, "no such file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := JoinWARCIndex(context.Background(), c.parts, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("join: %v, want an error saying %q", err, c.want)
			}
		})
	}
}

// TestPartIsNoIndex: a run given a part rather than the joined index is refused, saying so.
func TestPartIsNoIndex(t *testing.T) {
	args := indexFixtures(t)["gzip per record"]
	var b bytes.Buffer
	if _, err := WriteWARCIndexPart(context.Background(), args, Options{}, &b); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "a.part")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenWARCIndex(p); err == nil || !strings.Contains(err.Error(), "join the parts") {
		t.Errorf("OpenWARCIndex of a part: %v, want it refused", err)
	}
	if err := MayReplaceWARCIndex(p); err != nil {
		t.Errorf("index --out over a part: %v, want it replaceable", err)
	}
}

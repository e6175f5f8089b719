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

// TestJoinedIndexIsTheIndex builds the index of every fixture in parts, each file alone,
// all files in one part, and the files split between two parts, and joins them: the
// result must be, byte for byte, the index built by reading the files one after another.
// The fixtures hold revisits of records in earlier files, one whose own file has a digest
// match but whose WARC-Refers-To is in an earlier file (the 404 with the page's body), an
// original in a damaged file and originals in a file gzipped as a whole.
// writePart writes part of files (WriteWARCIndexPart) to dir/name and returns its path.
func writePart(t *testing.T, dir, name string, files []string, opts Options, part PartOf) string {
	t.Helper()
	var b bytes.Buffer
	if _, err := WriteWARCIndexPart(context.Background(), files, opts, part, &b); err != nil {
		t.Fatalf("part %s of %v: %v", part, files, err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// partPerFile writes a part of each of files to dir, in order.
func partPerFile(t *testing.T, dir string, files []string) []string {
	t.Helper()
	var parts []string
	for i, f := range files {
		parts = append(parts, writePart(t, dir, fmt.Sprintf("%d.part", i), []string{f}, Options{}, PartOf{}))
	}
	return parts
}

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
			part := func(name string, files []string) string { return writePart(t, dir, name, files, Options{}, PartOf{}) }
			ways := map[string][]string{
				"a part per file": partPerFile(t, dir, files),
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
		return writePart(t, dir, name, files, opts, PartOf{})
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
	if _, err := WriteWARCIndexPart(context.Background(), args, Options{}, PartOf{}, &b); err != nil {
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

// TestJoinedIndexOverAMemberOfSeveralRecords: an earlier file ends in a gzip member holding
// several records (a failure of the file, which is then marked to be read through, and
// whose reading stops at the member's first record), and a later file's revisit refers to
// that record. A part reads the pages of such a file again, as the whole index does when a
// revisit resolves to one, since a file with a failure of its own may not give, entered at
// an offset, what reading it through gave.
func TestJoinedIndexOverAMemberOfSeveralRecords(t *testing.T) {
	dir := t.TempDir()
	page := func(id, uri, body string) warcRecord {
		return warcRecord{typ: "response", id: id, date: "2018-06-05T10:00:00Z", uri: uri,
			headers: []string{"Content-Type: application/http; msgtype=response", "WARC-Payload-Digest: " + sha1Digest(body)},
			block:   httpResponse("200 OK", []string{"Content-Type: text/html; charset=utf-8"}, body)}
	}
	head, _ := buildWARC(t, dir, "head.warc.gz", "1.1", true, crawl()[:1])
	members, _ := buildWARC(t, dir, "members.warc", "1.1", false, []warcRecord{
		page("00000000-0000-0000-0000-0000000000e0", "https://blog.example.org/e0", pageA),
		page("00000000-0000-0000-0000-0000000000e1", "https://blog.example.org/e1", pageC),
	})
	earlier := filepath.Join(dir, "earlier.warc.gz")
	if err := os.WriteFile(earlier, append(mustRead(t, head), gzipWhole(mustRead(t, members))...), 0o644); err != nil {
		t.Fatal(err)
	}
	later, _ := buildWARC(t, dir, "later.warc.gz", "1.1", true, []warcRecord{{
		typ: "revisit", id: "00000000-0000-0000-0000-0000000000f1", date: "2018-07-01T00:00:00Z", uri: "https://blog.example.org/e0",
		headers: []string{"Content-Type: application/http; msgtype=response", "WARC-Refers-To: <urn:uuid:00000000-0000-0000-0000-0000000000e0>"},
		block:   httpResponse("200 OK", []string{"Content-Type: text/html"}, "")}})
	files := []string{earlier, later}
	var whole bytes.Buffer
	if _, err := WriteWARCIndex(context.Background(), files, Options{}, &whole); err != nil {
		t.Fatal(err)
	}
	parts := partPerFile(t, dir, files)
	var joined bytes.Buffer
	if _, err := JoinWARCIndex(context.Background(), parts, &joined); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(joined.Bytes(), whole.Bytes()) {
		t.Errorf("the joined index differs from the index:\n%s\nwant\n%s", joined.Bytes(), whole.Bytes())
	}
	if !bytes.Contains(whole.Bytes(), []byte(`"revisit":true,"via"`)) {
		t.Errorf("the revisit resolves to nothing; the test needs it resolved:\n%s", whole.Bytes())
	}
}

// TestPartsOfN: n machines given the same arguments each write part i/n (a run of
// consecutive files, in the order a run reads them; empty when there are more parts than
// files), and the join, given the parts in any order, puts them in theirs: the index.
func TestPartsOfN(t *testing.T) {
	for name, args := range indexFixtures(t) {
		t.Run(name, func(t *testing.T) {
			var whole bytes.Buffer
			if _, err := WriteWARCIndex(context.Background(), args, Options{}, &whole); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			for n := 2; n <= 4; n++ {
				var parts []string
				for i := range n {
					p := writePart(t, dir, fmt.Sprintf("%d-of-%d.part", i, n), args, Options{}, PartOf{Index: i, Count: n})
					parts = append([]string{p}, parts...) // given last first
				}
				var joined bytes.Buffer
				if _, err := JoinWARCIndex(context.Background(), parts, &joined); err != nil {
					t.Fatalf("join of %d parts: %v", n, err)
				}
				if !bytes.Equal(joined.Bytes(), whole.Bytes()) {
					t.Errorf("%d parts: the joined index differs from the index:\n%s\nwant\n%s", n, joined.Bytes(), whole.Bytes())
				}
				if n == 3 {
					for _, c := range []struct {
						name  string
						parts []string
						want  string
					}{
						{"one missing", parts[1:], "is missing: join all 3 parts"},
						{"one twice", append(parts, parts[0]), "give each part once"},
						{"another n", append(parts[1:], filepath.Join(dir, "0-of-2.part")), "join the parts of one crawl"},
					} {
						if _, err := JoinWARCIndex(context.Background(), c.parts, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), c.want) {
							t.Errorf("%s: join: %v, want an error saying %q", c.name, err, c.want)
						}
					}
				}
			}
		})
	}
}

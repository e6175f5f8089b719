package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// buildIndex indexes args as `articleetl index` does and opens the index.
func buildIndex(t *testing.T, args []string, opts Options) (*WARCIndex, IndexStats) {
	t.Helper()
	var b bytes.Buffer
	stats, err := WriteWARCIndex(context.Background(), args, opts, &b)
	if err != nil {
		t.Fatalf("WriteWARCIndex: %v", err)
	}
	p := filepath.Join(t.TempDir(), "crawl.idx")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	x, err := OpenWARCIndex(p)
	if err != nil {
		t.Fatalf("OpenWARCIndex: %v\n%s", err, b.Bytes())
	}
	return x, stats
}

// indexFixtures are WARC files of every shape the reader handles, as lists of arguments:
// each list is read with and without its index.
func indexFixtures(t *testing.T) map[string][]string {
	t.Helper()
	dir := t.TempDir()
	recs := crawl()
	gz, _ := buildWARC(t, dir, "crawl.warc.gz", "1.1", true, recs)
	plain, _ := buildWARC(t, dir, "crawl.warc", "1.0", false, recs)
	data, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	whole := filepath.Join(dir, "whole.warc.gz")
	if err := os.WriteFile(whole, gzipWhole(data), 0o644); err != nil {
		t.Fatal(err)
	}
	// A file damaged in record 4 (page B), whose page A is the original of a revisit in a
	// later file, and a later file of revisits, one of them of a 404 with page A's body.
	damaged, offsets := buildWARC(t, dir, "damaged.warc.gz", "1.1", true, recs)
	b, err := os.ReadFile(damaged)
	if err != nil {
		t.Fatal(err)
	}
	for i := offsets[4] + (offsets[5]-offsets[4])/2; i < offsets[4]+(offsets[5]-offsets[4])/2+8; i++ {
		b[i] ^= 0xff
	}
	if err := os.WriteFile(damaged, b, 0o644); err != nil {
		t.Fatal(err)
	}
	revisit := func(id string, headers ...string) warcRecord {
		return warcRecord{typ: "revisit", id: id, date: "2018-07-01T00:00:00Z", uri: "https://blog.example.org/a",
			headers: append([]string{"Content-Type: application/http; msgtype=response",
				"WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"}, headers...),
			block: httpResponse("200 OK", []string{"Content-Type: text/html"}, "")}
	}
	notFound := warcRecord{typ: "response", id: "00000000-0000-0000-0000-0000000000c1", date: "2018-06-30T00:00:00Z", uri: "https://blog.example.org/a",
		headers: []string{"Content-Type: application/http; msgtype=response", "WARC-Payload-Digest: " + sha1Digest(pageA)},
		block:   httpResponse("404 Not Found", []string{"Content-Type: text/html"}, pageA)}
	later, _ := buildWARC(t, dir, "later.warc.gz", "1.1", true, []warcRecord{
		notFound,
		revisit("00000000-0000-0000-0000-0000000000b1", "WARC-Refers-To: <urn:uuid:00000000-0000-0000-0000-00000000000a>", "WARC-Payload-Digest: "+sha1Digest(pageA)),
		revisit("00000000-0000-0000-0000-0000000000b2", "WARC-Payload-Digest: "+sha1Digest(pageA)),
		revisit("00000000-0000-0000-0000-0000000000b3", "WARC-Refers-To-Target-URI: https://blog.example.org/c", "WARC-Refers-To-Date: 2018-06-03T12:00:00Z"),
		revisit("00000000-0000-0000-0000-0000000000b4", "WARC-Refers-To: <urn:uuid:00000000-0000-0000-0000-0000000000ff>"),
	})
	return map[string][]string{
		"gzip per record":         {gz},
		"plain":                   {plain},
		"gzipped whole":           {whole},
		"revisits across files":   {gz, later},
		"original in a damaged":   {damaged, later},
		"original in a whole gz":  {whole, later},
		"every shape, html files": {dir},
	}
}

// noName is an input name no item has, for describe: items keep their paths.
const noName = "\x00"

// TestWARCIndexGivesTheSameItems reads WARC files through their index and checks that the
// items are those of reading them through: every record, and with a caller that wants only
// some (a shard), the same items in the same places, the others handed on unread.
func TestWARCIndexGivesTheSameItems(t *testing.T) {
	for name, args := range indexFixtures(t) {
		t.Run(name, func(t *testing.T) {
			want := collect(t, args, Options{})
			x, stats := buildIndex(t, args, Options{})
			if stats.Items == 0 {
				t.Fatalf("indexed nothing: %+v", stats)
			}
			sameItems(t, collect(t, args, Options{WARCIndex: x}), noName, want, noName)
			for part := range 3 {
				wanted := func(it Item) bool { // as a shard decides: by Origin when there is one
					name := it.Source
					if it.Origin != "" {
						name = it.Origin
					}
					h := fnv.New32a()
					h.Write([]byte(name))
					return h.Sum32()%3 == uint32(part)
				}
				got := collect(t, args, Options{WARCIndex: x, Wanted: wanted})
				if len(got) != len(want) {
					t.Fatalf("part %d: %d items, want %d", part, len(got), len(want))
				}
				for i, it := range got {
					unread := it.Data == nil && it.Err == nil && it.Source == ""
					switch {
					case unread && (it.Origin != want[i].Origin || wanted(want[i])):
						t.Errorf("part %d, item %d: handed on unread as %q, but it is %s (wanted: %v)", part, i, it.Origin, describe(want[i], noName), wanted(want[i]))
					case !unread && describe(it, noName) != describe(want[i], noName):
						t.Errorf("part %d, item %d: %s, want %s", part, i, describe(it, noName), describe(want[i], noName))
					}
				}
			}
		})
	}
}

// TestWARCIndexReadsOnlyWantedRecords damages a record that the caller does not want after
// indexing: read through the index, it is never read, where reading the file through
// reports it.
func TestWARCIndexReadsOnlyWantedRecords(t *testing.T) {
	p, offsets := buildWARC(t, t.TempDir(), "crawl.warc.gz", "1.1", true, crawl())
	x, stats := buildIndex(t, []string{p}, Options{})
	if stats.Files != 1 || stats.Items != 4 || stats.Revisits != 1 || stats.Scan != 0 || stats.Unreadable != nil {
		t.Errorf("stats = %+v, want 1 file, 4 items (3 pages and a revisit)", stats)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	mid := offsets[4] + (offsets[5]-offsets[4])/2 // page B's record
	for i := mid; i < mid+8; i++ {
		b[i] ^= 0xff
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	pageB := fmt.Sprintf("%s@%d", p, offsets[4])
	var damage error
	for _, it := range collect(t, []string{p}, Options{}) {
		if it.Err != nil {
			damage = it.Err
		}
	}
	if damage == nil {
		t.Fatal("reading the damaged file through reports nothing: the test damages nothing")
	}
	items := collect(t, []string{p}, Options{WARCIndex: x, Wanted: func(it Item) bool { return it.Origin != pageB }})
	var read []string
	for _, it := range items {
		if it.Err != nil {
			t.Errorf("%s: %v", it.Origin, it.Err)
		}
		if it.Data != nil {
			read = append(read, it.Source)
		}
	}
	if want := "https://blog.example.org/a https://blog.example.org/c https://blog.example.org/a"; strings.Join(read, " ") != want {
		t.Errorf("read %q, want %q", read, want)
	}
}

// TestWARCIndexRefusesWhatItDoesNotDescribe checks the one-line errors for an index that
// does not match the run.
func TestWARCIndexRefusesWhatItDoesNotDescribe(t *testing.T) {
	dir := t.TempDir()
	p, _ := buildWARC(t, dir, "crawl.warc", "1.1", false, crawl())
	other, _ := buildWARC(t, dir, "other.warc", "1.1", false, crawl()[:3])
	x, _ := buildIndex(t, []string{p}, Options{})
	run := func(args []string, opts Options) error {
		opts.WARCIndex = x
		return Each(context.Background(), args, opts, func(Item) error { return nil })
	}
	if err := run([]string{other}, Options{}); err == nil || !strings.Contains(err.Error(), other+": not in the WARC index") {
		t.Errorf("a file not indexed: %v", err)
	}
	if err := run([]string{p}, Options{MaxBytes: 1 << 20}); err == nil || !strings.Contains(err.Error(), "page size limit of 20971520 bytes, not 1048576") {
		t.Errorf("another size limit: %v", err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	// The same size, another record id: the record is not the one indexed.
	if err := os.WriteFile(p, bytes.Replace(b, []byte("0000000000c>"), []byte("0000000000f>"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{p}, Options{}); err == nil || !strings.Contains(err.Error(), "is not the one in the WARC index") {
		t.Errorf("a record changed: %v", err)
	}
	if err := os.WriteFile(p, append(b, "\r\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{p}, Options{}); err == nil || !strings.Contains(err.Error(), "when the WARC index") {
		t.Errorf("a file grown: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "caf\xe9.warc"), b, 0o644)
	for _, args := range [][]string{{"-"}, {"https://example.org/crawl.warc.gz"}, {"web.archive.org/web/20180602123456/https://example.org/post"}, {p, p}, {filepath.Join(dir, "caf\xe9.warc")}} {
		if _, err := WriteWARCIndex(context.Background(), args, Options{}, &bytes.Buffer{}); err == nil {
			t.Errorf("indexing %q: no error", args)
		}
	}
	notIndex := filepath.Join(dir, "not.idx")
	os.WriteFile(notIndex, []byte("{}\n"), 0o644)
	if _, err := OpenWARCIndex(notIndex); err == nil || !strings.Contains(err.Error(), "not an index written by articleetl index") {
		t.Errorf("not an index: %v", err)
	}
	var buf bytes.Buffer
	if _, err := WriteWARCIndex(context.Background(), []string{other}, Options{}, &buf); err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.idx")
	os.WriteFile(cut, buf.Bytes()[:buf.Len()-10], 0o644)
	if _, err := OpenWARCIndex(cut); err == nil || !strings.Contains(err.Error(), "cut short") {
		t.Errorf("an index cut short: %v", err)
	}
	var missing *os.PathError
	if _, err := OpenWARCIndex(filepath.Join(dir, "none.idx")); !errors.As(err, &missing) {
		t.Errorf("no index file: %v", err)
	}
}

// TestWARCIndexNeedsTheSameRun checks what the index cannot describe: files in another
// order or some left out (a revisit's original depends on the files read before it), a WARC
// from standard input among indexed files (its revisits could not find originals in them),
// an index whose offsets are out of range, a record id that JSON cannot hold, and an
// original that changed since it was indexed.
func TestWARCIndexNeedsTheSameRun(t *testing.T) {
	fx := indexFixtures(t)
	first, later := fx["revisits across files"][0], fx["revisits across files"][1]
	x, _ := buildIndex(t, []string{first, later}, Options{})
	each := func(args []string, opts Options) ([]Item, error) {
		var items []Item
		opts.WARCIndex = x
		err := Each(context.Background(), args, opts, func(it Item) error { items = append(items, it); return nil })
		return items, err
	}
	for _, args := range [][]string{{later, first}, {later}} {
		if _, err := each(args, Options{}); err == nil || !strings.Contains(err.Error(), "give the run the inputs the index was built from, in the same order") {
			t.Errorf("%v: %v", args, err)
		}
	}
	if items, err := each([]string{first}, Options{}); err != nil || len(items) != 4 {
		t.Errorf("the first file alone (the run stops short of the index): %d items, %v", len(items), err)
	}
	b, err := os.ReadFile(later)
	if err != nil {
		t.Fatal(err)
	}
	if items, err := each([]string{first, "-"}, Options{Stdin: bytes.NewReader(b)}); err != nil || len(items) != 5 || !errors.Is(items[4].Err, ErrWARCNotIndexed) || items[4].Source != "-" {
		t.Errorf("a WARC on standard input: %v, %d items", err, len(items))
	}
	// A path the index does not have, given where one it has should be: the next file is
	// refused, naming the one expected.
	if _, err := each([]string{filepath.Join(t.TempDir(), "other.warc.gz"), later}, Options{}); err == nil || !strings.Contains(err.Error(), "lists it as file 2 and "+first+" as file 1") {
		t.Errorf("a file of the index replaced by another: %v", err)
	}
	// A file of the index gone at run time fails in its place; the files after it are read.
	gone := t.TempDir()
	g1, g2 := filepath.Join(gone, "1.warc.gz"), filepath.Join(gone, "2.warc.gz")
	os.WriteFile(g1, mustRead(t, first), 0o644)
	os.WriteFile(g2, mustRead(t, later), 0o644)
	xg, _ := buildIndex(t, []string{g1, g2}, Options{})
	os.Remove(g1)
	var items []Item
	err = Each(context.Background(), []string{g1, g2}, Options{WARCIndex: xg}, func(it Item) error { items = append(items, it); return nil })
	if err != nil || len(items) != 4 || items[0].Source != g1 || !errors.Is(items[0].Err, ErrNoSuchFile) {
		t.Errorf("a file of the index gone: %v, items %+v", err, items)
	}
	for _, it := range items[1:] {
		if !strings.HasPrefix(it.Origin, g2+"@") {
			t.Errorf("after the gone file, an item not of the next one: %+v", it)
		}
	}

	// An original changed in place (same size, another record id), read only for the
	// revisit of another shard's file: its item fails, saying so.
	dir := t.TempDir()
	a, b2 := filepath.Join(dir, "a.warc"), filepath.Join(dir, "b.warc.gz")
	buildWARC(t, dir, "a.warc", "1.1", false, crawl()[:3])
	if err := os.WriteFile(b2, mustRead(t, later), 0o644); err != nil {
		t.Fatal(err)
	}
	xa, _ := buildIndex(t, []string{a, b2}, Options{})
	orig := mustRead(t, a)
	if err := os.WriteFile(a, bytes.Replace(orig, []byte("0000000000a>"), []byte("0000000000f>"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	var stale error
	err = Each(context.Background(), []string{a, b2}, Options{WARCIndex: xa, Wanted: func(it Item) bool { return strings.HasPrefix(it.Origin, b2) }}, func(it Item) error {
		if errors.Is(it.Err, ErrIndexStale) {
			stale = it.Err
		}
		return nil
	})
	if err != nil || stale == nil {
		t.Errorf("a changed original: run error %v, no item failing with ErrIndexStale", err)
	}

	// Offsets out of range in a damaged index file.
	ix := mustRead(t, x.path)
	bad := filepath.Join(t.TempDir(), "bad.idx")
	if err := os.WriteFile(bad, bytes.Replace(ix, []byte(`{"offset":`), []byte(`{"offset":-`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	xb, err := OpenWARCIndex(bad)
	if err != nil {
		t.Fatal(err)
	}
	if err := Each(context.Background(), []string{first}, Options{WARCIndex: xb}, func(Item) error { return nil }); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Errorf("an offset out of range: %v", err)
	}

	// A WARC file that cannot be read when indexing (here a dangling link in a directory):
	// refused, since were it readable at run time the index would not describe it.
	linkDir := t.TempDir()
	if err := os.Symlink(filepath.Join(linkDir, "nowhere"), filepath.Join(linkDir, "a.warc.gz")); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteWARCIndex(context.Background(), []string{linkDir}, Options{}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "cannot index "+filepath.Join(linkDir, "a.warc.gz")) {
		t.Errorf("an unreadable WARC file: %v", err)
	}

	// A WARC-Record-ID that is not UTF-8: refused when indexing, not in every shard.
	recs := crawl()
	recs[2].id = "00000000-0000-0000-0000-00000000000\xe9"
	odd, _ := buildWARC(t, t.TempDir(), "odd.warc.gz", "1.1", true, recs)
	if _, err := WriteWARCIndex(context.Background(), []string{odd}, Options{}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "not valid UTF-8") {
		t.Errorf("a record id that is not UTF-8: %v", err)
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

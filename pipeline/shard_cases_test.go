package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/schemas"
)

// Cases found by a review of sharding and merging; each failed on the code before its fix.

// TestMergeEqualsRunForSameBytesInAnotherCharset: two captures of a page whose bytes are
// identical but whose HTTP Content-Type names another charset are decoded differently (the
// text differs). A single run took the second for an exact duplicate of the first (the key
// was the bytes alone) and gave it the first's records, while shards that read the two
// apart decode each by its own header: the merge wrote another snapshot and changes the
// single run never wrote. Now the key holds the charset when it decides the decoding
// (dupKey).
func TestMergeEqualsRunForSameBytesInAnotherCharset(t *testing.T) {
	body := bytes.ReplaceAll(page(t, "semantic.html"), []byte("Understanding the Coalition"), []byte("Understanding the Caf\xe9 Coalition"))
	body = bytes.ReplaceAll(body, []byte(`<meta charset="utf-8">`), nil) // the HTTP header alone names it
	if bytes.Contains(bytes.ToLower(body), []byte("charset")) {
		t.Fatal("the page names its charset; the test needs one that does not")
	}
	resp := func(charset string) []byte {
		return append([]byte(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=%s\r\nContent-Length: %d\r\n\r\n", charset, len(body))), body...)
	}
	const uri = "https://e.example.org/post"
	var warc bytes.Buffer
	warcRecord(t, &warc, "response", uri, "2018-06-01T00:00:00Z", "11111111-1111-1111-1111-111111111111", "Content-Type: application/http; msgtype=response\r\n", resp("windows-1252"))
	warcRecord(t, &warc, "response", uri, "2018-06-02T00:00:00Z", "22222222-2222-2222-2222-222222222222", "Content-Type: application/http; msgtype=response\r\n", resp("utf-8"))
	path := filepath.Join(t.TempDir(), "crawl.warc.gz")
	if err := os.WriteFile(path, warc.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{path}
	single := config(filepath.Join(t.TempDir(), "single"))
	single.KeepGoing = true
	if _, err := Run(context.Background(), args, single); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{2, 3, 4} {
		merged := config(filepath.Join(t.TempDir(), "merged"))
		if _, err := Merge(context.Background(), runShards(t, args, n), merged); err != nil {
			t.Fatalf("merge of %d shards: %v", n, err)
		}
		for _, tab := range schemas.Tables() {
			a, err1 := os.ReadFile(filepath.Join(single.Out, tab.Name+".jsonl"))
			b, err2 := os.ReadFile(filepath.Join(merged.Out, tab.Name+".jsonl"))
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("%d shards: %s.jsonl: the merge differs from the single run (%d vs %d bytes)", n, tab.Name, len(b), len(a))
			}
		}
	}
}

// TestMergeOfARunWithNoPages: a run whose inputs hold no page (a WARC of images only)
// succeeds and writes an empty dataset whose manifest has inputs_named 0. Merge took that
// for a manifest "written before merge checked them" and refused, telling the user to run
// the shards again, which changed nothing.
func TestMergeOfARunWithNoPages(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n0000")
	block := append([]byte(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: %d\r\n\r\n", len(png))), png...)
	var warc bytes.Buffer
	warcRecord(t, &warc, "response", "https://e.example.org/logo.png", "2018-06-01T00:00:00Z", "11111111-1111-1111-1111-111111111111", "Content-Type: application/http; msgtype=response\r\n", block)
	path := filepath.Join(t.TempDir(), "images.warc.gz")
	if err := os.WriteFile(path, warc.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	shards := runShards(t, []string{path}, 2)
	if _, err := Merge(context.Background(), shards, config(filepath.Join(t.TempDir(), "merged"))); err != nil {
		t.Errorf("merge of the shards of a run that found no page: %v", err)
	}
}

// TestMergeRefusalOfManyMissingShardsIsBounded: a shard of a run with a large n
// (ParseShard takes any n) used to make merge list every missing shard in its one-line error,
// allocating a string for each: 0/200000 gave a 2.6 MB line, and 0/2000000000 made the
// merge run out of memory before it said anything.
func TestMergeRefusalOfManyMissingShardsIsBounded(t *testing.T) {
	cfg := config(filepath.Join(t.TempDir(), "shard"))
	cfg.Shard = Shard{Index: 0, Count: 200000}
	if _, err := Run(context.Background(), []string{filepath.Join("..", "testdata", "article", "semantic.html")}, cfg); err != nil && !errors.Is(err, ErrFailedInputs) {
		t.Fatal(err)
	}
	_, err := Merge(context.Background(), []string{cfg.Out}, config(filepath.Join(t.TempDir(), "merged")))
	if err == nil {
		t.Fatal("merge of 1 of 200000 shards succeeded")
	}
	if len(err.Error()) > 1000 {
		t.Errorf("merge's one-line error is %d bytes long (%.80s…)", len(err.Error()), err.Error())
	}
}

// TestFailedRecordNamesItsPlace: a WARC record that fails stops a run (without
// --keep-going) with an error naming the capture's address and where it is in the crawl:
// a crawl holds many captures of one address, so the address alone did not say which.
func TestFailedRecordNamesItsPlace(t *testing.T) {
	const uri = "https://e.example.org/post"
	empty := []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 7\r\n\r\n<p></p>")
	var warc bytes.Buffer
	warcRecord(t, &warc, "response", uri, "2018-06-01T00:00:00Z", "11111111-1111-1111-1111-111111111111", "Content-Type: application/http; msgtype=response\r\n", empty)
	path := filepath.Join(t.TempDir(), "crawl.warc.gz")
	if err := os.WriteFile(path, warc.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), []string{path}, config(filepath.Join(t.TempDir(), "out")))
	if want := uri + " (" + path + "@0): "; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v, want it to start %q", err, want)
	}
}

// latinBodyWARC writes a WARC with one capture of a page holding a windows-1252 byte and
// no <meta charset>, served with the given Content-Type, and returns its path.
func latinBodyWARC(t *testing.T, contentType, date, id string) string {
	t.Helper()
	body := bytes.ReplaceAll(page(t, "semantic.html"), []byte("Understanding the Coalition"), []byte("Understanding the Caf\xe9 Coalition"))
	body = bytes.ReplaceAll(body, []byte(`<meta charset="utf-8">`), nil)
	if bytes.Contains(bytes.ToLower(body), []byte("charset")) {
		t.Fatal("the page names its charset; the test needs one that does not")
	}
	resp := append([]byte(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", contentType, len(body))), body...)
	var warc bytes.Buffer
	warcRecord(t, &warc, "response", "https://e.example.org/post", date, id, "Content-Type: application/http; msgtype=response\r\n", resp)
	path := filepath.Join(t.TempDir(), "crawl.warc.gz")
	if err := os.WriteFile(path, warc.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func snapshotIDs(t *testing.T, dir string) []string {
	t.Helper()
	m, err := load.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	if err := load.ReadRows(dir, m, schemas.Documents.Name, func(d *schemas.Document) error {
		ids = append(ids, d.SnapshotID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestAppendSameBytesDecodedOtherwise: a dataset holds a capture whose bytes were decoded
// by its HTTP charset (utf-8, which the bytes alone would not give: dupKey is not their
// SHA-256). An --append of the same bytes without that charset (decoded as windows-1252,
// another text) must not be taken for an exact duplicate of it. openExisting keyed the
// dataset's rows by content_sha256 alone, which is this input's key, and gave it the
// utf-8 capture's snapshot; the manifest now records the charset with the input. A single
// run over both inputs writes two snapshots.
func TestAppendSameBytesDecodedOtherwise(t *testing.T) {
	first := latinBodyWARC(t, "text/html; charset=utf-8", "2018-06-01T00:00:00Z", "11111111-1111-1111-1111-111111111111")
	second := latinBodyWARC(t, "text/html", "2018-06-02T00:00:00Z", "22222222-2222-2222-2222-222222222222")

	single := config(filepath.Join(t.TempDir(), "single"))
	if _, err := Run(context.Background(), []string{first, second}, single); err != nil {
		t.Fatal(err)
	}
	want := snapshotIDs(t, single.Out)
	if len(want) != 2 || want[0] == want[1] {
		t.Fatalf("single run: snapshots %v, want two different", want)
	}

	app := config(filepath.Join(t.TempDir(), "appended"))
	app.Append = true
	for _, arg := range []string{first, second} {
		if _, err := Run(context.Background(), []string{arg}, app); err != nil {
			t.Fatal(err)
		}
	}
	got := snapshotIDs(t, app.Out)
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("append of the second capture: snapshots %v, want %v as a single run gives", got, want)
	}
}

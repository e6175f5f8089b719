package source

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// randomCrawl writes n WARC files of random records whose references cross files in every
// way warcFile.revisit resolves them, and returns them in the order a run reads them.
func randomCrawl(t *testing.T, rng *rand.Rand, dir string, n int) []string {
	t.Helper()
	ids := func(i int) string { return fmt.Sprintf("00000000-0000-0000-0000-%012x", i) }
	bodies := []string{pageA, pageB, pageC, "<html><body>tiny</body></html>", "\x89PNG\r\n\x1a\n\x00\x00"}
	uris := []string{"https://e.example/a", "https://e.example/b", "https://e.example/c"}
	dates := []string{"2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z"}
	var files []string
	for f := range n {
		var recs []warcRecord
		recs = append(recs, warcRecord{typ: "warcinfo", id: ids(1000 + f), date: dates[0],
			headers: []string{"Content-Type: application/warc-fields"}, block: "software: test\r\n"})
		for range 1 + rng.IntN(7) {
			id := ids(rng.IntN(12))
			uri, date := uris[rng.IntN(len(uris))], dates[rng.IntN(len(dates))]
			body := bodies[rng.IntN(len(bodies))]
			switch rng.IntN(6) {
			case 0, 1: // a 200 response, HTML or not by its Content-Type
				ct := []string{"Content-Type: text/html", "Content-Type: image/png", ""}[rng.IntN(3)]
				var hs []string
				if ct != "" {
					hs = append(hs, ct)
				}
				status := []string{"200 OK", "200 OK", "404 Not Found"}[rng.IntN(3)]
				recs = append(recs, warcRecord{typ: "response", id: id, date: date, uri: uri,
					headers: []string{"Content-Type: application/http; msgtype=response", "WARC-Payload-Digest: " + sha1Digest(body)},
					block:   httpResponse(status, hs, body)})
			case 2: // a resource
				recs = append(recs, warcRecord{typ: "resource", id: id, date: date, uri: uri,
					headers: []string{"Content-Type: text/html", "WARC-Payload-Digest: " + sha1Digest(body)}, block: body})
			default: // a revisit with some of its references
				var hs []string
				hs = append(hs, "Content-Type: application/http; msgtype=response")
				if rng.IntN(3) > 0 {
					hs = append(hs, "WARC-Refers-To: <urn:uuid:"+ids(rng.IntN(14))+">")
				}
				if rng.IntN(2) > 0 {
					hs = append(hs, "WARC-Payload-Digest: "+sha1Digest(bodies[rng.IntN(len(bodies))]))
				}
				if rng.IntN(2) > 0 {
					hs = append(hs, "WARC-Refers-To-Target-URI: "+uris[rng.IntN(len(uris))], "WARC-Refers-To-Date: "+dates[rng.IntN(len(dates))])
				}
				status := []string{"200 OK", "404 Not Found"}[rng.IntN(2)]
				ct := []string{"Content-Type: text/html", "Content-Type: image/png"}[rng.IntN(2)]
				recs = append(recs, warcRecord{typ: "revisit", id: ids(100 + rng.IntN(1000)), date: date, uri: uri,
					headers: hs, block: httpResponse(status, []string{ct}, "")})
			}
		}
		shape := rng.IntN(6)
		name := fmt.Sprintf("f%02d.warc.gz", f)
		if shape == 1 || shape == 4 {
			name = fmt.Sprintf("f%02d.warc", f)
		}
		p, offsets := buildWARC(t, dir, name, "1.1", shape != 1 && shape != 4, recs)
		switch shape {
		case 2: // gzipped as a whole
			plain, _ := buildWARC(t, t.TempDir(), "x.warc", "1.1", false, recs)
			if err := os.WriteFile(p, gzipWhole(mustRead(t, plain)), 0o644); err != nil {
				t.Fatal(err)
			}
		case 3: // damaged in one record
			b := mustRead(t, p)
			i := 1 + rng.IntN(len(offsets)-1)
			end := int64(len(b))
			if i+1 < len(offsets) {
				end = offsets[i+1]
			}
			for j := offsets[i] + (end-offsets[i])/2; j < offsets[i]+(end-offsets[i])/2+4 && j < end; j++ {
				b[j] ^= 0xff
			}
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		case 5:
			if rng.IntN(3) == 0 { // empty
				if err := os.WriteFile(p, nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		case 4:
			if rng.IntN(4) == 0 { // holds no WARC
				if err := os.WriteFile(p, []byte("<html>not a warc</html>"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		files = append(files, p)
	}
	return files
}

// TestJoinedIndexIsTheIndexRandom: random crawls, random groupings into parts, random page
// size limits: the joined index must be the index.
func TestJoinedIndexIsTheIndexRandom(t *testing.T) {
	iterations := 150
	if testing.Short() {
		iterations = 20
	}
	for seed := range iterations {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		dir := t.TempDir()
		files := randomCrawl(t, rng, dir, 1+rng.IntN(4))
		opts := Options{}
		if rng.IntN(4) == 0 {
			opts.MaxBytes = 60 // some pages are too large
		}
		var whole bytes.Buffer
		wstats, werr := WriteWARCIndex(context.Background(), files, opts, &whole)
		// Random contiguous groups.
		var parts []string
		var perr error
		for i := 0; i < len(files); {
			j := i + 1 + rng.IntN(len(files)-i)
			var b bytes.Buffer
			if _, err := WriteWARCIndexPart(context.Background(), files[i:j], opts, PartOf{}, &b); err != nil {
				perr = err
				break
			}
			p := filepath.Join(dir, fmt.Sprintf("p%d.part", i))
			if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			parts = append(parts, p)
			i = j
		}
		if werr != nil || perr != nil {
			if (werr == nil) != (perr == nil) {
				t.Errorf("seed %d: whole %v, part %v", seed, werr, perr)
			}
			continue
		}
		var joined bytes.Buffer
		jstats, err := JoinWARCIndex(context.Background(), parts, &joined)
		if err != nil {
			t.Errorf("seed %d: join: %v", seed, err)
			continue
		}
		if !bytes.Equal(joined.Bytes(), whole.Bytes()) {
			t.Errorf("seed %d: joined index differs:\n%s\nwant\n%s", seed, joined.Bytes(), whole.Bytes())
		}
		wstats.Unreadable, jstats.Unreadable = nil, nil
		if fmt.Sprint(wstats) != fmt.Sprint(jstats) {
			t.Errorf("seed %d: stats %+v, want %+v", seed, jstats, wstats)
		}
	}
}

// joinFixture writes a part per file of the fixture "revisits across files" (page A and C
// in the first file are the originals of revisits in the second) and the whole index.
func joinFixture(t *testing.T) (files, parts []string, whole []byte) {
	t.Helper()
	files = indexFixtures(t)["revisits across files"]
	var b bytes.Buffer
	if _, err := WriteWARCIndex(context.Background(), files, Options{}, &b); err != nil {
		t.Fatal(err)
	}
	return files, partPerFile(t, t.TempDir(), files), b.Bytes()
}

// TestJoinWithoutTheEarlierFiles: the join first read again the originals of pending
// revisits in earlier files, and where it could not (a join run where the parts' WARC
// paths do not resolve, a file moved) wrote "via":{..."id":""} and exited 0, an index
// that is not the whole one. Parts now carry what a revisit takes from its original, and
// the join reads no WARC file.
func TestJoinWithoutTheEarlierFiles(t *testing.T) {
	files, parts, whole := joinFixture(t)
	moved := files[0] + ".moved"
	if err := os.Rename(files[0], moved); err != nil {
		t.Fatal(err)
	}
	var joined bytes.Buffer
	_, err := JoinWARCIndex(context.Background(), parts, &joined)
	if err := os.Rename(moved, files[0]); err != nil {
		t.Fatal(err)
	}
	if err == nil && !bytes.Equal(joined.Bytes(), whole) {
		t.Errorf("join without %s: no error, and an index that is not the index:\n%s\nwant\n%s", files[0], joined.Bytes(), whole)
	}
}

// TestJoinReadsTheFileThePartIndexed: at join time the earlier file's path holds another
// WARC (another copy of the crawl on the join's machine, a file replaced since its part
// was written). The join first read it and made a revisit the whole index resolves to
// page A "skip", so a run through the joined index, given the right files, silently lost
// the page. The join now takes what it needs from the parts.
func TestJoinReadsTheFileThePartIndexed(t *testing.T) {
	files, parts, whole := joinFixture(t)
	real := mustRead(t, files[0])
	// The same crawl, but page A's response is an image: same record id, same offset.
	recs := crawl()
	recs[2].block = strings.Replace(recs[2].block, "text/html; charset=utf-8", "image/png", 1)
	other, _ := buildWARC(t, t.TempDir(), "other.warc.gz", "1.1", true, recs)
	if err := os.WriteFile(files[0], mustRead(t, other), 0o644); err != nil {
		t.Fatal(err)
	}
	var joined bytes.Buffer
	_, err := JoinWARCIndex(context.Background(), parts, &joined)
	if err := os.WriteFile(files[0], real, 0o644); err != nil {
		t.Fatal(err)
	}
	if err != nil {
		return // refused: fine
	}
	if !bytes.Equal(joined.Bytes(), whole) {
		t.Errorf("join over another %s: no error, and an index that is not the index:\n%s\nwant\n%s", files[0], joined.Bytes(), whole)
	}
	p := filepath.Join(t.TempDir(), "joined.idx")
	if err := os.WriteFile(p, joined.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	x, err := OpenWARCIndex(p)
	if err != nil {
		t.Fatal(err)
	}
	want := collect(t, files, Options{})
	got := collect(t, files, Options{WARCIndex: x})
	if len(got) != len(want) {
		t.Errorf("a run through the joined index gives %d items, reading the files through %d", len(got), len(want))
	}
}

// TestPartStatsCountDecidedItems: a part's summary ("indexed as a part N WARC files (P
// pages, R of them revisits)") counted a pending revisit as a page though it may give
// none: here a revisit of a 404 that nothing resolves, which no index of the file counts.
func TestPartStatsCountDecidedItems(t *testing.T) {
	p, _ := buildWARC(t, t.TempDir(), "revisits.warc.gz", "1.1", true, []warcRecord{{
		typ: "revisit", id: "00000000-0000-0000-0000-0000000000e1", date: "2018-07-01T00:00:00Z", uri: "https://blog.example.org/gone",
		headers: []string{"Content-Type: application/http; msgtype=response", "WARC-Refers-To: <urn:uuid:00000000-0000-0000-0000-0000000000ff>"},
		block:   httpResponse("404 Not Found", []string{"Content-Type: text/html"}, "")}})
	whole, err := WriteWARCIndex(context.Background(), []string{p}, Options{}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	part, err := WriteWARCIndexPart(context.Background(), []string{p}, Options{}, PartOf{}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if part.Items > whole.Items || part.Revisits > whole.Revisits {
		t.Errorf("part of one file: %d pages, %d revisits; its index: %d pages, %d revisits (no later join can make it more)", part.Items, part.Revisits, whole.Items, whole.Revisits)
	}
}

package source

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/articleetl/articleetl/internal/corpus"
)

// warcRecord is one record to write by hand, as crawlers do.
type warcRecord struct {
	typ     string
	id      string // without <urn:uuid: >
	date    string
	uri     string
	headers []string // more "Name: value" fields
	block   string
}

func (r warcRecord) bytes(version string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "WARC/%s\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%s>\r\nWARC-Date: %s\r\n", version, r.typ, r.id, r.date)
	if r.uri != "" {
		fmt.Fprintf(&b, "WARC-Target-URI: %s\r\n", r.uri)
	}
	for _, h := range r.headers {
		b.WriteString(h + "\r\n")
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s\r\n\r\n", len(r.block), r.block)
	return b.Bytes()
}

// buildWARC writes records as a WARC file, each record its own gzip member when gz is set.
// It returns the file's path and each record's offset.
func buildWARC(t *testing.T, dir, name, version string, gz bool, records []warcRecord) (string, []int64) {
	t.Helper()
	var file bytes.Buffer
	var offsets []int64
	for _, r := range records {
		offsets = append(offsets, int64(file.Len()))
		if !gz {
			file.Write(r.bytes(version))
			continue
		}
		zw := gzip.NewWriter(&file)
		_, _ = zw.Write(r.bytes(version))
		_ = zw.Close()
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, file.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, offsets
}

func sha1Digest(s string) string {
	sum := sha1.Sum([]byte(s))
	return "sha1:" + base32.StdEncoding.EncodeToString(sum[:])
}

func gzipString(s string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = zw.Write([]byte(s))
	_ = zw.Close()
	return b.String()
}

func chunk(s string, size int) string {
	var b strings.Builder
	for len(s) > 0 {
		n := min(size, len(s))
		fmt.Fprintf(&b, "%x\r\n%s\r\n", n, s[:n])
		s = s[n:]
	}
	b.WriteString("0\r\n\r\n")
	return b.String()
}

func httpResponse(status string, headers []string, body string) string {
	var b strings.Builder
	b.WriteString("HTTP/1.1 " + status + "\r\n")
	for _, h := range headers {
		b.WriteString(h + "\r\n")
	}
	return b.String() + "\r\n" + body
}

const (
	pageA = "<!DOCTYPE html><html><head><title>A</title></head><body><p>First capture</p></body></html>"
	pageB = "<!DOCTYPE html><html><head><title>B</title></head><body><p>Second, gzipped</p></body></html>"
	pageC = "<!DOCTYPE html><html><head><title>C</title></head><body><p>Third, sent in chunks of a few bytes each</p></body></html>"
)

// crawl is a small crawl: warcinfo, a request, three HTML captures (plain, gzip, chunked), an
// image, a redirect, a 404 page, metadata and a revisit of the first capture.
func crawl() []warcRecord {
	resp := func(id, date, uri string, headers []string, body string) warcRecord {
		return warcRecord{typ: "response", id: id, date: date, uri: uri,
			headers: []string{"Content-Type: application/http; msgtype=response", "WARC-Payload-Digest: " + sha1Digest(body)},
			block:   httpResponse("200 OK", headers, body)}
	}
	return []warcRecord{
		{typ: "warcinfo", id: "00000000-0000-0000-0000-000000000000", date: "2018-06-01T09:59:00Z",
			headers: []string{"Content-Type: application/warc-fields"}, block: "software: test\r\nformat: WARC File Format 1.1\r\n"},
		{typ: "request", id: "00000000-0000-0000-0000-000000000001", date: "2018-06-01T10:00:00Z", uri: "https://blog.example.org/a",
			headers: []string{"Content-Type: application/http; msgtype=request"},
			block:   "GET /a HTTP/1.1\r\nHost: blog.example.org\r\nUser-Agent: crawler\r\n\r\n"},
		resp("00000000-0000-0000-0000-00000000000a", "2018-06-01T10:00:00Z", "https://blog.example.org/a",
			[]string{"Content-Type: text/html; charset=utf-8", fmt.Sprintf("Content-Length: %d", len(pageA))}, pageA),
		resp("00000000-0000-0000-0000-000000000002", "2018-06-01T10:00:01Z", "https://blog.example.org/logo.png",
			[]string{"Content-Type: image/png"}, "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
		resp("00000000-0000-0000-0000-00000000000b", "2018-06-02T11:00:00.123456Z", "https://blog.example.org/b",
			[]string{"Content-Type: text/html", "Content-Encoding: gzip", "Vary: Accept-Encoding"}, gzipString(pageB)),
		{typ: "response", id: "00000000-0000-0000-0000-000000000003", date: "2018-06-02T11:00:01Z", uri: "https://blog.example.org/old",
			headers: []string{"Content-Type: application/http; msgtype=response"},
			block:   httpResponse("301 Moved Permanently", []string{"Location: https://blog.example.org/b", "Content-Type: text/html"}, "<a href=/b>moved</a>")},
		{typ: "response", id: "00000000-0000-0000-0000-000000000004", date: "2018-06-02T11:00:02Z", uri: "https://blog.example.org/missing",
			headers: []string{"Content-Type: application/http; msgtype=response"},
			block:   httpResponse("404 Not Found", []string{"Content-Type: text/html"}, "<html><body>Not found</body></html>")},
		resp("00000000-0000-0000-0000-00000000000c", "2018-06-03T12:00:00Z", "https://blog.example.org/c",
			[]string{"Content-Type: text/html; charset=utf-8", "Transfer-Encoding: chunked"}, chunk(pageC, 7)),
		{typ: "metadata", id: "00000000-0000-0000-0000-000000000005", date: "2018-06-03T12:00:01Z", uri: "https://blog.example.org/c",
			headers: []string{"Content-Type: application/warc-fields"}, block: "outlink: https://blog.example.org/a\r\n"},
		{typ: "resource", id: "00000000-0000-0000-0000-000000000006", date: "2018-06-03T12:00:02Z", uri: "dns:blog.example.org",
			headers: []string{"Content-Type: text/dns"}, block: "20180603120002\nblog.example.org. 300 IN A 192.0.2.1\n"},
		{typ: "revisit", id: "00000000-0000-0000-0000-00000000000d", date: "2018-06-04T13:00:00Z", uri: "https://blog.example.org/a",
			headers: []string{
				"Content-Type: application/http; msgtype=response",
				"WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest",
				"WARC-Refers-To: <urn:uuid:00000000-0000-0000-0000-00000000000a>",
				"WARC-Refers-To-Target-URI: https://blog.example.org/a",
				"WARC-Refers-To-Date: 2018-06-01T10:00:00Z",
				"WARC-Payload-Digest: " + sha1Digest(pageA),
			},
			block: httpResponse("200 OK", []string{"Content-Type: text/html; charset=utf-8", fmt.Sprintf("Content-Length: %d", len(pageA))}, "")},
	}
}

func TestEachWARC(t *testing.T) {
	type want struct {
		source, data, date, contentType string
		record                          int // index in crawl()
	}
	wants := []want{
		{"https://blog.example.org/a", pageA, "2018-06-01T10:00:00Z", "text/html; charset=utf-8", 2},
		{"https://blog.example.org/b", pageB, "2018-06-02T11:00:00.123456Z", "text/html", 4},
		{"https://blog.example.org/c", pageC, "2018-06-03T12:00:00Z", "text/html; charset=utf-8", 7},
		{"https://blog.example.org/a", pageA, "2018-06-04T13:00:00Z", "text/html; charset=utf-8", 10},
	}
	for _, tt := range []struct {
		name, file, version string
		gz                  bool
	}{
		{"gzip per record", "crawl.warc.gz", "1.1", true},
		{"uncompressed", "crawl.warc", "1.1", false},
		{"WARC 1.0", "crawl-1.0.warc.gz", "1.0", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, offsets := buildWARC(t, t.TempDir(), tt.file, tt.version, tt.gz, crawl())
			items := collect(t, []string{p}, Options{})
			if len(items) != len(wants) {
				for _, it := range items {
					t.Logf("%s %v %q", it.Source, it.Err, it.Data)
				}
				t.Fatalf("got %d items, want %d", len(items), len(wants))
			}
			for i, w := range wants {
				it := items[i]
				if it.Err != nil {
					t.Errorf("item %d: %v", i, it.Err)
					continue
				}
				if it.Source != w.source || string(it.Data) != w.data || it.ContentType != w.contentType {
					t.Errorf("item %d = %s %q %q, want %s %q %q", i, it.Source, it.ContentType, it.Data, w.source, w.contentType, w.data)
				}
				if it.CapturedAt == nil || it.CapturedAt.Format(time.RFC3339Nano) != w.date {
					t.Errorf("item %d: CapturedAt = %v, want %s", i, it.CapturedAt, w.date)
				}
				if wantOrigin := fmt.Sprintf("%s@%d", p, offsets[w.record]); it.Origin != wantOrigin {
					t.Errorf("item %d: Origin = %s, want %s", i, it.Origin, wantOrigin)
				}
			}
		})
	}
}

func TestWARCRevisits(t *testing.T) {
	const (
		profileDigest = "WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
		profile304    = "WARC-Profile: http://netpreserve.org/warc/1.0/revisit/server-not-modified"
	)
	original := warcRecord{typ: "response", id: "00000000-0000-0000-0000-00000000000a", date: "2018-06-01T10:00:00Z", uri: "https://x.org/a",
		headers: []string{"Content-Type: application/http; msgtype=response", "WARC-Payload-Digest: " + sha1Digest(pageA)},
		block:   httpResponse("200 OK", []string{"Content-Type: text/html"}, pageA)}
	image := warcRecord{typ: "response", id: "00000000-0000-0000-0000-0000000000ff", date: "2018-06-01T10:00:00Z", uri: "https://x.org/i.png",
		headers: []string{"Content-Type: application/http; msgtype=response", "WARC-Payload-Digest: " + sha1Digest("PNG")},
		block:   httpResponse("200 OK", []string{"Content-Type: image/png"}, "PNG")}
	revisit := func(headers []string, block string) warcRecord {
		return warcRecord{typ: "revisit", id: "00000000-0000-0000-0000-0000000000bb", date: "2018-07-01T00:00:00Z", uri: "https://x.org/a2",
			headers: append([]string{"Content-Type: application/http; msgtype=response"}, headers...), block: block}
	}
	sum := sha1.Sum([]byte(pageA))
	tests := []struct {
		name    string
		records []warcRecord
		wantErr error // for the revisit, nil when it resolves
		skipped bool  // the revisit yields no item
	}{
		{name: "by record id", records: []warcRecord{original, revisit([]string{profileDigest, "WARC-Refers-To: <urn:uuid:00000000-0000-0000-0000-00000000000a>"}, "")}},
		{name: "by payload digest", records: []warcRecord{original, revisit([]string{profileDigest, "WARC-Payload-Digest: " + sha1Digest(pageA)}, "")}},
		{name: "by payload digest in hex", records: []warcRecord{original, revisit([]string{profileDigest, fmt.Sprintf("WARC-Payload-Digest: SHA1:%X", sum)}, "")}},
		{name: "by target URI and date", records: []warcRecord{original, revisit([]string{profile304,
			"WARC-Refers-To-Target-URI: https://x.org/a", "WARC-Refers-To-Date: 2018-06-01T10:00:00.000Z"},
			httpResponse("304 Not Modified", []string{"Date: Sun, 01 Jul 2018 00:00:00 GMT"}, ""))}},
		{name: "unknown id falls back to digest", records: []warcRecord{original, revisit([]string{profileDigest,
			"WARC-Refers-To: <urn:uuid:99999999-0000-0000-0000-000000000000>", "WARC-Payload-Digest: " + sha1Digest(pageA)}, "")}},
		{name: "original missing", records: []warcRecord{revisit([]string{profileDigest, "WARC-Refers-To: <urn:uuid:00000000-0000-0000-0000-00000000000a>"},
			httpResponse("200 OK", []string{"Content-Type: text/html"}, ""))}, wantErr: ErrRevisitUnresolved},
		{name: "original after the revisit is missing", records: []warcRecord{revisit([]string{profileDigest, "WARC-Payload-Digest: " + sha1Digest(pageA)}, ""), original}, wantErr: ErrRevisitUnresolved},
		{name: "revisit of an image is skipped", records: []warcRecord{image, revisit([]string{profileDigest, "WARC-Payload-Digest: " + sha1Digest("PNG")}, "")}, skipped: true},
		{name: "missing original of an image is skipped", records: []warcRecord{revisit([]string{profileDigest, "WARC-Payload-Digest: " + sha1Digest("PNG")},
			httpResponse("200 OK", []string{"Content-Type: image/png"}, ""))}, skipped: true},
	}
	for _, tt := range tests {
		for _, gz := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/gzip=%v", tt.name, gz), func(t *testing.T) {
				p, _ := buildWARC(t, t.TempDir(), "r.warc.gz", "1.1", gz, tt.records)
				var revisits []Item
				for _, it := range collect(t, []string{p}, Options{}) {
					if it.Source == "https://x.org/a2" {
						revisits = append(revisits, it)
					}
				}
				if tt.skipped {
					if len(revisits) != 0 {
						t.Fatalf("revisit yielded %+v, want nothing", revisits)
					}
					return
				}
				if len(revisits) != 1 {
					t.Fatalf("got %d revisit items, want 1", len(revisits))
				}
				it := revisits[0]
				if tt.wantErr != nil {
					if !errors.Is(it.Err, tt.wantErr) {
						t.Fatalf("Err = %v, want %v", it.Err, tt.wantErr)
					}
					return
				}
				if it.Err != nil || string(it.Data) != pageA || it.CapturedAt.Format(time.RFC3339) != "2018-07-01T00:00:00Z" {
					t.Errorf("revisit = %v %q at %v, want page A at the revisit's date", it.Err, it.Data, it.CapturedAt)
				}
			})
		}
	}
}

// TestWARCRevisitsAcrossFiles: a revisit whose original is in a WARC file read earlier in
// the same call (a crawl that deduplicates across its files) resolves to it, by each kind
// of reference; one whose original comes later, or is only in a copy of a WARC that was
// read from elsewhere, is still unresolved.
func TestWARCRevisitsAcrossFiles(t *testing.T) {
	original := warcRecord{typ: "response", id: "00000000-0000-0000-0000-00000000000a", date: "2018-06-01T10:00:00Z", uri: "https://x.org/a",
		headers: []string{"Content-Type: application/http; msgtype=response", "WARC-Payload-Digest: " + sha1Digest(pageA)},
		block:   httpResponse("200 OK", []string{"Content-Type: text/html"}, pageA)}
	revisit := func(id string, headers ...string) warcRecord {
		return warcRecord{typ: "revisit", id: id, date: "2018-07-01T00:00:00Z", uri: "https://x.org/a",
			headers: append([]string{"Content-Type: application/http; msgtype=response",
				"WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"}, headers...),
			block: httpResponse("200 OK", []string{"Content-Type: text/html"}, "")}
	}
	dir := t.TempDir()
	first, _ := buildWARC(t, dir, "crawl-1.warc.gz", "1.1", true, []warcRecord{original})
	second, _ := buildWARC(t, dir, "crawl-2.warc.gz", "1.1", true, []warcRecord{
		revisit("00000000-0000-0000-0000-0000000000b1", "WARC-Refers-To: <urn:uuid:00000000-0000-0000-0000-00000000000a>"),
		revisit("00000000-0000-0000-0000-0000000000b2", "WARC-Payload-Digest: "+sha1Digest(pageA)),
		revisit("00000000-0000-0000-0000-0000000000b3", "WARC-Refers-To-Target-URI: https://x.org/a", "WARC-Refers-To-Date: 2018-06-01T10:00:00Z"),
	})
	summarise := func(items []Item) []string {
		var got []string
		for _, it := range items {
			switch {
			case it.Err != nil:
				got = append(got, "error: "+it.Err.Error())
			case string(it.Data) == pageA:
				got = append(got, "page A at "+it.CapturedAt.Format(time.RFC3339))
			default:
				got = append(got, fmt.Sprintf("%q", it.Data))
			}
		}
		return got
	}
	var got []string
	resolved := []string{"page A at 2018-06-01T10:00:00Z", "page A at 2018-07-01T00:00:00Z", "page A at 2018-07-01T00:00:00Z", "page A at 2018-07-01T00:00:00Z"}
	for _, args := range [][]string{{first, second}, {dir}} {
		if got = summarise(collect(t, args, Options{})); strings.Join(got, "|") != strings.Join(resolved, "|") {
			t.Errorf("%v:\n%q\nwant\n%q", args, got, resolved)
		}
	}
	// The original after the revisits: not resolved (a revisit refers to what came before).
	got = summarise(collect(t, []string{second, first}, Options{}))
	if len(got) != 4 || !strings.Contains(got[0], ErrRevisitUnresolved.Error()) || got[3] != resolved[0] {
		t.Errorf("original last: %q", got)
	}
	// WARC-Refers-To names the page in the earlier file; a 404 with the same body (the
	// same payload digest) earlier in this file must not win over it.
	notFound := original
	notFound.id, notFound.block = "00000000-0000-0000-0000-0000000000c1", httpResponse("404 Not Found", []string{"Content-Type: text/html"}, pageA)
	third, _ := buildWARC(t, t.TempDir(), "crawl-3.warc.gz", "1.1", true, []warcRecord{notFound,
		revisit("00000000-0000-0000-0000-0000000000c2", "WARC-Refers-To: <urn:uuid:00000000-0000-0000-0000-00000000000a>", "WARC-Payload-Digest: "+sha1Digest(pageA))})
	got = summarise(collect(t, []string{first, third}, Options{}))
	if want := resolved[:2]; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("a 404 with the same payload before the revisit:\n%q\nwant\n%q", got, want)
	}
	// The original only in a WARC read from standard input, whose copy is gone once read.
	b, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	got = summarise(collect(t, []string{"-", second}, Options{Stdin: bytes.NewReader(b)}))
	if len(got) != 4 || got[0] != resolved[0] || !strings.Contains(got[1], ErrRevisitUnresolved.Error()) {
		t.Errorf("original on standard input: %q", got)
	}
}

func TestWARCPayloads(t *testing.T) {
	resp := func(headers []string, body string) warcRecord {
		return warcRecord{typ: "response", id: "00000000-0000-0000-0000-000000000001", date: "2018-06-01T10:00:00Z", uri: "https://x.org/",
			headers: []string{"Content-Type: application/http; msgtype=response"}, block: httpResponse("200 OK", headers, body)}
	}
	tests := []struct {
		name    string
		record  warcRecord
		opts    Options
		want    string // page, "" for no item
		wantErr string
	}{
		{name: "no Content-Type, sniffed as HTML", record: resp(nil, pageA), want: pageA},
		{name: "no Content-Type, not HTML", record: resp(nil, `{"a":1}`)},
		{name: "xhtml", record: resp([]string{"Content-Type: application/xhtml+xml"}, pageA), want: pageA},
		{name: "chunked and gzip", record: resp([]string{"Content-Type: text/html", "Transfer-Encoding: chunked", "Content-Encoding: gzip"}, chunk(gzipString(pageB), 16)), want: pageB},
		{name: "gzip header but stored decoded", record: resp([]string{"Content-Type: text/html", "Content-Encoding: gzip"}, pageA), want: pageA},
		{name: "chunked header but stored dechunked", record: resp([]string{"Content-Type: text/html", "Transfer-Encoding: chunked"}, pageA), want: pageA},
		{name: "deflate", record: resp([]string{"Content-Type: text/html", "Content-Encoding: deflate"}, deflateString(pageC)), want: pageC},
		{name: "resource record", record: warcRecord{typ: "resource", id: "00000000-0000-0000-0000-000000000002", date: "2018-06-01T10:00:00Z",
			uri: "file:///site/index.html", headers: []string{"Content-Type: text/html"}, block: pageA}, want: pageA},
		{name: "too large", record: resp([]string{"Content-Type: text/html"}, strings.Repeat("x", 3000)), opts: Options{MaxBytes: 2048}, wantErr: "page larger than 2 KiB limit"},
		// A payload stored decoded though its header says gzip is the page as stored, and
		// the limit holds for it as for any other (it used to skip the final check).
		{name: "gzip header, stored decoded, over the limit", record: resp([]string{"Content-Type: text/html", "Content-Encoding: gzip"}, "<html><body>"+strings.Repeat("x", 3000)),
			opts: Options{MaxBytes: 2048}, wantErr: "page larger than 2 KiB limit"},
		{name: "gzip bomb", record: resp([]string{"Content-Type: text/html", "Content-Encoding: gzip"}, gzipString(strings.Repeat("x", 1<<20))), opts: Options{MaxBytes: 2048}, wantErr: "page larger than 2 KiB limit"},
		// Past the room an encoded payload has (1.25 times the limit, plus 64 KiB), a payload
		// with no coding is still reported against the limit, as a file's page is.
		{name: "far over the limit", record: resp([]string{"Content-Type: text/html"}, strings.Repeat("x", 80<<10)), opts: Options{MaxBytes: 2048}, wantErr: "page larger than 2 KiB limit"},
		{name: "far over the default limit", record: resp([]string{"Content-Type: text/html"}, strings.Repeat("x", 26<<20)), wantErr: "page larger than 20 MiB limit"},
		// An encoded payload past that room says so: a page under the limit sent in 1-byte
		// chunks is six times its size as stored.
		{name: "encoded payload past the room for encodings", record: resp([]string{"Content-Type: text/html", "Transfer-Encoding: chunked"}, chunk(strings.Repeat("x", 60<<10), 1)), opts: Options{MaxBytes: 64 << 10},
			wantErr: "page larger than 1.25 times the 64 KiB limit plus 64 KiB before undoing its encoding (chunked)"},
		{name: "encoded payload past the room at the default limit", record: resp([]string{"Content-Type: text/html", "Transfer-Encoding: chunked", "Content-Encoding: gzip, identity"}, strings.Repeat("x", 26<<20)),
			wantErr: "page larger than 1.25 times the 20 MiB limit plus 64 KiB before undoing its encoding (chunked, gzip)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := buildWARC(t, t.TempDir(), "p.warc.gz", "1.1", true, []warcRecord{tt.record})
			items := collect(t, []string{p}, tt.opts)
			switch {
			case tt.want == "" && tt.wantErr == "":
				if len(items) != 0 {
					t.Errorf("got %d items, want none", len(items))
				}
			case len(items) != 1:
				t.Errorf("got %d items, want 1", len(items))
			case tt.wantErr != "":
				if items[0].Err == nil || items[0].Err.Error() != tt.wantErr {
					t.Errorf("Err = %v, want %s", items[0].Err, tt.wantErr)
				}
			case items[0].Err != nil || string(items[0].Data) != tt.want:
				t.Errorf("item = %v %q, want %q", items[0].Err, items[0].Data, tt.want)
			}
		})
	}
}

// A damaged record is an item naming its offset, and the records after it are still read.
func TestWARCMalformedRecord(t *testing.T) {
	recs := crawl()
	for _, gz := range []bool{true, false} {
		t.Run(fmt.Sprintf("gzip=%v", gz), func(t *testing.T) {
			dir := t.TempDir()
			p, offsets := buildWARC(t, dir, "bad.warc.gz", "1.1", gz, recs)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			// Damage record 4 (the gzip capture of page B): its bytes in the middle.
			start, end := offsets[4], offsets[5]
			mid := start + (end-start)/2
			if gz {
				for i := mid; i < mid+8; i++ {
					data[i] ^= 0xff
				}
			} else {
				// an uncompressed record whose header is garbage
				copy(data[start:], "WARC/1.1\r\nWARC-Type: response\r\nContent-Length: x\r\n")
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			items := collect(t, []string{p}, Options{})
			var got []string
			for _, it := range items {
				if it.Err != nil {
					got = append(got, it.Origin+": "+it.Err.Error())
				} else {
					got = append(got, it.Source)
				}
			}
			t.Logf("items:\n  %s", strings.Join(got, "\n  "))
			var bad *WARCError
			found := false
			for _, it := range items {
				if errors.As(it.Err, &bad) {
					found = true
					if it.Source != p || !strings.HasPrefix(it.Origin, p+"@") || !strings.Contains(it.Err.Error(), "reading WARC record at offset ") {
						t.Errorf("bad record item = %+v", it)
					}
				}
			}
			if !found {
				t.Error("no item reports the damaged record")
			}
			// The captures before and after the damage are still read.
			var sources []string
			for _, it := range items {
				if it.Err == nil {
					sources = append(sources, it.Source)
				}
			}
			if len(sources) < 3 || sources[0] != "https://blog.example.org/a" || sources[len(sources)-1] != "https://blog.example.org/a" {
				t.Errorf("good records read: %v", sources)
			}
		})
	}
}

func TestWARCNotAWARC(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"page.warc": "<html>not a warc</html>", "empty.warc.gz": ""})
	for _, name := range []string{"page.warc", "empty.warc.gz"} {
		items := collect(t, []string{filepath.Join(dir, name)}, Options{})
		if len(items) != 1 || !errors.Is(items[0].Err, ErrNotWARC) {
			t.Errorf("%s: items = %+v, want one ErrNotWARC", name, items)
		}
	}
}

func TestWARCInDirectory(t *testing.T) {
	dir := t.TempDir()
	buildWARC(t, dir, "b.warc.gz", "1.1", true, crawl()[:3])
	writeFiles(t, dir, map[string]string{"a.html": "A", "c.htm": "C"})
	var got []string
	for _, it := range collect(t, []string{dir}, Options{}) {
		got = append(got, strings.TrimPrefix(it.Source, dir+string(filepath.Separator)))
	}
	if want := "a.html https://blog.example.org/a c.htm"; strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
}

func deflateString(s string) string {
	var b bytes.Buffer
	zw := zlib.NewWriter(&b)
	_, _ = zw.Write([]byte(s))
	_ = zw.Close()
	return b.String()
}

// BenchmarkEachWARC reads every page of a generated WARC of 100 captures (gzip per record,
// digests checked), as a run's reading goroutine does, and reports the pages it delivers
// per second.
func BenchmarkEachWARC(b *testing.B) {
	path := filepath.Join(b.TempDir(), "captures.warc.gz")
	if err := corpus.WriteWARC(path, 100, 0); err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	b.ReportAllocs()
	for b.Loop() {
		pages := 0
		if err := Each(context.Background(), []string{path}, Options{}, func(it Item) error {
			if it.Err != nil {
				return it.Err
			}
			pages++
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		if pages != 100 {
			b.Fatalf("%d pages, want 100", pages)
		}
	}
	// The ceiling one reading goroutine puts on a WARC run, however many workers it feeds.
	b.ReportMetric(float64(100*b.N)/b.Elapsed().Seconds(), "pages/s")
}

func TestSizeHint(t *testing.T) {
	for _, tt := range []struct {
		contentLength string
		header        int
		want          int64
	}{
		{"120000", 300, 119700},
		{"120000", 0, 120000},
		{"", 0, 0},
		{"not a number", 0, 0},
		{"-5", 0, 0},
		{"100", 300, 0},                   // a header longer than the block claims
		{"20971520", 300, maxSizeHint},    // a forged or huge claim is capped
		{"99999999999999999999999", 0, 0}, // does not parse as int64
		{fmt.Sprint(maxSizeHint + 10), 10, maxSizeHint},
	} {
		if got := sizeHint(tt.contentLength, tt.header); got != tt.want {
			t.Errorf("sizeHint(%q, %d) = %d, want %d", tt.contentLength, tt.header, got, tt.want)
		}
	}
}

// TestEarlierPagesMemory bounds what a run keeps for each HTML record of the WARC files it
// has read, for revisits in later files (earlierPages): every shard keeps it for every
// record of the crawl, so it must stay small. Three keys a record, packed: 94 B measured
// (a map's table grows in steps, so 60–100 B by the count); 139 B before they were packed.
func TestEarlierPagesMemory(t *testing.T) {
	const records, maxPerRecord = 100_000, 120
	w := &warcFile{path: "crawl.warc.gz", index: map[uint64]indexEntry{}}
	for i := range records {
		for _, kind := range []byte{'i', 'd', 'u'} {
			w.index[indexKey(kind, fmt.Sprint(i))] = indexEntry{offset: int64(i) * 4096, html: true}
		}
	}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	var e earlierPages
	before := heap()
	e.keep(w)
	perRecord := (int64(heap()) - int64(before)) / records
	runtime.KeepAlive(w)
	t.Logf("%d B a record", perRecord)
	if perRecord > maxPerRecord {
		t.Errorf("%d B kept a record, more than %d", perRecord, maxPerRecord)
	}
	if path, at, ok := e.find(indexKey('d', "99999")); !ok || path != "crawl.warc.gz" || at != 99999*4096 {
		t.Errorf("find: %q %d %v", path, at, ok)
	}
}

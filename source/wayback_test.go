package source

import (
	"bytes"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/articleetl/articleetl"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.html")

// archive plays the Wayback Machine: raw id_ captures of one page, a redirect from a short
// timestamp to the full one, and the toolbar-wrapped playback for anything else.
type archive struct {
	mu    sync.Mutex
	paths []string // request URIs seen
}

func (a *archive) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.paths = append(a.paths, r.RequestURI)
	a.mu.Unlock()
	switch {
	case r.RequestURI == "/web/2018id_/https://example.org/post":
		// (http.Redirect would clean the "//" out of the path, which the real archive does not)
		w.Header().Set("Location", "/web/20180602123456id_/https://example.org/post")
		w.WriteHeader(http.StatusFound)
	case strings.HasPrefix(r.RequestURI, "/web/20180602123456id_/https://example.org/post"):
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Last-Modified", "Mon, 01 Jan 2001 00:00:00 GMT") // not the capture time
		_, _ = w.Write([]byte(page))
	case strings.HasPrefix(r.RequestURI, "/web/20190101000000id_/"):
		w.Header().Set("Memento-Datetime", "Tue, 01 Jan 2019 00:00:07 GMT")
		_, _ = w.Write([]byte(page))
	default:
		http.Error(w, "playback with toolbar", http.StatusTeapot)
	}
}

func (a *archive) seen() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.paths...)
}

func TestFetchWayback(t *testing.T) {
	arc := &archive{}
	srv := httptest.NewServer(arc)
	defer srv.Close()
	host := srv.Listener.Addr().String()
	tests := []struct {
		url      string
		wantPath string
		wantAt   time.Time
	}{
		{"/web/20180602123456/https://example.org/post", "/web/20180602123456id_/https://example.org/post", time.Date(2018, 6, 2, 12, 34, 56, 0, time.UTC)},
		{"/web/20180602123456im_/https://example.org/post", "/web/20180602123456id_/https://example.org/post", time.Date(2018, 6, 2, 12, 34, 56, 0, time.UTC)},
		{"/web/20180602123456id_/https://example.org/post", "/web/20180602123456id_/https://example.org/post", time.Date(2018, 6, 2, 12, 34, 56, 0, time.UTC)},
		{"/web/20180602123456/https://example.org/post?id=7&x=y", "/web/20180602123456id_/https://example.org/post?id=7&x=y", time.Date(2018, 6, 2, 12, 34, 56, 0, time.UTC)},
		{"/web/2018/https://example.org/post", "/web/2018id_/https://example.org/post", time.Date(2018, 6, 2, 12, 34, 56, 0, time.UTC)},
		{"/web/20190101000000/http://example.org/", "/web/20190101000000id_/http://example.org/", time.Date(2019, 1, 1, 0, 0, 7, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			before := len(arc.seen())
			source := srv.URL + tt.url
			items := collect(t, []string{source}, Options{WaybackHosts: []string{host}, Backoff: noWait})
			it := items[0]
			if it.Err != nil {
				t.Fatalf("Err = %v", it.Err)
			}
			if got := arc.seen()[before]; got != tt.wantPath {
				t.Errorf("archive saw %q, want %q", got, tt.wantPath)
			}
			if it.Source != source {
				t.Errorf("Source = %q, want the URL as typed", it.Source)
			}
			if it.CapturedAt == nil || !it.CapturedAt.Equal(tt.wantAt) {
				t.Errorf("CapturedAt = %v, want %v", it.CapturedAt, tt.wantAt)
			}
			if string(it.Data) != page {
				t.Errorf("Data = %q", it.Data)
			}
		})
	}
}

func TestFetchWaybackWithoutScheme(t *testing.T) {
	arc := &archive{}
	srv := httptest.NewTLSServer(arc)
	defer srv.Close()
	host := srv.Listener.Addr().String()
	arg := host + "/web/20180602123456/https://example.org/post"
	t.Chdir(t.TempDir())
	items := collect(t, []string{arg}, Options{WaybackHosts: []string{host}, Client: srv.Client()})
	if it := items[0]; it.Err != nil || it.Source != arg || string(it.Data) != page {
		t.Fatalf("item = %+v", it)
	}
	if got := arc.seen(); len(got) != 1 || got[0] != "/web/20180602123456id_/https://example.org/post" {
		t.Errorf("archive saw %q", got)
	}
}

func TestCleanWaybackSavedPage(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "wayback-saved.html"))
	if err != nil {
		t.Fatal(err)
	}
	out, at, ok := CleanWayback(in)
	if !ok {
		t.Fatal("not recognised as a Wayback page")
	}
	if want := time.Date(2018, 6, 2, 12, 34, 56, 0, time.UTC); at == nil || !at.Equal(want) {
		t.Errorf("capturedAt = %v, want %v", at, want)
	}
	for _, gone := range []string{"web.archive.org", "/web/2018", "WAYBACK", "Wayback", "archive.org", "__wm", "/_static/", "FILE ARCHIVED", "playback timings", "wombat"} {
		if bytes.Contains(out, []byte(gone)) {
			t.Errorf("cleaned page still contains %q", gone)
		}
	}
	for _, kept := range []string{
		`<link rel="canonical" href="https://blog.example.org/post/x">`,
		`<meta property="og:url" content="https://blog.example.org/post/x">`,
		`<meta property="og:image" content="https://static.example.org/img/cover.jpg">`,
		`<link rel="stylesheet" href="https://static.example.org/css/site.css">`,
		`<script src="https://static.example.org/js/site.js"></script>`,
		`url("https://static.example.org/img/hero.jpg")`,
		`srcset="https://static.example.org/img/map.jpg 1x, https://static.example.org/img/map@2x.jpg 2x"`,
		`<form action="https://blog.example.org/search" method="get">`,
		`<a href='https://blog.example.org/archive'>Archive</a>`,
		`<script type="application/ld+json">{"@context":"https://schema.org"`,
		`<h1 data-hook="post-title">Understanding the Example Coalition</h1>`,
		"</body>\n</html>\n",
	} {
		if !bytes.Contains(out, []byte(kept)) {
			t.Errorf("cleaned page lacks %q", kept)
		}
	}
	golden := filepath.Join("testdata", "wayback-saved.golden.html")
	if *update {
		if err := os.WriteFile(golden, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, want) {
		t.Errorf("cleaned page differs from %s (go test ./source -run TestCleanWaybackSavedPage -update, then read the diff)", golden)
	}
	if again, _, _ := CleanWayback(out); !bytes.Equal(again, out) {
		t.Error("cleaning twice changed the page")
	}
}

func TestCleanWayback(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   string
		wantAt string // RFC 3339, "" for nil
		wantOK bool
	}{
		{
			name: "not a Wayback page is left alone, even with archive links",
			in:   `<p>See <a href="https://web.archive.org/web/2010/https://x.org/">the archived copy</a>.</p>`,
			want: `<p>See <a href="https://web.archive.org/web/2010/https://x.org/">the archived copy</a>.</p>`,
		},
		{
			name:   "toolbar only",
			in:     "<body>\n<!-- BEGIN WAYBACK TOOLBAR INSERT -->\n<div id=\"wm-ipp\">toolbar</div>\n<!-- END WAYBACK TOOLBAR INSERT -->\n<p>Text</p>",
			want:   "<body>\n<p>Text</p>",
			wantOK: true,
		},
		{
			name:   "capture time from the canonical link",
			in:     "<head><script>__wm.init(\"https://web.archive.org/web\");</script><link rel=\"canonical\" href=\"https://web.archive.org/web/20180602123456/https://x.org/a\"></head>",
			want:   "<head><link rel=\"canonical\" href=\"https://x.org/a\"></head>",
			wantAt: "2018-06-02T12:34:56Z",
			wantOK: true,
		},
		{
			name:   "capture time from og:url, unquoted attribute",
			in:     "<!-- End Wayback Rewrite JS Include -->\n<meta property=og:url content=//web.archive.org/web/20170101010101/http://x.org/b>",
			want:   "<meta property=og:url content=http://x.org/b>",
			wantAt: "2017-01-01T01:01:01Z",
			wantOK: true,
		},
		{
			name:   "old 14-digit notice",
			in:     "<html><body><p>x</p></body></html>\n<!--\n     FILE ARCHIVED ON 20080515062105 AND RETRIEVED FROM THE\n     INTERNET ARCHIVE ON 20090101000000.\n-->\n",
			want:   "<html><body><p>x</p></body></html>\n",
			wantAt: "2008-05-15T06:21:05Z",
			wantOK: true,
		},
		{
			name:   "site scripts and archive.org links in text stay",
			in:     "<!-- End Wayback Rewrite JS Include -->\n<script src=\"/web/2018js_/https://x.org/_static/app.js\"></script><script>var a = 1;</script><p>web.archive.org is an archive</p>",
			want:   "<script src=\"https://x.org/_static/app.js\"></script><script>var a = 1;</script><p>web.archive.org is an archive</p>",
			wantOK: true,
		},
		{
			name:   "nested archive prefixes",
			in:     "<!-- End Wayback Rewrite JS Include --><a href=\"/web/20180602123456/https://web.archive.org/web/2010/https://x.org/\">x</a>",
			want:   "<a href=\"https://x.org/\">x</a>",
			wantOK: true,
		},
		{
			name:   "removing a comment can form another, which goes too",
			in:     strings.Repeat("<!", 3) + "<!-- FILE ARCHIVED ON 1 -->" + strings.Repeat("-- FILE ARCHIVED ON 1 -->", 3) + "<p>x</p>",
			want:   "<p>x</p>",
			wantOK: true,
		},
		{
			name: "implausibly deep nesting is left alone",
			in:   strings.Repeat("<!", 20) + "<!-- FILE ARCHIVED ON 1 -->" + strings.Repeat("-- FILE ARCHIVED ON 1 -->", 20),
			want: strings.Repeat("<!", 20) + "<!-- FILE ARCHIVED ON 1 -->" + strings.Repeat("-- FILE ARCHIVED ON 1 -->", 20),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, at, ok := CleanWayback([]byte(tt.in))
			if string(out) != tt.want || ok != tt.wantOK {
				t.Errorf("CleanWayback = %q, %v\nwant           %q, %v", out, ok, tt.want, tt.wantOK)
			}
			gotAt := ""
			if at != nil {
				gotAt = at.Format(time.RFC3339)
			}
			if gotAt != tt.wantAt {
				t.Errorf("capturedAt = %q, want %q", gotAt, tt.wantAt)
			}
		})
	}
}

// An item from any source that is a saved Wayback page comes out cleaned, with the capture
// time when it had none.
func TestEachCleansWaybackPages(t *testing.T) {
	dir := t.TempDir()
	in, err := os.ReadFile(filepath.Join("testdata", "wayback-saved.html"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "saved.html")
	if err := os.WriteFile(p, in, 0o644); err != nil {
		t.Fatal(err)
	}
	items := collect(t, []string{p}, Options{})
	it := items[0]
	if bytes.Contains(it.Data, []byte("WAYBACK")) || it.CapturedAt == nil || it.CapturedAt.Format(time.RFC3339) != "2018-06-02T12:34:56Z" {
		t.Errorf("item not cleaned: CapturedAt %v", it.CapturedAt)
	}
}

// TestCleanKeepsAKnownCaptureTime: a capture time the item already has (a WARC record's
// date) wins over the one a saved Wayback page gives.
func TestCleanKeepsAKnownCaptureTime(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("testdata", "wayback-saved.html"))
	if err != nil {
		t.Fatal(err)
	}
	warcDate := time.Date(2018, 6, 3, 0, 0, 0, 0, time.UTC)
	it := Item{Data: page, CapturedAt: &warcDate}
	it.Clean()
	if bytes.Contains(it.Data, []byte("WAYBACK")) {
		t.Error("not cleaned")
	}
	if it.CapturedAt == nil || !it.CapturedAt.Equal(warcDate) {
		t.Errorf("capture time %v, want the record's %v", it.CapturedAt, warcDate)
	}
}

// TestContainsFrom checks the marker search against bytes.Contains, with the marker at the
// start and end of the page, cut short, and absent.
func TestContainsFrom(t *testing.T) {
	for _, m := range waybackMarkers {
		s := string(m.text)
		for _, page := range []string{
			s, "x" + s, s + "x", "<p>" + s + "</p>", s[:len(s)-1], s[1:], "", "(((WWW",
			strings.Repeat(s[:m.anchor+1], 3) + s, s[:len(s)-1] + "!" + s[len(s)-1:],
		} {
			if got, want := containsFrom([]byte(page), m.text, m.anchor), strings.Contains(page, s); got != want {
				t.Errorf("containsFrom(%q, %q) = %v, want %v", page, s, got, want)
			}
		}
	}
}

func BenchmarkIsWaybackPage(b *testing.B) {
	for b.Loop() {
		isWaybackPage(articleetl.Snapshot)
	}
}

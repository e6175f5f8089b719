package source

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// spoolDir points os.TempDir, where WARCs from standard input and URLs are spooled, at a
// fresh directory, so that a test can see the spool file come and go.
func spoolDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	return dir
}

// assertEmptyDir fails if dir holds anything: a spool file left behind.
func assertEmptyDir(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left behind in the temporary directory: %s", e.Name())
	}
}

// describe is an item as one line, with name (the input it came from) written as <input>,
// for comparing the items of the same WARC read from different inputs.
func describe(it Item, name string) string {
	src := it.Source
	if src == name {
		src = "<input>"
	}
	origin := it.Origin
	if rest, ok := strings.CutPrefix(origin, name+"@"); ok {
		origin = "<input>@" + rest
	}
	at := "-"
	if it.CapturedAt != nil {
		at = it.CapturedAt.Format(time.RFC3339Nano)
	}
	s := fmt.Sprintf("%s origin=%s type=%q at=%s data=%x", src, origin, it.ContentType, at, sha256.Sum256(it.Data))
	if it.Err != nil {
		s += " err=" + strings.ReplaceAll(it.Err.Error(), name, "<input>")
	}
	return s
}

// sameItems checks that got (read from the input gotName) are the items want (read from the
// input wantName): the same pages, capture times and errors, named after their own input.
func sameItems(t *testing.T, got []Item, gotName string, want []Item, wantName string) {
	t.Helper()
	var g, w []string
	for _, it := range got {
		g = append(g, describe(it, gotName))
	}
	for _, it := range want {
		w = append(w, describe(it, wantName))
	}
	if strings.Join(g, "\n") != strings.Join(w, "\n") {
		t.Errorf("items from %s:\n  %s\nwant, as from %s:\n  %s", gotName, strings.Join(g, "\n  "), wantName, strings.Join(w, "\n  "))
	}
	if len(want) == 0 {
		t.Error("the file gave no items: nothing was compared")
	}
}

// warcBytes builds a WARC of records and returns its path and bytes.
func warcBytes(t *testing.T, name string, gz bool, records []warcRecord) (string, []byte) {
	t.Helper()
	p, _ := buildWARC(t, t.TempDir(), name, "1.1", gz, records)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return p, data
}

func TestWARCFromStdin(t *testing.T) {
	_, gz := warcBytes(t, "crawl.warc.gz", true, crawl())
	_, plain := warcBytes(t, "crawl.warc", false, crawl())
	var extra bytes.Buffer // a gzip header with an extra field and a file name, as some tools write
	zw := gzip.NewWriter(&extra)
	zw.Extra, zw.Name = bytes.Repeat([]byte{'x'}, 2000), "crawl.warc"
	_, _ = zw.Write(crawl()[0].bytes("1.1"))
	_ = zw.Close()
	extra.Write(gz)
	tests := []struct {
		name string
		data []byte
		opts Options
	}{
		{name: "plain", data: plain},
		{name: "gzip per record", data: gz},
		{name: "gzip with header extras", data: extra.Bytes()},
		// MaxBytes bounds each page, not the WARC.
		{name: "WARC larger than MaxBytes", data: gz, opts: Options{MaxBytes: 1024}},
		// Revisits are resolved, and a truncated record is an item naming its offset.
		{name: "truncated gzip", data: gz[:len(gz)-40]},
		{name: "truncated plain", data: plain[:len(plain)-200]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if int64(len(tt.data)) <= tt.opts.MaxBytes {
				t.Fatalf("WARC of %d bytes is within MaxBytes", len(tt.data))
			}
			file := filepath.Join(t.TempDir(), "stdin.warc.gz")
			if err := os.WriteFile(file, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			want := collect(t, []string{file}, tt.opts)

			tmp := spoolDir(t)
			opts := tt.opts
			opts.Stdin = bytes.NewReader(tt.data)
			var got []Item
			spooled := 0
			err := Each(context.Background(), []string{"-"}, opts, func(it Item) error {
				got = append(got, it)
				entries, _ := os.ReadDir(tmp)
				spooled = max(spooled, len(entries))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			sameItems(t, got, "-", want, file)
			if spooled != 1 {
				t.Errorf("%d files in the temporary directory while reading, want the one spool file", spooled)
			}
			assertEmptyDir(t, tmp)
		})
	}
}

func TestStdinNotWARC(t *testing.T) {
	big := "<html><body>" + strings.Repeat("<p>words</p>", 300) + "</body></html>"
	tests := []struct {
		name    string
		in      string
		opts    Options
		wantErr string // "" for the page as read
		origin  string
	}{
		{name: "HTML page", in: page},
		{name: "gzip of a page", in: gzipString(page)},
		{name: "gzip header only", in: "\x1f\x8b"},
		{name: "starts like a WARC", in: "WAR"},
		{name: "empty", in: ""},
		{name: "mentions WARC later", in: "<p>WARC/1.1</p>"},
		{name: "page over MaxBytes", in: big, opts: Options{MaxBytes: 2048}, wantErr: "page larger than 2 KiB limit"},
		// As for a file: a WARC, whose first record is cut short.
		{name: "WARC/ and no more", in: "WARC/", wantErr: "reading WARC record at offset 0: unexpected EOF", origin: "-@0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := spoolDir(t)
			opts := tt.opts
			opts.Stdin = strings.NewReader(tt.in)
			items := collect(t, []string{"-"}, opts)
			if len(items) != 1 || items[0].Source != "-" || items[0].Origin != tt.origin {
				t.Fatalf("items = %+v, want one named -", items)
			}
			it := items[0]
			switch {
			case tt.wantErr != "":
				if it.Err == nil || it.Err.Error() != tt.wantErr {
					t.Errorf("Err = %v, want %s", it.Err, tt.wantErr)
				}
			case it.Err != nil || string(it.Data) != tt.in:
				t.Errorf("item = %v %q, want the input as read", it.Err, it.Data)
			}
			assertEmptyDir(t, tmp)
		})
	}
}

func TestWARCFromStdinErrors(t *testing.T) {
	_, gz := warcBytes(t, "crawl.warc.gz", true, crawl())
	t.Run("larger than MaxSpoolBytes", func(t *testing.T) {
		tmp := spoolDir(t)
		items := collect(t, []string{"-"}, Options{Stdin: bytes.NewReader(gz), MaxSpoolBytes: 1024})
		var tl *SpoolTooLargeError
		if len(items) != 1 || items[0].Source != "-" || !errors.As(items[0].Err, &tl) {
			t.Fatalf("items = %+v, want one SpoolTooLargeError", items)
		}
		if want := "WARC larger than the 1 KiB limit for standard input and URLs (save it to a file and name the file)"; items[0].Err.Error() != want {
			t.Errorf("Err = %q, want %q", items[0].Err, want)
		}
		assertEmptyDir(t, tmp)
	})
	t.Run("read error", func(t *testing.T) {
		tmp := spoolDir(t)
		broken := io.MultiReader(bytes.NewReader(gz[:300]), iotestErrReader{errors.New("input/output error")})
		items := collect(t, []string{"-"}, Options{Stdin: broken})
		if len(items) != 1 || items[0].Source != "-" || items[0].Err == nil || items[0].Err.Error() != "input/output error" {
			t.Fatalf("items = %+v, want one read error", items)
		}
		assertEmptyDir(t, tmp)
	})
}

type iotestErrReader struct{ err error }

func (r iotestErrReader) Read([]byte) (int, error) { return 0, r.err }

// warcServer serves a WARC in the ways servers do; it records the requests' User-Agent.
type warcServer struct {
	gz, plain []byte
	mu        sync.Mutex
	agents    []string
	flaky     int // requests of /flaky.warc.gz so far
}

func (s *warcServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.agents = append(s.agents, r.UserAgent())
	s.mu.Unlock()
	switch r.URL.Path {
	case "/crawl.warc.gz":
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(s.gz)
	case "/crawl.warc":
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write(s.plain)
	case "/download": // by Content-Type only
		w.Header().Set("Content-Type", "application/warc")
		_, _ = w.Write(s.gz)
	case "/latest": // redirects to the file
		http.Redirect(w, r, "/crawl.warc.gz", http.StatusFound)
	case "/gzipped": // the server compresses the plain WARC on the fly; the transport undoes it
		w.Header().Set("Content-Type", "application/warc")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write([]byte(gzipString(string(s.plain))))
	case "/brotli": // a coding the transport did not ask for
		w.Header().Set("Content-Type", "application/warc")
		w.Header().Set("Content-Encoding", "br")
		bw := brotli.NewWriter(w)
		_, _ = bw.Write(s.plain)
		_ = bw.Close()
	case "/flaky.warc.gz": // the first response breaks off mid-body
		s.mu.Lock()
		s.flaky++
		n := s.flaky
		s.mu.Unlock()
		w.Header().Set("Content-Length", fmt.Sprint(len(s.gz)))
		if n == 1 {
			_, _ = w.Write(s.gz[:len(s.gz)/2])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}
		_, _ = w.Write(s.gz)
	case "/slow.warc.gz": // four pieces, 60ms apart: longer in all than the 100ms timeout
		step := len(s.gz)/4 + 1
		for i := 0; i < len(s.gz); i += step {
			if i > 0 {
				time.Sleep(60 * time.Millisecond)
			}
			_, _ = w.Write(s.gz[i:min(i+step, len(s.gz))])
			w.(http.Flusher).Flush()
		}
	case "/stalled.warc.gz": // a part, then nothing
		_, _ = w.Write(s.gz[:len(s.gz)/2])
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	case "/page.warc": // not a WARC
		_, _ = w.Write([]byte(page))
	default:
		http.NotFound(w, r)
	}
}

func TestWARCFromURL(t *testing.T) {
	gzFile, gz := warcBytes(t, "crawl.warc.gz", true, crawl())
	plainFile, plain := warcBytes(t, "crawl.warc", false, crawl())
	fromGz := collect(t, []string{gzFile}, Options{})
	fromPlain := collect(t, []string{plainFile}, Options{})
	ws := &warcServer{gz: gz, plain: plain}
	srv := httptest.NewServer(ws)
	defer srv.Close()
	tests := []struct {
		name, path string
		opts       Options
		want       []Item
		wantName   string
	}{
		{name: "by .warc.gz extension", path: "/crawl.warc.gz", want: fromGz, wantName: gzFile},
		{name: "by .warc extension", path: "/crawl.warc", want: fromPlain, wantName: plainFile},
		{name: "by extension, with a query", path: "/crawl.warc.gz?download=1", want: fromGz, wantName: gzFile},
		{name: "by Content-Type", path: "/download?id=7", want: fromGz, wantName: gzFile},
		{name: "redirected to a WARC", path: "/latest", want: fromGz, wantName: gzFile},
		{name: "gzip content coding", path: "/gzipped", want: fromPlain, wantName: plainFile},
		{name: "br content coding", path: "/brotli", want: fromPlain, wantName: plainFile},
		{name: "retried after a broken body", path: "/flaky.warc.gz", opts: Options{Backoff: noWait}, want: fromGz, wantName: gzFile},
		{name: "slower in all than the timeout", path: "/slow.warc.gz", opts: Options{Timeout: 100 * time.Millisecond, Retries: -1}, want: fromGz, wantName: gzFile},
		{name: "MaxBytes bounds each page", path: "/crawl.warc.gz", opts: Options{MaxBytes: 1024}, want: fromGz, wantName: gzFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := spoolDir(t)
			u := srv.URL + tt.path
			ws.mu.Lock()
			ws.agents = nil
			ws.mu.Unlock()
			got := collect(t, []string{u}, tt.opts)
			sameItems(t, got, u, tt.want, tt.wantName)
			assertEmptyDir(t, tmp)
			ws.mu.Lock()
			defer ws.mu.Unlock()
			for _, ua := range ws.agents {
				if !strings.HasPrefix(ua, "articleetl/") {
					t.Errorf("User-Agent = %q", ua)
				}
			}
		})
	}
	if ws.flaky != 2 {
		t.Errorf("/flaky.warc.gz requested %d times, want 2", ws.flaky)
	}
}

func TestWARCFromURLErrors(t *testing.T) {
	_, gz := warcBytes(t, "crawl.warc.gz", true, crawl())
	ws := &warcServer{gz: gz}
	srv := httptest.NewServer(ws)
	defer srv.Close()
	tooLarge := "WARC larger than the 1 KiB limit for standard input and URLs (save it to a file and name the file)"
	tests := []struct {
		name, path string
		opts       Options
		wantErr    string
	}{
		{name: "over MaxSpoolBytes by Content-Length", path: "/crawl.warc.gz", opts: Options{MaxSpoolBytes: 1024}, wantErr: tooLarge},
		{name: "over MaxSpoolBytes while read", path: "/slow.warc.gz", opts: Options{MaxSpoolBytes: 1024}, wantErr: tooLarge},
		{name: "stalled", path: "/stalled.warc.gz", opts: Options{Timeout: 100 * time.Millisecond, Retries: -1}, wantErr: "timeout after 100ms"},
		{name: "not found", path: "/gone.warc.gz", wantErr: "HTTP 404 Not Found"},
		{name: "not a WARC", path: "/page.warc", wantErr: ErrNotWARC.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := spoolDir(t)
			u := srv.URL + tt.path
			items := collect(t, []string{u}, tt.opts)
			if len(items) != 1 || items[0].Source != u || items[0].Err == nil || items[0].Err.Error() != tt.wantErr {
				t.Fatalf("items = %+v, want one error %q", items, tt.wantErr)
			}
			assertEmptyDir(t, tmp)
		})
	}
}

// Cancelling the run while a WARC is being spooled returns at once and removes the file,
// even when the read it waits for would never end.
func TestSpoolCancelled(t *testing.T) {
	_, gz := warcBytes(t, "crawl.warc.gz", true, crawl())
	ws := &warcServer{gz: gz}
	srv := httptest.NewServer(ws)
	defer srv.Close()
	for _, tt := range []struct {
		name string
		arg  string
		in   func(t *testing.T) io.Reader
	}{
		{name: "standard input", arg: "-", in: func(t *testing.T) io.Reader {
			pr, pw := io.Pipe()
			t.Cleanup(func() { _ = pw.Close() }) // lets the read left behind end
			go func() { _, _ = pw.Write(gz[:len(gz)/2]) }()
			return pr
		}},
		{name: "URL", arg: srv.URL + "/stalled.warc.gz", in: func(*testing.T) io.Reader { return nil }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tmp := spoolDir(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			errc := make(chan error, 1)
			go func() {
				errc <- Each(ctx, []string{tt.arg}, Options{Stdin: tt.in(t)}, func(it Item) error {
					t.Errorf("item after cancellation: %+v", it)
					return nil
				})
			}()
			// Wait for the spool file to hold the bytes sent, then cancel.
			deadline := time.Now().Add(5 * time.Second)
			for {
				entries, _ := os.ReadDir(tmp)
				if len(entries) == 1 {
					if info, err := entries[0].Info(); err == nil && info.Size() >= int64(len(gz)/2) {
						break
					}
				}
				if time.Now().After(deadline) {
					t.Fatal("spooling did not start")
				}
				time.Sleep(10 * time.Millisecond)
			}
			start := time.Now()
			cancel()
			select {
			case err := <-errc:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("Each = %v, want context.Canceled", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Each did not return after cancellation")
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("Each returned %v after cancellation", d)
			}
			assertEmptyDir(t, tmp)
		})
	}
}

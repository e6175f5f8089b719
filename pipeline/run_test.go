package pipeline

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/articleetl/articleetl/internal/corpus"
	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/schemas"
	"github.com/articleetl/articleetl/source"
)

func page(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "article", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func config(out string) Config {
	return Config{Out: out, Formats: []load.Format{load.FormatJSONL, load.FormatParquet}, ToolVersion: "test", Workers: 2}
}

// TestCancelLeavesOutputAsItWas interrupts a run (as SIGINT does, through the context)
// while an input is still being fetched, and checks that the output directory is untouched.
func TestCancelLeavesOutputAsItWas(t *testing.T) {
	out := t.TempDir()
	if _, err := Run(context.Background(), []string{filepath.Join("..", "testdata", "article", "semantic.html")}, config(out)); err != nil {
		t.Fatal(err)
	}
	before := snapshotDir(t, out)

	started := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done() // hang until the client gives up
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	args := []string{filepath.Join("..", "testdata", "article", "wix.html"), srv.URL + "/slow"}
	_, err := Run(ctx, args, config(out))
	if err == nil {
		t.Fatal("cancelled run succeeded")
	}
	if after := snapshotDir(t, out); after != before {
		t.Errorf("cancelled run changed the output:\nbefore %s\nafter  %s", before, after)
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
		t.Errorf("staging left behind: %v", entries)
	}
}

// TestCancelReturnsOnceTheReaderHas cancels a run over a directory once it has consumed an
// input: its reader returns at the cancel, so Run returns at once, without waiting out the
// grace it gives a reader blocked in the operating system (readerGrace), which would hold
// every Ctrl-C for that long.
func TestCancelReturnsOnceTheReaderHas(t *testing.T) {
	in := filepath.Join(t.TempDir(), "corpus")
	if _, err := corpus.WriteDir(in, 40, 0); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var cancelled time.Time
	cfg := config(filepath.Join(t.TempDir(), "out"))
	cfg.Progress = func(done int) {
		if done == 1 {
			cancelled = time.Now()
			cancel()
		}
	}
	if _, err := Run(ctx, []string{in}, cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("run: %v, want context.Canceled", err)
	}
	if waited := time.Since(cancelled); waited >= readerGrace {
		t.Errorf("Run returned %v after the cancel, want less than readerGrace (%v)", waited, readerGrace)
	}
}

func snapshotDir(t *testing.T, dir string) string {
	t.Helper()
	var sb strings.Builder
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			fmt.Fprintf(&sb, "%s:%d:%x ", p, len(b), b[:min(len(b), 8)])
		}
		return nil
	})
	return sb.String()
}

// warcRecord writes one gzip member holding a WARC record with an HTTP response.
func warcRecord(t *testing.T, buf *bytes.Buffer, typ, uri, date, id string, extra string, block []byte) {
	t.Helper()
	var rec bytes.Buffer
	fmt.Fprintf(&rec, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Target-URI: %s\r\nWARC-Date: %s\r\nWARC-Record-ID: <urn:uuid:%s>\r\n%sContent-Length: %d\r\n\r\n",
		typ, uri, date, id, extra, len(block))
	rec.Write(block)
	rec.WriteString("\r\n\r\n")
	zw := gzip.NewWriter(buf)
	zw.Write(rec.Bytes())
	zw.Close()
}

func httpResponse(body []byte) []byte {
	return append([]byte(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n", len(body))), body...)
}

// TestWARCCapturesBecomeATimeline runs a WARC holding three captures of the article
// (May, June, and a revisit of May's bytes in July) and checks documents and changes.
func TestWARCCapturesBecomeATimeline(t *testing.T) {
	const uri = "https://blog.example.org/post/understanding-the-coalition-against-isis"
	may, june := page(t, "semantic.html"), page(t, "semantic-2018-06-02.html")
	var warc bytes.Buffer
	warcRecord(t, &warc, "warcinfo", "", "2018-07-01T00:00:00Z", "00000000-0000-0000-0000-000000000000", "Content-Type: application/warc-fields\r\n", []byte("software: test\r\n"))
	warcRecord(t, &warc, "response", uri, "2018-05-20T10:00:00Z", "11111111-1111-1111-1111-111111111111", "Content-Type: application/http; msgtype=response\r\n", httpResponse(may))
	warcRecord(t, &warc, "response", uri, "2018-06-03T10:00:00Z", "22222222-2222-2222-2222-222222222222", "Content-Type: application/http; msgtype=response\r\n", httpResponse(june))
	warcRecord(t, &warc, "revisit", uri, "2018-07-01T10:00:00Z", "33333333-3333-3333-3333-333333333333",
		"WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest\r\nWARC-Refers-To: <urn:uuid:11111111-1111-1111-1111-111111111111>\r\nContent-Type: application/http; msgtype=response\r\n",
		[]byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"))
	path := filepath.Join(t.TempDir(), "crawl.warc.gz")
	if err := os.WriteFile(path, warc.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	res, err := Run(context.Background(), []string{path}, config(out))
	if err != nil {
		t.Fatal(err)
	}
	if res.Inputs != 3 || res.NewSnapshots != 2 || res.Duplicates != 1 {
		t.Errorf("result %+v, want 3 inputs, 2 snapshots, 1 duplicate", res)
	}
	m, err := load.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	var docs []schemas.Document
	load.ReadRows(out, m, "documents", func(d *schemas.Document) error { docs = append(docs, *d); return nil })
	if len(docs) != 3 || docs[0].Source != uri || docs[2].CapturedAt == nil || !docs[2].CapturedAt.Equal(time.Date(2018, 7, 1, 10, 0, 0, 0, time.UTC)) || docs[2].SnapshotID != docs[0].SnapshotID {
		t.Errorf("documents: %+v", docs)
	}
	var cs []schemas.Change
	load.ReadRows(out, m, "changes", func(c *schemas.Change) error { cs = append(cs, *c); return nil })
	// May→June has 5 changes; June→July (back to May's content) undoes them.
	if len(cs) != 10 || cs[0].FromSnapshotID != docs[0].SnapshotID || cs[9].ToSnapshotID != docs[0].SnapshotID {
		t.Errorf("changes: %d rows: %+v", len(cs), cs)
	}
	if cs[0].ToCapturedAt == nil || cs[0].ToCapturedAt.Format(time.DateOnly) != "2018-06-03" {
		t.Errorf("first change's capture time: %v", cs[0].ToCapturedAt)
	}
}

func TestFailedInputStopsRunWithoutKeepGoing(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.html")
	os.WriteFile(bad, []byte("\x00\x01binary"), 0o644)
	out := filepath.Join(dir, "out")
	_, err := Run(context.Background(), []string{bad}, config(out))
	var ie *InputError
	if !errors.As(err, &ie) || ie.Source != bad {
		t.Fatalf("error %v, want an InputError naming %s", err, bad)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("output directory created by a failed run")
	}
}

func sourceOptions() source.Options { return source.Options{Retries: -1} }

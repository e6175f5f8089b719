package pipeline

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/schemas"
)

// TestOversizedAndDeepPagesAreRefused: a 60 MB page is refused by the input size limit
// before it is parsed, and a page nested 200,000 elements deep is refused by the parser's
// depth limit, each with a one-line reason; with --keep-going the good input still lands.
func TestOversizedAndDeepPagesAreRefused(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.html")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("<html><body><article><h1>Big</h1>")
	para := "<p>" + strings.Repeat("The Coalition has trained 12.577 members of the Syrian partner forces. ", 20) + "</p>\n"
	for written := 0; written < 60<<20; written += len(para) {
		f.WriteString(para)
	}
	f.WriteString("</article></body></html>")
	f.Close()

	deep := filepath.Join(dir, "deep.html")
	os.WriteFile(deep, []byte("<html><body><article><h1>Deep</h1><p>"+strings.Repeat("word ", 20)+"</p>"+
		strings.Repeat("<div>", 200_000)+"x"+strings.Repeat("</div>", 200_000)+"</article></body></html>"), 0o644)

	cfg := config(filepath.Join(dir, "out"))
	cfg.KeepGoing = true
	res, err := Run(context.Background(), []string{big, deep, filepath.Join("..", "testdata", "article", "semantic.html")}, cfg)
	if res.Failed != 2 || err == nil {
		t.Fatalf("result %+v, error %v: want 2 failed inputs", res, err)
	}
	m, _ := load.ReadManifest(cfg.Out)
	var reasons []string
	load.ReadRows(cfg.Out, m, "errors", func(e *schemas.InputError) error { reasons = append(reasons, e.Reason); return nil })
	if len(reasons) != 2 || !strings.Contains(reasons[0], "larger than 20 MiB") || !strings.Contains(reasons[1], "nested") {
		t.Errorf("reasons: %q", reasons)
	}
	for _, r := range reasons {
		if strings.Contains(r, "\n") {
			t.Errorf("reason is not one line: %q", r)
		}
	}
}

// TestCharsetFromHTTPHeader fetches a windows-1252 page that declares its charset only in
// the Content-Type header.
func TestCharsetFromHTTPHeader(t *testing.T) {
	page := "<html><head><title>T</title></head><body><article><h1>Caf\xe9 \x93news\x94</h1>" +
		"<p>ISIS\x92s oil output has been reduced by more than 10.000 barrels a day.</p>" +
		"<h2>Why?</h2><p>Because the answer is long enough to count as prose here.</p></article></body></html>"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=windows-1252")
		w.Write([]byte(page))
	}))
	defer srv.Close()
	recs, err := ProcessOne(context.Background(), srv.URL+"/post", sourceOptions(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if recs.Document.Title != "Café “news”" || !strings.HasPrefix(*recs.Document.Standfirst, "ISIS’s oil output") {
		t.Errorf("title %q, standfirst %q", recs.Document.Title, *recs.Document.Standfirst)
	}
	if len(recs.Facts) != 1 || recs.Facts[0].Unit != "barrels_per_day" {
		t.Errorf("facts %+v", recs.Facts)
	}
}

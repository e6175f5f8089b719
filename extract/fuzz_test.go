package extract

import (
	"errors"
	"strings"
	"testing"
)

// FuzzExtract checks that no page makes the extractor panic, that failures are the
// documented errors, and that what it returns is clean text.
func FuzzExtract(f *testing.F) {
	f.Add([]byte("<html><body><article><h1>T</h1><p>one two three four five six seven eight</p><h2>Q?</h2><p>a b c d e f g h i</p></article></body></html>"))
	f.Add([]byte(`<html><head><script type="application/ld+json">{"@graph":[{"@type":"BlogPosting","headline":"H","datePublished":"2018-05-15T10:24:00Z"}]}</script></head><body><main><p>· one two three four five six seven eight</p></main></body></html>`))
	f.Add([]byte("<section data-hook=\"post-description\"><p dir=auto><span>Updated: May 17, 2018</span></p><ul><li><p>x</p></li></ul></section>"))
	f.Add([]byte(`<html><head><script type="application/ld+json">{"@type":"FAQPage","mainEntity":[{"@type":"Question","name":"Q<b>?</b>","acceptedAnswer":{"text":"<p>A</p><ul><li>b</li></ul>"}}]}</script></head><body><main><h1>T</h1><p>x</p></main></body></html>`))
	f.Add([]byte(`<body><div class="entry-content"><dl><dt>Q?</dt><dd><p>a</p><p>b</p></dd></dl><details><summary>S?</summary>loose <b>t</b><p>p</p></details></div><aside class="widget"><p>w</p></aside></body>`))
	f.Add([]byte(`<article><h1>T</h1><table><thead><tr><th>Name</th><th></th></tr></thead><tr><td>A (B)</td><td><p>x</p><p>y</p></td></tr></table><p>5 m<sup>2</sup> and x<sup>1</sup> one two three four five six</p></article>`))
	f.Add([]byte(`<html><head><base href="https://a.example/x/"><link rel="canonical" href="https://r.example/c/20180602123456mp_/https://a.example/p"><meta property="og:site_name" content="S"><title>T | S</title></head><body style="display:none"><main><p>one two three four five six seven eight</p><div hidden><h1>H</h1><p>x</p></div><p style="visibility: Hidden">y</p></main></body></html>`))
	f.Add([]byte("<html><body"))
	f.Add([]byte("\xff\xfe<\x00h\x00"))
	f.Fuzz(func(t *testing.T, page []byte) {
		a, err := ExtractBytes(page, Options{})
		if err != nil {
			for _, known := range []error{ErrEmpty, ErrBinary, ErrNotHTML, ErrTruncated, ErrNoContent} {
				if errors.Is(err, known) {
					return
				}
			}
			if strings.HasPrefix(err.Error(), "decoding ") || strings.HasPrefix(err.Error(), "parsing HTML") {
				return
			}
			t.Fatalf("undocumented error: %v", err)
		}
		if a.Title == "" {
			t.Fatal("article without a title")
		}
		for _, b := range a.Blocks {
			if b.Text == "" || b.Text != strings.TrimSpace(b.Text) || strings.Contains(b.Text, "  ") {
				t.Fatalf("block text not collapsed: %q", b.Text)
			}
		}
	})
}

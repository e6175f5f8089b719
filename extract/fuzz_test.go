package extract

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// FuzzExtract checks that no page makes the extractor panic, that failures are the
// documented errors, and that what it returns is clean text; and that it returns what
// extraction from the page's whole parse returns (extractWhole): leaving out the page's
// unused parts and unread attributes changes nothing a user sees.
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
	f.Add([]byte(`<html lang=en data-x=1><body><main ID=m data-y><h1 class="t" title=x>T</h1><p><a href=/a data-z>one</a> two three four five six seven <b data-q=1>eight</b></p><p itemprop=articleBody data-w=2 hidden>z</p></main></body></html>`))
	// Found by its itemprop: a reason that names it, which reading the page without that
	// attribute would change.
	f.Add([]byte(`<html><body><div class=wrap data-x=1><div itemprop=articleBody data-z=2><h1>Title here</h1><p>One two three four five six seven eight nine ten.</p><h2>More?</h2><p>Eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen.</p></div><div data-y><p>Nineteen twenty.</p></div></div></body></html>`))
	f.Fuzz(func(t *testing.T, page []byte) {
		a, err := ExtractBytes(page, Options{})
		whole, wholeErr := extractWhole(page, Options{})
		switch {
		case wholeErr != nil && strings.Contains(wholeErr.Error(), "open stack of elements exceeds"):
			// Nested past x/net/html's limit only inside an icon: parsed once its drawing is
			// left out (TestExtractDeepIconNesting).
		case (err == nil) != (wholeErr == nil) || err != nil && !strings.Contains(err.Error(), wholeErr.Error()):
			t.Fatalf("%q: error %v; from the whole parse, %v", page, err, wholeErr)
		case !reflect.DeepEqual(a, whole):
			t.Fatalf("%q: the article differs from the whole parse's:\n%+v\n%+v", page, a, whole)
		}
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

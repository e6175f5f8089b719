package extract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/net/html"

	"github.com/PuerkitoBio/goquery"
)

// extractWhole is ExtractBytes as it was before withoutUnusedParts: the decoded page
// parsed as it is.
func extractWhole(raw []byte, opts Options) (*Article, error) {
	text, err := decode(raw, opts.ContentType)
	if err != nil {
		return nil, err
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(text))
	if err != nil {
		return nil, err
	}
	return FromDocument(doc, opts)
}

// TestExtractSameWithoutUnusedParts checks, at the level users see, that leaving out
// unused parts changes no Article and no error, for the test pages and pages made to
// tempt a --content-selector into the parts left out.
func TestExtractSameWithoutUnusedParts(t *testing.T) {
	pages := map[string][]byte{}
	files, _ := filepath.Glob("../testdata/*/*.html")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages[filepath.Base(f)] = b
	}
	prose := `<h1>Title here</h1><p>One two three four five six seven eight nine ten.</p><h2>More</h2><p>Eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen.</p>`
	pages["crafted"] = []byte(`<html><head><title>T</title><style>.x{}</style><script>var s = "<p>not text</p>";</script>
<script type="application/ld+json">{"@type":"Article","headline":"H","datePublished":"2020-01-02T03:04:05Z"}</script></head>
<body><div class="icon"><svg viewBox="0 0 1 1"><path d="M0 0"/></svg></div><div class="s"><script>x()</script></div>
<article>` + prose + `<span><svg><g><circle r="1"/></g></svg></span></article></body></html>`)
	selectors := []string{"", "article", "script", "style", "svg", "svg path", "div:empty", "span:empty",
		"div:has(svg)", "div:has(script)", `:contains("x()")`, `div:contains("not text")`, "body", "title", "head", "html"}
	for name, page := range pages {
		for _, sel := range selectors {
			opts := Options{ContentSelector: sel}
			got, gotErr := ExtractBytes(page, opts)
			want, wantErr := extractWhole(page, opts)
			if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() &&
				!strings.Contains(gotErr.Error(), wantErr.Error()) {
				t.Errorf("%s, selector %q: error %v, parsed whole %v", name, sel, gotErr, wantErr)
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, selector %q: the article differs once unused parts are left out", name, sel)
			}
		}
	}
}

// TestSkippingReaderReads reads pages without their unused parts in reads of every size
// (testing/iotest), one byte at a time and in halves, so that reads ending at, starting at
// and straddling a dropped span are all taken, and parses them: the tree must be the one
// the bytes read at once give.
func TestSkippingReaderReads(t *testing.T) {
	pages := [][]byte{
		[]byte(`<p>a<script>x</script><style>y</style><svg><path/></svg>b<script>z</script>c`),
		[]byte(`<script>x</script>`),
		[]byte("<script> \n</script><script>y</script>"),
		[]byte(`<p>no drops</p>`),
		[]byte(`<p class=a data-x="1" b>t</p><div id=d data-y=z>u<script>v</script></div><img src=x alt='y'>`),
	}
	if b, err := os.ReadFile("../testdata/article/wix.html"); err == nil {
		pages = append(pages, b)
	}
	for _, page := range pages {
		for _, unread := range []bool{false, true} {
			want := withoutUnusedPage(page, unread)
			if len(page) < 200 {
				// A 0-byte read must neither fail nor lose bytes.
				r := withoutUnusedParts(page, unread)
				if n, err := r.Read(nil); n != 0 || err != nil {
					t.Errorf("%q: Read(nil) = %d, %v", page, n, err)
				}
			}
			if err := iotest.TestReader(withoutUnusedParts(page, unread), want); err != nil {
				t.Errorf("%.40q…: %v", page, err)
			}
			for name, wrap := range map[string]func(io.Reader) io.Reader{
				"one byte": iotest.OneByteReader, "halves": iotest.HalfReader, "data+EOF": iotest.DataErrReader,
			} {
				got, err := io.ReadAll(wrap(withoutUnusedParts(page, unread)))
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("%.40q…, %s: read %.60q…, %v", page, name, got, err)
				}
			}
			a, _, _ := parsedWithoutUnused(want, false)
			b, _ := parsedWithoutUnusedFrom(iotest.OneByteReader(withoutUnusedParts(page, unread)))
			if a != b {
				t.Errorf("%.40q…: parsed one byte at a time, the tree differs", page)
			}
		}
	}
}

func parsedWithoutUnusedFrom(r io.Reader) (string, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return "", err
	}
	tree, _, err := parsedWithoutUnused(b, false)
	return tree, err
}

// TestWithoutUnusedPartsEarlyStop pins the stop after the last tag that may open a script,
// style or svg: it must find that tag in any case, and an svg that is the last such tag
// must still be followed to its end and lose its drawing.
func TestWithoutUnusedPartsEarlyStop(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`<p>a</p><svg viewBox="0 0 1 1"><g><path d="M0"/></g></svg><p>b</p><math></math>`,
			`<p>a</p><svg viewBox="0 0 1 1"></svg><p>b</p><math></math>`},
		{`<p>a</p><SVG><Path/></SVG><p>b`, `<p>a</p><SVG></SVG><p>b`},
		{`<STYLE>x</STYLE><p title="<sty">b</p><select>`, `<STYLE></STYLE><p title="<sty">b</p><select>`},
		{`<script>x</script><p>b</p><!-- <script>y</script> --><p title="`, `<script></script><p>b</p><!-- <script>y</script> --><p title="`},
		{`<script>x</script><p>after the last script, a page that ends in a tag <a href="`, `<script></script><p>after the last script, a page that ends in a tag <a href="`},
	} {
		if got := string(withoutUnused([]byte(c.in))); got != c.want {
			t.Errorf("withoutUnused(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct {
		in   string
		want int
	}{
		{`<p>x</p>`, -1},
		{`<script>x</script><p>`, 0},
		{`<p></script><style>`, 12},
		{`<Svg/><p>`, 0},
		{`<p><sTyLe>`, 3},
		{`<p><s>x</s><span>`, -1},
		{`<p><svg`, 3},
	} {
		if got := lastOpening([]byte(c.in)); got != c.want {
			t.Errorf("lastOpening(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

// TestMayBeJSONLDKeepsWhatExtractionReads pins that every script extraction reads as
// JSON-LD (hasAttr type="application/ld+json" on the parsed tag) keeps its text, however
// the tag spells its type, and that a script extraction does not read loses it.
func TestMayBeJSONLDKeepsWhatExtractionReads(t *testing.T) {
	for _, tag := range []string{
		`<script type="application/ld+json">`,
		`<script type=application/ld+json>`,
		`<script TYPE='application/ld+json'>`,
		`<script id=x type="application/ld&#43;json">`,
		`<script type="application&#x2F;ld&plus;json">`,
		"<script\ntype=\"application/ld+json\"\n>",
		`<script type="application/LD+JSON">`,
		`<script type="application/json">`,
		`<script type="text/javascript" data-x="&amp;">`,
	} {
		page := []byte(tag + `{"@type":"Article"}</script>`)
		doc, err := html.Parse(bytes.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		var script *html.Node
		var find func(n *html.Node)
		find = func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "script" && script == nil {
				script = n
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				find(c)
			}
		}
		find(doc)
		read := hasAttr(script, "type", "application/ld+json")
		kept := bytes.Contains(withoutUnused(page), []byte(`{"@type":"Article"}`))
		if read && !kept {
			t.Errorf("%s: extraction reads it as JSON-LD, but its text is dropped", tag)
		}
		if !read && kept && !bytes.Contains([]byte(tag), []byte("&")) && !bytes.Contains([]byte(tag), []byte("ld+json")) {
			t.Errorf("%s: not JSON-LD, yet its text is kept", tag)
		}
	}
}

// TestExtractDeepIconNesting pins a change withoutUnusedParts makes to what users see: a
// page nested more than 512 elements deep only because of an icon's drawing is now
// extracted (it was refused with "elements nested more than 512 deep" before); an icon
// whose drawing alone is that deep is still refused with that message.
func TestExtractDeepIconNesting(t *testing.T) {
	article := `<article><h1>Deep icon</h1><p>This paragraph has more than eight words so the page counts as prose.</p>` +
		`<h2>More</h2><p>A second paragraph also has well over eight words in it to count.</p></article>`
	shallowIcon := `<html><body>` + article + strings.Repeat("<div>", 495) + `<svg viewBox="0 0 1 1">` +
		strings.Repeat("<g>", 20) + `<path d="M0 0"/>` + strings.Repeat("</g>", 20) + `</svg>` + strings.Repeat("</div>", 495) + `</body></html>`
	if _, err := extractWhole([]byte(shallowIcon), Options{}); err == nil {
		t.Fatal("parsed whole, the page should be refused for its nesting")
	}
	a, err := ExtractBytes([]byte(shallowIcon), Options{})
	if err != nil || a.Title != "Deep icon" {
		t.Errorf("nested past 512 only by an icon's drawing: %v, %+v", err, a)
	}
	deepIcon := `<html><body>` + article + `<svg>` + strings.Repeat("<g>", 600) + strings.Repeat("</g>", 600) + `</svg></body></html>`
	if _, err := ExtractBytes([]byte(deepIcon), Options{}); !errors.Is(err, ErrTooDeep) || err.Error() != "parsing HTML: elements nested more than 512 deep" {
		t.Errorf("an icon nested 600 deep: %v, want ErrTooDeep", err)
	}
}

// unclosedLinks is a page with four unclosed <a> tags that differ only in an attribute
// extraction never reads (name), each followed by eight nested <div>s: the adoption
// agency that the next <a> runs stops after eight rounds and leaves a clone of the
// earlier <a> in the list of active formatting elements, so the four end up there
// together and the fourth's Noah's Ark clause compares them. Alike once name is left
// out, the earliest is dropped from the list; three </a> then empty it, and the
// paragraphs after are no longer reopened inside a link.
func unclosedLinks() []byte {
	var sb strings.Builder
	sb.WriteString("<html><head><title>T</title></head><body><section>")
	for k := 1; k <= 4; k++ {
		fmt.Fprintf(&sb, "<a name=n%d>%s", k, strings.Repeat("<div>", 8))
	}
	sb.WriteString("</section></a></a></a><div><p>")
	for k := range 60 {
		fmt.Fprintf(&sb, "word%d ", k)
	}
	sb.WriteString("</p><p>Twenty-one twenty-two twenty-three twenty-four twenty-five twenty-six.</p></div></a>")
	sb.WriteString("<div><h1>Title here</h1><p>A short note of some eight words here.</p></div></body></html>")
	return []byte(sb.String())
}

// TestUnreadAttributesOfLinksAreCompared: <a> elements are compared by the Noah's Ark
// clause too, once the adoption agency's eight-round limit leaves one in the list of
// active formatting elements, so their attributes must all stay.
func TestUnreadAttributesOfLinksAreCompared(t *testing.T) {
	page := unclosedLinks()
	want, _, _ := parsedWithoutUnused(page, true)
	got, _, _ := parsedWithoutUnused(withoutUnusedPage(page, true), true)
	if got != want {
		t.Errorf("the tree differs once unread attributes are left out:\n%s\nwithout them:\n%s", want, got)
	}
	a, err := ExtractBytes(page, Options{})
	wantA, wantErr := extractWhole(page, Options{})
	if (err == nil) != (wantErr == nil) || !reflect.DeepEqual(a, wantA) {
		t.Errorf("extracted %+v, %v; parsed whole, %+v, %v", a, err, wantA, wantErr)
	}
}

// TestUnreadAttributesOfFormattingElementsAreCompared goes through the HTML standard's
// formatting elements: four alike but for an attribute extraction never reads would, with
// it left out, let Noah's Ark drop the first from the list of active formatting elements,
// and the text after </section> would be reopened inside three of them, not four. The
// eight <div>s after each are for <a> and <nobr>, whose start tag runs the adoption agency
// on the one before: past its eight rounds, that one stays in the list.
func TestUnreadAttributesOfFormattingElementsAreCompared(t *testing.T) {
	for _, name := range []string{"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"} {
		t.Run(name, func(t *testing.T) {
			var sb strings.Builder
			sb.WriteString("<section>")
			for k := 1; k <= 4; k++ {
				fmt.Fprintf(&sb, "<%s data-x=%d>%s", name, k, strings.Repeat("<div>", 8))
			}
			sb.WriteString("</section>t")
			page := []byte(sb.String())
			want, _, _ := parsedWithoutUnused(page, true)
			got, _, _ := parsedWithoutUnused(withoutUnusedPage(page, true), true)
			if got != want {
				t.Errorf("%s: the tree differs once unread attributes are left out:\n%s\nwithout them:\n%s", page, want, got)
			}
		})
	}
}

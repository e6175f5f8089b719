package extract

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// withoutUnused is the page withoutUnusedParts reads, all attributes kept.
func withoutUnused(page []byte) []byte { return withoutUnusedPage(page, false) }

// withoutUnusedPage is the page withoutUnusedParts reads.
func withoutUnusedPage(page []byte, unreadAttributes bool) []byte {
	out, err := io.ReadAll(withoutUnusedParts(page, unreadAttributes))
	if err != nil {
		panic(err) // reading memory
	}
	return out
}

func TestWithoutUnusedParts(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
	}{
		{"script and style", `<p>a<script>var x = "<p>";</script><style>p{}</style>b`,
			`<p>a<script></script><style></style>b`},
		{"upper case, attributes, end tag with attributes", `<SCRIPT type="text/javascript" src=x.js>f()</SCRIPT ><Style media='a>b'>q</sTyLe x=">">`,
			`<SCRIPT type="text/javascript" src=x.js></SCRIPT ><Style media='a>b'></sTyLe x=">">`},
		{"JSON-LD kept", `<script type="application/ld+json">{"a":1}</script><script>b</script>`,
			`<script type="application/ld+json">{"a":1}</script><script></script>`},
		{"a character reference may spell the type: kept", `<script type="application/ld&#43;json">{}</script>`,
			`<script type="application/ld&#43;json">{}</script>`},
		{"not a script: in a comment, an attribute, a textarea", `<!-- <script>a</script> --><a title="<script>b</script>"></a><textarea><script>c</script></textarea>`,
			`<!-- <script>a</script> --><a title="<script>b</script>"></a><textarea><script>c</script></textarea>`},
		{"a script's text ends at the first </script>", `<script>a = "</scripty>"; b = "</script>"; c</script>`,
			`<script></script>"; c</script>`},
		{"\"<!--\" in a script: the rest is kept", `<script>a</script><script><!-- b </script><script>c</script>`,
			`<script></script><script><!-- b </script><script>c</script>`},
		{"an svg icon's drawing is dropped", "<svg viewBox=\"0 0 1 1\">\n <path d=\"M0 0\"/><g><circle r=1 /></G>\n</svg><script>a</script>",
			`<svg viewBox="0 0 1 1"></svg><script></script>`},
		{"nested svgs, and an end tag closing those inside it", `<svg><svg><g><path></svg><rect/></svg><style>a</style>`,
			`<svg></svg><style></style>`},
		{"an svg holding text keeps it, and is followed", `<svg viewBox="0 0 1 1"><title>Share</title><path d="M0 0"/></svg><script>a</script>`,
			`<svg viewBox="0 0 1 1"><title>Share</title><path d="M0 0"/></svg><script></script>`},
		{"an end tag closing no svg element: the rest is kept", `<svg><path></g></svg><script>a</script>`,
			`<svg><path></g></svg><script>a</script>`},
		{"a '/' that may end a value: the rest is kept", `<svg><path d=M0/></svg><script>a</script>`,
			`<svg><path d=M0/></svg><script>a</script>`},
		{"a style inside svg is svg's own: the rest is kept", `<script>a</script><svg><style>b</style></svg><script>c</script>`,
			`<script></script><svg><style>b</style></svg><script>c</script>`},
		{"markup in an svg title: the rest is kept", `<svg><title><b>x</b></title></svg><script>c</script>`,
			`<svg><title><b>x</b></title></svg><script>c</script>`},
		{"math and select: the rest is kept", `<script>a</script><math></math><script>b</script>`,
			`<script></script><math></math><script>b</script>`},
		{"a script that runs to the end is kept", `<script>a</script><script>b`,
			`<script></script><script>b`},
		{"leading white space is kept (a <template>'s column group ignores the tag but keeps it)", "<template><col><script> \nf()</script><style>\tp{}</style>",
			"<template><col><script> \n</script><style>\t</style>"},
		{"a <template>'s column group ignores an svg's tags and keeps its white space: kept", "<template><col><svg> <path/></svg><script>a</script>",
			"<template><col><svg> <path/></svg><script></script>"},
		{"nothing to drop: the same bytes", `<p>hello</p>`, `<p>hello</p>`},
		// The tokenizer ends a tag's name only at white space, '/' or '>': "script=x" is an
		// element of its own, whose text is kept and read.
		{"a name runs on past '=': <script=x> opens no script", `<script=x>a</script><style=y>b</style>`,
			`<script=x>a</script><style=y>b</style>`},
		// A tag left as it is for its '/' value must not take back drops made before it.
		{"a tag ending in a '/' value after a script: the script's text still goes", `<script>a</script><p a=b/>`,
			`<script></script><p a=b/>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := string(withoutUnused([]byte(c.in))); got != c.want {
				t.Errorf("withoutUnused(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}

// TestWithoutUnreadAttributes pins which attributes are left out, and where none are.
func TestWithoutUnreadAttributes(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
	}{
		{"unread attributes go, their spaces stay", `<div class="a" data-x="1" id=b data-y>t</div>`,
			`<div class="a"  id=b >t</div>`},
		{"in any case", `<DIV CLASS=a DATA-X=1 Data-Hook=h>`, `<DIV CLASS=a  Data-Hook=h>`},
		{"metadata kept", `<meta property="og:title" content="T" data-x=1><link rel=canonical href=/p hreflang=en>`,
			`<meta property="og:title" content="T" ><link rel=canonical href=/p >`},
		{"a quoted '>' and no space between attributes", `<p data-x="a>b" class=c><p class="a"data-x='b'>`,
			`<p  class=c><p class="a">`},
		{"a self-closing tag stays one", `<img src=x data-x="1"/>`, `<img />`},
		{"unread attributes one after another go as one, with the space between", "<p a b\tc=1\nd='2' class=k e>", "<p  class=k >"},
		{"a tag that would become self-closing is kept", `<p a/data-x>t</p>`, `<p a/data-x>t</p>`},
		{"a '/' that may end a value: the tag is kept", `<p data-x=a/>t`, `<p data-x=a/>t`},
		// Here the value ending in '/' is kept, so dropping data-x would leave "/>" as it was:
		// the tag is kept all the same.
		{"a '/' that may end a kept value: the tag is kept", `<p data-x=1 class=a/>t`, `<p data-x=1 class=a/>t`},
		// One dropped attribute, not two, brings the '/' to the '>'.
		{"a tag that would become self-closing by one drop is kept", `<p class/data-x>t`, `<p class/data-x>t`},
		// A tag left as it is takes back its own drops only, whether its attributes were
		// being dropped (<p>) or not (<b>, a formatting element).
		{"a tag left as it is keeps the drops of tags before it", `<p data-x=1><b c=d/><p data-y a/data-z>`,
			`<p ><b c=d/><p data-y a/data-z>`},
		// The fold must take an upper-case A alone too (Aria-hidden is read as aria-hidden).
		{"a name whose only upper-case letter is an A", `<div Aria-hidden=true dAta-x=1>`, `<div Aria-hidden=true >`},
		{"formatting elements keep theirs (the tree builder compares them), <a> too", `<a href=x data-x=1><b data-y>t</b></a><p data-z>`,
			`<a href=x data-x=1><b data-y>t</b></a><p >`},
		{"svg keeps its own", `<svg data-x=1 class=c><path d="M0"/></svg><p data-x=2>`,
			`<svg data-x=1 class=c></svg><p >`},
		{"end tags, comments and raw text are not tags", `<!-- <p data-x=1> --><textarea><p data-x=2></textarea></p data-x=3>`,
			`<!-- <p data-x=1> --><textarea><p data-x=2></textarea></p data-x=3>`},
		{"and the script's text still goes", `<script src=a.js defer>f()</script>`, `<script ></script>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := string(withoutUnusedPage([]byte(c.in), true)); got != c.want {
				t.Errorf("withoutUnusedPage(%q, true)\n got %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}

// TestWithoutUnusedPartsOnTheArticle guards the point of withoutUnused: on the Wix page it
// must reach the scripts after the page's SVG icons, not stop at the first.
func TestWithoutUnusedPartsOnTheArticle(t *testing.T) {
	page, err := os.ReadFile("../testdata/article/wix.html")
	if err != nil {
		t.Fatal(err)
	}
	out := withoutUnused(page)
	if dropped := len(page) - len(out); dropped < 40000 {
		t.Errorf("dropped %d of the page's %d bytes; its scripts, styles and icons hold about 41,000", dropped, len(page))
	}
	if bytes.Contains(out, []byte("<path")) {
		t.Error("an icon kept its drawing")
	}
	if !bytes.Contains(out, []byte(`"@type": "BlogPosting"`)) && !bytes.Contains(out, []byte(`"@type":"BlogPosting"`)) {
		t.Error("the JSON-LD script lost its text")
	}
	if bytes.Contains(out, []byte("wix-warmup-data\">{")) {
		t.Error("the warmup data script, after the icons, kept its text")
	}
}

// FuzzWithoutUnusedParts checks withoutUnusedParts against x/net/html: the page without
// its unused parts parses to the page's own tree less the children of its HTML script and
// style elements and of its outermost <svg> elements, JSON-LD scripts keep their text, and
// parse errors agree, but that a page refused for nesting more than 512 elements deep may
// parse once an icon's deep drawing is left out.
func FuzzWithoutUnusedParts(f *testing.F) {
	pages, _ := filepath.Glob("../testdata/*/*.html")
	for _, p := range pages {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		`<script>a<!--b<script>c</script>d-->e</script>f`,
		`<script>a<!--b</script>c`,
		`<p a=/><script>x</script><svg a=/><style>y</style></svg>`,
		`<svg><title><path><title></svg><script>y</script></title>`,
		`<svg><foreignObject><style>x</style></foreignObject></svg><script>z</script>`,
		`<svg><![CDATA[</svg><script>x</script>]]></svg><script>y</script>`,
		`<select><style>x</style></select><script>y</script>`,
		`<frameset><script>x</script></frameset>`,
		`<svg><svg></svg><style>a</style></svg><style>b</style>`,
		`<svg><p><style>a</style>`,
		`<!--><script>a</script><!---><script>b</script><!-- --!><script>c</script>`,
		`<!-- --!x --><script>a</script><!-- --!--><script>b</script>`,
		`<! bogus <script>x</script> ><?pi <script>y</script>?><script>z</script>`,
		`</ bogus <script>x</script>><script>y</script>`,
		`<a b"c='d>' e=f>g</a><script>h</script>`,
		`<a ==x =y= z = "w>"><script>h</script>`,
		`<noscript><script>a</script></noscript><script>b</script>`,
		`<title><script>a</script></title><xmp><style>b</style></xmp><iframe><script>c</script></iframe>`,
		`<table><style>a</style><tr><script>b</script>`,
		`<template><script>a</script></template><style>b</style>`,
		"<script>\x00a</script><style>\r\nb</style>",
		`<plaintext><script>a</script>`,
		`<script type="application/ld+json">{"@type":"Article"}</script><script type=application/ld+json>[1]</script>`,
		`<svg><title>x</title><desc>y<b></desc></svg><style>z</style>`,
		`<head><script>a</script></head><body><svg><g><path/></g></svg><style>b</style>`,
		"<template><col><script> </script><style> x</style></template>",
		`<g><b><svg></g><svg><title>t</title></svg></svg><style>x</style>`,
		`<p><b></p><svg><title>t</title></svg></b></title><style>x</style>`,
		`<table><b><svg><desc>d</desc></svg><script>x</script></table>`,
		`<template><col><svg><script>x</script></svg></template><style>y</style>`,
		`<text><svg><text></text></svg></text><script>x</script>`,
		`<svg><title/>t</title></svg><style>x</style>`,
		"<template><col><script>\r\n\fx</script></template>",
		"<table><template><col><style>\t</style></template></table>",
		"<table><colgroup><col><script> x</script></table>",
		`<svg><g><svg></g></svg><style>x</style>`,
		"<svg><mas\u212a></mas\u212a></svg><style>x</style>",
		"<table><td><svg><title>x</title></svg><script>y</script>",
		"</body><svg><title>x</title></svg><script>y</script>",
		"<script\x00>x</script><script>y</script>",
		"<script>x<!-<!-</script><script>y</script>",
		"<noscript><!--</noscript>--><script>x</script>",
		"<style><!--</style>--><script>x</script>",
		`<svg><path d="</svg>"/></svg><script>x</script>`,
		"<p =a=b><script>x</script>",
		"<p a\f=\fb\r><script>x</script>",
		"</3 <script>x</script> ><script>y</script>",
		"<!----!--><script>x</script>",
		"<!-- --!!--><script>x</script> -->",
		"<![CDATA[<script>x</script>]]><script>y</script>",
		`<script type="application/ld+json"/>{}</script>`,
		"<script TYPE=\"application/ld+json\" type=x>[]</script>",
		"<select><svg><title>x</title></svg></select><style> y</style>",
		"<svg> <title> </title>\n</svg><frameset><frame></frameset>",
		"<svg>x</svg><frameset><frame></frameset>",
		"<svg>\x00</svg><frameset>",
		"<p><svg><circle/></svg>text<frameset>",
		`<svg><path d=a/ ></svg><style>x</style>`,
		`<svg><path a=1 a=x/><g></svg><script>y</script>`,
		`<svg/><path/><script>x</script>`,
		`<svg a="b"/><path></path><style>x</style>`,
		`<b><svg><path></b><script>x</script>`,
		`<svg><g><svg><path></g><rect></svg></svg><style>x</style>`,
		`<table><svg><path/></svg><tr><td><svg><g/></svg><script>x</script>`,
		`<svg><title></title><desc>d</desc><!-- c --><defs><clipPath><rect/></clipPath></defs></svg><style>x</style>`,
		"<svg>\r\n\t\f </svg>",
		// In a <template>'s column group the tree builder ignores the svg's tags and keeps
		// the white space and comments between them.
		"<template><col><svg> <path/>\n</svg>",
		"<template><col><svg><!--c--><g></g></svg><script>x</script>",
		"<template><col></template><svg> </svg><template><col><svg></>\n</svg>",
		"<table><colgroup><svg> </svg><template><svg>\n</svg></template>",
		// Nested deeper than x/net/html's 512 open elements only inside an svg.
		"<svg>" + strings.Repeat("<g>", 520) + "</svg>",
		"<p><b></p><svg><title> </title></svg><frameset>",
		"<table><tr><svg> <title>\r\n</title></svg><td>x",
		"<table><svg><desc> </desc></svg><svg><title>x</title></svg><tr>",
		"<a><svg><g></a></g></svg><script>x</script>",
		"<svg><title>\x00</title></svg><frameset>",
		"<svg><title>x</titles></svg><script>y</script>",
		"<svg><title/> </svg><style>x</style>",
		"<svg><svg/> </svg></svg><style>x</style>",
		"<svg><g/><path =/><rect a/><use a=''/></svg><style>x</style>",
		"<svg></><!----><?x><!DOCTYPE y></ z></svg><frameset>",
		"<svg><lineargradient></LINEARGRADIENT></svg><style>x</style>",
		"</html><svg>\f</svg><frameset>",
		"<pre><svg></svg>\nx</pre><listing><svg>\n</svg>\ny",
		"<svg><![CDATA[ ]]></svg><frameset>",
		// Attributes left out.
		"<p a/data-x>t</p><div data-x=\"1\"/>x<p data-x=a/>y",
		"<b data-x=1><b data-x=2><b data-x=3><b data-x=4>t</b></b></b></b><p>u",
		// Three <b> the same once their attributes are left out would take a fourth's
		// place in the list of active formatting elements; the text after </p> would
		// reopen three, not four.
		"<p><b data-x=1><b data-x=2><b data-x=3><b data-x=4></p>x",
		"<a data-x=1><a data-x=2><a data-x=3><a data-x=4><a href=h>t<p>u</a></a>",
		"<p><a data-x=1><b><a data-x=2 id=i><i><a data-x=3><table><a data-x=4><td><a data-x=5>t</table>x",
		"<table><input type=hidden data-x=1><tr><td>x",
		"<html data-x=1><body data-y=2><html lang=en data-z=3 class=c><body id=b data-w>",
		"<div CLASS=a DATA-X=b ID=c =d e=f/>",
		"<svg class=a data-x=b><title>t</title></svg><math data-x=1 class=y><mi data-z>x</mi></math>",
		"<p ='a' data-x=b class=c>t<select data-y=1><option data-z>o</select>",
		"<template><col data-x=1><p data-y=2></template><img src=x alt=y/>",
		// The adoption agency stops after eight rounds and leaves a clone of the first <a>
		// in the list of active formatting elements: the fourth <a> compares the others'
		// attributes (Noah's Ark), and the text after </section> reopens what is left.
		"<section><a data-x=1>" + strings.Repeat("<div>", 8) + "<a data-x=2>" + strings.Repeat("<div>", 8) +
			"<a data-x=3>" + strings.Repeat("<div>", 8) + "<a data-x=4>" + strings.Repeat("<div>", 8) + "</section>t",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, page []byte) {
		for _, unread := range []bool{false, true} {
			out := withoutUnusedPage(page, unread)
			if len(out) > len(page) {
				t.Fatalf("the page grew: %q → %q", page, out)
			}
			want, wantLD, wantErr := parsedWithoutUnused(page, unread)
			got, gotLD, gotErr := parsedWithoutUnused(out, unread)
			if wantErr != nil && gotErr == nil && strings.Contains(wantErr.Error(), "open stack of elements exceeds") {
				// Elements nested more than 512 deep inside an svg: the page parses once the
				// svg's content is left out.
				continue
			}
			if (wantErr != nil) != (gotErr != nil) {
				t.Fatalf("parsing %q: %v; without unused parts, %q: %v", page, wantErr, out, gotErr)
			}
			if got != want {
				t.Fatalf("%q parses to\n%s\nbut without unused parts, %q parses to\n%s", page, want, out, got)
			}
			if gotLD != wantLD {
				t.Fatalf("JSON-LD of %q: %q; without unused parts, %q: %q", page, wantLD, out, gotLD)
			}
		}
	})
}

// parsedWithoutUnused parses page and returns its tree, less the children of HTML script
// and style elements and of outermost <svg> elements, as text; and the text of its JSON-LD
// scripts. With readOnly set, the tree lists only the attributes extraction reads of its
// HTML elements (all of formatting elements, of SVG and of MathML, as
// withoutUnusedParts keeps them), so that it is the same whether or not the unread ones
// were left out; an attribute read or one kept lost is a difference.
func parsedWithoutUnused(page []byte, readOnly bool) (tree, jsonLD string, err error) {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return "", "", err
	}
	var sb, ld strings.Builder
	var dump func(n *html.Node, depth int)
	dump = func(n *html.Node, depth int) {
		attrs := n.Attr
		if readOnly && n.Type == html.ElementNode && n.Namespace == "" && !attributesCompared(lowerName([]byte(n.Data))) {
			attrs = nil
			for _, a := range n.Attr {
				if readAttribute([]byte(a.Key)) {
					attrs = append(attrs, a)
				}
			}
		}
		fmt.Fprintf(&sb, "%s%d %s|%q %q\n", strings.Repeat(" ", depth), n.Type, n.Namespace, n.Data, attrs)
		if n.Type == html.ElementNode && n.Namespace == "" && (n.Data == "script" || n.Data == "style") {
			if n.Data == "script" && hasAttr(n, "type", "application/ld+json") {
				ld.WriteString(textContent(n) + "\x00")
			}
			return
		}
		if n.Type == html.ElementNode && n.Namespace == "svg" && n.Data == "svg" && (n.Parent == nil || n.Parent.Namespace != "svg") {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			dump(c, depth+1)
		}
	}
	dump(doc, 0)
	return sb.String(), ld.String(), nil
}

// BenchmarkWithoutUnusedParts is the scanner's own cost on the article's Wix page, to
// weigh against what it saves the parse (BenchmarkParse).
func BenchmarkWithoutUnusedParts(b *testing.B) {
	page, err := os.ReadFile("../testdata/article/wix.html")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := io.Copy(io.Discard, withoutUnusedParts(page, true)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse parses the article's Wix page as it is and as extraction parses it (the
// scanner's time included), alternating page by page and which goes first, as
// bench.BenchmarkPipelineOverParse does: the ratio is what leaving out unused parts saves.
func BenchmarkParse(b *testing.B) {
	page, err := os.ReadFile("../testdata/article/wix.html")
	if err != nil {
		b.Fatal(err)
	}
	var whole, without time.Duration
	parse := func(d *time.Duration, reader func() io.Reader) {
		t0 := time.Now()
		if _, err := html.Parse(reader()); err != nil {
			b.Fatal(err)
		}
		*d += time.Since(t0)
	}
	asItIs := func() io.Reader { return bytes.NewReader(page) }
	skimmed := func() io.Reader { return withoutUnusedParts(page, true) }
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			parse(&whole, asItIs)
		}
		parse(&without, skimmed)
		if i%2 == 1 {
			parse(&whole, asItIs)
		}
	}
	b.ReportMetric(float64(whole.Microseconds())/float64(b.N), "page-µs/op")
	b.ReportMetric(float64(without.Microseconds())/float64(b.N), "without-unused-µs/op")
	b.ReportMetric(float64(without)/float64(whole), "ratio")
}

// BenchmarkSmallPages weighs the scan against what it saves on the small pages of
// testdata/explainers (4–10 KB, few scripts and attributes), where leaving out unread
// attributes makes the scan read every tag to the end of the page: each page is parsed as
// it is, without scripts, styles and icons, and without unread attributes too, the three
// taking turns (as BenchmarkParse does, so that each meets the same machine), and the scan
// alone is timed both ways. Figures are per page.
func BenchmarkSmallPages(b *testing.B) {
	files, err := filepath.Glob("../testdata/explainers/*.html")
	if err != nil || len(files) == 0 {
		b.Fatalf("no pages: %v", err)
	}
	var pages [][]byte
	for _, f := range files {
		p, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, p)
	}
	readers := []func(p []byte) io.Reader{
		func(p []byte) io.Reader { return bytes.NewReader(p) },
		func(p []byte) io.Reader { return withoutUnusedParts(p, false) },
		func(p []byte) io.Reader { return withoutUnusedParts(p, true) },
	}
	var parse [3]time.Duration
	var scan [2]time.Duration
	for i := 0; b.Loop(); i++ {
		for _, p := range pages {
			for k := range readers {
				k = (k + i) % len(readers) // which goes first turns too
				t0 := time.Now()
				if _, err := html.Parse(readers[k](p)); err != nil {
					b.Fatal(err)
				}
				parse[k] += time.Since(t0)
			}
			for k, unread := range []bool{false, true} {
				t0 := time.Now()
				if _, err := io.Copy(io.Discard, withoutUnusedParts(p, unread)); err != nil {
					b.Fatal(err)
				}
				scan[k] += time.Since(t0)
			}
		}
	}
	perPage := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N*len(pages)) / 1e3 }
	b.ReportMetric(perPage(parse[0]), "parse-µs/page")
	b.ReportMetric(perPage(parse[1]), "without-unused-µs/page")
	b.ReportMetric(perPage(parse[2]), "without-unread-attributes-µs/page")
	b.ReportMetric(perPage(scan[0]), "scan-µs/page")
	b.ReportMetric(perPage(scan[1]), "scan-attributes-µs/page")
}

// checkedXNet is the golang.org/x/net version whose tokenizer and tree builder
// withoutUnusedParts was written against and fuzzed with.
const checkedXNet = "v0.62.0"

// TestUnusedPartsFollowXNet is a tripwire for upgrades: the scanner follows x/net/html's
// tokenizer, so a new version must be fuzzed (FuzzWithoutUnusedParts) before checkedXNet
// moves to it.
func TestUnusedPartsFollowXNet(t *testing.T) {
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*golang\.org/x/net (v\S+)`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod does not require golang.org/x/net")
	}
	if v := string(m[1]); v != checkedXNet {
		t.Fatalf("go.mod requires golang.org/x/net %s; extract/unused.go was checked against %s: run go test ./extract -fuzz FuzzWithoutUnusedParts -fuzzminimizetime 3s for a while, then update checkedXNet", v, checkedXNet)
	}
}

// TestUnreadAttributesCostOneSpan: a tag of a million unread attributes is left out as one
// span, so the scanner's memory does not grow with them (a drop per attribute was 16 bytes
// for every 2 of such a page).
func TestUnreadAttributesCostOneSpan(t *testing.T) {
	page := []byte("<p class=k " + strings.Repeat("a ", 1_000_000) + "id=i " + strings.Repeat("b=1 ", 1000) + ">x")
	s := unusedPartsScanner{page: page, unreadAttributes: true}
	s.dropUnread = s.dropIfUnread
	s.scan()
	if len(s.drops) != 2 {
		t.Errorf("%d spans dropped, want 2 (the attributes before id, and those after)", len(s.drops))
	}
	if got := string(withoutUnusedPage(page, true)); got != "<p class=k  id=i  >x" {
		t.Errorf("read %.80q", got)
	}
}

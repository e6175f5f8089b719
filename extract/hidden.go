package extract

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// bodyFilter decides what collectBlocks leaves out of the chosen body: its chrome, and the
// hidden elements that only repeat what the body shows. Hidden text inside the body is
// otherwise kept, since a reader can reveal it: an FAQ plugin ships its answers collapsed
// (display: none until a question is clicked). But a page laid out for several screens may
// hold the post again inside the same wrapper, hidden on this one, and that copy is not
// more of the article.
type bodyFilter struct {
	sc      *scorer
	root    *html.Node
	visible *string // the body's visible text, collapsed, once a hidden element needs it
}

// copyProbe is how much of a hidden element's text is looked for in the visible text: a
// copy's first sentences are the post's. Shorter hidden text (a label for screen readers,
// a "loading" notice) is kept as it is; it costs nothing to keep.
const copyProbe = 200

// leftOut reports whether n is removed from the body.
func (f *bodyFilter) leftOut(n *html.Node) bool {
	chrome, hidden := f.sc.verdicts(n)
	if chrome || !hidden {
		return chrome
	}
	// A hidden h1 is never a part of an answer: it is a copy's heading, or the site's
	// name kept for search engines. (Unless the page is read with its hidden text: then
	// it may hold the post itself.)
	if !f.sc.withHidden && holdsTag(n, "h1") {
		return true
	}
	t := f.text(n, false)
	if len(t) < copyProbe {
		return false
	}
	probe := t[:copyProbe]
	for !utf8.ValidString(probe) {
		probe = probe[:len(probe)-1] // not in the middle of a character
	}
	return strings.Contains(f.visibleText(), probe)
}

// visibleText is the text of the body without its hidden elements (see text).
func (f *bodyFilter) visibleText() string {
	if f.visible == nil {
		v := f.text(f.root, true)
		f.visible = &v
	}
	return *f.visible
}

// text is the collapsed text under n, a space between every two text nodes (so that a
// heading's text does not run into the paragraph's after it), without the hidden elements
// under n when visibleOnly is set.
func (f *bodyFilter) text(n *html.Node, visibleOnly bool) string {
	var b strings.Builder
	var visit func(c *html.Node)
	visit = func(c *html.Node) {
		switch {
		case c.Type == html.TextNode:
			b.WriteString(c.Data)
			b.WriteByte(' ')
		case visibleOnly && c.Type == html.ElementNode && c != n && f.hidden(c):
			return
		}
		for d := c.FirstChild; d != nil; d = d.NextSibling {
			visit(d)
		}
	}
	visit(n)
	return collapse(b.String())
}

// hidden reports whether the scorer found n hidden.
func (f *bodyFilter) hidden(n *html.Node) bool {
	_, hidden := f.sc.verdicts(n)
	return hidden
}

// holdsTag reports whether n is, or holds, an element named tag.
func holdsTag(n *html.Node, tag string) bool {
	if n.Type == html.ElementNode && n.Data == tag {
		return true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if holdsTag(c, tag) {
			return true
		}
	}
	return false
}

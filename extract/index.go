package extract

import (
	"strings"

	"golang.org/x/net/html"
)

// pageIndex holds the elements extraction looks up anywhere in a page, gathered in one walk
// over its tree. Asked one selector at a time, the same questions walked the whole page a
// dozen times, which cost more than all the rest of extraction.
type pageIndex struct {
	// Found anywhere in the page as parsed, scripts included.
	html      *html.Node            // the first <html>
	canonical *html.Node            // the first link[rel="canonical"]
	base      *html.Node            // the first base[href]
	meta      map[string]*html.Node // the first meta[property=P], by P
	jsonLD    []*html.Node          // script[type="application/ld+json"], in document order
	// strip are the outermost elements that are never content (scripts, styles, embeds, the
	// head's links and metas), removed once metadata has been read.
	strip []*html.Node

	// Found outside the stripped elements, as the page stands once they are gone.
	body            *html.Node          // the first <body>
	postTitle       *html.Node          // the first h1[data-hook="post-title"] (Wix)
	protected       map[*html.Node]bool // the elements holding the article and their ancestors: never chrome
	protectedHidden map[*html.Node]bool // the others that hidden ones protect, nil when none do
	elements        int                 // how many elements there are
}

// isStripped reports whether FromDocument removes an element before looking for content.
func isStripped(tag string) bool {
	switch tag {
	case "script", "style", "noscript", "template", "svg", "iframe", "link", "meta":
		return true
	}
	return false
}

// indexPage walks the tree under root (not root itself, as a selector never matches the
// node it is run on) once and returns its index.
func indexPage(root *html.Node) *pageIndex {
	p := &pageIndex{meta: map[string]*html.Node{}, protected: map[*html.Node]bool{}}
	var visit func(n *html.Node, stripped bool)
	visit = func(n *html.Node, stripped bool) {
		if n.Type == html.ElementNode {
			p.add(n, stripped)
			if !stripped && isStripped(n.Data) {
				p.strip = append(p.strip, n)
				stripped = true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c, stripped)
		}
	}
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		visit(c, false)
	}
	return p
}

// add indexes one element; stripped says it lies in (or is) an element that will be removed.
// The tests are those of the selectors named in the comments, attribute for attribute: a
// selector matches when any attribute of the name has the value.
func (p *pageIndex) add(n *html.Node, stripped bool) {
	switch n.Data {
	case "html":
		if p.html == nil {
			p.html = n
		}
	case "link":
		if p.canonical == nil && hasAttr(n, "rel", "canonical") {
			p.canonical = n
		}
	case "base":
		if p.base == nil && hasKey(n, "href") {
			p.base = n
		}
	case "meta":
		for _, a := range n.Attr {
			if a.Key == "property" && p.meta[a.Val] == nil {
				p.meta[a.Val] = n
			}
		}
	case "script":
		if hasAttr(n, "type", "application/ld+json") {
			p.jsonLD = append(p.jsonLD, n)
		}
	}
	if stripped || isStripped(n.Data) {
		return
	}
	p.elements++
	switch n.Data {
	case "body":
		if p.body == nil {
			p.body = n
		}
	case "h1":
		if p.postTitle == nil && hasAttr(n, "data-hook", "post-title") {
			p.postTitle = n
		}
	}
	// The elements that hold the article itself (main, h1, [itemprop="articleBody"],
	// [role="main"]) make their ancestors part of it: a wrapper of the whole page with a
	// class such as "has-sidebar" is not chrome. <article> is not one: comments and
	// "related" cards are often articles too.
	//
	// A hidden element holds nothing a reader sees, its headings included: a page laid out
	// for several screens may carry the whole post again, h1 and all, hidden on this one.
	// (Only these few elements are asked, going up their ancestors, rather than every
	// element of the page on the way down.)
	// A page read with its hidden text (one that shows itself once its scripts have run)
	// protects them too: protectedHidden.
	if n.Data == "main" || n.Data == "h1" || holdsArticle(n) {
		if !inHidden(n) {
			for a := n; a != nil && !p.protected[a]; a = a.Parent {
				p.protected[a] = true
			}
			return
		}
		if p.protectedHidden == nil {
			p.protectedHidden = map[*html.Node]bool{}
		}
		for a := n; a != nil && !p.protectedHidden[a]; a = a.Parent {
			p.protectedHidden[a] = true
		}
	}
}

// inHidden reports whether n or one of its ancestors is hidden (isHidden).
func inHidden(n *html.Node) bool {
	for a := n; a != nil; a = a.Parent {
		if a.Type == html.ElementNode && isHidden(a) {
			return true
		}
	}
	return false
}

// holdsArticle reports whether n matches [itemprop="articleBody"] or [role="main"].
func holdsArticle(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Key == "itemprop" && a.Val == "articleBody" || a.Key == "role" && a.Val == "main" {
			return true
		}
	}
	return false
}

// hasAttr reports whether n has an attribute key with the value val, as the CSS selector
// [key="val"] tests it.
func hasAttr(n *html.Node, key, val string) bool {
	for _, a := range n.Attr {
		if a.Key == key && a.Val == val {
			return true
		}
	}
	return false
}

// hasKey reports whether n has an attribute key, as the CSS selector [key] tests it.
func hasKey(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// attr returns the value of n's first attribute key, as goquery's Attr does; "" for a nil
// n or a missing attribute.
func attr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// textContent is the text of every text node under n, as goquery's Text returns it.
func textContent(n *html.Node) string {
	var sb strings.Builder
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.TextNode {
			sb.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	return sb.String()
}

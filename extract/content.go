package extract

import (
	"fmt"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// contentSelectors are tried in order; the first that matches an element holds the body.
// Platform-specific containers come first because they are exact; the semantic ones are
// the fallback any well-made page offers.
var contentSelectors = []string{
	`section[data-hook="post-description"]`, // Wix blog
	`div[data-hook="post-content"]`,         // Wix blog, older layout
	`[itemprop="articleBody"]`,
	`article .entry-content`, // WordPress
	`article`,
	`main`,
	`[role="main"]`,
}

// chrome is page furniture that may sit inside the content container and is never article
// text: navigation, share bars, comment widgets, forms and the like.
const chrome = `nav, aside, footer, form, button, header:not(article > header), ` +
	`[data-hook*="share"], [data-hook*="comment"], [data-hook*="recent-posts"], [data-hook*="related"], ` +
	`[role="navigation"], [role="complementary"], [aria-hidden="true"]`

func contentRoot(doc *goquery.Document, selector string) (*goquery.Selection, error) {
	if selector != "" {
		s, err := safeFind(doc, selector)
		if err != nil {
			return nil, err
		}
		if s.Length() == 0 {
			return nil, fmt.Errorf("%w: --content-selector %q matches nothing", ErrNoContent, selector)
		}
		return s.First(), nil
	}
	for _, sel := range contentSelectors {
		if s := doc.Find(sel); s.Length() > 0 {
			return s.First(), nil
		}
	}
	return doc.Find("body"), nil
}

// safeFind checks the selector first: goquery silently matches nothing for a malformed
// one, which would be reported as a page without content instead of a typo.
func safeFind(doc *goquery.Document, selector string) (*goquery.Selection, error) {
	m, err := cascadia.Compile(selector)
	if err != nil {
		return nil, fmt.Errorf("invalid content selector %q: %w", selector, err)
	}
	return doc.FindMatcher(m), nil
}

// blockTags are the elements whose text forms one block.
var blockTags = map[string]Kind{
	"h1": KindHeading, "h2": KindHeading, "h3": KindHeading, "h4": KindHeading, "h5": KindHeading, "h6": KindHeading,
	"p": KindParagraph, "blockquote": KindParagraph, "pre": KindParagraph, "dd": KindParagraph,
	"li": KindListItem, "dt": KindParagraph,
	"figcaption": KindCaption,
}

// collectBlocks walks root in document order and returns its blocks. An element that
// holds other block elements (a <li> wrapping a <p>, as Wix's Ricos editor writes lists)
// gives its text once, with the kind of the outer element.
func collectBlocks(root *goquery.Selection, title string) []Block {
	root.Find(chrome).Remove()
	var blocks []Block
	for _, n := range root.Nodes {
		walk(n, &blocks)
	}
	out := blocks[:0]
	for _, b := range blocks {
		if b.Text == "" || (b.Kind == KindHeading && b.Text == title) || updatedPattern.MatchString(b.Text) && parseDate(updatedPattern.FindStringSubmatch(b.Text)[1]) != nil {
			continue
		}
		out = append(out, b)
	}
	return out
}

func walk(n *html.Node, blocks *[]Block) {
	if n.Type == html.ElementNode {
		if kind, ok := blockTags[n.Data]; ok {
			*blocks = append(*blocks, newBlock(n, kind))
			return
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, blocks)
	}
}

func newBlock(n *html.Node, kind Kind) Block {
	var sb strings.Builder
	nodeText(n, &sb)
	text := collapse(sb.String())
	b := Block{Kind: kind, Text: text}
	if kind == KindHeading {
		b.Level = int(n.Data[1] - '0')
	}
	// Wix writes fact lists as paragraphs that start with a typed bullet.
	if kind == KindParagraph {
		for _, marker := range []string{"· ", "• ", "▪ "} {
			if rest, ok := strings.CutPrefix(text, marker); ok {
				b.Kind, b.Text = KindListItem, strings.TrimSpace(rest)
				break
			}
		}
	}
	return b
}

// nodeText appends the visible text under n; <br> counts as a space.
func nodeText(n *html.Node, sb *strings.Builder) {
	switch n.Type {
	case html.TextNode:
		sb.WriteString(n.Data)
		return
	case html.ElementNode:
		if n.Data == "br" {
			sb.WriteByte(' ')
			return
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		nodeText(c, sb)
	}
}

// collapse folds runs of white space (including no-break and zero-width spaces) into one
// space and trims the ends, leaving every other character as written.
func collapse(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for _, r := range s {
		switch r {
		case '\u200b', '\u200c', '\u200d', '\ufeff':
			continue
		case ' ', '\t', '\n', '\r', '\f', '\u00a0', '\u2009', '\u202f', '\u2007':
			space = true
			continue
		}
		if space && sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		space = false
		sb.WriteRune(r)
	}
	return sb.String()
}

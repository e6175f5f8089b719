package extract

import (
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// blockTags are the elements whose text forms one block.
var blockTags = map[string]Kind{
	"h1": KindHeading, "h2": KindHeading, "h3": KindHeading, "h4": KindHeading, "h5": KindHeading, "h6": KindHeading,
	"p": KindParagraph, "blockquote": KindParagraph, "pre": KindParagraph,
	"li": KindListItem, "dt": KindTerm, "dd": KindDefinition, "summary": KindSummary,
	"figcaption": KindCaption,
}

// collectBlocks removes the chrome inside root, then walks it in document order and returns
// its blocks. An element that holds other block elements (a <li> wrapping a <p>, as Wix's
// Ricos editor writes lists) gives its text once, with the kind of the outer element.
func collectBlocks(root *goquery.Selection, title string) []Block {
	protected := map[*html.Node]bool{}
	for _, n := range append(root.Find(protectedSelector).Nodes, root.Nodes...) {
		for a := n; a != nil && !protected[a]; a = a.Parent {
			protected[a] = true
		}
	}
	for _, n := range root.Nodes {
		removeChrome(n, protected)
	}
	w := &walker{}
	for _, n := range root.Nodes {
		w.walk(n)
	}
	out := w.blocks[:0]
	for _, b := range w.blocks {
		if b.Text == "" || (b.Kind == KindHeading && b.Text == title) || updatedPattern.MatchString(b.Text) && parseDate(updatedPattern.FindStringSubmatch(b.Text)[1]) != nil {
			continue
		}
		out = append(out, b)
	}
	return out
}

// removeChrome deletes the chrome elements under n.
func removeChrome(n *html.Node, protected map[*html.Node]bool) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			if isChrome(c, protected) {
				n.RemoveChild(c)
			} else {
				removeChrome(c, protected)
			}
		}
		c = next
	}
}

// walker collects blocks.
type walker struct {
	blocks []Block
	scope  int // the <dl> or <details> being read, 0 outside any
	scopes int // how many have been opened
}

func (w *walker) walk(n *html.Node) {
	if n.Type == html.ElementNode {
		switch n.Data {
		case "dl":
			w.inScope(func() { w.children(n) })
			return
		case "details":
			w.inScope(func() { w.details(n) })
			return
		case "table":
			if !isLayoutTable(n) {
				w.table(n)
				return
			}
		}
		if kind, ok := blockTags[n.Data]; ok {
			w.add(newBlock(n, kind))
			return
		}
	}
	w.children(n)
}

func (w *walker) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
}

func (w *walker) add(b Block) {
	b.Scope = w.scope
	w.blocks = append(w.blocks, b)
}

func (w *walker) inScope(f func()) {
	saved := w.scope
	w.scopes++
	w.scope = w.scopes
	f()
	w.scope = saved
}

// details reads a <details> element: its summary, then its content, where text written
// straight into the element (not in a paragraph) forms paragraphs of its own.
func (w *walker) details(n *html.Node) {
	var loose []*html.Node
	flush := func() {
		var sb strings.Builder
		for _, c := range loose {
			nodeText(c, &sb)
		}
		if t := collapse(sb.String()); t != "" {
			w.add(Block{Kind: KindParagraph, Text: t})
		}
		loose = loose[:0]
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode || c.Type == html.ElementNode && inlineTags[c.Data] {
			loose = append(loose, c)
			continue
		}
		flush()
		w.walk(c)
	}
	flush()
}

// inlineTags are the elements that continue the text around them.
var inlineTags = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "br": true, "cite": true,
	"code": true, "data": true, "dfn": true, "em": true, "i": true, "kbd": true, "mark": true,
	"q": true, "s": true, "samp": true, "small": true, "span": true, "strong": true,
	"sub": true, "sup": true, "time": true, "u": true, "var": true, "wbr": true,
}

// isLayoutTable reports whether a table lays out the page rather than holding data: a cell
// holds headings, lists, several paragraphs or another table.
func isLayoutTable(n *html.Node) bool {
	layout := false
	var visit func(n *html.Node, inCell bool, paragraphs *int)
	visit = func(n *html.Node, inCell bool, paragraphs *int) {
		for c := n.FirstChild; c != nil && !layout; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch {
			case c.Data == "td" || c.Data == "th":
				p := 0
				visit(c, true, &p)
			case inCell && (c.Data == "table" || c.Data == "ul" || c.Data == "ol" || c.Data == "dl" || blockTags[c.Data] == KindHeading):
				layout = true
			case inCell && (c.Data == "p" || c.Data == "div"):
				if *paragraphs++; *paragraphs > 1 {
					layout = true
				}
				visit(c, inCell, paragraphs)
			default:
				visit(c, inCell, paragraphs)
			}
		}
	}
	visit(n, false, nil)
	return layout
}

// table reads a data table: its caption and one block per row.
func (w *walker) table(n *html.Node) {
	var rows func(n *html.Node, inHead bool)
	rows = func(n *html.Node, inHead bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.Data {
			case "caption":
				w.add(newBlock(c, KindCaption))
			case "thead":
				rows(c, true)
			case "tbody", "tfoot":
				rows(c, false)
			case "tr":
				w.row(c, inHead)
			}
		}
	}
	rows(n, false)
}

func (w *walker) row(tr *html.Node, inHead bool) {
	var cells, nonEmpty []string
	header := true
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || c.Data != "td" && c.Data != "th" {
			continue
		}
		var sb strings.Builder
		nodeText(c, &sb)
		t := collapse(sb.String())
		cells = append(cells, t)
		if t != "" {
			nonEmpty = append(nonEmpty, t)
		}
		header = header && c.Data == "th"
	}
	if len(nonEmpty) == 0 {
		return
	}
	w.add(Block{Kind: KindTableRow, Text: strings.Join(nonEmpty, " | "), Cells: cells, Header: inHead || header})
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
	if b.Kind == KindParagraph && n.Data == "p" {
		b.Strong = allStrong(n)
	}
	return b
}

// allStrong reports whether every visible character of n is inside <strong> or <b>.
func allStrong(n *html.Node) bool {
	some, all := false, true
	var visit func(n *html.Node, strong bool)
	visit = func(n *html.Node, strong bool) {
		switch n.Type {
		case html.TextNode:
			if strings.TrimSpace(n.Data) != "" {
				some = true
				all = all && strong
			}
			return
		case html.ElementNode:
			strong = strong || n.Data == "strong" || n.Data == "b"
		}
		for c := n.FirstChild; c != nil && all; c = c.NextSibling {
			visit(c, strong)
		}
	}
	visit(n, false)
	return some && all
}

// blockLevel are the elements that start on a line of their own: text on either side of
// one is never run together ("<dd><p>Two.</p><p>Three.</p></dd>" is "Two. Three.").
var blockLevel = map[string]bool{
	"p": true, "div": true, "li": true, "ul": true, "ol": true, "dl": true, "dt": true,
	"dd": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"blockquote": true, "pre": true, "table": true, "tr": true, "td": true, "th": true,
	"section": true, "article": true, "figure": true, "figcaption": true, "header": true,
	"footer": true, "details": true, "summary": true, "hr": true,
}

// nodeText appends the visible text under n; <br> and the edges of block-level elements
// count as a space. A superscript 2 or 3
// after a unit of length becomes "²" or "³" ("m<sup>2</sup>" is "m²"); a superscript
// footnote marker becomes "[3]", so that it is never read as part of a number.
func nodeText(n *html.Node, sb *strings.Builder) {
	switch n.Type {
	case html.TextNode:
		sb.WriteString(n.Data)
		return
	case html.ElementNode:
		switch n.Data {
		case "br":
			sb.WriteByte(' ')
			return
		case "sup":
			var inner strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				nodeText(c, &inner)
			}
			before := sb.String()
			before = strings.ToValidUTF8(before[max(0, len(before)-8):], "") // a unit is short
			sb.WriteString(superscript(before, collapse(inner.String())))
			return
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		block := c.Type == html.ElementNode && blockLevel[c.Data]
		if block {
			sb.WriteByte(' ')
		}
		nodeText(c, sb)
		if block {
			sb.WriteByte(' ')
		}
	}
}

var (
	unitBefore     = regexp.MustCompile(`(?:^|[^\pL])(?:[kcmd]?m|mi|ft|in|yd)$`)
	footnoteMarker = regexp.MustCompile(`^\d+(?:\s*[,–-]\s*\d+)*$`)
)

// superscript renders the text of a <sup> written after before.
func superscript(before, sup string) string {
	switch {
	case (sup == "2" || sup == "3") && unitBefore.MatchString(before):
		return map[string]string{"2": "²", "3": "³"}[sup]
	case footnoteMarker.MatchString(sup):
		return "[" + sup + "]"
	}
	return sup
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

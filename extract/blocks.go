package extract

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// blockKind returns the kind of block an element's text forms, if it forms one. This and
// the other sets of tags are switches rather than maps: they are asked about every element
// of the page, several times, and a switch answers several times faster.
func blockKind(tag string) (Kind, bool) {
	switch tag {
	case "h1", "h2", "h3", "h4", "h5", "h6":
		return KindHeading, true
	case "p", "blockquote", "pre":
		return KindParagraph, true
	case "li":
		return KindListItem, true
	case "dt":
		return KindTerm, true
	case "dd":
		return KindDefinition, true
	case "summary":
		return KindSummary, true
	case "figcaption":
		return KindCaption, true
	}
	return "", false
}

// collectBlocks removes the chrome inside root, as told by isChrome, then walks it in
// document order and returns its blocks. An element that holds other block elements (a
// <li> wrapping a <p>, as Wix's Ricos editor writes lists) gives its text once, with the
// kind of the outer element.
func collectBlocks(root *goquery.Selection, title string, isChrome func(*html.Node) bool) []Block {
	for _, n := range root.Nodes {
		removeChrome(n, isChrome)
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
func removeChrome(n *html.Node, isChrome func(*html.Node) bool) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			if isChrome(c) {
				n.RemoveChild(c)
			} else {
				removeChrome(c, isChrome)
			}
		}
		c = next
	}
}

// walker collects blocks.
type walker struct {
	blocks []Block
	scope  int    // the <dl> or <details> being read, 0 outside any
	scopes int    // how many have been opened
	buf    []byte // the text of the block being read, before it is collapsed
}

// text returns the collapsed visible text of the nodes (see appendText).
func (w *walker) text(nodes ...*html.Node) string {
	w.buf = w.buf[:0]
	for _, n := range nodes {
		w.buf = appendText(w.buf, n)
	}
	return collapse(string(w.buf))
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
		if kind, ok := blockKind(n.Data); ok {
			w.add(w.newBlock(n, kind))
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
		if t := w.text(loose...); t != "" {
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
			case inCell && (c.Data == "table" || c.Data == "ul" || c.Data == "ol" || c.Data == "dl" || isHeading(c.Data)):
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
				w.add(w.newBlock(c, KindCaption))
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
		t := w.text(c)
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

func (w *walker) newBlock(n *html.Node, kind Kind) Block {
	text := w.text(n)
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

// isBlockLevel reports whether an element starts on a line of its own: text on either
// side of one is never run together ("<dd><p>Two.</p><p>Three.</p></dd>" is "Two. Three.").
func isBlockLevel(tag string) bool {
	switch tag {
	case "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
		"blockquote", "pre", "table", "tr", "td", "th", "section", "article", "figure",
		"figcaption", "header", "footer", "details", "summary", "hr":
		return true
	}
	return false
}

func isHeading(tag string) bool {
	kind, _ := blockKind(tag)
	return kind == KindHeading
}

// appendText appends the visible text under n to b; <br> and the edges of block-level
// elements count as a space. A superscript 2 or 3 after a unit of length becomes "²" or
// "³" ("m<sup>2</sup>" is "m²"); a superscript footnote marker becomes "[3]", so that it is
// never read as part of a number.
func appendText(b []byte, n *html.Node) []byte {
	switch n.Type {
	case html.TextNode:
		return append(b, n.Data...)
	case html.ElementNode:
		switch n.Data {
		case "br":
			return append(b, ' ')
		case "sup":
			var inner []byte
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				inner = appendText(inner, c)
			}
			before := strings.ToValidUTF8(string(b[max(0, len(b)-8):]), "") // a unit is short
			return append(b, superscript(before, collapse(string(inner)))...)
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		block := c.Type == html.ElementNode && isBlockLevel(c.Data)
		if block {
			b = append(b, ' ')
		}
		b = appendText(b, c)
		if block {
			b = append(b, ' ')
		}
	}
	return b
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

// collapse folds runs of white space (including no-break spaces) into one space, drops the
// invisible characters (zero-width spaces and joiners, soft hyphens) and trims the ends,
// leaving every other character as written.
func collapse(s string) string {
	if isCollapsed(s) {
		return s
	}
	return collapseCopy(s)
}

// collapseCopy is collapse writing a new string whatever s holds.
func collapseCopy(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case isZeroWidth(r):
			continue
		case isCollapsedSpace(r):
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

// isCollapsed reports whether collapse would return s as it is, as it does the text of
// most blocks; then it need not be copied.
func isCollapsed(s string) bool {
	space := true // a space here would lead the text
	for i := 0; i < len(s); {
		if visibleASCII(s[i]) { // most of the text, told apart first
			space = false
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		switch {
		case r == ' ':
			if space {
				return false
			}
			space = true
		case isZeroWidth(r) || isCollapsedSpace(r) || r == utf8.RuneError:
			return false // dropped, replaced by a space, or an invalid byte to be replaced
		default:
			space = false
		}
	}
	return !space || s == ""
}

// isZeroWidth reports whether collapse drops r: characters that are never seen as such. A
// soft hyphen (U+00AD, &shy;) shows only where a line breaks, and a word joiner (U+2060)
// not at all; kept, "Coali&shy;tion" would not be the "Coalition" of another capture, and
// the question, body and fact ids made of such text would change with the markup.
func isZeroWidth(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\ufeff', '\u00ad', '\u2060':
		return true
	}
	return false
}

// isCollapsedSpace reports whether r is white space to collapse.
func isCollapsedSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\f', '\u00a0', '\u2009', '\u202f', '\u2007':
		return true
	}
	return false
}

// collapsedLength measures text given in pieces (the text nodes of an element) as collapse
// would write it all, without writing it: scoring measures the text of every block of the
// page. Text nodes are valid UTF-8 (decode makes the page so), so no character is split
// between two pieces.
type collapsedLength struct {
	n     int
	space bool
}

func (l *collapsedLength) add(s string) {
	for i := 0; i < len(s); {
		var w, n int // bytes read and bytes collapse writes for them
		if visibleASCII(s[i]) {
			// A run of visible ASCII, most of the text, is counted at once.
			for w = 1; i+w < len(s) && visibleASCII(s[i+w]); w++ {
			}
			n = w
		} else {
			var r rune
			r, w = utf8.DecodeRuneInString(s[i:])
			switch {
			case isZeroWidth(r):
				i += w
				continue
			case isCollapsedSpace(r):
				l.space = true
				i += w
				continue
			}
			n = utf8.RuneLen(r) // an invalid byte is written as U+FFFD, three bytes
		}
		if l.space && l.n > 0 {
			l.n++
		}
		l.space = false
		l.n += n
		i += w
	}
}

// visibleASCII reports whether c is an ASCII character other than white space and
// control characters: one collapse writes as it is.
func visibleASCII(c byte) bool { return ' ' < c && c < utf8.RuneSelf }

// firstVisibleRune returns the first character of n's collapsed text, or false when it is
// empty.
func firstVisibleRune(n *html.Node) (rune, bool) {
	if n.Type == html.TextNode {
		for _, r := range n.Data {
			if !isZeroWidth(r) && !isCollapsedSpace(r) {
				return r, true
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if r, ok := firstVisibleRune(c); ok {
			return r, true
		}
	}
	return 0, false
}

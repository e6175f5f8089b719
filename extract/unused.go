package extract

import (
	"bytes"
	"io"
)

// withoutUnusedParts reads page without the parts extraction never uses: the text of its
// scripts and style sheets (but for leading white space: "<script> f()</script>" becomes
// "<script> </script>") and what is drawn inside its SVG images ("<svg …><path …/></svg>"
// becomes "<svg …></svg>"). The parsed page is the same tree less those nodes.
// Extraction removes script, style and svg elements before it looks for content, but
// x/net/html reads them a byte at a time, the long path data of icons included, and copies
// them into the tree: the article's Wix rendering loses 36% of its bytes, and its parse,
// this scanner included, a tenth of its time (BenchmarkParse); real Wix pages carry far
// more (hundreds of kilobytes of "warmup data" JSON). JSON-LD scripts, which metadata
// comes from, keep their text. Leading white space stays because where the tree builder
// ignores a <script> or <style> tag (in a <template>'s column group) it keeps that white
// space as text and drops the rest.
//
// No library skips raw text without tokenizing it, so this is written here. It follows
// x/net/html's tokenizer (tags, attributes and their quoting, comments, declarations, the
// raw text of <script>, <style>, <textarea> and the like) and, inside an <svg>, the tree
// builder's stack of SVG elements, only as far as needed to know where each part starts
// and ends. Wherever the tree builder could read the bytes otherwise than the scanner
// assumes, it stops and leaves the rest of the page as it is: at <math>, <frameset> (whose
// modes ignore the tags), <select> (as caution) and <plaintext>, at a script whose text
// holds "<!--", at anything inside an <svg> other than plain drawing elements and <title>
// and <desc> holding text alone, at an end tag inside an <svg> that closes none of its
// elements, a "/>" that may end an unquoted value, a CDATA section or SVG nested more than
// 512 deep, and at any input that ends inside a tag, a comment or raw text. An <svg> that
// holds any text but white space keeps what it holds: text there may change how the tree
// builder reads a later <frameset>. So does every <svg> after a <col> in a <template>,
// whose column group mode ignores the svg's tags and keeps its white space and comments.
// FuzzWithoutUnusedParts checks the result against x/net/html itself: the page parses to
// the same tree, but for the children of HTML script and style elements and of outermost
// <svg> elements; only a page that x/net/html refuses for nesting elements more than 512
// deep may parse once an svg's deep drawing is left out.
//
// With unreadAttributes set, it also leaves out the attributes extraction never reads
// (readAttribute) from the HTML elements it passes, but for formatting elements (<a>
// included), whose attributes the tree builder compares (attributesCompared). The tree is
// then the same but for those attributes: on the article's Wix rendering, 325 of 1,330,
// which x/net/html would copy one by one (BenchmarkParse: 14% off the parse). A
// --content-selector may name any attribute, so extraction with one keeps them all.
//
// The page is not copied: the reader skips the parts.
func withoutUnusedParts(page []byte, unreadAttributes bool) io.Reader {
	s := unusedPartsScanner{page: page, unreadAttributes: unreadAttributes}
	if unreadAttributes {
		s.dropUnread = s.dropIfUnread
		s.drops = make([]span, 0, len(page)/256) // the Wix page: a span every 505 bytes
	}
	s.scan()
	if len(s.drops) == 0 {
		return bytes.NewReader(page)
	}
	return &skippingReader{page: page, drops: s.drops}
}

type unusedPartsScanner struct {
	page  []byte
	drops []span // the parts to leave out, in order

	unreadAttributes bool // leave out the attributes extraction never reads
	// dropUnread is s.dropIfUnread, made once; tagDrops is the index in drops of the first
	// drop of the start tag being read.
	dropUnread func(from, nameEnd, to int)
	tagDrops   int

	// svg is the stack of SVG elements open in the outermost <svg> the scanner is in,
	// that <svg> first; empty outside one. The tree builder's stack has the same
	// elements above the HTML element the <svg> is in (or none, where it ignores the
	// tags: see svgMayBeIgnored): the scanner lets only SVG drawing elements in, and
	// <title> and <desc> holding text alone, so no HTML element can come above the
	// <svg>, and an end tag closes what the tree builder's own search (x/net/html's
	// parseForeignContent) closes.
	svg        []tagName
	svgContent int  // where the outermost <svg>'s content starts
	svgBlank   bool // that content holds no text but white space so far

	// template is set at a <template> tag, and svgMayBeIgnored at a <col> tag after one:
	// the tree builder's column group mode in a <template> ignores the tags of an <svg>
	// and keeps the white space and comments between them as the template's own, so
	// from then on no svg's content is dropped.
	template, svgMayBeIgnored bool
}

// tagName is a tag's name folded to ASCII lower case, as the tokenizer compares names, in
// place of a string so that reading a tag allocates nothing. A name longer than any this
// file looks for is left empty.
type tagName struct {
	b [16]byte
	n uint8
}

func (t *tagName) is(name string) bool { return string(t.b[:t.n]) == name }

func lowerName(name []byte) (t tagName) {
	if len(name) > len(t.b) {
		return t
	}
	for k, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		t.b[k] = c
	}
	t.n = uint8(len(name))
	return t
}

// span is page[from:to].
type span struct{ from, to int }

// drop leaves page[from:to] out.
func (s *unusedPartsScanner) drop(from, to int) {
	if from < to {
		s.drops = append(s.drops, span{from, to})
	}
}

// skippingReader reads page without the spans in drops.
type skippingReader struct {
	page  []byte
	pos   int
	drops []span
}

// Read fills b across the dropped spans: with attributes left out they are many and
// short, and a read per kept stretch would cost the tokenizer a call for every few bytes.
func (r *skippingReader) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) {
		for len(r.drops) > 0 && r.pos >= r.drops[0].from {
			r.pos = r.drops[0].to
			r.drops = r.drops[1:]
		}
		if r.pos >= len(r.page) {
			break
		}
		end := len(r.page)
		if len(r.drops) > 0 {
			end = r.drops[0].from
		}
		k := copy(b[n:], r.page[r.pos:end])
		r.pos += k
		n += k
	}
	if n == 0 && len(b) > 0 {
		return 0, io.EOF
	}
	return n, nil
}

// scan reads the page in the tokenizer's data state, as x/net/html's Tokenizer.Next does,
// dropping unused parts on the way. Where it stops following the page, it returns; the
// rest is kept as it is.
func (s *unusedPartsScanner) scan() {
	p := s.page
	last := lastOpening(p)
	for i := 0; ; {
		lt := bytes.IndexByte(p[i:], '<')
		if lt < 0 || i+lt+1 >= len(p) || i+lt > last && len(s.svg) == 0 && !s.unreadAttributes {
			return
		}
		if len(s.svg) > 0 && s.svgBlank && !isTagSpaceOnly(p[i:i+lt]) {
			s.svgBlank = false
		}
		i += lt + 1 // after the '<'
		switch c := p[i]; {
		case isASCIILetter(c):
			end, ok := s.startTag(i)
			if !ok {
				return
			}
			i = end
		case c == '/':
			if i+1 < len(p) && isASCIILetter(p[i+1]) {
				nameEnd, end, _, ok := readTag(p, i+1, nil)
				if !ok || len(s.svg) > 0 && !s.endSVGElement(lowerName(p[i+1:nameEnd]), i-1) {
					return
				}
				i = end
				continue
			}
			// "</>" and "</ junk>" both end at the first '>' after the "</".
			gt := bytes.IndexByte(p[i+1:], '>')
			if gt < 0 {
				return
			}
			i += 1 + gt + 1
		case c == '!':
			switch {
			case bytes.HasPrefix(p[i+1:], []byte("--")):
				end, ok := commentEnd(p, i+3)
				if !ok {
					return
				}
				i = end
			case len(s.svg) > 0 && bytes.HasPrefix(p[i+1:], []byte("[CDATA[")):
				return // CDATA sections exist only in foreign content
			default:
				// A doctype or a bogus comment: either ends at the first '>'.
				gt := bytes.IndexByte(p[i+1:], '>')
				if gt < 0 {
					return
				}
				i += 1 + gt + 1
			}
		case c == '?':
			gt := bytes.IndexByte(p[i+1:], '>')
			if gt < 0 {
				return
			}
			i += 1 + gt + 1
		default:
			// The '<' is text; c is read again.
			s.svgBlank = false
		}
	}
}

// lastOpening returns the index of the last '<' that may open a script, style or svg
// element, or -1: past it, and past the element it opens, there is nothing to drop, and
// most pages but Wix's have their last script in the head.
func lastOpening(p []byte) int {
	for end := len(p); ; {
		i := bytes.LastIndexByte(p[:end], '<')
		if i < 0 {
			return -1
		}
		if rest := p[i+1:]; len(rest) > 0 && rest[0]|0x20 == 's' &&
			(hasPrefixFold(rest, "script") || hasPrefixFold(rest, "style") || hasPrefixFold(rest, "svg")) {
			return i
		}
		end = i
	}
}

// startTag reads the start tag whose name begins at s.page[i], and the raw text after it
// if it opens one, and returns where to go on reading; ok is false where the scanner stops
// following the page.
func (s *unusedPartsScanner) startTag(i int) (next int, ok bool) {
	p := s.page
	var onAttribute func(from, nameEnd, to int)
	if s.unreadAttributes && len(s.svg) == 0 && !attributesCompared(lowerName(p[i:tagNameEnd(p, i)])) {
		onAttribute, s.tagDrops = s.dropUnread, len(s.drops)
	}
	nameEnd, end, slashValue, ok := readTag(p, i, onAttribute)
	if onAttribute != nil && (!ok || slashValue || s.changesSelfClosing(end)) {
		s.drops = s.drops[:s.tagDrops] // the tag is left as it is
	}
	if !ok {
		return 0, false
	}
	if len(s.svg) == 0 && (nameEnd-i < 3 || nameEnd-i > 9) {
		return end, true // none of the names below: most tags
	}
	name := lowerName(p[i:nameEnd])
	// x/net/html reads the tag as self-closing when it ends in "/>", unless that '/'
	// ends an unquoted value, and then only if that value's attribute is not a repeat:
	// not worth following.
	selfClosing := p[end-2] == '/'
	if slashValue && (len(s.svg) > 0 || name.is("svg")) {
		return 0, false
	}
	if len(s.svg) > 0 {
		if !svgDrawing[string(name.b[:name.n])] {
			return 0, false
		}
		if name.is("title") || name.is("desc") {
			// These hold HTML: any markup in them is followed no further.
			lt := bytes.IndexByte(p[end:], '<')
			if lt < 0 || !hasPrefixFold(p[end+lt:], "</") || !hasPrefixFold(p[end+lt+2:], string(name.b[:name.n])) {
				return 0, false
			}
		}
		if !selfClosing {
			if len(s.svg) >= maxSVGDepth {
				return 0, false
			}
			s.svg = append(s.svg, name)
		}
		return end, true
	}
	switch string(name.b[:name.n]) {
	case "script", "style":
		close := rawTextEnd(p, end, name.b[:name.n])
		if close < 0 || name.is("script") && bytes.Contains(p[end:close], []byte("<!--")) {
			// A script that runs to the end of the page, or that "<!--" may put in the
			// escaped states, where "</script>" can be text.
			return 0, false
		}
		if name.is("style") || !mayBeJSONLD(p[i:end]) {
			s.drop(skipTagSpace(p[:close], end), close)
		}
		return close, true
	case "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript":
		// Raw text or RCDATA (noscript too, as pages are parsed with scripting on):
		// skipped, kept.
		close := rawTextEnd(p, end, name.b[:name.n])
		if close < 0 {
			return 0, false
		}
		return close, true
	case "svg":
		if !selfClosing {
			s.svg = append(s.svg[:0], name)
			s.svgContent, s.svgBlank = end, !s.svgMayBeIgnored
		}
		return end, true
	case "template":
		s.template = true
	case "col":
		s.svgMayBeIgnored = s.svgMayBeIgnored || s.template
	case "math", "select", "frameset", "plaintext":
		// MathML; the frameset modes, which ignore a <script> or <style> tag and keep
		// its text's white space elsewhere; <select> only as caution (x/net/html
		// v0.62 has no "in select" mode any more); plaintext is text to the end.
		return 0, false
	}
	return end, true
}

// endSVGElement takes the end tag name, which starts at page[at], inside an <svg>. Like
// the tree builder, it closes the innermost open SVG element of that name and those
// inside it; when that is the outermost <svg>, whose content then ends at at, the content
// is dropped if it holds no text. It reports false for an end tag that closes no SVG
// element: the tree builder hands that to the HTML rules, which the scanner does not
// follow.
func (s *unusedPartsScanner) endSVGElement(name tagName, at int) bool {
	for k := len(s.svg) - 1; k >= 0; k-- {
		if s.svg[k] == name {
			s.svg = s.svg[:k]
			if k == 0 && s.svgBlank {
				s.drop(s.svgContent, at)
			}
			return true
		}
	}
	return false
}

// maxSVGDepth bounds the scanner's stack of SVG elements, and so its memory on a page of
// deeply nested ones: x/net/html refuses pages with more than 512 open elements anyway.
const maxSVGDepth = 512

// svgDrawing are the SVG elements an icon or a chart is drawn with (and <title> and
// <desc>, followed only when they hold text alone). Inside an <svg>, the scanner follows
// only these: any other element may be one the tree builder leaves foreign content at, or
// an HTML integration point, where raw text elements work again.
var svgDrawing = map[string]bool{
	"svg": true, "g": true, "path": true, "circle": true, "ellipse": true, "line": true,
	"polyline": true, "polygon": true, "rect": true, "defs": true, "use": true,
	"symbol": true, "lineargradient": true, "radialgradient": true, "stop": true,
	"clippath": true, "mask": true, "pattern": true, "text": true, "tspan": true,
	"title": true, "desc": true,
}

// mayBeJSONLD reports whether a script start tag may give the script the type
// application/ld+json, which extraction reads: its bytes name it, or hold a character
// reference that could.
func mayBeJSONLD(tag []byte) bool {
	return bytes.Contains(tag, []byte("ld+json")) || bytes.IndexByte(tag, '&') >= 0
}

// readTag reads a tag whose name begins at p[i], as x/net/html's Tokenizer.readTag does,
// and returns where its name ends, the index after its '>', and whether the tag ends in
// an unquoted value whose last byte is the '/' of "/>" (as in <svg a=b/>). ok is false
// when the page ends inside the tag. Given onAttribute, it calls it for each attribute
// that has a name, as the tokenizer keeps them: the name is p[from:nameEnd], the attribute
// with its value, if it has one, p[from:to].
func readTag(p []byte, i int, onAttribute func(from, nameEnd, to int)) (nameEnd, end int, slashValue, ok bool) {
	nameEnd = tagNameEnd(p, i)
	i = nameEnd
	for {
		i = skipTagSpace(p, i)
		if i >= len(p) {
			return 0, 0, false, false
		}
		if p[i] == '>' {
			return nameEnd, i + 1, slashValue, true
		}
		// An attribute's name: an '=' first is part of it.
		from := i
		if p[i] == '=' {
			i++
		}
		for i < len(p) && tagByte[p[i]]&endsAttrName == 0 {
			i++
		}
		attrNameEnd, attrEnd := i, i
		// Its value.
		i = skipTagSpace(p, i)
		if i >= len(p) {
			return 0, 0, false, false
		}
		switch p[i] {
		case '/':
			i++
		case '=':
			i = skipTagSpace(p, i+1)
			if i >= len(p) {
				return 0, 0, false, false
			}
			switch q := p[i]; q {
			case '>':
			case '"', '\'':
				closeQuote := bytes.IndexByte(p[i+1:], q)
				if closeQuote < 0 {
					return 0, 0, false, false
				}
				i += 1 + closeQuote + 1
			default:
				for i < len(p) && tagByte[p[i]]&endsValue == 0 {
					i++
				}
				slashValue = i < len(p) && p[i] == '>' && p[i-1] == '/'
			}
			attrEnd = i
		}
		if onAttribute != nil && attrNameEnd > from {
			onAttribute(from, attrNameEnd, attrEnd)
		}
	}
}

// tagNameEnd returns where the name of the tag that begins at p[i] ends.
func tagNameEnd(p []byte, i int) int {
	for i < len(p) && tagByte[p[i]]&endsName == 0 {
		i++
	}
	return i
}

// dropIfUnread leaves out the attribute page[from:to] of the start tag being read if
// extraction never reads its name (page[from:nameEnd]). A drop that follows another of
// the same tag with only white space between takes the other's place: a tag's unread
// attributes cost one span however many there are, which bounds the scanner's memory on
// a page that is all attributes by the number of attributes kept.
func (s *unusedPartsScanner) dropIfUnread(from, nameEnd, to int) {
	if readAttribute(s.page[from:nameEnd]) {
		return
	}
	if n := len(s.drops); n > s.tagDrops && isTagSpaceOnly(s.page[s.drops[n-1].to:from]) {
		s.drops[n-1].to = to
		return
	}
	s.drop(from, to)
}

// changesSelfClosing reports whether the start tag that ends at page[end-1], less the
// attributes dropped from it, would read otherwise: whether what comes before its '>'
// turns to or from a '/', which makes a tag self-closing ("<p a/b>" would become "<p />").
func (s *unusedPartsScanner) changesSelfClosing(end int) bool {
	k := end - 2 // the byte before the '>', once the drops are made
	for j := len(s.drops) - 1; j >= s.tagDrops && s.drops[j].to == k+1; j-- {
		k = s.drops[j].from - 1
	}
	return (s.page[k] == '/') != (s.page[end-2] == '/')
}

// readAttribute reports whether extraction reads the attribute of this name (in any ASCII
// case, as the tokenizer folds it), or the tree builder does: every other attribute may be
// left out of the page without changing what extraction finds. TestReadAttributes checks
// this list against the extraction code.
func readAttribute(name []byte) bool {
	if readLowerAttribute(name) {
		return true
	}
	for _, c := range name {
		if 'A' <= c && c <= 'Z' { // rare: fold and ask again
			l := lowerName(name)
			return readLowerAttribute(l.b[:l.n])
		}
	}
	return false
}

func readLowerAttribute(name []byte) bool {
	switch string(name) {
	case "class", "id", "role", "hidden", "style", "aria-hidden", "data-hook", "itemprop", // choosing the body and leaving out chrome
		"rel", "href", "property", "content", "type", "lang", "datetime": // metadata; "type" also <input type=hidden> in a table
		return true
	}
	return false
}

// attributesCompared reports whether element name keeps all its attributes: those of
// formatting elements, which the tree builder compares (an element is dropped from its
// list of active formatting elements when three others have the same name and
// attributes), and of SVG and MathML, whose attributes it renames. <a> is one of them:
// the tree builder runs the adoption agency on an <a> still in that list before it adds
// another, but the agency gives up after eight rounds and leaves a clone of the old one
// in the list (an unclosed <a> followed by eight nested <div>s), so several <a> can be
// there together and be compared (TestUnreadAttributesOfLinksAreCompared).
func attributesCompared(name tagName) bool {
	switch string(name.b[:name.n]) {
	case "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
		"svg", "math":
		return true
	}
	return false
}

// What each byte does inside a tag, for readTag.
const (
	space        = 1 << iota // white space between a tag's parts
	endsName                 // ends the tag's name: white space, '/', '>'
	endsAttrName             // ends an attribute's name: those and '='
	endsValue                // ends an unquoted value: white space, '>'
)

var tagByte = func() (t [256]uint8) {
	for _, c := range " \n\r\t\f" {
		t[c] |= space | endsName | endsAttrName | endsValue
	}
	t['/'] |= endsName | endsAttrName
	t['>'] |= endsName | endsAttrName | endsValue
	t['='] |= endsAttrName
	return t
}()

// rawTextEnd returns the index of the end tag closing the raw text or RCDATA of element
// name that starts at p[i] ("</name" in any case, then white space, '/' or '>'), as the
// tokenizer finds it; -1 when the page ends first.
func rawTextEnd(p []byte, i int, name []byte) int {
	for {
		k := bytes.Index(p[i:], []byte("</"))
		if k < 0 {
			return -1
		}
		k += i
		after := k + 2 + len(name)
		if after >= len(p) {
			return -1
		}
		if hasPrefixFold(p[k+2:], string(name)) {
			switch p[after] {
			case ' ', '\n', '\r', '\t', '\f', '/', '>':
				return k
			}
		}
		i = k + 2
	}
}

// commentEnd returns the index after the comment whose text starts at p[i] (after its
// "<!--"), by x/net/html's rules: "-->", "--!>", or at once "<!-->" and "<!--->". ok is
// false when the page ends inside it.
func commentEnd(p []byte, i int) (end int, ok bool) {
	dashes, beginning := 0, true
	for ; i < len(p); i++ {
		switch p[i] {
		case '-':
			dashes++
			continue
		case '>':
			if dashes >= 2 || beginning {
				return i + 1, true
			}
		case '!':
			if dashes >= 2 {
				i++
				if i >= len(p) {
					return 0, false
				}
				switch p[i] {
				case '>':
					return i + 1, true
				case '-':
					dashes, beginning = 1, false
					continue
				}
			}
		}
		dashes, beginning = 0, false
	}
	return 0, false
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// isTagSpaceOnly reports whether text is white space alone, as the tree builder counts it.
func isTagSpaceOnly(text []byte) bool {
	for _, c := range text {
		if tagByte[c]&space == 0 {
			return false
		}
	}
	return true
}

func skipTagSpace(p []byte, i int) int {
	for i < len(p) && tagByte[p[i]]&space != 0 {
		i++
	}
	return i
}

// hasPrefixFold reports whether b begins with prefix, a lower-case ASCII string, in any
// ASCII case.
func hasPrefixFold(b []byte, prefix string) bool {
	if len(b) < len(prefix) {
		return false
	}
	for k := range len(prefix) {
		c := b[k]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[k] {
			return false
		}
	}
	return true
}

package extract

import (
	"bytes"
	"io"
)

// withoutScriptText reads page with the text of its scripts and style sheets left out,
// but for leading white space: "<script> f()</script>" becomes "<script> </script>", and
// the parsed page is the same tree less those text nodes. Extraction never reads them (it
// removes script and style elements before it looks for content), but x/net/html reads
// them a byte at a time and copies them into the tree: on the article's Wix rendering, a
// third of whose bytes are inline scripts and styles, that is a tenth of the parse, and
// real Wix pages carry far more (hundreds of kilobytes of "warmup data" JSON). JSON-LD
// scripts, which metadata comes from, keep their text. Leading white space stays because
// where the tree builder ignores a <script> or <style> tag (in a <template>'s column
// group) it keeps that white space as text and drops the rest.
//
// No library skips raw text without tokenizing it, so this is written here. It follows
// x/net/html's tokenizer (tags, attributes and their quoting, comments, declarations, the
// raw text of <script>, <style>, <textarea> and the like) only as far as needed to know
// where each script's text starts and ends. Wherever the tree builder could read the
// bytes otherwise than the tokenizer alone says, it stops and leaves the rest of the page
// as it is: at <math>, <frameset> (whose modes ignore the tags), <select> (as caution)
// and <plaintext>, at a script hiding markup in "<!--", at anything inside an <svg> other
// than plain drawing elements, and at any input that ends inside a tag, a comment or a
// script. FuzzDropScriptText checks the result against x/net/html itself: the page parses
// to the same tree, script and style text aside.
//
// The page is not copied: the reader skips the text.
func withoutScriptText(page []byte) io.Reader {
	s := scriptTextScanner{page: page}
	s.scan()
	if len(s.drops) == 0 {
		return bytes.NewReader(page)
	}
	return &skippingReader{page: page, drops: s.drops}
}

type scriptTextScanner struct {
	page  []byte
	drops []span // the text to leave out, in order
	// svg is the depth of <svg> elements the scanner is in. While it is 0 the tree
	// builder is not in foreign content: inside an <svg> the scanner follows only SVG
	// drawing elements and <title> and <desc> holding text alone, so no HTML element can
	// stand above an open <svg>, and each </svg> closes exactly one. (A count too high,
	// as when an HTML end tag closes an <svg> early, only stops the scanner sooner.)
	svg int
}

// span is page[from:to].
type span struct{ from, to int }

// drop leaves page[from:to] out.
func (s *scriptTextScanner) drop(from, to int) {
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

func (r *skippingReader) Read(b []byte) (int, error) {
	for len(r.drops) > 0 && r.pos >= r.drops[0].from {
		r.pos = r.drops[0].to
		r.drops = r.drops[1:]
	}
	if r.pos >= len(r.page) {
		return 0, io.EOF
	}
	end := len(r.page)
	if len(r.drops) > 0 {
		end = r.drops[0].from
	}
	n := copy(b, r.page[r.pos:end])
	r.pos += n
	return n, nil
}

// scan reads the page in the tokenizer's data state, as x/net/html's Tokenizer.Next does,
// dropping script and style text on the way. It returns where it stops following the
// page: the rest is kept as it is.
func (s *scriptTextScanner) scan() {
	p := s.page
	for i := 0; ; {
		lt := bytes.IndexByte(p[i:], '<')
		if lt < 0 || i+lt+1 >= len(p) {
			return
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
				nameEnd, end, ok := readTag(p, i+1)
				if !ok {
					return
				}
				if s.svg > 0 {
					var buf [16]byte
					switch name := lowerName(&buf, p[i+1:nameEnd]); {
					case string(name) == "svg":
						s.svg--
					case !svgDrawing[string(name)]:
						return
					}
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
			case s.svg > 0 && bytes.HasPrefix(p[i+1:], []byte("[CDATA[")):
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
		}
	}
}

// startTag reads the start tag whose name begins at s.page[i], and the raw text after it
// if it opens one, and returns where to go on reading; ok is false where the scanner stops
// following the page.
func (s *scriptTextScanner) startTag(i int) (next int, ok bool) {
	p := s.page
	nameEnd, end, ok := readTag(p, i)
	if !ok {
		return 0, false
	}
	if s.svg == 0 && (nameEnd-i < 3 || nameEnd-i > 9) {
		return end, true // none of the names below: most tags
	}
	var buf [16]byte
	name := lowerName(&buf, p[i:nameEnd])
	selfClosing := p[end-2] == '/'
	if s.svg > 0 {
		switch {
		case string(name) == "svg":
			if selfClosing {
				return 0, false // the tokenizer may read the '/' as part of a value
			}
			s.svg++
		case string(name) == "title" || string(name) == "desc":
			// These hold HTML: any markup in them is followed no further.
			lt := bytes.IndexByte(p[end:], '<')
			if lt < 0 || !hasPrefixFold(p[end+lt:], "</") || !hasPrefixFold(p[end+lt+2:], string(name)) {
				return 0, false
			}
		case !svgDrawing[string(name)]:
			return 0, false
		}
		return end, true
	}
	switch string(name) {
	case "script", "style":
		close := rawTextEnd(p, end, name)
		if close < 0 || string(name) == "script" && bytes.Contains(p[end:close], []byte("<!--")) {
			// A script that runs to the end of the page, or that "<!--" may put in the
			// escaped states, where "</script>" can be text.
			return 0, false
		}
		if string(name) == "style" || !mayBeJSONLD(p[i:end]) {
			// The leading white space is kept: where the tag is ignored (in a
			// <template>'s column group), the tree builder keeps it as text.
			s.drop(skipTagSpace(p[:close], end), close)
		}
		return close, true
	case "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript":
		// Raw text or RCDATA (noscript too, as pages are parsed with scripting on):
		// skipped, kept.
		close := rawTextEnd(p, end, name)
		if close < 0 {
			return 0, false
		}
		return close, true
	case "svg":
		if selfClosing {
			return 0, false // the tokenizer may read the '/' as part of a value
		}
		s.svg = 1
		return end, true
	case "math", "select", "frameset", "plaintext":
		// MathML; the frameset modes, which ignore a <script> or <style> tag and keep
		// its text's white space elsewhere; <select> only as caution (x/net/html
		// v0.62 has no "in select" mode any more); plaintext is text to the end.
		return 0, false
	}
	return end, true
}

// svgDrawing are the SVG elements an icon or a chart is drawn with. Inside an <svg>, the
// scanner follows only these (and <title> and <desc> holding text): any other element may
// be one the tree builder leaves foreign content at, or an HTML integration point, where
// raw text elements work again.
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

// lowerName folds a tag's name to ASCII lower case, as the tokenizer compares names, in
// buf; a name longer than any this file looks for is left empty.
func lowerName(buf *[16]byte, name []byte) []byte {
	if len(name) > len(buf) {
		return nil
	}
	for k, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[k] = c
	}
	return buf[:len(name)]
}

// readTag reads a tag whose name begins at p[i], as x/net/html's Tokenizer.readTag does,
// and returns where its name ends and the index after its '>'. ok is false when the page
// ends inside the tag.
func readTag(p []byte, i int) (nameEnd, end int, ok bool) {
	for i < len(p) && tagByte[p[i]]&endsName == 0 {
		i++
	}
	nameEnd = i
	for {
		i = skipTagSpace(p, i)
		if i >= len(p) {
			return 0, 0, false
		}
		if p[i] == '>' {
			return nameEnd, i + 1, true
		}
		// An attribute's name: an '=' first is part of it.
		if p[i] == '=' {
			i++
		}
		for i < len(p) && tagByte[p[i]]&endsAttrName == 0 {
			i++
		}
		// Its value.
		i = skipTagSpace(p, i)
		if i >= len(p) {
			return 0, 0, false
		}
		switch p[i] {
		case '/':
			i++
		case '=':
			i = skipTagSpace(p, i+1)
			if i >= len(p) {
				return 0, 0, false
			}
			switch q := p[i]; q {
			case '>':
			case '"', '\'':
				closeQuote := bytes.IndexByte(p[i+1:], q)
				if closeQuote < 0 {
					return 0, 0, false
				}
				i += 1 + closeQuote + 1
			default:
				for i < len(p) && tagByte[p[i]]&endsValue == 0 {
					i++
				}
			}
		}
	}
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

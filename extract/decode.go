package extract

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// Errors returned for inputs that are not an article page. They are wrapped with detail;
// test with errors.Is.
var (
	ErrEmpty     = errors.New("empty input")
	ErrBinary    = errors.New("binary content, not HTML")
	ErrNotHTML   = errors.New("no HTML markup")
	ErrTruncated = errors.New("truncated HTML")
	ErrNoContent = errors.New("no article content found")
)

// Charset returns the name of the character encoding ExtractBytes decodes page with, given
// its HTTP Content-Type (or ""), and whether the Content-Type decided it: whether the same
// bytes without it would be decoded with another. Two inputs with the same bytes are the
// same page only if they are decoded alike; a run uses this to tell them apart before
// parsing either (the Content-Type's charset wins over a <meta charset>, so one capture
// served as windows-1252 and another as UTF-8 read as different text).
func Charset(page []byte, contentType string) (name string, byHeader bool) {
	_, without, _ := charset.DetermineEncoding(page, "text/html")
	if !strings.Contains(strings.ToLower(contentType), "charset") {
		return without, false
	}
	_, with, _ := charset.DetermineEncoding(page, contentType)
	return with, with != without
}

// decode checks that b looks like an HTML page and returns it as UTF-8. The encoding is
// taken from a byte order mark, the contentType (an HTTP Content-Type header value, or ""),
// or a <meta charset> in the first 1024 bytes, in that order, as browsers do. A page that
// is valid UTF-8 already, nearly every one, is returned as it is, without a copy.
func decode(b []byte, contentType string) ([]byte, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, ErrEmpty
	}
	head := b[:min(len(b), 8192)]
	if bytes.IndexByte(head, 0) >= 0 && !hasUTF16BOM(head) {
		return nil, fmt.Errorf("%w (%s)", ErrBinary, http.DetectContentType(head))
	}
	sniffed := http.DetectContentType(head)
	if !strings.HasPrefix(sniffed, "text/") {
		return nil, fmt.Errorf("%w (%s)", ErrBinary, sniffed)
	}
	if contentType == "" {
		contentType = "text/html"
	}
	enc, name, _ := charset.DetermineEncoding(b, contentType)
	var text []byte
	if name == "utf-8" {
		text = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		if !utf8.Valid(text) {
			text = bytes.ToValidUTF8(text, []byte("\uFFFD"))
		}
	} else {
		out, err := enc.NewDecoder().Bytes(b)
		if err != nil {
			return nil, fmt.Errorf("decoding %s: %w", name, err)
		}
		if !utf8.Valid(out) {
			return nil, fmt.Errorf("%w: invalid %s text", ErrBinary, name)
		}
		text = out
	}
	if bytes.IndexByte(text, '<') < 0 {
		return nil, ErrNotHTML
	}
	if isTruncated(text) {
		return nil, fmt.Errorf("%w: the page opens <html> or <body> but never closes it", ErrTruncated)
	}
	return text, nil
}

func hasUTF16BOM(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF})
}

// isTruncated reports whether a page was cut off in transfer. HTML5 lets </body> and
// </html> be omitted, so only a page that writes an explicit <html> or <body> start tag and
// neither end tag is taken as cut off: CMS output always closes what it opens.
// Only the head and tail of the page are looked at, so the check costs the same for any size.
func isTruncated(text []byte) bool {
	const window = 64 << 10
	head := text[:min(len(text), window)]
	tail := text[max(0, len(text)-4*window):]
	opens := hasTagFold(head, "<html") || hasTagFold(head, "<body")
	closes := hasTagFoldFromEnd(tail, "</html") || hasTagFoldFromEnd(tail, "</body")
	return opens && !closes
}

// hasTagFold reports whether s contains tag (lowercase ASCII) in any letter case. It
// avoids lowering a copy of the page, which cost a quarter of extraction time.
func hasTagFold(s []byte, tag string) bool {
	for i := 0; ; {
		j := bytes.IndexByte(s[i:], '<')
		if j < 0 {
			return false
		}
		i += j
		if len(s)-i >= len(tag) && bytes.EqualFold(s[i:i+len(tag)], []byte(tag)) {
			return true
		}
		i++
	}
}

// hasTagFoldFromEnd is hasTagFold looking from the end of s, where end tags stand: it
// finds them without reading the whole page.
func hasTagFoldFromEnd(s []byte, tag string) bool {
	for end := len(s); ; {
		i := bytes.LastIndexByte(s[:end], '<')
		if i < 0 {
			return false
		}
		if len(s)-i >= len(tag) && bytes.EqualFold(s[i:i+len(tag)], []byte(tag)) {
			return true
		}
		end = i
	}
}

package quantity

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind classifies a token of a sentence.
type tokKind uint8

const (
	tWord  tokKind = iota // letters, then letters, ASCII digits, inner apostrophes and hyphens
	tNum                  // ASCII digits with inner '.', ',' or space separators ("107.600", "2,450", "10 000"), or a number in words
	tSym                  // one symbol rune that carries meaning for quantities, see symbols
	tPunct                // any other rune that is not white space
)

// symbols are the runes that become tSym tokens: currency signs, percent, superscript
// powers for areas and volumes, degrees and comparison signs.
const symbols = "$£€¥₹₽₺₩₪₦%‰²³~≈<>≤≥+−°℃℉"

// token is one lexical unit of a sentence. Offsets are bytes into the sentence.
type token struct {
	kind       tokKind
	text       string
	start, end int
	space      bool // white space or the start of the text comes before it

	// words is set for a number written in words ("three", "a quarter of a"), made by
	// wordNumbers; it is a pointer to keep the tokens of digits small.
	words *wordNumber
}

// wordNumber is the value of a number written in words; a fraction or a "-fold" carries
// its own unit and kind.
type wordNumber struct {
	value      float64
	unit, kind string
}

// tokenize appends the tokens of s to toks. It never fails: invalid UTF-8 bytes become
// tPunct tokens.
func tokenize(toks []token, s string) []token {
	space := true
	for i := 0; i < len(s); {
		r, w := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRuneInString(s[i:])
		}
		if r == ' ' || unicode.IsSpace(r) {
			space = true
			i += w
			continue
		}
		end := i + w
		kind := tPunct
		switch {
		case isDigit(r):
			kind, end = tNum, spaceGrouped(s, i, scanNumber(s, i))
		case unicode.IsLetter(r):
			kind, end = tWord, scanWord(s, i)
		case strings.ContainsRune(symbols, r):
			kind = tSym
		}
		toks = append(toks, token{kind: kind, text: s[i:end], start: i, end: end, space: space})
		space = false
		i = end
	}
	return toks
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// scanNumber returns the end of the number starting at i. A '.' or ',' belongs to the
// number only between two digits, so "in 2014." and "9.000, 10" end before the punctuation.
func scanNumber(s string, i int) int {
	for i < len(s) {
		switch {
		case isDigit(rune(s[i])):
			i++
		case (s[i] == '.' || s[i] == ',') && i+1 < len(s) && isDigit(rune(s[i+1])) && i > 0 && isDigit(rune(s[i-1])):
			i++
		default:
			return i
		}
	}
	return i
}

// isGroupSpace reports whether r can separate groups of digits: a space, a no-break space
// or a thin space, as "10 000" and "10\u202f000" are written.
func isGroupSpace(r rune) bool {
	return r == ' ' || r == '\u00a0' || r == '\u2009' || r == '\u202f'
}

// spaceGrouped extends the number s[i:end] over groups of three digits set apart by one
// space ("10 000", "1 250 000"), with a decimal part after the last ("10 000,5"). The whole
// run of digit groups must be well formed (a first group of one to three digits without a
// leading zero, then groups of exactly three) and stand alone: a run that starts earlier
// ("in 2019 250 000"), goes on ("020 7946 0958") or follows a "+" (a phone number) is
// left as separate numbers.
func spaceGrouped(s string, i, end int) int {
	head := s[i:end]
	if len(head) > 3 || strings.ContainsAny(head, ".,") || head[0] == '0' && len(head) > 1 {
		return end
	}
	if r, w := utf8.DecodeLastRuneInString(s[:i]); i > 0 && (r == '+' || isGroupSpace(r) && i-w > 0 && isDigit(rune(s[i-w-1]))) {
		return end
	}
	out := end
	for {
		r, w := utf8.DecodeRuneInString(s[out:])
		if out >= len(s) || !isGroupSpace(r) {
			break
		}
		g := out + w
		n := g
		for n < len(s) && isDigit(rune(s[n])) {
			n++
		}
		if n == g {
			break // a space and then no digit: the number ends
		}
		if n-g != 3 {
			return end // a malformed group: these are separate numbers
		}
		out = n
	}
	if out == end {
		return end
	}
	// A decimal part: "10 000,5", "1 250 000.75".
	if out+1 < len(s) && (s[out] == '.' || s[out] == ',') && isDigit(rune(s[out+1])) {
		n := out + 1
		for n < len(s) && isDigit(rune(s[n])) {
			n++
		}
		if n-out-1 != 3 {
			out = n
		}
	}
	return out
}

// scanWord returns the end of the word starting at i. Apostrophes and hyphens stay inside
// a word only between letters ("ISIS’s", "long-term"), so "10-year" keeps its hyphen apart.
func scanWord(s string, i int) int {
	for i < len(s) {
		// Nearly every character is an ASCII letter: it is told apart before anything
		// is decoded.
		if asciiWordByte[s[i]] {
			i++
			continue
		}
		r, w := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case unicode.IsLetter(r) || isDigit(r) || r >= utf8.RuneSelf && unicode.Is(unicode.Mn, r):
			i += w
		case r == '\'' || r == '’' || r == '-' || r == '‐':
			next, _ := utf8.DecodeRuneInString(s[i+w:])
			if !unicode.IsLetter(next) {
				return i
			}
			i += w
		default:
			return i
		}
	}
	return i
}

// asciiWordByte marks the ASCII letters and digits.
var asciiWordByte = func() (word [256]bool) {
	for c := range utf8.RuneSelf {
		word[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return word
}()

// adjacent reports whether toks[j] exists and touches the token before it.
func adjacent(toks []token, j int) bool {
	return j > 0 && j < len(toks) && !toks[j].space
}

// wordAt returns the lowercased text of toks[j] if it is a word, or "".
func wordAt(toks []token, j int) string {
	if j < 0 || j >= len(toks) || toks[j].kind != tWord {
		return ""
	}
	return strings.ToLower(toks[j].text)
}

// isPunct reports whether toks[j] exists and is the punctuation or symbol p.
func isPunct(toks []token, j int, p ...string) bool {
	if j < 0 || j >= len(toks) || (toks[j].kind != tPunct && toks[j].kind != tSym) {
		return false
	}
	for _, q := range p {
		if toks[j].text == q {
			return true
		}
	}
	return false
}

// phrases are the candidate phrases of up to three tokens starting at one token, for
// looking up in the lexicons. Phrase i (from 0) is of i+1 tokens; its key is its tokens
// lowercased and joined by " " where white space separates them. Every key is a prefix of
// the longest, so they share one buffer: phrases are looked up around every number, and
// building each key as a string of its own made most of the parser's garbage.
type phrases struct {
	keys []byte // the longest phrase's key
	ends [3]int // ends[i] is the length of phrase i's key
	next [3]int // next[i] is the index of the token after phrase i
	n    int
}

// key returns the key of phrase i.
func (ps *phrases) key(i int) []byte { return ps.keys[:ps.ends[i]] }

// phrasesAt returns the candidate phrases starting at toks[j], up to max (at most 3)
// tokens, with their keys in buf. Only words, the symbols that can be part of a unit ("²",
// "%", ...) and the punctuation "." and "/" take part, so a phrase never runs across a
// comma or bracket.
func phrasesAt(buf []byte, toks []token, j, max int) phrases {
	ps := phrases{keys: buf}
	for k := j; k < len(toks) && k < j+max; k++ {
		t := toks[k]
		if t.kind == tNum || (t.kind == tPunct && t.text != "." && t.text != "/") {
			break
		}
		if k > j && t.space {
			ps.keys = append(ps.keys, ' ')
		}
		ps.keys = appendLower(ps.keys, t.text)
		ps.ends[ps.n], ps.next[ps.n] = len(ps.keys), k+1
		ps.n++
	}
	return ps
}

// lookupPhrase returns the entry of lexicon for the longest phrase starting at toks[j], of
// up to max tokens, and the index of the token after the phrase; ok is false when no
// phrase there is in the lexicon.
func lookupPhrase[V any](toks []token, j, max int, lexicon map[string]V) (v V, next int, ok bool) {
	var buf [64]byte
	ps := phrasesAt(buf[:0], toks, j, max)
	for i := ps.n - 1; i >= 0; i-- {
		if v, ok := lexicon[string(ps.key(i))]; ok {
			return v, ps.next[i], true
		}
	}
	return v, j, false
}

// appendLower appends s in lower case, as strings.ToLower writes it, to b.
func appendLower(b []byte, s string) []byte {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return append(b, strings.ToLower(s)...)
		}
	}
	for i := range len(s) {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

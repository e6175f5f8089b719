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
	tNum                  // ASCII digits with inner '.' or ',' separators: "107.600", "2,450"
	tSym                  // one symbol rune that carries meaning for quantities, see symbols
	tPunct                // any other rune that is not white space
)

// symbols are the runes that become tSym tokens: currency signs, percent, superscript
// powers for areas and volumes, and comparison signs.
const symbols = "$£€¥₹₽₺₩₪₦%‰²³~≈<>≤≥+−"

// token is one lexical unit of a sentence. Offsets are bytes into the sentence.
type token struct {
	kind       tokKind
	text       string
	start, end int
	space      bool // white space or the start of the text comes before it
}

// tokenize splits s into tokens. It never fails: invalid UTF-8 bytes become tPunct tokens.
func tokenize(s string) []token {
	var toks []token
	space := true
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			space = true
			i += w
			continue
		}
		end := i + w
		kind := tPunct
		switch {
		case isDigit(r):
			kind, end = tNum, scanNumber(s, i)
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

// scanWord returns the end of the word starting at i. Apostrophes and hyphens stay inside
// a word only between letters ("ISIS’s", "long-term"), so "10-year" keeps its hyphen apart.
func scanWord(s string, i int) int {
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || isDigit(r):
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

// phrase is a match of a multi-token lexicon entry.
type phrase struct {
	key string // lowercased tokens, joined by " " where white space separates them
	end int    // index of the token after the phrase
}

// phrases returns the candidate phrases starting at toks[j], longest first, up to max
// tokens. Only words, the symbols that can be part of a unit ("²", "%", ...) and the
// punctuation "." and "/" take part, so a phrase never runs across a comma or bracket.
func phrases(toks []token, j, max int) []phrase {
	var out []phrase
	var sb strings.Builder
	for k := j; k < len(toks) && k < j+max; k++ {
		t := toks[k]
		if t.kind == tNum || (t.kind == tPunct && t.text != "." && t.text != "/") {
			break
		}
		if k > j && t.space {
			sb.WriteByte(' ')
		}
		sb.WriteString(strings.ToLower(t.text))
		out = append(out, phrase{key: sb.String(), end: k + 1})
	}
	for l, r := 0, len(out)-1; l < r; l, r = l+1, r-1 {
		out[l], out[r] = out[r], out[l]
	}
	return out
}

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

// tokenize splits s into tokens. It never fails: invalid UTF-8 bytes become tPunct tokens.
func tokenize(s string) []token {
	toks := make([]token, 0, len(s)/5+1)
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

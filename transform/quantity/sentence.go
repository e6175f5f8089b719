package quantity

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a sentence of a text: Text is text[Start:End].
type Span struct {
	Text       string
	Start, End int // byte offsets in the text given to SplitSentences
}

// SplitSentences splits a paragraph into sentences and returns them in order, each as it
// stands in the input with surrounding white space and leading list bullets ("•", "·")
// trimmed. A sentence ends at ".", "!", "?" or "…" (with any closing quotes or brackets)
// followed by white space and a word that can start a sentence, which is anything but a
// lowercase letter; it also ends at a blank line and before a line that starts with a
// bullet. It does not end inside a number ("107.600km2", "3.2 million"), after an
// abbreviation ("U.S.", "e.g.", "No.", "St.", a single initial) or inside matched
// brackets. A sentence that ends with an abbreviation ("... in the U.S. Then") is joined
// to the next one; that is the price of not breaking "the U.S. Army".
func SplitSentences(text string) []Span {
	if strings.IndexByte(text, '\n') < 0 {
		return splitBlock(text, 0, len(text), nil) // one line, as every block's text is
	}
	var spans []Span
	for _, b := range blocks(text) {
		spans = splitBlock(text, b[0], b[1], spans)
	}
	return spans
}

// blocks returns the ranges of text between hard breaks: blank lines and line breaks
// before a bullet. Brackets never pair across them.
func blocks(text string) [][2]int {
	var out [][2]int
	start := 0
	for i := 0; ; i++ {
		k := strings.IndexByte(text[i:], '\n')
		if k < 0 {
			break
		}
		i += k
		j := i + 1
		for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
			j++
		}
		r, _ := utf8.DecodeRuneInString(text[j:])
		if j < len(text) && (text[j] == '\n' || isBullet(r)) {
			out = append(out, [2]int{start, i})
			start = i + 1
		}
	}
	return append(out, [2]int{start, len(text)})
}

// splitBlock appends the sentences of text[from:to] to spans.
func splitBlock(text string, from, to int, spans []Span) []Span {
	block := text[from:to]
	guarded := asides{pairs: outermost(bracketPairs(block))}
	start := 0
	for i := 0; i < len(block); {
		if !mayEndSentence[block[i]] {
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(block[i:])
		if !isTerminal(r) && r != ')' || guarded.inside(i) {
			i += w
			continue
		}
		if r == ')' && !closesSentence(block, i) {
			i += w
			continue
		}
		end := terminalEnd(block, i)
		if r == '.' && abbreviationBefore(block, i) || !startsSentence(block, end) {
			i = end
			continue
		}
		spans = appendSpan(spans, text, from+start, from+end)
		start, i = end, end
	}
	return appendSpan(spans, text, from+start, to)
}

// asides tells which bytes of a block lie strictly inside a matched bracket pair, where no
// sentence ends, for positions asked in increasing order.
type asides struct {
	pairs [][2]int // the outermost pairs, in order
}

// inside reports whether byte i lies strictly inside a pair. Each i asked must be at least
// the one asked before.
func (a *asides) inside(i int) bool {
	for len(a.pairs) > 0 && a.pairs[0][1] <= i {
		a.pairs = a.pairs[1:]
	}
	return len(a.pairs) > 0 && a.pairs[0][0] < i
}

// outermost returns the pairs that no other pair holds, in order. Matched pairs nest or
// stand apart, never overlap, so a byte inside any pair is inside one of these.
func outermost(pairs [][2]int) [][2]int {
	if len(pairs) < 2 {
		return pairs
	}
	sorted := slices.Clone(pairs)
	slices.SortFunc(sorted, func(a, b [2]int) int { return a[0] - b[0] })
	out := sorted[:1]
	for _, p := range sorted[1:] {
		if p[0] > out[len(out)-1][1] {
			out = append(out, p)
		}
	}
	return out
}

// mayEndSentence marks the bytes a terminal mark or ")" starts with: splitBlock decodes
// only the characters that start with one of them.
var mayEndSentence = func() (marks [256]bool) {
	for _, r := range ".!?…)" {
		marks[string(r)[0]] = true
	}
	return marks
}()

func isTerminal(r rune) bool { return r == '.' || r == '!' || r == '?' || r == '…' }

func isBullet(r rune) bool { return strings.ContainsRune("•·‣▪◦●○■□", r) }

// terminalEnd returns the end of the run of terminal marks and closing quotes and
// brackets that starts at i: "?!", "...", `."`, ".)".
func terminalEnd(block string, i int) int {
	for i < len(block) {
		r, w := utf8.DecodeRuneInString(block[i:])
		if !isTerminal(r) && !strings.ContainsRune(`"'”’»)]`, r) {
			break
		}
		i += w
	}
	return i
}

// closesSentence reports whether the bracket at i closes an aside that ends with a
// terminal mark ("(See above.) Next"), which ends the sentence too.
func closesSentence(block string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(block[:i], `"'”’»`))
	return isTerminal(r) && !(r == '.' && abbreviationBefore(block, strings.LastIndexByte(block[:i], '.')))
}

// startsSentence reports whether white space follows end and then the end of the block
// or a rune that can start a sentence: anything but a lowercase letter.
func startsSentence(block string, end int) bool {
	rest := strings.TrimLeftFunc(block[end:], unicode.IsSpace)
	if len(rest) == len(block)-end && rest != "" {
		return false // no white space after the mark: "3.2", "U.S.A."
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return rest == "" || !unicode.IsLower(r)
}

// abbreviationBefore reports whether the "." at i ends an abbreviation: a word with
// inner dots ("U.S.", "e.g."), a single capital initial ("J.") or a listed abbreviation.
func abbreviationBefore(block string, i int) bool {
	// Abbreviations are short; the bound keeps a long run of dotted letters linear.
	j := i
	for j > 0 && i-j < 16 {
		r, w := utf8.DecodeLastRuneInString(block[:j])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		j -= w
	}
	word := strings.TrimLeft(block[j:i], ".")
	if word == "" {
		return false
	}
	if strings.Contains(word, ".") {
		return true
	}
	r, w := utf8.DecodeRuneInString(word)
	if w == len(word) && unicode.IsUpper(r) {
		return true
	}
	return abbreviations[strings.ToLower(word)]
}

// abbreviations end with a "." that does not end the sentence ("No. 5", "St. Louis").
var abbreviations = setOf(`no nos nr st mr mrs ms dr prof gen gov sen rep lt col capt sgt
	jr sr inc ltd co corp vs approx ca cf fig vol pp art sec dept univ ave rd mt jan feb mar
	apr jun jul aug sep sept oct nov dec est`)

// appendSpan appends text[start:end], trimmed of white space and leading bullets, unless
// nothing is left.
func appendSpan(spans []Span, text string, start, end int) []Span {
	for start < end {
		r, w := utf8.DecodeRuneInString(text[start:end])
		if !unicode.IsSpace(r) && !isBullet(r) {
			break
		}
		start += w
	}
	for end > start {
		r, w := utf8.DecodeLastRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= w
	}
	if start == end {
		return spans
	}
	return append(spans, Span{Text: text[start:end], Start: start, End: end})
}

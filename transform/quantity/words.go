package quantity

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Numbers written in words. wordNumbers turns them into number tokens before quantities
// are read, so that "three reservoirs", "a dozen countries", "two million people", "half
// a million refugees" and "a quarter of a million doses" read like their digit forms.
// A multiplier word after the number ("million") stays a token of its own and scales it
// as it scales digits. Fractions of a whole ("a third of the population", "two-thirds of
// households", "half of all", "one in five adults") are percentages: 100/3, 200/3, 50 and
// 20 percent. "Tenfold" and the like are ratios: 10 times.
//
// Words that are numbers only sometimes are left alone: "one" is read only before a
// multiplier, "hundred", a fraction or "in" ("one million", "one in five"), and "a" only
// as part of a larger phrase ("a dozen", "a million", "a third of"). A number in words
// never takes the unit of an earlier fact: "three of them" states nothing.

var smallNumbers = map[string]float64{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
	"fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}

var tens = map[string]float64{
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
	"eighty": 80, "ninety": 90,
}

// fractionWords are the denominators of fractions in words, singular and plural.
var fractionWords = map[string]float64{
	"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
	"fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
	"seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9,
	"tenth": 10, "tenths": 10,
}

// foldWords are ratios written as one word.
var foldWords = map[string]float64{
	"twofold": 2, "threefold": 3, "fourfold": 4, "fivefold": 5, "sixfold": 6,
	"sevenfold": 7, "eightfold": 8, "ninefold": 9, "tenfold": 10, "twelvefold": 12,
	"twentyfold": 20, "fiftyfold": 50, "hundredfold": 100, "thousandfold": 1000,
}

// The unit and kind of "-fold" ratios.
const (
	unitTimes = "times"
	kindRatio = "ratio"
)

// cardinal reads the number word at toks[k] ("seven", "twenty", "twenty-five"),
// reporting false for anything else. "one" is read by the callers that allow it.
func cardinal(toks []token, k int) (float64, bool) {
	w := wordAt(toks, k)
	if v, ok := smallNumbers[w]; ok {
		return v, true
	}
	if v, ok := tens[w]; ok {
		return v, true
	}
	if t, u, ok := strings.Cut(w, "-"); ok {
		if tv, ok := tens[t]; ok {
			if uv, ok := smallNumbers[u]; ok && uv < 10 {
				return tv + uv, true
			}
		}
	}
	return 0, false
}

// wordPhrase reads a number in words starting at toks[k] and returns the token it stands
// for and the index after it; ok is false when none starts there.
func wordPhrase(toks []token, k int) (token, int, bool) {
	w := wordAt(toks, k)
	if w == "" || !toks[k].space && k > 0 && !isPunct(toks, k-1, "(", "[", "“", "\"", "‘") {
		return token{}, k, false
	}
	next := func(n int) string {
		if k+n < len(toks) && toks[k+n].space {
			return wordAt(toks, k+n)
		}
		return ""
	}
	isMult := func(w string) bool { return multiplierWords[w] != 0 && !strings.HasSuffix(w, "s") || w == "hundred" }
	mk := func(n int, v float64, unit, kind string) (token, int, bool) {
		return token{kind: tNum, text: "", start: toks[k].start, end: toks[k+n-1].end, space: toks[k].space,
			words: &wordNumber{value: v, unit: unit, kind: kind}}, k + n, true
	}
	if v, ok := foldWords[w]; ok {
		return mk(1, v, unitTimes, kindRatio)
	}
	// The numerator of a phrase: "a", "one" or a cardinal.
	num, isA := 0.0, w == "a" || w == "an"
	switch {
	case isA || w == "one":
		num = 1
	default:
		if v, ok := cardinal(toks, k); ok {
			num = v
		}
	}
	// "two-thirds", "three-quarters": a fraction in one token.
	if n, d, ok := strings.Cut(w, "-"); ok {
		if nv, ok := smallNumbers[n]; ok {
			if dv, ok := fractionWords[d]; ok && fractionEnds(toks, k+1) {
				return mk(1, 100*nv/dv, "percent", "percent")
			}
		}
	}
	// "half of", "half a million", "half a dozen".
	if w == "half" {
		if next(1) == "a" && isMult(next(2)) {
			return mk(2, 0.5, "", "")
		}
		if next(1) == "a" && next(2) == "dozen" {
			return mk(3, 6, "", "")
		}
		if next(1) == "of" || fractionBefore(toks, k) {
			return mk(1, 50, "percent", "percent")
		}
		return token{}, k, false
	}
	if num == 0 {
		return token{}, k, false
	}
	// "a quarter of a million", "three quarters of a billion", "a third of the population".
	if d, ok := fractionWords[next(1)]; ok && next(1) != "half" {
		if next(2) == "of" && next(3) == "a" && isMult(next(4)) {
			return mk(4, num/d, "", "")
		}
		if fractionEnds(toks, k+2) {
			return mk(2, 100*num/d, "percent", "percent")
		}
		return token{}, k, false
	}
	// "one in five", "three out of four".
	if next(1) == "in" && !isA {
		if d, ok := cardinal(toks, k+2); ok && d > num && toks[k+2].space {
			return mk(3, 100*num/d, "percent", "percent")
		}
	}
	if next(1) == "out" && next(2) == "of" && !isA {
		if d, ok := cardinal(toks, k+3); ok && d > num && toks[k+3].space {
			return mk(4, 100*num/d, "percent", "percent")
		}
	}
	// "a dozen", "two dozen".
	if next(1) == "dozen" {
		return mk(2, 12*num, "", "")
	}
	// "two hundred", "a hundred and fifty".
	if next(1) == "hundred" {
		v := 100 * num
		if next(2) == "and" {
			if m, ok := cardinal(toks, k+3); ok && toks[k+3].space {
				return mk(4, v+m, "", "")
			}
		}
		if m, ok := cardinal(toks, k+2); ok && toks[k+2].space {
			return mk(3, v+m, "", "")
		}
		return mk(2, v, "", "")
	}
	// "a million", "one billion": the multiplier is read after the number.
	if isA || w == "one" {
		if isMult(next(1)) {
			return mk(1, 1, "", "")
		}
		return token{}, k, false
	}
	// "twenty five" written apart.
	if _, ok := tens[w]; ok {
		if u, ok := smallNumbers[next(1)]; ok && u < 10 {
			return mk(2, num+u, "", "")
		}
	}
	return mk(1, num, "", "")
}

// fractionEnds reports whether a fraction word before toks[k] is a share of something:
// "of" follows ("a third of the population"), a function word ("cut by a third in
// March"), a comparative ("a third lower") or the end of the clause ("cut by a third.").
// "A third reservoir" is an ordinal.
func fractionEnds(toks []token, k int) bool {
	return k >= len(toks) || toks[k].kind == tPunct || nounStopwords[wordAt(toks, k)] || comparatives[wordAt(toks, k)]
}

// comparatives after a fraction make it a change: "roughly a third lower".
var comparatives = setOf(`lower higher smaller larger bigger greater cheaper dearer faster slower
	longer shorter`)

// fractionBefore reports whether a bare "half" at toks[k] is a share: a comparator or
// "by" comes before it ("roughly half", "just over half", "cut by half").
func fractionBefore(toks []token, k int) bool {
	one, two := wordAt(toks, k-1), wordAt(toks, k-2)+" "+wordAt(toks, k-1)
	return one == "by" || one != "" && comparatorsBefore[one] != "" || comparatorsBefore[two] != ""
}

// suspendedFold reads "two- or threefold" and "two- to threefold" at toks[k]: both
// ratios, each with the whole phrase as its text.
func suspendedFold(toks []token, k int) (lo, hi token, ok bool) {
	n, isNum := cardinal(toks, k)
	if !isNum || !isPunct(toks, k+1, "-", "‐", "\u2011") || !adjacent(toks, k+1) {
		return lo, hi, false
	}
	if w := wordAt(toks, k+2); w != "or" && w != "to" || k+3 >= len(toks) {
		return lo, hi, false
	}
	m, isFold := foldWords[wordAt(toks, k+3)]
	if !isFold || m <= n {
		return lo, hi, false
	}
	lo = token{kind: tNum, start: toks[k].start, end: toks[k+3].end, space: toks[k].space,
		words: &wordNumber{value: n, unit: unitTimes, kind: kindRatio}}
	hi = lo
	hi.words = &wordNumber{value: m, unit: unitTimes, kind: kindRatio}
	return lo, hi, true
}

// digitShare reads "1 in 5" and "3 out of 4" at toks[k], in digits: a percentage.
func digitShare(toks []token, k int) (token, int, bool) {
	if toks[k].kind != tNum || toks[k].words != nil {
		return token{}, k, false
	}
	d := k + 2
	switch {
	case wordAt(toks, k+1) == "in":
	case wordAt(toks, k+1) == "out" && wordAt(toks, k+2) == "of":
		d = k + 3
	default:
		return token{}, k, false
	}
	if d >= len(toks) || toks[d].kind != tNum || toks[d].words != nil || !toks[d].space {
		return token{}, k, false
	}
	n, err1 := strconv.Atoi(toks[k].text)
	m, err2 := strconv.Atoi(toks[d].text)
	if err1 != nil || err2 != nil || n <= 0 || m <= n || m > 1000 || leadingZero(toks[k].text) {
		return token{}, k, false
	}
	return token{kind: tNum, start: toks[k].start, end: toks[d].end, space: toks[k].space,
		words: &wordNumber{value: 100 * float64(n) / float64(m), unit: "percent", kind: "percent"}}, d + 1, true
}

// startsNumber reports whether a word can begin a number in words. It is asked of every
// word of a document, so it lowers an ASCII word (nearly every one) on the stack.
func startsNumber(w string) bool {
	if head, _, ok := strings.Cut(w, "-"); ok {
		w = head
	}
	var buf [16]byte
	if len(w) == 0 || len(w) > len(buf) || !isASCII(w) {
		return numberStarts[strings.ToLower(w)]
	}
	if numberStartShapes[w[0]|0x20]&(1<<len(w)) == 0 {
		return false // no number word starts with this letter and has this length
	}
	lower := buf[:len(w)]
	for i := range len(w) {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	return numberStarts[string(lower)]
}

// numberStartShapes has, for each letter a number word begins with, a bit for each length
// such words have: most words are ruled out without a lookup.
var numberStartShapes = func() (shapes [256]uint32) {
	for w := range numberStarts {
		shapes[w[0]] |= 1 << len(w)
	}
	return shapes
}()

// mayStateFacts reports whether a sentence can state a fact at all: it has a digit, or a
// word a number in words begins with ("three", "half", "twofold"; "a" and "an" only before
// a fraction, "dozen", "hundred" or a multiplier: "a quarter", "a million"). It reads the
// words as tokenize would cut them, without making tokens: most sentences state nothing and
// are passed over for the price of reading them once.
func mayStateFacts(s string) bool {
	article := false // the word before was "a" or "an", with only white space since
	for i := 0; i < len(s); {
		r, w := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case isDigit(r):
			return true
		case unicode.IsLetter(r):
			end := scanWord(s, i)
			word := s[i:end]
			if article && followsArticle(strings.ToLower(word)) {
				return true
			}
			article = false
			if startsNumber(word) {
				if lower := strings.ToLower(word); lower != "a" && lower != "an" {
					return true
				}
				article = true
			}
			i = end
			continue
		case unicode.IsSpace(r):
		default:
			article = false
		}
		i += w
	}
	return false
}

// followsArticle reports whether "a" or "an" makes a number with the word after it (see
// wordPhrase).
func followsArticle(w string) bool {
	_, fraction := fractionWords[w]
	return fraction && w != "half" || w == "dozen" || w == "hundred" ||
		multiplierWords[w] != 0 && !strings.HasSuffix(w, "s")
}

// numberStarts are the words a number in words begins with.
var numberStarts = func() map[string]bool {
	m := map[string]bool{"a": true, "an": true, "one": true, "half": true}
	for _, words := range []map[string]float64{smallNumbers, tens, foldWords} {
		for w := range words {
			m[w] = true
		}
	}
	return m
}()

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// wordNumbers appends to out the tokens toks with each number in words replaced by one
// tNum token whose text is the words as written in s. When there is none it appends
// nothing and reports false: toks are the tokens to read.
func wordNumbers(out []token, s string, toks []token) ([]token, bool) {
	from := 0 // toks[:from] are in out, as they are or as the numbers they make
	for k := 0; k < len(toks); {
		switch {
		case toks[k].kind == tNum:
			if t, next, ok := digitShare(toks, k); ok {
				t.text = s[t.start:t.end]
				out = append(append(out, toks[from:k]...), t)
				k, from = next, next
				continue
			}
		case toks[k].kind == tWord && startsNumber(toks[k].text):
			if lo, hi, ok := suspendedFold(toks, k); ok {
				lo.text, hi.text = s[lo.start:lo.end], s[hi.start:hi.end]
				out = append(append(out, toks[from:k]...), lo, hi)
				k, from = k+4, k+4
				continue
			}
			if t, next, ok := wordPhrase(toks, k); ok {
				t.text = s[t.start:t.end]
				out = append(append(out, toks[from:k]...), t)
				k, from = next, next
				continue
			}
		}
		k++
	}
	if from == 0 {
		return out, false
	}
	return append(out, toks[from:]...), true
}

package quantity

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kinds the reader sets itself; the other values of Fact.Kind come from the lexicons.
const (
	kindCount    = "count"
	kindCurrency = "currency"
	kindRate     = "rate"
)

// Fact is one numeric fact a sentence states.
type Fact struct {
	Value      float64 // fully scaled and signed: "3.2 million" is 3200000
	Unit       string  // canonical unit, never empty: "people", "percent", "km2", "USD", "barrels_per_day"
	Kind       string  // count, currency, percent, ratio, area, length, mass, volume, duration, temperature or rate
	Raw        string  // the number with its currency, multiplier, percent or notation unit
	Start, End int     // byte offsets of Raw in the sentence
	Comparator string  // "", MoreThan, AtLeast, LessThan, AtMost or About
	Location   string  // canonical places the sentence ties the number to, joined by ", ", or ""
}

// Facts returns the numeric facts stated in one sentence, in order of appearance, reading
// every number under the grouping convention g (see DetectGrouping). It returns nil when
// the sentence states none. Facts never fails: text it cannot read is left out.
func Facts(sentence string, g Grouping) []Fact {
	var s Scanner
	return s.Facts(sentence, g)
}

// A Scanner reads a document's numbers as DetectGrouping and Facts do, keeping its working
// memory from one line or sentence to the next: a document has hundreds of sentences, and
// allocating their tokens afresh cost as much as reading them. The zero value is ready to
// use. A Scanner must not be used by several goroutines at once.
type Scanner struct {
	toks     []token   // the tokens of the last sentence
	words    []token   // the same with numbers in words as single tokens, when it has any
	readings []reading // the quantities read in the last sentence
}

// Facts is the package's Facts, working in s's memory. The facts returned are the
// caller's: they share nothing with s.
func (sc *Scanner) Facts(sentence string, g Grouping) []Fact {
	if !mayStateFacts(sentence) {
		return nil
	}
	return sc.read(sentence, g)
}

// read is Facts without the quick look at the sentence first.
func (sc *Scanner) read(sentence string, g Grouping) []Fact {
	// A sentence has about one token for every five or six bytes.
	toks := tokenize(slices.Grow(sc.toks[:0], len(sentence)/4), sentence)
	sc.toks = toks
	if words, ok := wordNumbers(sc.words[:0], sentence, toks); ok {
		sc.words, toks = words, words
	}
	rs := sc.readings[:0]
	var prev *reading  // the fact a bare number may take its unit from
	var shadow reading // a prev that is not itself a fact
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.kind == tPunct && t.text == ";":
			// A semicolon starts a new clause about something else: "We raised $5
			// million; 3 joined later" gives the 3 no dollars.
			prev = nil
		case t.kind == tNum:
			lo, hi, next, ok := readRange(toks, i, g)
			if ok {
				rs = append(rs, lo, hi)
				prev = &rs[len(rs)-1]
				i = next - 1
				continue
			}
			if next > 0 {
				// A range left unread ("10–15,000 people"): neither end is read on its
				// own, and a bare number after it refers to nothing it could be sure of.
				prev = nil
				i = next - 1
				continue
			}
			if inRange(toks, i) {
				continue
			}
			if r, ok := readQuantity(toks, i, g, prev, false, false); ok {
				rs = append(rs, r)
				if !r.named {
					prev = &rs[len(rs)-1]
					continue
				}
				// "Of the 6 million refugees, 50 were journalists and 2.5 million were
				// children": the numbers after "50 were journalists" still refer to the
				// refugees, but no longer in millions when it counted on its own scale
				// ("… and 30 were killed" is 30 refugees, not 30 million).
				// A decimal still takes the multiplier ("… and 2.5 were children" is 2.5
				// million refugees): 2.5 refugees counts nothing.
				shadow = *prev
				if r.mult == 0 && shadow.mult != 0 {
					shadow.decimalMult, shadow.mult = shadow.mult, 0
				}
				prev = &shadow
			}
		}
	}
	sc.readings = rs
	if len(rs) == 0 {
		return nil
	}
	if p := sentencePeriod(toks); p != "" {
		for k := range rs {
			if perPeriod[rs[k].kind] && !strings.Contains(rs[k].unit, "_per_") {
				rs[k].unit, rs[k].kind = rs[k].unit+"_per_"+p, kindRate
			}
		}
	}
	locs := locate(sentence, rs)
	facts := make([]Fact, len(rs))
	for k, r := range rs {
		start, end := r.span()
		facts[k] = Fact{
			Value: r.scaled(), Unit: r.unit, Kind: r.kind,
			Raw: sentence[start:end], Start: start, End: end,
			Comparator: r.comparator, Location: locs[k],
		}
	}
	return facts
}

// reading is a number being read together with the words around it.
type reading struct {
	value      float64 // as written, before multiplier and sign
	mult       float64 // written or inherited multiplier, 0 when there is none
	negative   bool
	unit, kind string
	comparator string

	rawStart, rawEnd       int // bytes of the number with its currency, multiplier and notation
	phraseStart, phraseEnd int // bytes of the whole phrase, from comparator to noun or period

	// A range ("2–4 million") gives two readings whose Fact.Raw is the whole range,
	// spanStart to spanEnd; rangeEnd marks the upper one.
	spanStart, spanEnd int
	rangeEnd           bool

	// money is set for the upper end of a range of money, whose "m" and "b" are
	// multipliers though its currency comes from the lower end ("€5-6m", "£2bn-3bn").
	money bool

	// named is set for a bare number that counts what a copula says it is ("50 were
	// journalists"): it is not what the numbers after it refer to.
	named bool

	// decimalMult is the multiplier a shadow prev dropped after a named number: a bare
	// decimal still takes it, a bare whole number does not.
	decimalMult float64
}

// span returns the bytes of Fact.Raw.
func (r *reading) span() (int, int) {
	if r.spanEnd > 0 {
		return r.spanStart, r.spanEnd
	}
	return r.rawStart, r.rawEnd
}

func (r *reading) scaled() float64 {
	v := r.value
	if r.mult != 0 {
		v *= r.mult
	}
	if r.negative {
		v = -v
	}
	return v
}

// readQuantity reads the number toks[i] with its prefix, comparator and suffix. A number
// with no unit of its own takes the unit, and the multiplier if it has none, of prev, the
// fact before it in the sentence; without prev it is not a fact. A number in words, and a
// number of a thousand or more, never takes the multiplier of prev ("4 million people and
// 10 000 in Syria"). upper is set when toks[i] is the upper end of a dashed range, whose
// dash does not make it an identifier. rangeEnd is set when toks[i] is the upper end of a
// range whose lower end is prev (or has no unit, and prev is nil).
func readQuantity(toks []token, i int, g Grouping, prev *reading, upper, rangeEnd bool) (reading, bool) {
	t := toks[i]
	var v float64
	if t.words != nil {
		v = t.words.value
		if afterIdentifierWord(toks, i) {
			return reading{}, false
		}
	} else {
		if notAQuantity(toks, i, upper) {
			return reading{}, false
		}
		var ok bool
		if v, ok = parseNumber(t.text, g); !ok {
			return reading{}, false
		}
	}
	r := reading{value: v, rawStart: t.start, rawEnd: t.end, money: rangeEnd && prev != nil && prev.kind == kindCurrency}
	if t.words != nil {
		r.unit, r.kind = t.words.unit, t.words.kind
	}
	first := r.readPrefix(toks, i)
	r.phraseStart = toks[first].start
	r.readComparatorBefore(toks, first)
	j, ok := r.readSuffix(toks, i+1)
	if !ok {
		return reading{}, false
	}
	if r.unit == "" {
		j = r.readTimes(toks, j)
	}
	if r.unit == "" {
		j = r.readNoun(toks, j)
	}
	if r.unit != "" {
		j = r.readRate(toks, j)
		j = r.readComparatorAfter(toks, j)
	}
	r.phraseEnd = max(r.rawEnd, toks[j-1].end)
	if isYear(toks, i, first, &r) || isAge(toks, j, &r) || afterAge(toks, first) || afterAgeRange(toks, first, &r) {
		return reading{}, false
	}
	if r.comparator == LessThan && r.kind == "length" && submerged(toks, first, j) {
		r.comparator = "" // "under 1.5 m of water" is a depth, not a bound
	}
	if r.unit == "" {
		// A bare number followed by another is a list: taking a unit would give 10 of
		// something.
		if prev == nil || t.words != nil || j < len(toks) && toks[j].kind == tNum {
			return reading{}, false
		}
		if r.mult != 0 && (prev.kind == "percent" || prev.kind == kindRatio) {
			return reading{}, false // "to roughly 81 million" counts something else
		}
		if partitive(toks, j) {
			return reading{}, false // "in 12 of its 14 provinces" counts provinces, not people
		}
		if noun, end := namedByCopula(toks, j, t.text); noun != "" && !rangeEnd {
			// "2 million people in Iraq, and 50 were journalists" counts 50 journalists,
			// not 50 million people.
			r.unit, r.kind, r.named = noun, kindCount, true
			r.phraseEnd = toks[end-1].end
			return r, true
		}
		r.unit, r.kind = prev.unit, prev.kind
		if r.mult == 0 && r.value < 1000 {
			r.mult = prev.mult
			if r.mult == 0 && r.value != math.Trunc(r.value) {
				r.mult = prev.decimalMult
			}
		}
		if r.mult == 0 {
			r.decimalMult = prev.decimalMult
		}
		if rangeEnd {
			// The range's period follows its upper end: "$2-3 billion a year".
			j = r.readRate(toks, j)
			r.phraseEnd = max(r.rawEnd, toks[j-1].end)
		}
	}
	if s := r.scaled(); math.IsInf(s, 0) || math.IsNaN(s) {
		return reading{}, false
	}
	return r, true
}

// namedByCopula returns the plural noun a bare whole number is said to be ("50 were
// journalists", "12 are children", "50 were aid workers", "27 are member states", "50
// were also journalists") as readNoun reads it, and the index after it; or "". Such a
// number counts that noun, not the unit of the fact before it. A decimal never does
// ("3.1 are children" after "5.6 million refugees" is 3.1 million), nor does a participle
// ("3 were killed"), nor a unit or a currency ("40 were hours late" counts flights).
func namedByCopula(toks []token, j int, num string) (string, int) {
	if strings.ContainsAny(num, ".,") || !copulas[wordAt(toks, j)] {
		return "", j
	}
	k := j + 1
	if w := wordAt(toks, k); copulaAdverbs[w] || strings.HasSuffix(w, "ly") && toks[k].space {
		k++
	}
	if _, _, ok := lookupPhrase(toks, k, 3, notationUnits); ok {
		return "", j
	}
	if code, _ := currencyAt(toks, k); code != "" {
		return "", j
	}
	var n reading
	end := n.readNoun(toks, k)
	if n.unit == "" || n.kind != kindCount || !strings.Contains(n.unit, "_") && !looksPlural(n.unit) {
		return "", j
	}
	return n.unit, end
}

var copulas = setOf(`are were`)

// copulaAdverbs may stand between the copula and the noun ("50 were also journalists").
var copulaAdverbs = setOf(`also all both still perhaps often always sometimes mostly mainly
	thus therefore however nevertheless nonetheless indeed instead themselves`)

// partitive reports whether a bare number is followed by "of" and a phrase naming what it
// counts ("12 of its 14 provinces", "4 of the 6 agencies", "3 of 5"): the number counts
// that, not the unit of the fact before it. "Of them", "of whom", "of which", "of these"
// and "of those" refer back to that fact ("136.000 returnees, 12.577 of them to Anbar")
// and do not stop it.
func partitive(toks []token, j int) bool {
	if wordAt(toks, j) != "of" {
		return false
	}
	return !backReferences[wordAt(toks, j+1)]
}

var backReferences = setOf(`them whom which these those`)

// perPeriod are the kinds a sentence-wide period makes rates of.
var perPeriod = map[string]bool{kindCount: true, kindCurrency: true, "volume": true, "mass": true}

// sentencePeriod returns the period a sentence opens with, which makes a rate of every
// amount in it: "On an average day we put 180 million litres into supply" is
// litres_per_day, as are "Every day …", "Each year …" and "In a typical week …".
func sentencePeriod(toks []token) string {
	k := 0
	switch wordAt(toks, k) {
	case "every", "each":
		k++
	case "on", "in", "during":
		k++
		if w := wordAt(toks, k); w == "a" || w == "an" || w == "the" {
			k++
		}
		if periodAdjectives[wordAt(toks, k)] {
			k++
		} else {
			return ""
		}
	default:
		return ""
	}
	return periods[wordAt(toks, k)]
}

// periodAdjectives describe a typical period ("on an average day").
var periodAdjectives = setOf(`average typical normal ordinary usual given single`)

// submerged reports whether a length after "under" or "beneath" measures what covers
// something ("under 1.5 m of water").
func submerged(toks []token, first, j int) bool {
	if w := wordAt(toks, first-1); w != "under" && w != "beneath" {
		return false
	}
	return wordAt(toks, j) == "of" && coverings[wordAt(toks, j+1)]
}

var coverings = setOf(`water floodwater snow ice mud rubble ash sand sea`)

// durationFollows reports whether the number at toks[i] is followed by a unit of time.
func durationFollows(toks []token, i int) bool {
	var buf [64]byte
	ps := phrasesAt(buf[:0], toks, i+1, 2)
	for k := range ps.n {
		if def, ok := notationUnits[string(ps.key(k))]; ok && def.kind == "duration" {
			return true
		}
	}
	return false
}

// readTimes reads "times" after a number: a ratio before a comparison ("three times as
// many", "10 times the average"), else a count of occasions ("four times since 2000",
// "twelve times a year").
func (r *reading) readTimes(toks []token, j int) int {
	if wordAt(toks, j) != "times" || !toks[j].space {
		return j
	}
	if ratioFollowers[wordAt(toks, j+1)] {
		r.unit, r.kind = unitTimes, kindRatio
	} else {
		r.unit, r.kind = unitTimes, kindCount
	}
	return j + 1
}

// ratioFollowers make "N times" a ratio.
var ratioFollowers = setOf(`as more less higher lower larger smaller bigger greater faster slower
	the that what`)

// afterAge reports whether the number follows "aged" or "age of", with comparators between
// ("aged over 75", "up to the age of 45"): an age, not a fact.
func afterAge(toks []token, first int) bool {
	for k := first - 1; k >= 0 && k >= first-4; k-- {
		switch wordAt(toks, k) {
		case "aged", "age", "ages":
			return true
		case "over", "under", "above", "below", "more", "less", "than", "of", "at", "least", "the", "between", "from":
			continue
		}
		return false
	}
	return false
}

// afterAgeRange reports whether a duration is the upper end of an age band that readRange
// left alone: "aged 5 to 11 years" is no 11-year duration.
func afterAgeRange(toks []token, first int, r *reading) bool {
	if !ageUnits[r.unit] {
		return false
	}
	k := first - 1
	if w := wordAt(toks, k); w != "to" && w != "and" && !(k >= 0 && isDash(toks[k].text)) {
		return false
	}
	return k >= 1 && toks[k-1].kind == tNum && afterAge(toks, k-1)
}

// isAge reports whether a duration is someone's age ("thirteen years old", "a
// 12-year-old", "18-24 year olds", "the 15-24 years age group", "65 years of age",
// "children 6-59 months old", "0-28 days old"): an eligibility rule or a band of people,
// not a measured fact. "Age" must name a band ("age group", "age bracket"): "a 10-year age
// gap" measures a difference.
func isAge(toks []token, j int, r *reading) bool {
	if !ageUnits[r.unit] {
		return false
	}
	if isPunct(toks, j, "-") {
		j++
	}
	switch wordAt(toks, j) {
	case "old", "olds":
		return true
	case "age":
		return ageBands[wordAt(toks, j+1)]
	case "of":
		return wordAt(toks, j+1) == "age"
	}
	return false
}

// ageUnits are the units an age is given in.
var ageUnits = setOf(`year month week day`)

// ageBands name a band of ages after "age": "the 15-24 years age group".
var ageBands = setOf(`group groups band bands bracket brackets range ranges cohort cohorts
	category categories class classes`)

// readPrefix reads a currency ("$", "US$", "GBP ") or minus sign before the number and
// returns the index of the first token of the quantity.
func (r *reading) readPrefix(toks []token, i int) int {
	k := i - 1
	if k < 0 {
		return i
	}
	t := toks[k]
	if code, ok := currencySymbols[t.text]; ok && t.kind == tSym {
		first := k
		if t.text == "$" && adjacent(toks, k) {
			if c, ok := dollarPrefixes[toks[k-1].text]; ok && toks[k-1].kind == tWord {
				code, first = c, k-1
			}
		}
		r.setCurrency(code)
		r.rawStart = toks[first].start
		return first
	}
	if t.kind == tWord && isoCodes[t.text] && toks[i].space {
		r.setCurrency(t.text)
		r.rawStart = t.start
		return k
	}
	// A dash glued to a word or number on its left was rejected by gluedToIdentifier, or
	// joins the two ends of a range ("2-4 million", "10%-12%", "£2bn-3bn"), so elsewhere it
	// is a sign: "-5%", "−3.2".
	if (t.text == "-" || t.text == "−") && adjacent(toks, i) && !(adjacent(toks, k) && (toks[k-1].kind == tNum ||
		isPunct(toks, k-1, "%", "‰") || toks[k-1].kind == tWord && suffixOfNumber(toks, k-1))) {
		r.negative = true
		r.rawStart = t.start
		return k
	}
	return i
}

func (r *reading) setCurrency(code string) { r.unit, r.kind = code, kindCurrency }

// readComparatorBefore reads a comparator ending right before toks[first]: a symbol
// ("~300"), an abbreviation ("c. 300") or the longest phrase of up to three words.
func (r *reading) readComparatorBefore(toks []token, first int) {
	k := first - 1
	if k < 0 {
		return
	}
	if c, ok := comparatorSymbols[toks[k].text]; ok && toks[k].kind == tSym {
		r.comparator, r.phraseStart = c, toks[k].start
		return
	}
	if isPunct(toks, k, ".") && adjacent(toks, k) {
		if c, ok := abbreviatedComparators[wordAt(toks, k-1)]; ok {
			r.comparator, r.phraseStart = c, toks[k-1].start
		}
		return
	}
	// The words before the number, nearest first.
	var before [3]string
	n := 0
	for n < len(before) && wordAt(toks, first-n-1) != "" {
		before[n] = wordAt(toks, first-n-1)
		n++
	}
	for k := 1; k <= n; k++ {
		var buf [64]byte
		words := buf[:0] // the k words before the number, in order
		for i := k - 1; i >= 0; i-- {
			words = append(words, before[i]...)
			if i > 0 {
				words = append(words, ' ')
			}
		}
		if c, ok := comparatorsBefore[string(words)]; ok {
			r.comparator, r.phraseStart = c, toks[first-k].start
		}
		if string(words) == "over" && durationFollows(toks, first) {
			// "£11.6 billion over five years": over a period, not more than it.
			r.comparator, r.phraseStart = "", toks[first].start
		}
	}
}

// readSuffix reads the multiplier, percent, currency or notation unit after the number,
// from toks[j], and returns the index after them. It reports false when a word glued to
// the number is none of these ("8th", "1990s", "3D", "5G"): such a number is an ordinal,
// a decade or part of a name.
func (r *reading) readSuffix(toks []token, j int) (int, bool) {
	start := j
	glued := adjacent(toks, j) && toks[j].kind == tWord
	if m, ok := r.multiplierAt(toks, j); ok {
		r.mult, r.rawEnd = m, toks[j].end
		j++
	}
	// Pence: "73p" is 0.73 GBP.
	if glued && j == start && r.unit == "" && wordAt(toks, j) == "p" {
		r.setCurrency("GBP")
		r.mult, r.rawEnd = 0.01, toks[j].end
		j++
	}
	j = r.readNotation(toks, j)
	// A hyphenated unit: "10-year", "5-km". Other hyphenated words ("10-point plan")
	// describe something the number does not measure. A number after the hyphen makes it
	// a range, which readRange decides.
	if r.unit == "" && adjacent(toks, j) && isPunct(toks, j, "-", "‐", "\u2011") && adjacent(toks, j+1) && toks[j+1].kind != tNum {
		def, ok := notationUnits[wordAt(toks, j+1)]
		if !ok {
			return j, false
		}
		r.unit, r.kind, r.rawEnd = def.unit, def.kind, toks[j+1].end
		j += 2
	}
	return j, !glued || j > start
}

// multiplierAt reads a multiplier word at toks[j]. The short forms are ambiguous, so "k"
// must be glued to the number ("5k"), "b" scales only money ("$2B"), and "m" scales money
// ("$10m", "5m euros") and a glued "m" before a plural noun ("3.2m people"); elsewhere
// "m" is metres ("a 100m sprint", "10 m").
func (r *reading) multiplierAt(toks []token, j int) (float64, bool) {
	w := wordAt(toks, j)
	if m, ok := multiplierWords[w]; ok {
		return m, true
	}
	next, _ := currencyAt(toks, j+1)
	money := r.kind == kindCurrency || r.money || next != ""
	switch {
	case w == "k" && adjacent(toks, j):
		return 1e3, true
	case w == "m" && (money || adjacent(toks, j) && looksPlural(nounAt(toks, j+1))):
		return 1e6, true
	case w == "b" && money && adjacent(toks, j):
		return 1e9, true
	}
	return 0, false
}

// currencyAt returns the currency named at toks[j] after an amount ("€", "EUR",
// "euros") and the index after it, or "" and j. A symbol or code with a number right after
// it is the prefix of that number ("in 2017 $300 million"), not a suffix of this one.
func currencyAt(toks []token, j int) (string, int) {
	if j >= len(toks) {
		return "", j
	}
	prefixOfNext := j+1 < len(toks) && toks[j+1].kind == tNum
	if code, ok := currencySymbols[toks[j].text]; ok && toks[j].kind == tSym && !prefixOfNext {
		return code, j + 1
	}
	if toks[j].kind == tWord && isoCodes[toks[j].text] && !prefixOfNext {
		return toks[j].text, j + 1
	}
	if code, end, ok := lookupPhrase(toks, j, 3, currencyWords); ok {
		return code, end
	}
	return "", j
}

// readNotation reads a currency, percent or unit written after the number and its
// multiplier ("300 €", "80 million euros", "95%", "15 per cent", "107.600km2").
func (r *reading) readNotation(toks []token, j int) int {
	if r.unit != "" {
		return j
	}
	if code, end := currencyAt(toks, j); code != "" {
		r.setCurrency(code)
		r.rawEnd = toks[end-1].end
		return end
	}
	if def, end, ok := lookupPhrase(toks, j, 3, notationUnits); ok {
		r.unit, r.kind, r.rawEnd = def.unit, def.kind, toks[end-1].end
		return end
	}
	return j
}

// readNoun reads a count noun after the number: the lowercase noun as written, or two
// nouns joined by "_" with the first made singular ("90 banks branches" is
// bank_branches). A second noun is taken only when it looks plural: after a plural noun
// an English verb does not end in "s", so "people say" stays "people" while "banks
// branches" joins. Up to two adjectives or demonyms before the noun are skipped ("5 more
// countries", "12 Syrian fighters").
func (r *reading) readNoun(toks []token, j int) int {
	k := j
	for n := 0; n < 2 && k < len(toks) && toks[k].space && isAdjective(toks[k].text); n++ {
		k++
	}
	first := nounAt(toks, k)
	if first == "" {
		return j
	}
	r.unit, r.kind = first, kindCount
	if kind, ok := measureNouns[first]; ok {
		r.kind = kind
	}
	if second := nounAt(toks, k+1); second != "" && looksPlural(second) {
		r.unit, r.kind = singular(first)+"_"+second, kindCount
		return k + 2
	}
	return k + 1
}

// nounAt returns toks[k] as a count noun, or "" when it is not one: it must be a
// lowercase word set apart by white space, not a function word, and not an adverb,
// participle or gerund ("nearly", "killed", "including").
func nounAt(toks []token, k int) string {
	if k >= len(toks) || toks[k].kind != tWord || !toks[k].space {
		return ""
	}
	w := toks[k].text
	for _, suffix := range []string{"'s", "’s"} {
		w = strings.TrimSuffix(w, suffix)
	}
	if utf8.RuneCountInString(w) < 2 || !isLower(w) || nounStopwords[w] || comparatorsBefore[w] != "" ||
		periods[w] != "" || periodAdverbs[w] != "" || multiplierWords[w] != 0 {
		return ""
	}
	for _, suffix := range []string{"ly", "ing", "ed"} {
		if strings.HasSuffix(w, suffix) {
			return ""
		}
	}
	return w
}

func isLower(w string) bool {
	for _, c := range w {
		if !unicode.IsLower(c) && c != '-' {
			return false
		}
	}
	return true
}

func isAdjective(w string) bool { return adjectives[w] || isDemonym(w) || superlative(w) }

// superlative reports whether w is an adjective in -est ("the 6 hottest districts").
func superlative(w string) bool {
	return len(w) >= 6 && strings.HasSuffix(w, "est") && !notSuperlatives[w]
}

// notSuperlatives are nouns in -est.
var notSuperlatives = setOf(`interest protest request harvest forest conquest contest inquest
	manifest behest bequest`)

// irregularPlurals are plural nouns without a final "s", with their singular.
var irregularPlurals = map[string]string{
	"people": "person", "children": "child", "men": "man", "women": "woman",
	"police": "police", "personnel": "personnel", "staff": "staff", "cattle": "cattle",
}

func looksPlural(w string) bool {
	if _, ok := irregularPlurals[w]; ok {
		return true
	}
	return strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") &&
		!strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is")
}

// singular makes an English plural singular by the regular rules, enough for the first
// noun of a compound ("banks" → "bank", "branches" → "branch", "countries" → "country").
func singular(w string) string {
	if s, ok := irregularPlurals[w]; ok {
		return s
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "sses"),
		strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "zes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		return w[:len(w)-1]
	}
	return w
}

// readRate makes the unit a rate when a period follows: "a day", "per year", "annually",
// or a glued "/h". The unit becomes "<unit>_per_<period>". A denominator such as "per
// person" or "per household" comes before the period: "litres_per_person_per_day". A glued "/h" right after Raw
// ("60km/h") joins Raw; a period in words never does.
func (r *reading) readRate(toks []token, j int) int {
	// A share per person, household or dose comes first: "150 litres per person a day",
	// "£50 a dose".
	if rateIntros[wordAt(toks, j)] && j+1 < len(toks) && toks[j+1].space {
		if d, ok := denominators[wordAt(toks, j+1)]; ok {
			r.unit, r.kind = r.unit+"_per_"+d, kindRate
			j += 2
		}
	}
	if rateIntros[wordAt(toks, j)] && j+1 < len(toks) && toks[j+1].space {
		if p, ok := periods[wordAt(toks, j+1)]; ok {
			r.unit, r.kind = r.unit+"_per_"+p, kindRate
			return j + 2
		}
	}
	if p, ok := periodAdverbs[wordAt(toks, j)]; ok && toks[j].space {
		r.unit, r.kind = r.unit+"_per_"+p, kindRate
		return j + 1
	}
	if adjacent(toks, j) && isPunct(toks, j, "/") && adjacent(toks, j+1) {
		if p, ok := slashPeriods[wordAt(toks, j+1)]; ok {
			r.unit, r.kind = r.unit+"_per_"+p, kindRate
			if toks[j].start == r.rawEnd {
				r.rawEnd = toks[j+1].end
			}
			return j + 2
		}
	}
	return j
}

// readComparatorAfter reads "or more", "or less" and the like after the quantity.
func (r *reading) readComparatorAfter(toks []token, j int) int {
	if r.comparator != "" || wordAt(toks, j) == "" || wordAt(toks, j+1) == "" {
		return j
	}
	if c, ok := comparatorsAfter[wordAt(toks, j)+" "+wordAt(toks, j+1)]; ok {
		r.comparator = c
		return j + 2
	}
	return j
}

package quantity

import (
	"math"
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
	Kind       string  // count, currency, percent, area, length, mass, volume, duration or rate
	Raw        string  // the number with its currency, multiplier, percent or notation unit
	Start, End int     // byte offsets of Raw in the sentence
	Comparator string  // "", MoreThan, AtLeast, LessThan, AtMost or About
	Location   string  // canonical places the sentence ties the number to, joined by ", ", or ""
}

// Facts returns the numeric facts stated in one sentence, in order of appearance, reading
// every number under the grouping convention g (see DetectGrouping). It returns nil when
// the sentence states none. Facts never fails: text it cannot read is left out.
func Facts(sentence string, g Grouping) []Fact {
	toks := tokenize(sentence)
	var rs []reading
	var prev *reading // the fact a bare number may take its unit from
	for i, t := range toks {
		switch {
		case t.kind == tPunct && t.text == ";":
			// A semicolon starts a new clause about something else: "We raised $5
			// million; 3 joined later" gives the 3 no dollars.
			prev = nil
		case t.kind == tNum:
			if r, ok := readQuantity(toks, i, g, prev); ok {
				rs = append(rs, r)
				prev = &rs[len(rs)-1]
			}
		}
	}
	if len(rs) == 0 {
		return nil
	}
	locs := locate(sentence, rs)
	facts := make([]Fact, len(rs))
	for k, r := range rs {
		facts[k] = Fact{
			Value: r.scaled(), Unit: r.unit, Kind: r.kind,
			Raw: sentence[r.rawStart:r.rawEnd], Start: r.rawStart, End: r.rawEnd,
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

	rawStart, rawEnd       int // bytes of Fact.Raw
	phraseStart, phraseEnd int // bytes of the whole phrase, from comparator to noun or period
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
// fact before it in the sentence; without prev it is not a fact.
func readQuantity(toks []token, i int, g Grouping, prev *reading) (reading, bool) {
	if notAQuantity(toks, i) {
		return reading{}, false
	}
	v, ok := parseNumber(toks[i].text, g)
	if !ok {
		return reading{}, false
	}
	r := reading{value: v, rawStart: toks[i].start, rawEnd: toks[i].end}
	first := r.readPrefix(toks, i)
	r.phraseStart = toks[first].start
	r.readComparatorBefore(toks, first)
	j, ok := r.readSuffix(toks, i+1)
	if !ok {
		return reading{}, false
	}
	if r.unit == "" {
		j = r.readNoun(toks, j)
	}
	if r.unit != "" {
		j = r.readRate(toks, j)
		j = r.readComparatorAfter(toks, j)
	}
	r.phraseEnd = max(r.rawEnd, toks[j-1].end)
	if isYear(toks, i, first, &r) {
		return reading{}, false
	}
	if r.unit == "" {
		// A bare number followed by another is a list or a number grouped with spaces
		// ("10 000"), which is not read: taking a unit would give 10 of something.
		if prev == nil || j < len(toks) && toks[j].kind == tNum {
			return reading{}, false
		}
		r.unit, r.kind = prev.unit, prev.kind
		if r.mult == 0 {
			r.mult = prev.mult
		}
	}
	if s := r.scaled(); math.IsInf(s, 0) || math.IsNaN(s) {
		return reading{}, false
	}
	return r, true
}

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
	// A dash glued to a word or number on its left was rejected by gluedToIdentifier, so
	// here it is a sign: "-5%", "−3.2".
	if (t.text == "-" || t.text == "−") && adjacent(toks, i) {
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
	words := ""
	for n := 1; n <= 3 && wordAt(toks, first-n) != ""; n++ {
		words = strings.TrimSpace(wordAt(toks, first-n) + " " + words)
		if c, ok := comparatorsBefore[words]; ok {
			r.comparator, r.phraseStart = c, toks[first-n].start
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
	j = r.readNotation(toks, j)
	// A hyphenated unit: "10-year", "5-km". Other hyphenated words ("10-point plan")
	// describe something the number does not measure.
	if r.unit == "" && adjacent(toks, j) && isPunct(toks, j, "-", "‐") && adjacent(toks, j+1) {
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
	money := r.kind == kindCurrency || next != ""
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
	for _, p := range phrases(toks, j, 3) {
		if code, ok := currencyWords[p.key]; ok {
			return code, p.end
		}
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
	for _, p := range phrases(toks, j, 3) {
		if def, ok := notationUnits[p.key]; ok {
			r.unit, r.kind, r.rawEnd = def.unit, def.kind, toks[p.end-1].end
			return p.end
		}
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

func isAdjective(w string) bool { return adjectives[w] || isDemonym(w) }

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
// or a glued "/h". The unit becomes "<unit>_per_<period>". A glued "/h" right after Raw
// ("60km/h") joins Raw; a period in words never does.
func (r *reading) readRate(toks []token, j int) int {
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

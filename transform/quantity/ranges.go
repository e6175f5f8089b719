package quantity

import (
	"strconv"
	"strings"
)

// readRange reads a range of quantities whose lower end is toks[i]: "2–4 million", "€2–4
// billion", "10–12%", "2 to 4 million people", "between 2 and 4 million", "from 5 to 8
// per cent". It returns one reading for each end and the index after the upper number.
// When it reads no range but next is above 0, the numbers up to next are a range that is
// not read at all, neither end on its own.
//
// Both ends are facts. The upper end must have a unit (or a currency the lower end
// gives); the lower end takes the upper end's unit (and its period: "$2 and $2.4 trillion
// a year" is USD_per_year at both ends, as is "$2–3 billion a year") and, when it has no
// multiplier of its own and is written on the upper end's scale (not above its number),
// its multiplier: "2–4 million people" is 2000000 and 4000000 people, "1,000–2,000
// million" 1000000000 and 2000000000, "500,000–1 million" 500000 and 1000000. Both facts carry the whole range as
// Raw. A range bounds the true figure, so the lower end is at_least and the upper at_most,
// unless the text qualifies the range itself ("about 2–4 million": about) or gives the
// start and end of a change ("from 24 to 19 per cent", which may go down: no comparator).
//
// Not ranges: years ("2014–2017", "from 2019 to 2023"), chains of dashes (dates, phone
// numbers: "2018-05-17", "555-123-4567"), a three-digit and a four-digit number joined by a
// dash before a plain noun (a phone number, "555-1234"), and ends in the wrong order. A
// hyphen, unlike a dash, also joins numbers that name things ("the 9-11 attacks", "the
// 18-24 age group", "a 3-1 vote"), so a hyphenated range is read only when its upper end
// measures something: a multiplier, a percentage, a currency or a unit ("2-4 million
// people", "10-12%", "$2-3 billion", "10-15 km"), never a bare count.
func readRange(toks []token, i int, g Grouping) (lo, hi reading, next int, ok bool) {
	if toks[i].words != nil || notAQuantity(toks, i, false) {
		return lo, hi, 0, false
	}
	v, ok := parseNumber(toks[i].text, g)
	if !ok {
		return lo, hi, 0, false
	}
	lo = reading{value: v, rawStart: toks[i].start, rawEnd: toks[i].end}
	first := lo.readPrefix(toks, i)
	lo.phraseStart = toks[first].start
	j, ok := lo.readSuffix(toks, i+1)
	if !ok || j >= len(toks) {
		return lo, hi, 0, false
	}
	dash := isDash(toks[j].text) && (toks[j].kind == tPunct || toks[j].kind == tSym)
	if !dash && wordAt(toks, j) != "to" && wordAt(toks, j) != "and" {
		return lo, hi, 0, false // no range, as most numbers: the comparator need not be read
	}
	lo.readComparatorBefore(toks, first)
	if afterAge(toks, first) {
		return lo, hi, 0, false // "aged 5-11 years"
	}
	before := wordAt(toks, first-1)
	if lo.comparator != "" {
		before = ""
	}
	switch {
	case dash, wordAt(toks, j) == "to", wordAt(toks, j) == "and" && before == "between":
	default:
		return lo, hi, 0, false
	}
	u := j + 1
	// The upper end may repeat the currency: "between £50 and £80".
	if u+1 < len(toks) && toks[u+1].kind == tNum && (toks[u].kind == tSym && currencySymbols[toks[u].text] != "" || toks[u].kind == tWord && isoCodes[toks[u].text]) {
		u++
	}
	if u >= len(toks) || toks[u].kind != tNum || toks[u].words != nil {
		return lo, hi, 0, false
	}
	if chained(toks, u+1) && adjacent(toks, u+1) {
		return lo, hi, 0, false // "from 2% to 4-5%": the upper end is itself a range
	}
	if dash && (chained(toks, u+1) || i >= 2 && isDash(toks[i-1].text) && toks[i-1].kind != tWord && toks[i-2].kind == tNum) {
		return lo, hi, 0, false
	}
	if lo.unit == "" && lo.mult == 0 && yearLike(toks[i].text) {
		return lo, hi, 0, false
	}
	var inherit *reading
	if lo.unit != "" {
		inherit = &lo
	}
	hi, ok = readQuantity(toks, u, g, inherit, dash, true)
	if !ok || yearLike(toks[u].text) && hi.mult == 0 && hi.kind == kindCount {
		return lo, hi, 0, false
	}
	if dash && lo.unit == "" && hi.kind == kindCount && hi.mult == 0 && len(toks[i].text) == 3 && len(toks[u].text) == 4 {
		return lo, hi, 0, false // "555-1234"
	}
	// Only a hyphen glued to both numbers names things: "5 - 6 refugees" is a range.
	if hyphen(toks[j].text) && adjacent(toks, j) && adjacent(toks, j+1) && hi.kind == kindCount && hi.mult == 0 {
		return lo, hi, 0, false // "the 9-11 attacks"
	}
	if hyphen(toks[j].text) && lo.negative {
		return lo, hi, 0, false // "-5-10 °C": from -5 to 10, or to -10?
	}
	change := before == "from" && wordAt(toks, j) == "to"
	switch {
	case lo.unit == "" || strings.HasPrefix(hi.unit, lo.unit+"_per_"):
		// "$2 and $2.4 trillion a year": the rate covers both ends.
		lo.unit, lo.kind = hi.unit, hi.kind
	case lo.unit != hi.unit:
		return lo, hi, 0, false
	}
	// The lower end is written on the upper end's scale when it is not above it ("1,000-2,000
	// million"), or below a thousand at the start of a change ("from 24 to 19 million").
	if lo.mult == 0 && hi.mult != 0 && (lo.value <= hi.value || change && lo.value < 1000) {
		lo.mult = hi.mult
	}
	// A lower end below a thousand that does not fit the upper end's scale may have left
	// its own unsaid: "800–1 million" (800,000?) and "10–15,000" (10,000?). Neither is read
	// rather than read as 800 or 10, and neither end is read on its own: next is set so
	// that the caller passes over the whole range. A lower end that the thousand would
	// make equal to the upper ("between 1 and 1,000") or that is below 1 ("0.5–1,000 mg")
	// left nothing unsaid.
	if !change && lo.mult == 0 && lo.value > 0 && lo.value < 1000 &&
		(hi.mult != 0 && lo.value > hi.value || hi.mult == 0 && hi.value >= 1000 && lo.value >= 1 && lo.value*1000 < hi.value) {
		return lo, hi, u + 1, false
	}
	if lo.scaled() >= hi.scaled() && !(change && lo.scaled() != hi.scaled()) {
		return lo, hi, 0, false
	}
	switch {
	case lo.comparator != "":
		hi.comparator = lo.comparator
	case hi.comparator != "":
		lo.comparator = hi.comparator
	case change:
	default:
		lo.comparator, hi.comparator = AtLeast, AtMost
	}
	lo.phraseEnd = max(lo.rawEnd, toks[j-1].end)
	lo.spanStart, lo.spanEnd = lo.rawStart, hi.rawEnd
	hi.spanStart, hi.spanEnd = lo.rawStart, hi.rawEnd
	hi.rangeEnd = true
	return lo, hi, u + 1, true
}

// chained reports whether toks[k] is a dash followed by a number: the range goes on, so it
// is a date or a phone number.
func chained(toks []token, k int) bool {
	return k >= 0 && k+1 < len(toks) && isDash(toks[k].text) && toks[k].kind != tWord && toks[k+1].kind == tNum
}

// yearLike reports whether num is four digits from 1800 to 2199.
func yearLike(num string) bool {
	if len(num) != 4 {
		return false
	}
	n, err := strconv.Atoi(num)
	return err == nil && n >= 1800 && n <= 2199
}

// hyphen reports whether s is a hyphen (or the minus sign typed for one) rather than a
// dash: "2-4" may be a name, "2–4" is a range. U+2011 is the non-breaking hyphen.
func hyphen(s string) bool { return s == "-" || s == "‐" || s == "\u2011" || s == "−" }

package quantity

import (
	"strconv"
	"strings"
)

// notAQuantity reports whether the number toks[i] names, dates or numbers something
// rather than measuring it: an identifier ("Resolution 2396", "68/262", "v1.2.3", "ISO
// 9001"), a date ("May 17", "17 May"), a phone number, a clock time or a footnote or year
// standing alone in brackets ("[3]", "(2017)"). These checks need only the tokens around
// the number; other years are decided once the unit is known. rangeUpper is set for the
// upper end of a dashed range ("2–4 million"), whose dash does not glue it to an
// identifier.
func notAQuantity(toks []token, i int, rangeUpper bool) bool {
	return gluedToIdentifier(toks, i, rangeUpper) || afterIdentifierWord(toks, i) ||
		besideMonth(toks, i) || phoneLike(toks, i) || aloneInBrackets(toks, i) ||
		clockTime(toks, i) || leadingZero(toks[i].text)
}

// gluedToIdentifier reports whether the number touches a word, number or joining
// punctuation on its left ("v1.2.3", "COVID-19", "#5", "end.3" footnotes) or continues
// into "/" or ":" and another number on its right ("68/262", "2008/98/EC", "10:30").
func gluedToIdentifier(toks []token, i int, rangeUpper bool) bool {
	if adjacent(toks, i) {
		prev := toks[i-1]
		switch {
		case prev.kind == tWord || prev.kind == tNum:
			return true
		case prev.kind == tPunct && len(prev.text) == 1 && strings.Contains("./,:_#@\\&*^=", prev.text):
			return true
		case isDash(prev.text) && adjacent(toks, i-1) && toks[i-2].kind == tNum:
			return !rangeUpper
		case isDash(prev.text) && adjacent(toks, i-1) && toks[i-2].kind == tWord:
			// "COVID-19"; but in "£2bn-3bn" and "10k-15k" the word is the lower end's
			// multiplier or unit.
			return !rangeUpper || !suffixOfNumber(toks, i-2)
		}
	}
	return adjacent(toks, i+1) && isPunct(toks, i+1, "/", ":") &&
		adjacent(toks, i+2) && toks[i+2].kind == tNum
}

func isDash(s string) bool {
	switch s {
	case "-", "‐", "\u2011", "‒", "–", "—", "−":
		return true
	}
	return false
}

// suffixOfNumber reports whether the word toks[k] is glued to a number on its left, as a
// multiplier or unit is ("2bn", "10k", "5km").
func suffixOfNumber(toks []token, k int) bool {
	return adjacent(toks, k) && toks[k-1].kind == tNum
}

// inRange reports whether the number is one end of a dashed range ("2014-2017",
// "555-1234") that readRange did not read as a range of quantities. Neither end is read
// alone: the lower end would lose the multiplier and the unit, and a phone number or an
// ISO date looks the same.
func inRange(toks []token, i int) bool {
	left := i >= 2 && (toks[i-1].kind == tPunct || toks[i-1].kind == tSym) && isDash(toks[i-1].text) && toks[i-2].kind == tNum
	right := i+2 < len(toks) && (toks[i+1].kind == tPunct || toks[i+1].kind == tSym) && isDash(toks[i+1].text) && toks[i+2].kind == tNum
	// A glued multiplier or unit before the dash: "2m-3m people" is not 2 metres.
	suffixed := i+3 < len(toks) && toks[i+1].kind == tWord && adjacent(toks, i+1) && adjacent(toks, i+2) &&
		(toks[i+2].kind == tPunct || toks[i+2].kind == tSym) && isDash(toks[i+2].text) && adjacent(toks, i+3) && toks[i+3].kind == tNum
	return left || right || suffixed
}

// afterIdentifierWord reports whether a naming word comes right before the number,
// optionally with ".", ":" or "#" ("Resolution 2396", "No. 5", "Tel: 555").
func afterIdentifierWord(toks []token, i int) bool {
	j := i - 1
	dotted := isPunct(toks, j, ".")
	if dotted || isPunct(toks, j, ":", "#") {
		j--
	}
	if j < 0 || toks[j].kind != tWord {
		return false
	}
	w := toks[j].text
	if w == "No" || w == "NO" || (w == "no" && dotted) {
		return true
	}
	lw := strings.ToLower(w)
	if lw == "note" && isPunct(toks, i-1, ":") && opensSentence(toks, j) {
		return false // "Note: 3 million people fled" labels the sentence; "note 3" and "see Note: 4" are footnotes
	}
	return identifierWords[lw]
}

// opensSentence reports whether only punctuation comes before toks[j] ("Note: …",
// "(Note: …", "* Note: …").
func opensSentence(toks []token, j int) bool {
	for k := range j {
		if toks[k].kind != tPunct {
			return false
		}
	}
	return true
}

// besideMonth reports whether a month name comes right before or after the number,
// making it a day or a year ("May 17", "September 2014", "Sept. 5", "17 May").
func besideMonth(toks []token, i int) bool {
	j := i - 1
	if isPunct(toks, j, ".") {
		j--
	}
	if j >= 0 && toks[j].kind == tWord && months[toks[j].text] {
		return true
	}
	return i+1 < len(toks) && toks[i+1].kind == tWord && toks[i+1].space && months[toks[i+1].text]
}

// phoneLike reports whether the number is part of a run of numbers separated only by
// spaces that looks like a phone number: three or more of them, or two after a "+".
func phoneLike(toks []token, i int) bool {
	// Two neighbours on each side are enough to tell, and keep a long list of numbers linear.
	lo, hi := i, i
	for lo > 0 && i-lo < 2 && toks[lo-1].kind == tNum && toks[lo].space {
		lo--
	}
	for hi+1 < len(toks) && hi-i < 2 && toks[hi+1].kind == tNum && toks[hi+1].space {
		hi++
	}
	n := hi - lo + 1
	return n >= 3 || (n == 2 && adjacent(toks, lo) && isPunct(toks, lo-1, "+"))
}

// aloneInBrackets reports whether the number is all a pair of brackets holds: a
// footnote marker ("[3]"), a year ("(2017)") or an area code ("(555)").
func aloneInBrackets(toks []token, i int) bool {
	return isPunct(toks, i-1, "(", "[") && isPunct(toks, i+1, ")", "]")
}

// clockTime reports whether a time-of-day word follows the number ("10 am", "9 p.m.").
func clockTime(toks []token, i int) bool {
	next := wordAt(toks, i+1)
	if timeWords[next] {
		return true
	}
	return (next == "a" || next == "p") && adjacent(toks, i+2) && isPunct(toks, i+2, ".") &&
		adjacent(toks, i+3) && wordAt(toks, i+3) == "m"
}

// leadingZero reports whether an integer is written with a leading zero ("007", "020"),
// which quantities never are but codes and phone numbers are. "0.5" and "0" are fine.
func leadingZero(num string) bool {
	return len(num) > 1 && num[0] == '0' && isDigit(rune(num[1]))
}

// isYear reports whether the number, read as r, is a year rather than a quantity: four
// plain digits from 1800 to 2199 with no unit, multiplier or currency of its own, or with
// only a count noun after a year word ("in 2000 troops were sent" is read as a year) or a
// singular one ("the 2024 appeal").
// A year never inherits the unit of an earlier fact.
func isYear(toks []token, i, first int, r *reading) bool {
	num := toks[i].text
	if len(num) != 4 || r.negative {
		return false
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 1800 || n > 2199 {
		return false
	}
	if r.unit == "" && r.mult == 0 {
		return true
	}
	// A singular noun after it makes it attributive ("the 2024 appeal", "the 1991 law").
	return r.kind == kindCount && r.mult == 0 && r.comparator == "" &&
		(yearContext[wordAt(toks, first-1)] || !looksPlural(strings.SplitN(r.unit, "_", 2)[0]))
}

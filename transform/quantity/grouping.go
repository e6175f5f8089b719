package quantity

import (
	"slices"
	"strconv"
	"strings"
)

// Grouping is a document's convention for digit grouping.
type Grouping int

const (
	// GroupingUnknown decides per number and conservatively: a number whose reading
	// depends on the convention ("1.500", "2,450") is not read at all.
	GroupingUnknown Grouping = iota
	// GroupingDotThousands reads "107.600" and "12.577" as thousands and "3,5" as a decimal
	// comma; a single dot followed by other than three digits ("3.2 million") is decimal.
	GroupingDotThousands
	// GroupingCommaThousands is the US/UK convention: "2,450", "18,310" and "1.8".
	GroupingCommaThousands
)

// String returns the name of the convention, as used in logs and flags.
func (g Grouping) String() string {
	switch g {
	case GroupingUnknown:
		return "unknown"
	case GroupingDotThousands:
		return "dot-thousands"
	case GroupingCommaThousands:
		return "comma-thousands"
	}
	return "Grouping(" + strconv.Itoa(int(g)) + ")"
}

// DetectGrouping decides the convention for a whole document from all its text, so that
// every number in one document is read the same way. Each number votes: several groups of
// three ("1.234.567") or a mix of both separators ("1.234,5") count two votes for their
// convention; one separator before exactly three digits ("107.600", "2,450") counts one;
// a decimal comma ("3,5") counts one for dot-thousands; a dot before other than three digits
// ("3.2 million") is read the same way under both conventions and does not vote. Numbers
// glued to identifiers ("v1.2.3", "68/262") do not vote. A tie, including no votes at all,
// gives GroupingUnknown.
func DetectGrouping(text string) Grouping {
	var s Scanner
	return s.DetectGrouping(text)
}

// DetectGrouping is the package's DetectGrouping, working in s's memory.
func (sc *Scanner) DetectGrouping(text string) Grouping {
	dot, comma := 0, 0
	// Line by line: a number's neighbours are on its line, and the tokens of one line
	// at a time are cheap to hold.
	for line := range strings.Lines(text) {
		if !hasSeparatedDigits(line) {
			continue // no number with a separator, no vote: the line need not be read
		}
		d, c := sc.lineVotes(line)
		dot, comma = dot+d, comma+c
	}
	return verdict(dot, comma)
}

// lineVotes counts the votes of the numbers of one line.
func (sc *Scanner) lineVotes(line string) (dot, comma int) {
	toks := tokenize(slices.Grow(sc.toks[:0], len(line)/4), line)
	sc.toks = toks
	for i, t := range toks {
		if t.kind != tNum || gluedToIdentifier(toks, i, false) {
			continue
		}
		d, c := groupingVotes(t.text)
		dot += d
		comma += c
	}
	return dot, comma
}

// verdict is the convention the votes give: the majority, or GroupingUnknown for a tie.
func verdict(dot, comma int) Grouping {
	switch {
	case dot > comma:
		return GroupingDotThousands
	case comma > dot:
		return GroupingCommaThousands
	}
	return GroupingUnknown
}

// hasSeparatedDigits reports whether s holds a '.' or ',' between two digits. Only a
// number holding one can vote (groupingVotes; scanNumber keeps a separator in a number
// only between digits), and most lines with figures have none ("in 2014", "79 members"):
// skipping their tokenisation took DetectGrouping from 10% of a page's transform to 2%.
func hasSeparatedDigits(s string) bool {
	for i := 1; i+1 < len(s); i++ {
		if (s[i] == '.' || s[i] == ',') && isDigit(rune(s[i-1])) && isDigit(rune(s[i+1])) {
			return true
		}
	}
	return false
}

// groupingVotes returns the votes of one number for dot-thousands and comma-thousands.
func groupingVotes(num string) (dot, comma int) {
	num = stripGroupSpaces(num)
	dots, commas := strings.Count(num, "."), strings.Count(num, ",")
	switch {
	case dots > 0 && commas > 0:
		if strings.LastIndexByte(num, '.') > strings.LastIndexByte(num, ',') {
			if _, ok := splitNumber(num, ',', '.'); ok {
				return 0, 2
			}
		} else if _, ok := splitNumber(num, '.', ','); ok {
			return 2, 0
		}
	case dots > 1:
		if validGroups(strings.Split(num, ".")) {
			return 2, 0
		}
	case commas > 1:
		if validGroups(strings.Split(num, ",")) {
			return 0, 2
		}
	case dots == 1:
		if head, tail, _ := strings.Cut(num, "."); len(tail) == 3 && validGroups([]string{head, tail}) {
			return 1, 0
		}
	case commas == 1:
		if head, tail, _ := strings.Cut(num, ","); len(tail) == 3 && validGroups([]string{head, tail}) {
			return 0, 1
		}
		return 1, 0
	}
	return 0, 0
}

// parseNumber reads a tNum token under a convention. It reports false for a number the
// convention cannot read ("1.2.3", "3,5" under comma-thousands) or, under GroupingUnknown,
// one whose reading depends on the convention.
func parseNumber(num string, g Grouping) (float64, bool) {
	num = stripGroupSpaces(num)
	var norm string
	var ok bool
	switch g {
	case GroupingDotThousands:
		if threeDecimals(num, ',') {
			return 0, false // "9,000" in a page of "9.000": 9 is the page's reading, 9000 the writer's
		}
		norm, ok = parseDotThousands(num)
	case GroupingCommaThousands:
		if threeDecimals(num, '.') {
			return 0, false // "5.000 km²" in a page of "5,000": 5 or 5000
		}
		norm, ok = splitNumber(num, ',', '.')
	default:
		norm, ok = parseUnknown(num)
	}
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseFloat(norm, 64)
	return v, err == nil
}

// stripGroupSpaces removes the spaces of a space-grouped number ("10 000" is "10000"):
// they are thousands separators under every convention.
func stripGroupSpaces(num string) string {
	if !strings.ContainsAny(num, " \u00a0\u2009\u202f") {
		return num
	}
	return strings.Map(func(r rune) rune {
		if isGroupSpace(r) {
			return -1
		}
		return r
	}, num)
}

// parseDotThousands reads "107.600" as 107600 but "3.2" and "0.500" as decimals: a dot
// followed by other than three digits cannot be a thousands separator.
func parseDotThousands(num string) (string, bool) {
	if strings.Count(num, ".") == 1 && !strings.Contains(num, ",") {
		if head, tail, _ := strings.Cut(num, "."); len(tail) != 3 || head == "0" {
			return num, true
		}
	}
	return splitNumber(num, '.', ',')
}

// parseUnknown reads what both conventions read alike and refuses the rest.
func parseUnknown(num string) (string, bool) {
	dots, commas := strings.Count(num, "."), strings.Count(num, ",")
	switch {
	case dots > 0 && commas > 0:
		// The separator that comes last is the decimal one: "1.234,5", "1,234.5".
		if strings.LastIndexByte(num, '.') > strings.LastIndexByte(num, ',') {
			return splitNumber(num, ',', '.')
		}
		return splitNumber(num, '.', ',')
	case dots > 1:
		return splitNumber(num, '.', ',')
	case commas > 1:
		return splitNumber(num, ',', '.')
	case dots == 1 || commas == 1:
		sep := byte('.')
		if commas == 1 {
			sep = ','
		}
		if threeDecimals(num, sep) {
			return "", false // "1.500" is 1500 or 1.5 depending on the document
		}
		head, tail, _ := strings.Cut(num, string(sep))
		return head + "." + tail, true
	}
	return num, true
}

// threeDecimals reports whether num has one separator, dec, followed by exactly three
// digits, and no other: "1.500" or "9,000", which read as a decimal under the convention
// where dec is the decimal separator and as a whole number under the other. A page that
// keeps to one convention almost never writes three decimals to a whole number ("1.500
// troops"), while writers who mix the two do write "9,000" in a page of "136.000": read
// by the page's convention it would be a thousand times too small, so it is read as
// nothing. With another separator too ("1.234,500"), or a leading "0" ("0.500"), the
// number is not ambiguous.
func threeDecimals(num string, dec byte) bool {
	other := byte(',')
	if dec == ',' {
		other = '.'
	}
	if strings.Count(num, string(dec)) != 1 || strings.IndexByte(num, other) >= 0 {
		return false
	}
	head, tail, _ := strings.Cut(num, string(dec))
	return len(tail) == 3 && head != "0" && head != ""
}

// splitNumber normalises num, written with the thousands separator thou and decimal
// separator dec, to the form strconv.ParseFloat reads. Groups must be well formed.
func splitNumber(num string, thou, dec byte) (string, bool) {
	intPart, frac, hasFrac := strings.Cut(num, string(dec))
	if strings.IndexByte(frac, dec) >= 0 || strings.IndexByte(frac, thou) >= 0 {
		return "", false
	}
	if strings.IndexByte(intPart, thou) >= 0 {
		groups := strings.Split(intPart, string(thou))
		if !validGroups(groups) {
			return "", false
		}
		intPart = strings.Join(groups, "")
	}
	if hasFrac {
		return intPart + "." + frac, true
	}
	return intPart, true
}

// validGroups reports whether groups are thousands groups: a first group of one to three
// digits without a leading zero, then groups of exactly three.
func validGroups(groups []string) bool {
	if len(groups[0]) == 0 || len(groups[0]) > 3 || groups[0][0] == '0' {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return false
		}
	}
	return true
}

package quantity

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// placeHit is a place name found in a sentence.
type placeHit struct {
	start, end int
	place      string
}

// findPlaces returns the places named in s, in order. Organisation names are matched
// too, so that a place inside one ("Islamic State of Iraq and Syria") is not reported.
func findPlaces(s string) []placeHit {
	var hits []placeHit
	for i := 0; i < len(s); {
		// Most bytes start no name: they are passed over before the word boundary is
		// looked at.
		if len(placeIndex[s[i]]) == 0 || !startsWord(s, i) {
			i++
			continue
		}
		end := i + 1
		for _, e := range placeIndex[s[i]] {
			// Comparing the second byte first passes over most names quickly.
			if len(e.name) > 1 && i+1 < len(s) && s[i+1] != e.name[1] {
				continue
			}
			if strings.HasPrefix(s[i:], e.name) && endsWord(s, i+len(e.name)) {
				if e.place != "" {
					hits = append(hits, placeHit{i, i + len(e.name), e.place})
				}
				end = i + len(e.name)
				break
			}
		}
		i = end
	}
	return hits
}

func startsWord(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return i == 0 || !isWordRune(r)
}

// endsWord reports whether a name may end at i. A name ending in "." ("U.S.") ends
// anywhere.
func endsWord(s string, i int) bool {
	if i == len(s) || s[i-1] == '.' {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !isWordRune(r)
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// locate returns the location of each reading. Readings joined by a short connector
// ("9.000 troops from 23 countries") form a group that shares one location. A group's
// location is the places named after it, up to the next group; if there are none, the
// places named before it, back to the previous group. Places inside a parenthetical
// aside that does not contain the group are skipped, so "$300 million shortfall ...
// (mainly West Mosul, ...) and the reconstruction of Iraq" is Iraq. Several places are
// joined with ", " in order of appearance, each once.
func locate(s string, rs []reading) []string {
	sp := newSentencePlaces(s)
	locs := make([]string, len(rs))
	groups := groupReadings(s, rs, sp)
	prevEnd := 0
	for gi, g := range groups {
		members := rs[g[0] : g[1]+1]
		next := len(s)
		if gi+1 < len(groups) {
			next = rs[groups[gi+1][0]].phraseStart
		}
		names := sp.names(members, members[len(members)-1].rawEnd, next)
		if len(names) == 0 {
			names = sp.names(members, prevEnd, members[0].phraseStart)
		}
		loc := strings.Join(names, ", ")
		for k := g[0]; k <= g[1]; k++ {
			locs[k] = loc
		}
		prevEnd = members[len(members)-1].phraseEnd
	}
	return locs
}

// groupReadings returns the groups of readings as index ranges [first, last]: the two
// ends of a range are one group, and two readings are grouped when only a connector word
// stands between their phrases and neither names a place inside its own phrase ("12 Syrian fighters and 500 British
// troops" are two groups, each with its own place). A number a copula names ends its own
// clause: "500 were children and 300 fled to Lebanon" does not put the children in Lebanon.
func groupReadings(s string, rs []reading, sp *sentencePlaces) [][2]int {
	var groups [][2]int
	for k := range rs {
		if k > 0 && (rs[k].rangeEnd || connected(s, rs[k-1], rs[k]) && !sp.ownPlace(rs[k-1]) && !sp.ownPlace(rs[k]) && !rs[k-1].named && !rs[k].named) {
			groups[len(groups)-1][1] = k
			continue
		}
		groups = append(groups, [2]int{k, k})
	}
	return groups
}

func connected(s string, a, b reading) bool {
	if a.phraseEnd >= b.phraseStart {
		return false
	}
	gap := s[a.phraseEnd:b.phraseStart]
	// A connector is a short word or two; lower case makes a character three times shorter
	// at most. Most gaps are far longer, and need not be normalised.
	letters := 0
	for _, r := range gap {
		if !unicode.IsSpace(r) {
			if letters += utf8.RuneLen(r); letters > 3*len("across") {
				return false
			}
		}
	}
	return connectors[strings.ToLower(strings.Join(strings.Fields(gap), " "))]
}

// sentencePlaces holds what the location rule needs to know about one sentence. Lookups
// cost no more than the places they return, so that a long run-on "sentence" with many
// numbers and brackets stays linear.
type sentencePlaces struct {
	hits      []placeHit // in order, never overlapping
	asides    [][2]int   // matched bracket pairs
	innermost []int32    // per byte of the sentence: index in asides of the innermost pair around it, or -1; nil without asides
}

func newSentencePlaces(s string) *sentencePlaces {
	sp := &sentencePlaces{hits: findPlaces(s), asides: bracketPairs(s)}
	if len(sp.asides) == 0 {
		return sp // no place is in an aside
	}
	sp.innermost = make([]int32, len(s))
	opens, closes := map[int]int32{}, map[int]bool{}
	for k, a := range sp.asides {
		opens[a[0]], closes[a[1]] = int32(k), true
	}
	// Matched pairs nest, so a stack swept over the sentence knows the innermost one.
	stack := []int32{-1}
	for i := 0; i < len(s); i++ {
		if closes[i] {
			stack = stack[:len(stack)-1]
		}
		sp.innermost[i] = stack[len(stack)-1]
		if k, ok := opens[i]; ok {
			stack = append(stack, k)
		}
	}
	return sp
}

// between returns the places named wholly inside s[from:to].
func (sp *sentencePlaces) between(from, to int) []placeHit {
	i := sort.Search(len(sp.hits), func(k int) bool { return sp.hits[k].start >= from })
	j := i
	for j < len(sp.hits) && sp.hits[j].end <= to {
		j++
	}
	return sp.hits[i:j]
}

// ownPlace reports whether a place is named between the number and the end of its
// phrase, as a demonym before the noun is.
func (sp *sentencePlaces) ownPlace(r reading) bool {
	return len(sp.between(r.rawEnd, r.phraseEnd)) > 0
}

// names returns the places named in s[from:to], each once, skipping those in an aside
// that holds none of the members.
func (sp *sentencePlaces) names(members []reading, from, to int) []string {
	var names []string
	for _, h := range sp.between(from, to) {
		// A sentence names few places: looking through them beats a set.
		if slices.Contains(names, h.place) || sp.inForeignAside(members, h.start) {
			continue
		}
		names = append(names, h.place)
	}
	return names
}

// inForeignAside reports whether pos lies in brackets that hold none of the members.
// Pairs nest, so it is enough to look at the innermost pair: if it holds a member, so
// does every pair around it.
func (sp *sentencePlaces) inForeignAside(members []reading, pos int) bool {
	if sp.innermost == nil {
		return false
	}
	k := sp.innermost[pos]
	if k < 0 {
		return false
	}
	a := sp.asides[k]
	// Members are in order: find the first after the opening bracket.
	m := sort.Search(len(members), func(i int) bool { return members[i].rawStart > a[0] })
	return m == len(members) || members[m].rawStart >= a[1]
}

// bracketPairs returns the byte offsets of matching "()" and "[]" pairs in s. A closing
// bracket that does not match the innermost open one is ignored, and brackets left open
// pair with nothing, so unbalanced text never hides the rest of the sentence.
func bracketPairs(s string) [][2]int {
	// Most sentences have no brackets at all: finding the first opening one is quick.
	first := strings.IndexByte(s, '(')
	if j := strings.IndexByte(s, '['); j >= 0 && (first < 0 || j < first) {
		first = j
	}
	if first < 0 {
		return nil
	}
	var pairs [][2]int
	var stack []int
	for i := first; i < len(s); i++ {
		switch s[i] {
		case '(', '[':
			stack = append(stack, i)
		case ')', ']':
			open := byte('(')
			if s[i] == ']' {
				open = '['
			}
			if n := len(stack); n > 0 && s[stack[n-1]] == open {
				pairs = append(pairs, [2]int{stack[n-1], i})
				stack = stack[:n-1]
			}
		}
	}
	return pairs
}

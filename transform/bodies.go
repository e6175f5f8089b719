package transform

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/articleetl/articleetl/schemas"
	"github.com/articleetl/articleetl/transform/quantity"
)

// bodyHeads are the head nouns that make a name a named body, with the body_type each
// gives. Two-word heads come first.
var bodyHeads = []struct{ head, bodyType string }{
	{"working group", "working_group"}, {"working party", "working_group"},
	{"task force", "task_force"}, {"taskforce", "task_force"},
	{"committee", "committee"}, {"subcommittee", "committee"}, {"sub-committee", "committee"},
	{"commission", "commission"}, {"council", "council"}, {"panel", "panel"},
	{"board", "board"}, {"forum", "forum"}, {"network", "network"}, {"team", "team"},
	{"group", "group"}, {"agency", "agency"}, {"unit", "unit"},
}

// namePrepositions start the complement of a name ("Committee on Climate Change",
// "Council of the European Union"): the head noun stands before the first of them.
var namePrepositions = map[string]bool{
	"of": true, "on": true, "for": true, "to": true, "against": true, "in": true, "de": true,
}

// BodyType returns the kind of a named body from the head noun of its name
// ("Counter-Finance Working Group" is working_group, "Intergovernmental Panel on Climate
// Change" is panel), or "" when the name is not one of a body.
func BodyType(name string) string {
	words := strings.Fields(name)
	if len(words) == 0 || len(words) > 12 {
		return ""
	}
	for i, w := range words {
		if i > 0 && namePrepositions[w] {
			words = words[:i]
			break
		}
	}
	last := strings.ToLower(words[len(words)-1])
	lastTwo := last
	if len(words) > 1 {
		lastTwo = strings.ToLower(words[len(words)-2]) + " " + last
	}
	for _, h := range bodyHeads {
		if lastTwo == h.head || last == h.head || strings.HasSuffix(last, "-"+h.head) {
			return h.bodyType
		}
	}
	return ""
}

// namedItemPattern reads "Name: description".
var namedItemPattern = regexp.MustCompile(`^([^():]+?)\s*(?::|\s[–—]\s)\s*(.+)$`)

// addGroupFromItem reads a list item that names a body and reports whether it did:
// "Name (ABBR): description", "Name (ABBR) – description", "Name: description" or a bare
// "Name (ABBR)".
func (b *builder) addGroupFromItem(text string) bool {
	if name, abbr, desc, ok := readGroupItem(text); ok {
		return b.addGroup(name, abbr, desc)
	}
	if name, abbr, ok := readBareName(text); ok {
		return b.addGroup(name, abbr, "")
	}
	// Most items have neither a colon nor a dash: the pattern, with its lazy name, is
	// tried only on those that do.
	if strings.ContainsAny(text, ":–—") {
		if m := namedItemPattern.FindStringSubmatch(text); m != nil && isName(m[1]) {
			return b.addGroup(m[1], "", m[2])
		}
	}
	return false
}

// readGroupItem reads "Name (ABBR): description", where a dash after white space may
// stand for the colon, as the regular expression
//
//	^([^():]+?)\s*\(([^()]+)\)\s*(?::|\s[–—-])\s*(.+)$
//
// reads it (TestReadNamedItems holds them to it). It is written out because it runs on
// every list item and the expression, with its lazy name, cost more than reading the rest
// of the item.
func readGroupItem(text string) (name, abbr, desc string, ok bool) {
	name, abbr, rest, ok := nameAndAbbreviation(text)
	if !ok {
		return "", "", "", false
	}
	space := 0
	for space < len(rest) && isPatternSpace(rest[space]) {
		space++
	}
	if after, found := strings.CutPrefix(rest[space:], ":"); found {
		rest = after
	} else if after, found := cutDash(rest[space:]); found && space > 0 {
		rest = after
	} else {
		return "", "", "", false
	}
	desc = strings.TrimLeft(rest, patternSpaces)
	if desc == "" && rest != "" {
		desc = rest[len(rest)-1:] // (.+) takes back the last white space it can
	}
	if desc == "" || strings.Contains(desc, "\n") {
		return "", "", "", false
	}
	return name, abbr, desc, true
}

// readBareName reads a bare "Name (ABBR)", with a full stop or not, as the regular
// expression ^([^():]+?)\s*\(([^()]+)\)\.?$ reads it.
func readBareName(text string) (name, abbr string, ok bool) {
	name, abbr, rest, ok := nameAndAbbreviation(text)
	if !ok || rest != "" && rest != "." {
		return "", "", false
	}
	return name, abbr, true
}

// nameAndAbbreviation reads the start ^([^():]+?)\s*\(([^()]+)\) of readGroupItem and
// readBareName: the name before the first bracket, without the white space that ends it
// (but never empty), the abbreviation inside, and the rest after the closing bracket.
func nameAndAbbreviation(text string) (name, abbr, rest string, ok bool) {
	open := strings.IndexByte(text, '(')
	if open <= 0 || strings.ContainsAny(text[:open], "):") {
		return "", "", "", false
	}
	end := open
	for end > 1 && isPatternSpace(text[end-1]) {
		end--
	}
	inner := text[open+1:]
	close := strings.IndexAny(inner, "()")
	if close <= 0 || inner[close] != ')' {
		return "", "", "", false
	}
	return text[:end], inner[:close], inner[close+1:], true
}

// cutDash cuts a dash, en dash or em dash from the start of s.
func cutDash(s string) (after string, found bool) {
	for _, dash := range []string{"-", "–", "—"} {
		if after, found := strings.CutPrefix(s, dash); found {
			return after, true
		}
	}
	return s, false
}

// patternSpaces are the white space \s matches in a regular expression.
const patternSpaces = " \t\n\f\r"

func isPatternSpace(c byte) bool { return strings.IndexByte(patternSpaces, c) >= 0 }

// addGroupFromTerm reads a definition list entry: the term names the body ("Audit
// Committee (AC)"), the definition says what it does.
func (b *builder) addGroupFromTerm(term, definition string) {
	name, abbr := term, ""
	if n, a, ok := readBareName(term); ok {
		name, abbr = n, a
	}
	if isName(name) {
		b.addGroup(name, abbr, definition)
	}
}

// tableColumns are the columns of a table of bodies, by index; -1 when absent.
type tableColumns struct{ name, abbr, desc int }

var (
	nameHeader = regexp.MustCompile(`(?i)^(name|body|bodies|organi[sz]ation|committee|group|entity|institution|forum|panel)s?$|name`)
	abbrHeader = regexp.MustCompile(`(?i)abbrev|acronym|short name|short form|initials`)
	descHeader = regexp.MustCompile(`(?i)descri|role|remit|mandate|purpose|function|responsib|task|what it does|members|work`)
)

// readHeader finds the name, abbreviation and description columns of a table from its
// header cells. A table without a name column lists no bodies.
func readHeader(cells []string) tableColumns {
	cols := tableColumns{-1, -1, -1}
	for i, c := range cells {
		switch {
		case cols.abbr < 0 && abbrHeader.MatchString(c):
			cols.abbr = i
		case cols.name < 0 && nameHeader.MatchString(c):
			cols.name = i
		case cols.desc < 0 && descHeader.MatchString(c):
			cols.desc = i
		}
	}
	if cols.name < 0 {
		return tableColumns{}
	}
	return cols
}

// addGroupFromRow reads a row of a table of bodies.
func (b *builder) addGroupFromRow(cells []string) {
	c := b.table
	if c == (tableColumns{}) || c.name >= len(cells) {
		return
	}
	cell := func(i int) string {
		if i < 0 || i >= len(cells) {
			return ""
		}
		return cells[i]
	}
	name, abbr := cell(c.name), cell(c.abbr)
	if n, a, ok := readBareName(name); ok && abbr == "" {
		name, abbr = n, a
	}
	b.addBody(name, strings.Trim(abbr, "()"), cell(c.desc), false)
}

// isName reports whether text can be a body's name: a few words, starting with a capital.
func isName(text string) bool {
	r, _ := utf8.DecodeRuneInString(text)
	return unicode.IsUpper(r) && len(strings.Fields(text)) <= 10
}

// addGroup records a named body once, if its name has a body's head noun, and reports
// whether the name is one.
func (b *builder) addGroup(name, abbr, desc string) bool {
	return b.addBody(name, abbr, desc, true)
}

// addBody records a named body once. Its body_type comes from the head noun of its name;
// a name without one is a body only when the page says so itself (a row of a table of
// bodies, needHead false), and then has no body_type.
func (b *builder) addBody(name, abbr, desc string, needHead bool) bool {
	name = strings.TrimSpace(name)
	bodyType := BodyType(name)
	if bodyType == "" && (needHead || !isName(name)) {
		return false
	}
	key := strings.ToLower(name)
	if b.groupSeen[key] {
		return true
	}
	b.groupSeen[key] = true
	var qaID *string
	if b.current != nil {
		qaID = &b.current.QAID
	}
	b.groups = append(b.groups, schemas.WorkingGroup{
		SchemaVersion: schemas.WorkingGroups.Version,
		DocID:         b.docID,
		SnapshotID:    b.snapshotID,
		WGID:          id16(b.docID, "wg", key),
		Ordinal:       int32(len(b.groups) + 1),
		Name:          name,
		Abbreviation:  optional(strings.TrimSpace(abbr)),
		Description:   strings.TrimSpace(desc),
		QAID:          qaID,
		BodyType:      optional(bodyType),
	})
	return true
}

// abbreviationInParens finds "(ABBR)" in prose: two or more capitals, a few short words.
var abbreviationInParens = regexp.MustCompile(`\(([A-Z][A-Za-z0-9&./-]*(?: [A-Z0-9][A-Za-z0-9&./-]*){0,2})\)`)

// nameConnectors may stand inside a name between capitalised words.
var nameConnectors = map[string]bool{
	"of": true, "on": true, "for": true, "and": true, "the": true, "to": true, "against": true,
	"in": true, "de": true, "&": true,
}

// leadingWords are dropped from the start of a name found in prose.
var leadingWords = map[string]bool{
	"the": true, "a": true, "an": true, "its": true, "our": true, "their": true, "this": true,
	"that": true, "new": false,
}

// addGroupsFromProse finds the bodies a paragraph introduces with an abbreviation: "the
// Audit Committee (AC), which reviews the accounts; the Research Task Force (RTF), which
// funds studies". The name is the run of capitalised words (with "of", "on", "for" and the
// like between them) before the brackets; the description is the clause after them, to
// the next semicolon, the next such name or the end of the sentence, without a leading
// "which", "that" or "who". A body introduced at the end of its sentence is described by
// the sentence.
func (b *builder) addGroupsFromProse(text string) {
	if !strings.Contains(text, "(") {
		return
	}
	type mention struct {
		nameStart, abbrEnd int
		name, abbr         string
	}
	// Every name with an abbreviation ends the description of the one before, body or not.
	var ms []mention
	for _, loc := range abbreviationInParens.FindAllStringSubmatchIndex(text, -1) {
		abbr := text[loc[2]:loc[3]]
		if countUpper(abbr) < 2 {
			continue
		}
		if start, name := nameBefore(text, loc[0]); name != "" {
			ms = append(ms, mention{start, loc[1], name, abbr})
		}
	}
	var sentences []quantity.Span
	for i, m := range ms {
		if BodyType(m.name) == "" {
			continue
		}
		end := len(text)
		if i+1 < len(ms) {
			end = ms[i+1].nameStart
		}
		if sentences == nil {
			sentences = quantity.SplitSentences(text)
		}
		b.addGroup(m.name, m.abbr, proseDescription(text, sentences, m.nameStart, m.abbrEnd, end))
	}
}

func countUpper(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n
}

// nameBefore returns the start and text of the capitalised name that ends right before
// text[end] (white space between them allowed), or "" when there is none. Going back from
// the brackets it takes capitalised words, and "of", "on", "for", "and" and the like when
// a capitalised word stands before them ("Committee on Climate Change"); "the" only after
// such a word ("Council of the European Union"). It stops at punctuation, a possessive
// ("UNHCR’s") and any other word, and drops determiners from the front ("the", "The").
func nameBefore(text string, end int) (int, string) {
	type word struct {
		text  string
		start int
	}
	var ws []word
	// A name is a few words: looking back 200 bytes, from a space, is enough and keeps a
	// long paragraph with many brackets linear.
	from := 0
	if end > 200 {
		if i := strings.IndexByte(text[end-200:end], ' '); i >= 0 {
			from = end - 200 + i
		} else {
			from = end
		}
	}
	for i := from; i < end; {
		for i < end && text[i] == ' ' {
			i++
		}
		j := i
		for j < end && text[j] != ' ' {
			j++
		}
		if j > i {
			ws = append(ws, word{text[i:j], i})
		}
		i = j
	}
	capitalised := func(w string) bool {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsUpper(r) && !strings.ContainsAny(w[len(w)-1:], ",.;:!?)")
	}
	first := len(ws)
	for k := len(ws) - 1; k >= 0; k-- {
		w := ws[k].text
		switch {
		case strings.HasSuffix(w, "’s") || strings.HasSuffix(w, "'s"):
		case capitalised(w):
			first = k
			continue
		case first < len(ws) && w == "the":
			if k > 0 && namePrepositions[strings.ToLower(ws[k-1].text)] {
				first = k
				continue
			}
		case first < len(ws) && nameConnectors[w]:
			if k > 0 && capitalised(ws[k-1].text) {
				first = k
				continue
			}
		}
		break
	}
	for first < len(ws) && (nameConnectors[strings.ToLower(ws[first].text)] || leadingWords[strings.ToLower(ws[first].text)]) {
		first++
	}
	if first == len(ws) {
		return end, ""
	}
	var names []string
	for _, w := range ws[first:] {
		names = append(names, w.text)
	}
	return ws[first].start, strings.Join(names, " ")
}

// proseDescription is the clause after a body's "(ABBR)" at text[abbrEnd:], up to limit
// (the next body's name), the next semicolon or the end of the sentence.
func proseDescription(text string, sentences []quantity.Span, nameStart, abbrEnd, limit int) string {
	sentenceStart, sentenceEnd := 0, len(text)
	k := sort.Search(len(sentences), func(k int) bool { return sentences[k].End > nameStart })
	if k < len(sentences) && sentences[k].Start <= nameStart {
		sentenceStart, sentenceEnd = sentences[k].Start, sentences[k].End
	}
	end := min(limit, sentenceEnd)
	clause := text[abbrEnd:end]
	if i := strings.IndexByte(clause, ';'); i >= 0 {
		clause = clause[:i]
	}
	clause = strings.TrimSpace(clause)
	clause = strings.TrimLeft(clause, ",:–— ")
	for _, w := range []string{"which ", "that ", "who "} {
		clause = strings.TrimPrefix(clause, w)
	}
	// Words that only lead on to the next name go: "…, with" the Regional Unit (RU).
	for {
		clause = strings.TrimRight(clause, " ,.")
		i := strings.LastIndexByte(clause, ' ')
		if i < 0 || !trailingWords[strings.ToLower(clause[i+1:])] {
			break
		}
		clause = clause[:i]
	}
	if onlyConnectors(clause) {
		return strings.TrimSpace(text[sentenceStart:sentenceEnd])
	}
	return clause
}

// trailingWords end a clause that runs on into the next body's name.
var trailingWords = map[string]bool{
	"and": true, "or": true, "the": true, "with": true, "by": true, "of": true, "to": true,
	"for": true, "from": true, "alongside": true, "including": true, "plus": true, "as": true,
	"as well as": true, "while": true, "whereas": true, "but": true,
}

// onlyConnectors reports whether a clause says nothing: it is empty or only joins names
// ("and the").
func onlyConnectors(clause string) bool {
	for _, w := range strings.Fields(clause) {
		if !nameConnectors[strings.ToLower(w)] && w != "or" && w != "," {
			return false
		}
	}
	return true
}

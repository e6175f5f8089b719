package transform

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/articleetl/articleetl/extract"
	"github.com/articleetl/articleetl/schemas"
	"github.com/articleetl/articleetl/transform/quantity"
)

// Source says where an article came from.
type Source struct {
	Name          string // path, URL or "-" as given by the user
	ContentSHA256 string // hex SHA-256 of the input bytes
}

// Transform builds the records of one article. It is a pure function of its arguments:
// the same article and source always give the same records.
func Transform(a *extract.Article, src Source) schemas.Records {
	return Analyze(a, src).Records
}

// Analysis is what Transform reads in an article: its records, and how each block was
// read, for tools that show a page's structure (articleetl inspect).
type Analysis struct {
	Records schemas.Records
	// Roles has the role of each of the article's blocks, index for index.
	Roles []Role
	// FromFAQ tells, for each Q&A pair, whether it was taken from the page's JSON-LD
	// FAQPage rather than its body.
	FromFAQ []bool
	// Grouping is the digit grouping convention the article's numbers were read with.
	Grouping quantity.Grouping
}

// Analyze reads an article the way Transform does and says how it read it.
func Analyze(a *extract.Article, src Source) Analysis {
	docID := DocID(a.CanonicalURL, a.Title)
	sc := scanners.Get().(*quantity.Scanner)
	defer scanners.Put(sc)
	b := builder{docID: docID, snapshotID: SnapshotID(docID, a), article: a, scanner: sc}
	b.walk()
	d := schemas.Document{
		SchemaVersion:     schemas.Documents.Version,
		DocID:             docID,
		SnapshotID:        b.snapshotID,
		Source:            src.Name,
		CanonicalURL:      optional(a.CanonicalURL),
		Title:             a.Title,
		Standfirst:        optional(a.Standfirst),
		PublishedAt:       a.PublishedAt,
		Language:          optional(a.Language),
		ContentSHA256:     src.ContentSHA256,
		QAPairCount:       int32(len(b.qa)),
		WorkingGroupCount: int32(len(b.groups)),
		FactCount:         int32(len(b.facts)),
		ExtractorVersion:  extract.Version,
	}
	if a.UpdatedOn != nil {
		day := schemas.DateOf(*a.UpdatedOn)
		d.UpdatedOn = &day
	}
	return Analysis{
		Records:  schemas.Records{Document: d, QAPairs: b.qa, WorkingGroups: b.groups, Facts: b.facts},
		Roles:    b.roles,
		FromFAQ:  b.fromFAQ,
		Grouping: b.grouping,
	}
}

// SnapshotID identifies one version of an article's content: the same text, structure
// and dates give the same id whatever page chrome, source or capture time surrounds them.
func SnapshotID(docID string, a *extract.Article) string {
	// The parts are the fields below, each block as "kind/level/text" and each question of
	// the structured data as "faq/question/answer lines": written piece by piece, so the
	// page's text is not copied into new strings to be hashed.
	var h schemas.IDHash
	part := func(pieces ...string) {
		for _, p := range pieces {
			h.WriteString(p)
		}
		h.EndPart()
	}
	part(docID)
	part(a.Title)
	part(a.Standfirst)
	if a.UpdatedOn != nil {
		part(a.UpdatedOn.Format("2006-01-02"))
	}
	for _, bl := range a.Blocks {
		part(string(bl.Kind), "/", strconv.Itoa(bl.Level), "/", bl.Text)
	}
	// Questions that only the page's structured data asks are content too.
	for _, q := range a.FAQ {
		h.WriteString("faq/" + q.Question + "/")
		for i, line := range q.Answer {
			if i > 0 {
				h.WriteString("\n")
			}
			h.WriteString(line)
		}
		h.EndPart()
	}
	return h.ID()
}

// Role is what a block is in the article, as Transform reads it.
type Role string

// The roles of blocks.
const (
	RoleQuestion   Role = "question"
	RoleAnswer     Role = "answer"
	RoleSection    Role = "section"
	RoleListItem   Role = "list item"
	RoleCaption    Role = "caption"
	RoleText       Role = "text" // a paragraph outside any answer
	RoleTerm       Role = "term"
	RoleDefinition Role = "definition"
	RoleTableRow   Role = "table row"
)

// scanners keep number scanners from page to page: a scanner's buffers grow to the
// article's longest line, which a new one grew again on every page (16 KB of a page's
// 92 KB of transform allocations).
var scanners = sync.Pool{New: func() any { return new(quantity.Scanner) }}

// builder holds the state of one pass over an article's blocks.
type builder struct {
	docID, snapshotID string
	article           *extract.Article
	grouping          quantity.Grouping
	scanner           *quantity.Scanner // reads the article's numbers, one sentence after another

	qa      []schemas.QAPair
	fromFAQ []bool
	groups  []schemas.WorkingGroup
	facts   []schemas.Fact
	roles   []Role

	section      *string // heading of the section being read, nil outside any
	sectionLevel int
	current      *schemas.QAPair // Q&A pair whose answer is being read, nil outside any
	currentScope int             // the <dl> or <details> the current question was asked in, 0 for none
	lastQuestion string          // text of the question asked before, for elliptical ones
	factRank     map[string]int  // facts seen per (place, unit, location), for fact ids
	qaSeen       map[string]int  // questions seen per text, to tell repeats apart
	groupSeen    map[string]bool // named bodies seen, by lowercase name
	term         string          // the <dt> a <dd> defines, "" when none
	table        tableColumns    // columns of the table being read
}

func (b *builder) walk() {
	b.grouping = b.scanner.DetectGrouping(articleText(b.article))
	b.factRank, b.qaSeen, b.groupSeen = map[string]int{}, map[string]int{}, map[string]bool{}
	b.addGroupsFromProse(b.article.Standfirst)
	b.addFacts(b.article.Standfirst, "")
	blocks := b.article.Blocks
	b.roles = make([]Role, len(blocks))
	for i, bl := range blocks {
		// An answer given inside a <dl> or <details> ends with it.
		if b.current != nil && b.currentScope != 0 && bl.Scope != b.currentScope {
			b.finishAnswer()
		}
		if bl.Kind != extract.KindDefinition && bl.Kind != extract.KindTerm {
			b.term = ""
		}
		if bl.Kind != extract.KindTableRow {
			b.table = tableColumns{}
		}
		if q, ok := bl.Question(); ok {
			b.startQuestion(q, bl)
			b.roles[i] = RoleQuestion
			continue
		}
		b.roles[i] = b.read(bl)
	}
	b.finishAnswer()
	b.addFAQ()
}

// blockRole is the role a block of kind k has outside any answer; "" for kinds whose role
// depends on more than their kind. (A map literal here was built afresh for every block.)
func blockRole(k extract.Kind) Role {
	switch k {
	case extract.KindParagraph, extract.KindSummary:
		return RoleText
	case extract.KindListItem:
		return RoleListItem
	case extract.KindTerm:
		return RoleTerm
	case extract.KindDefinition:
		return RoleDefinition
	case extract.KindTableRow:
		return RoleTableRow
	}
	return ""
}

// read takes in one block that asks no question and returns its role.
func (b *builder) read(bl extract.Block) Role {
	role := blockRole(bl.Kind)
	switch bl.Kind {
	case extract.KindHeading:
		b.finishAnswer()
		b.section, b.sectionLevel = &bl.Text, bl.Level
		return RoleSection
	case extract.KindCaption:
		b.addFacts(bl.Text, "")
		return RoleCaption
	case extract.KindTableRow:
		if bl.Header {
			b.table = readHeader(bl.Cells)
			return role
		}
		b.addGroupFromRow(bl.Cells)
		if b.current != nil {
			b.answer(bl.Text)
			role = RoleAnswer
		}
		for _, cell := range bl.Cells {
			b.addFacts(cell, bl.Text)
		}
		return role
	case extract.KindTerm:
		b.term = bl.Text
	case extract.KindDefinition:
		if b.term != "" {
			b.addGroupFromTerm(b.term, bl.Text)
		}
	}
	text := extract.TrimAnswerPrefix(bl.Text)
	if bl.Kind == extract.KindParagraph && apparatus.MatchString(text) {
		b.finishAnswer() // "Sources: …" closes the answer before it
	}
	if b.current != nil {
		b.answer(text)
		role = RoleAnswer
	}
	switch bl.Kind {
	case extract.KindTerm:
		// A term names a body with the definition after it (addGroupFromTerm).
	case extract.KindListItem:
		if !b.addGroupFromItem(text) {
			b.addGroupsFromProse(text)
		}
	default:
		b.addGroupsFromProse(text)
	}
	b.addFacts(text, "")
	return role
}

// apparatus matches the notes an article ends with, which belong to no answer.
// A footnote ("¹ Official Journal …", "[1] See …") is one too, and so is a dated
// correction or update ("Correction, 1 May: …").
var apparatus = regexp.MustCompile(`^(?:(?i:sources?|notes?|references|further reading|photo|image|credits?|corrections?|disclaimer)\s*:|(?i:corrections?|updates?|editor’s note|editor's note)\b[^:.]{0,30}:|[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s|\[\d+\]\s)`)

func (b *builder) answer(text string) {
	b.current.AnswerParagraphs = append(b.current.AnswerParagraphs, text)
}

func (b *builder) startQuestion(question string, bl extract.Block) {
	b.finishAnswer()
	// A question heading at the level of the open section, or above it, closes that section.
	if bl.Kind == extract.KindHeading && b.section != nil && bl.Level <= b.sectionLevel {
		b.section = nil
	}
	b.openQuestion(question)
	b.currentScope = bl.Scope
}

func (b *builder) openQuestion(question string) {
	b.qaSeen[question]++
	b.current = &schemas.QAPair{
		SchemaVersion: schemas.QAPairs.Version,
		DocID:         b.docID,
		SnapshotID:    b.snapshotID,
		QAID:          id16(b.docID, "qa", question, strconv.Itoa(b.qaSeen[question])),
		Ordinal:       int32(len(b.qa) + 1),
		Question:      question,
		Section:       b.section,
	}
	if b.lastQuestion != "" && Elliptical(question) {
		b.current.QuestionContext = optional(b.lastQuestion)
	}
	b.lastQuestion = question
}

func (b *builder) finishAnswer() {
	if b.current == nil {
		return
	}
	if b.current.AnswerParagraphs == nil {
		b.current.AnswerParagraphs = []string{} // a question with no answer still has a list, empty
	}
	b.current.Answer = strings.Join(b.current.AnswerParagraphs, "\n")
	b.qa = append(b.qa, *b.current)
	b.fromFAQ = append(b.fromFAQ, false)
	b.current, b.currentScope = nil, 0
}

// addFAQ adds the questions of the page's JSON-LD FAQPage that its body does not ask
// itself, after the body's, with their facts. They stand under no section.
func (b *builder) addFAQ() {
	asked := map[string]bool{}
	for _, q := range b.qa {
		asked[questionKey(q.Question)] = true
	}
	b.section = nil
	for _, e := range b.article.FAQ {
		if asked[questionKey(e.Question)] {
			continue
		}
		asked[questionKey(e.Question)] = true
		b.openQuestion(e.Question)
		for _, p := range e.Answer {
			b.answer(p)
			b.addGroupsFromProse(p)
			b.addFacts(p, "")
		}
		b.finishAnswer()
		b.fromFAQ[len(b.fromFAQ)-1] = true
	}
}

// questionKey is a question's text for comparing the body's questions with structured
// data: case, white space, typographic quotes and the final punctuation do not count.
func questionKey(q string) string {
	q = plainQuotes.Replace(strings.ToLower(q))
	return strings.TrimRight(strings.Join(strings.Fields(q), " "), "?!. ")
}

// plainQuotes replaces typographic quotes with plain ones.
var plainQuotes = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`)

// addFacts records the numeric facts of a block of text, in the current Q&A pair or section.
// Each fact's sentence is the one it stands in, or whole when given (a table row).
func (b *builder) addFacts(text, whole string) {
	if text == "" {
		return
	}
	var qaID *string
	if b.current != nil {
		qaID = &b.current.QAID
	}
	place := "" // where the facts stand, made when there is one
	for _, sentence := range quantity.SplitSentences(text) {
		for _, f := range b.scanner.Facts(sentence.Text, b.grouping) {
			if place == "" {
				place = b.place()
			}
			// The id leaves out the value so that an edited number is a modified fact,
			// not a removed and an added one.
			key := strings.Join([]string{place, f.Unit, f.Location}, "\x00")
			b.factRank[key]++
			s := sentence.Text
			if whole != "" {
				s = whole
			}
			b.facts = append(b.facts, schemas.Fact{
				SchemaVersion: schemas.Facts.Version,
				DocID:         b.docID,
				SnapshotID:    b.snapshotID,
				FactID:        id16(b.docID, "fact", key, strconv.Itoa(b.factRank[key])),
				Ordinal:       int32(len(b.facts) + 1),
				Value:         f.Value,
				Unit:          f.Unit,
				Kind:          f.Kind,
				Raw:           f.Raw,
				Comparator:    optional(f.Comparator),
				Location:      optional(f.Location),
				Sentence:      s,
				QAID:          qaID,
				Section:       sectionOf(b),
			})
		}
	}
}

// place says where the block being read stands, for fact ids: in a Q&A pair, a section or
// the lead.
func (b *builder) place() string {
	switch {
	case b.current != nil:
		return "qa:" + b.current.Question
	case b.section != nil:
		return "section:" + *b.section
	}
	return "lead"
}

func sectionOf(b *builder) *string {
	if b.current != nil {
		return b.current.Section
	}
	return b.section
}

// IsQuestion reports whether a heading asks a question.
func IsQuestion(text string) bool {
	return extract.EndsWithQuestionMark(text)
}

// articleText is all of an article's text, for deciding its number conventions once.
func articleText(a *extract.Article) string {
	n := len(a.Standfirst)
	for _, bl := range a.Blocks {
		n += 1 + len(bl.Text)
	}
	for _, q := range a.FAQ {
		for _, p := range q.Answer {
			n += 1 + len(p)
		}
	}
	var sb strings.Builder
	sb.Grow(n)
	sb.WriteString(a.Standfirst)
	for _, bl := range a.Blocks {
		sb.WriteByte('\n')
		sb.WriteString(bl.Text)
	}
	for _, q := range a.FAQ {
		for _, p := range q.Answer {
			sb.WriteByte('\n')
			sb.WriteString(p)
		}
	}
	return sb.String()
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

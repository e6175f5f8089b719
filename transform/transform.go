package transform

import (
	"regexp"
	"strconv"
	"strings"

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
	docID := DocID(a.CanonicalURL, a.Title)
	b := builder{docID: docID, snapshotID: SnapshotID(docID, a), article: a}
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
	return schemas.Records{Document: d, QAPairs: b.qa, WorkingGroups: b.groups, Facts: b.facts}
}

// SnapshotID identifies one version of an article's content: the same text, structure
// and dates give the same id whatever page chrome, source or capture time surrounds them.
func SnapshotID(docID string, a *extract.Article) string {
	parts := []string{docID, a.Title, a.Standfirst}
	if a.UpdatedOn != nil {
		parts = append(parts, a.UpdatedOn.Format("2006-01-02"))
	}
	for _, bl := range a.Blocks {
		parts = append(parts, string(bl.Kind)+"/"+strconv.Itoa(bl.Level)+"/"+bl.Text)
	}
	return id16(parts...)
}

// builder holds the state of one pass over an article's blocks.
type builder struct {
	docID, snapshotID string
	article           *extract.Article
	grouping          quantity.Grouping

	qa     []schemas.QAPair
	groups []schemas.WorkingGroup
	facts  []schemas.Fact

	section      *string // heading of the section being read, nil outside any
	sectionLevel int
	current      *schemas.QAPair // Q&A pair whose answer is being read, nil outside any
	factRank     map[string]int  // facts seen per (place, unit, location), for fact ids
	qaSeen       map[string]int  // questions seen per text, to tell repeats apart
}

func (b *builder) walk() {
	b.grouping = quantity.DetectGrouping(articleText(b.article))
	b.factRank, b.qaSeen = map[string]int{}, map[string]int{}
	b.addFacts(b.article.Standfirst)
	for _, bl := range b.article.Blocks {
		switch {
		case bl.Kind == extract.KindHeading && IsQuestion(bl.Text):
			b.startQuestion(bl)
		case bl.Kind == extract.KindHeading:
			b.finishAnswer()
			b.section, b.sectionLevel = &bl.Text, bl.Level
		default:
			if b.current != nil && bl.Kind != extract.KindCaption {
				b.current.AnswerParagraphs = append(b.current.AnswerParagraphs, bl.Text)
				if bl.Kind == extract.KindListItem {
					b.addGroup(bl.Text)
				}
			}
			b.addFacts(bl.Text)
		}
	}
	b.finishAnswer()
}

func (b *builder) startQuestion(bl extract.Block) {
	b.finishAnswer()
	// A question heading at the level of the open section, or above it, closes that section.
	if b.section != nil && bl.Level <= b.sectionLevel {
		b.section = nil
	}
	b.qaSeen[bl.Text]++
	b.current = &schemas.QAPair{
		SchemaVersion: schemas.QAPairs.Version,
		DocID:         b.docID,
		SnapshotID:    b.snapshotID,
		QAID:          id16(b.docID, "qa", bl.Text, strconv.Itoa(b.qaSeen[bl.Text])),
		Ordinal:       int32(len(b.qa) + 1),
		Question:      bl.Text,
		Section:       b.section,
	}
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
	b.current = nil
}

// groupPattern reads "Name (ABBR): description" list items.
var groupPattern = regexp.MustCompile(`^([^():]+?)\s*\(([^()]+)\)\s*:\s*(.+)$`)

// bodyNouns end the names of the bodies that count as working groups.
var bodyNouns = regexp.MustCompile(`(?i)\b(group|committee|task force|commission|council|panel|board|forum|team|network)$`)

func (b *builder) addGroup(text string) {
	m := groupPattern.FindStringSubmatch(text)
	if m == nil || !bodyNouns.MatchString(m[1]) {
		return
	}
	b.groups = append(b.groups, schemas.WorkingGroup{
		SchemaVersion: schemas.WorkingGroups.Version,
		DocID:         b.docID,
		SnapshotID:    b.snapshotID,
		WGID:          id16(b.docID, "wg", strings.ToLower(m[1])),
		Ordinal:       int32(len(b.groups) + 1),
		Name:          m[1],
		Abbreviation:  optional(m[2]),
		Description:   m[3],
		QAID:          &b.current.QAID,
	})
}

// addFacts records the numeric facts of a block of text, in the current Q&A pair or section.
func (b *builder) addFacts(text string) {
	if text == "" {
		return
	}
	var qaID *string
	place := "lead"
	if b.current != nil {
		qaID, place = &b.current.QAID, "qa:"+b.current.Question
	} else if b.section != nil {
		place = "section:" + *b.section
	}
	for _, sentence := range quantity.SplitSentences(text) {
		for _, f := range quantity.Facts(sentence.Text, b.grouping) {
			// The id leaves out the value so that an edited number is a modified fact,
			// not a removed and an added one.
			key := strings.Join([]string{place, f.Unit, f.Location}, "\x00")
			b.factRank[key]++
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
				Sentence:      sentence.Text,
				QAID:          qaID,
				Section:       sectionOf(b),
			})
		}
	}
}

func sectionOf(b *builder) *string {
	if b.current != nil {
		return b.current.Section
	}
	return b.section
}

// IsQuestion reports whether a heading asks a question.
func IsQuestion(text string) bool {
	return strings.HasSuffix(strings.TrimRight(text, " \"'’”»)"), "?")
}

// articleText is all of an article's text, for deciding its number conventions once.
func articleText(a *extract.Article) string {
	var sb strings.Builder
	sb.WriteString(a.Standfirst)
	for _, bl := range a.Blocks {
		sb.WriteByte('\n')
		sb.WriteString(bl.Text)
	}
	return sb.String()
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

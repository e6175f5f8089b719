package extract

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// Version identifies the extraction rules. It is bumped whenever the same page would give
// different records, and is written into every documents row.
const Version = "1.1.5"

// Kind is the structural kind of a content block.
type Kind string

// The block kinds.
const (
	KindHeading    Kind = "heading"
	KindParagraph  Kind = "paragraph"
	KindListItem   Kind = "list_item"
	KindCaption    Kind = "caption"
	KindTerm       Kind = "term"       // <dt>
	KindDefinition Kind = "definition" // <dd>
	KindSummary    Kind = "summary"    // <summary> of a <details> element
	KindTableRow   Kind = "table_row"  // one <tr> of a data table; Cells holds its cells
)

// Block is one unit of the article's body text, in reading order.
type Block struct {
	Kind  Kind
	Level int    // heading level 1–6 for headings, 0 otherwise
	Text  string // visible text with white space collapsed; list markers such as "· " removed
	// Strong is set for a paragraph whose whole text is bold (<strong> or <b>), the way
	// plain pages mark questions.
	Strong bool
	// Scope numbers the <dl> or <details> element the block stands in (from 1, in document
	// order), 0 outside any: the answer to a question asked in one ends with it.
	Scope int
	// Cells are the texts of a table row's cells, in order, for KindTableRow; Text joins
	// the non-empty ones with " | ".
	Cells []string
	// Header is set for a table row of header cells (<th>, or a row in <thead>).
	Header bool
}

// Container says which element of the page holds the article body and why it was chosen.
type Container struct {
	Selector string  // CSS-like name of the element, e.g. `div.entry-content`, `article`
	Reason   string  // the signal that chose it, e.g. "WordPress entry content (.entry-content)"
	Share    float64 // fraction of the page's content text inside it, 0–1
}

// FAQEntry is one question of a JSON-LD FAQPage, with its accepted answer as text.
type FAQEntry struct {
	Question string
	Answer   []string // paragraphs of the answer, HTML removed
}

// Article is what a page says about itself and its body, with page chrome left out.
type Article struct {
	Title        string
	Standfirst   string // lead paragraph before the first heading, "" when there is none
	CanonicalURL string
	Language     string     // BCP 47 tag, "" when unknown
	UpdatedOn    *time.Time // a calendar date, midnight UTC
	PublishedAt  *time.Time // UTC
	Blocks       []Block    // body after the standfirst
	// FAQ holds the questions of the page's JSON-LD FAQPage, in order, or nil.
	FAQ []FAQEntry
	// Container is the element the body was taken from.
	Container Container
}

// Options tune extraction for one input.
type Options struct {
	// ContentType is the HTTP Content-Type of the input, used to pick its character
	// encoding; "" means none was given.
	ContentType string
	// ContentSelector, when set, is a CSS selector for the element that holds the
	// article body, overriding the built-in choice.
	ContentSelector string
}

// Extract reads a whole HTML page from r and returns its article. The reader is not closed.
// It fails with ErrEmpty, ErrBinary, ErrNotHTML, ErrTruncated or ErrNoContent (wrapped) when
// the input is not an article page.
func Extract(r io.Reader, opts Options) (*Article, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading page: %w", err)
	}
	return ExtractBytes(raw, opts)
}

// ErrTooDeep is the error of a page whose elements nest past x/net/html's limit of 512.
var ErrTooDeep = errors.New("elements nested more than 512 deep")

// ExtractBytes is Extract for a page already in memory.
func ExtractBytes(raw []byte, opts Options) (*Article, error) {
	text, err := decode(raw, opts.ContentType)
	if err != nil {
		return nil, err
	}
	doc, err := goquery.NewDocumentFromReader(withoutUnusedParts(text, opts.ContentSelector == ""))
	if err != nil {
		if strings.Contains(err.Error(), "open stack of elements exceeds") {
			// x/net/html stops at 512 open elements, which keeps memory bounded on
			// pathological pages; say so in the reader's terms. (Nesting inside an SVG
			// icon's drawing is not parsed: see withoutUnusedParts.)
			return nil, fmt.Errorf("parsing HTML: %w", ErrTooDeep) // x/net/html's own words add nothing
		}
		return nil, fmt.Errorf("parsing HTML: %w", err)
	}
	return FromDocument(doc, opts)
}

// FromDocument extracts the article from a parsed page. It removes scripts and other
// non-content elements from doc.
func FromDocument(doc *goquery.Document, opts Options) (*Article, error) {
	page := indexPage(doc.Nodes[0])
	meta := readMetadata(page) // before scripts go: JSON-LD lives in them
	for _, n := range page.strip {
		n.Parent.RemoveChild(n)
	}

	sc := newScorer(page)
	root, container, err := contentRoot(doc, page, sc, opts.ContentSelector)
	if err != nil {
		return nil, err
	}
	a := &Article{
		CanonicalURL: meta.canonicalURL,
		Language:     meta.language,
		PublishedAt:  meta.published,
		Title:        title(doc, page, root, meta, sc.withHidden),
		FAQ:          meta.faq,
		Container:    container,
	}
	a.UpdatedOn = updatedOn(root)
	if a.UpdatedOn == nil && meta.modified != nil {
		d := time.Date(meta.modified.Year(), meta.modified.Month(), meta.modified.Day(), 0, 0, 0, 0, time.UTC)
		a.UpdatedOn = &d
	}
	lead := headerLead(root)
	filter := &bodyFilter{sc: sc, root: root.Nodes[0]}
	blocks := collectBlocks(root, a.Title, filter.leftOut)
	if lead != "" {
		a.Standfirst, a.Blocks = lead, blocks
	} else {
		a.Standfirst, a.Blocks = splitStandfirst(blocks)
	}
	if !hasProse(a) {
		return nil, ErrNoContent
	}
	return a, nil
}

// splitStandfirst takes the first paragraph before any heading as the lead. A paragraph
// that asks a question the way plain pages mark one ("Q: …", or bold and ending in "?"),
// a term, a summary or a table row ends the search as a heading does: the body has begun.
func splitStandfirst(blocks []Block) (string, []Block) {
	for i, b := range blocks {
		if _, ok := b.Question(); ok || b.Kind != KindParagraph && b.Kind != KindListItem && b.Kind != KindCaption {
			return "", blocks
		}
		if b.Kind == KindParagraph {
			rest := append(append([]Block{}, blocks[:i]...), blocks[i+1:]...)
			return b.Text, rest
		}
	}
	return "", blocks
}

// hasProse reports whether the article has a title and at least one sentence-length block
// (or questions in its FAQPage data), which rules out pages that are all chrome (an error
// page, a category listing).
func hasProse(a *Article) bool {
	if a.Title == "" {
		return false
	}
	if len(a.FAQ) > 0 && (len(a.Blocks) > 0 || a.Standfirst != "") {
		return true
	}
	for _, b := range a.Blocks {
		if b.Kind != KindHeading && len(strings.Fields(b.Text)) >= 8 {
			return true
		}
	}
	return len(strings.Fields(a.Standfirst)) >= 8 && len(a.Blocks) > 0
}

package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/andybalholm/cascadia"
	"github.com/urfave/cli/v2"

	"github.com/articleetl/articleetl"
	"github.com/articleetl/articleetl/extract"
	"github.com/articleetl/articleetl/pipeline"
	"github.com/articleetl/articleetl/schemas"
	"github.com/articleetl/articleetl/source"
	"github.com/articleetl/articleetl/transform"
)

func inspectCommand() *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "print an outline of what is extracted from one page, without writing tables",
		ArgsUsage: "[INPUT]",
		Description: "Reads one INPUT (an HTML file, - for standard input, an http(s) URL or a WARC file\n" +
			"holding one page; with none, the article snapshot built into the binary) and prints what\n" +
			"articleetl finds in it: the title, canonical URL, language and dates, the element chosen\n" +
			"as the article body and the signal that chose it, every block with its role (lead,\n" +
			"question, answer, section, list item, caption, …), then the Q&A pairs, named bodies and\n" +
			"numeric facts the run command would write. Use it to check a new source quickly, and\n" +
			"--content-selector when the body chosen is wrong.\n\n" +
			"Examples:\n" +
			"   articleetl inspect\n" +
			"   articleetl inspect saved-page.html\n" +
			"   articleetl inspect --content-selector 'div.post-body' saved-page.html\n" +
			"   curl -s https://example.org/post | articleetl inspect -\n\n" + inspectExitCodes,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "content-selector", Usage: "CSS `SELECTOR` of the element holding the article body, overriding the built-in choice (example: --content-selector 'div.post-body')"},
			&cli.IntFlag{Name: "width", Value: 100, Usage: "show at most `N` characters of each text; 0 for whole texts (example: --width 0)"},
		},
		Action: inspectAction,
	}
}

const inspectExitCodes = `EXIT STATUS:
   0  success
   1  the input could not be read or is not an article page
   2  bad usage: unknown flag, a malformed --content-selector, more than one INPUT`

func inspectAction(c *cli.Context) error {
	if c.NArg() > 1 {
		return usagef("inspect takes at most one INPUT, got %d", c.NArg())
	}
	selector := c.String("content-selector")
	if err := checkSelector(selector); err != nil {
		return err
	}
	if c.Int("width") < 0 {
		return usagef("--width must be 0 or more, got %d", c.Int("width"))
	}
	in := pipeline.Input{Source: articleetl.SnapshotName, Data: articleetl.Snapshot}
	if c.NArg() == 1 {
		var err error
		if in, err = readOne(c, c.Args().First()); err != nil {
			return err
		}
	}
	a, err := extract.ExtractBytes(in.Data, extract.Options{ContentType: in.ContentType, ContentSelector: selector})
	if err != nil {
		return &pipeline.InputError{Source: in.Source, Err: err}
	}
	an := transform.Analyze(a, transform.Source{Name: in.Source})
	w := bufio.NewWriter(c.App.Writer)
	printOutline(w, a, an, c.Int("width"))
	return w.Flush()
}

// readOne reads the single page that arg names.
func readOne(c *cli.Context, arg string) (pipeline.Input, error) {
	var items []source.Item
	opts := source.Options{Stdin: c.App.Reader, Version: articleetl.Version}
	err := source.Each(c.Context, []string{arg}, opts, func(it source.Item) error {
		items = append(items, it)
		if len(items) > 1 {
			return pipeline.Errorf(arg, "names more than one page; inspect takes one")
		}
		return nil
	})
	switch {
	case err != nil:
		return pipeline.Input{}, err
	case len(items) == 0:
		return pipeline.Input{}, pipeline.Errorf(arg, "names no page")
	case items[0].Err != nil:
		return pipeline.Input{}, &pipeline.InputError{Source: items[0].Source, Err: items[0].Err}
	}
	it := items[0]
	return pipeline.Input{Source: it.Source, Data: it.Data, ContentType: it.ContentType, CapturedAt: it.CapturedAt}, nil
}

// printOutline writes the outline of an article as inspect shows it.
func printOutline(w io.Writer, a *extract.Article, an transform.Analysis, width int) {
	short := func(s string) string { return truncate(s, width) }
	recs := an.Records
	field := func(name, value string) {
		if value == "" {
			value = "-"
		}
		fmt.Fprintf(w, "%-11s %s\n", name+":", value)
	}
	field("Title", a.Title)
	field("URL", a.CanonicalURL)
	field("Language", a.Language)
	field("Published", formatTime(a.PublishedAt, time.RFC3339))
	field("Updated", formatTime(a.UpdatedOn, "2006-01-02"))
	field("Content", a.Container.Selector)
	field("Chosen by", a.Container.Reason)
	field("Numbers", an.Grouping.String()+" digit grouping")

	n := len(a.Blocks)
	if a.Standfirst != "" {
		n++
	}
	fmt.Fprintf(w, "\nBlocks (%d):\n", n)
	if a.Standfirst != "" {
		fmt.Fprintf(w, "  %-10s %-7s %s\n", "lead", "p", short(a.Standfirst))
	}
	for i, b := range a.Blocks {
		fmt.Fprintf(w, "  %-10s %-7s %s\n", an.Roles[i], blockTag(b), short(b.Text))
	}

	fmt.Fprintf(w, "\nQ&A pairs (%d):\n", len(recs.QAPairs))
	for i, q := range recs.QAPairs {
		fmt.Fprintf(w, "  %2d. %s\n", q.Ordinal, short(q.Question))
		if an.FromFAQ[i] {
			fmt.Fprintf(w, "      from: JSON-LD FAQPage\n")
		}
		if q.Section != nil {
			fmt.Fprintf(w, "      section: %s\n", short(*q.Section))
		}
		if q.QuestionContext != nil {
			fmt.Fprintf(w, "      continues: %s\n", short(*q.QuestionContext))
		}
		fmt.Fprintf(w, "      answer: %d paragraph(s): %s\n", len(q.AnswerParagraphs), short(strings.Join(q.AnswerParagraphs, " / ")))
	}

	fmt.Fprintf(w, "\nNamed bodies (%d):\n", len(recs.WorkingGroups))
	for _, g := range recs.WorkingGroups {
		name := g.Name
		if g.Abbreviation != nil {
			name += " (" + *g.Abbreviation + ")"
		}
		fmt.Fprintf(w, "  %2d. %s [%s]: %s\n", g.Ordinal, name, orDash(g.BodyType), short(g.Description))
	}

	fmt.Fprintf(w, "\nFacts (%d):\n", len(recs.Facts))
	questions := map[string]string{}
	for _, q := range recs.QAPairs {
		questions[q.QAID] = q.Question
	}
	for _, f := range recs.Facts {
		fmt.Fprintf(w, "  %2d. %s %s  raw %q, %s", f.Ordinal, strconv.FormatFloat(f.Value, 'f', -1, 64), f.Unit, f.Raw, f.Kind)
		if f.Comparator != nil {
			fmt.Fprintf(w, ", %s", strings.ReplaceAll(*f.Comparator, "_", " "))
		}
		if f.Location != nil {
			fmt.Fprintf(w, ", in %s", *f.Location)
		}
		fmt.Fprintln(w)
		fmt.Fprintf(w, "      %s\n", short(factPlace(f, questions)))
	}
}

// factPlace says where a fact stands: its question, section or the lead.
func factPlace(f schemas.Fact, questions map[string]string) string {
	switch {
	case f.QAID != nil:
		return "answer to: " + questions[*f.QAID]
	case f.Section != nil:
		return "section: " + *f.Section
	}
	return "outside any question: " + f.Sentence
}

// blockTag names a block the way its HTML element does.
func blockTag(b extract.Block) string {
	switch b.Kind {
	case extract.KindHeading:
		return "h" + strconv.Itoa(b.Level)
	case extract.KindParagraph:
		if b.Strong {
			return "p/b"
		}
		return "p"
	case extract.KindListItem:
		return "li"
	case extract.KindCaption:
		return "caption"
	case extract.KindTerm:
		return "dt"
	case extract.KindDefinition:
		return "dd"
	case extract.KindSummary:
		return "summary"
	case extract.KindTableRow:
		if b.Header {
			return "th"
		}
		return "tr"
	}
	return string(b.Kind)
}

func formatTime(t *time.Time, layout string) string {
	if t == nil {
		return ""
	}
	return t.Format(layout)
}

func orDash(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

// truncate shortens s to at most width characters, ending in "…"; width 0 keeps it whole.
func truncate(s string, width int) string {
	if width <= 0 || utf8.RuneCountInString(s) <= width {
		return s
	}
	r := []rune(s)
	return string(r[:width-1]) + "…"
}

// checkSelector refuses a malformed --content-selector as bad usage, before any input is
// read: otherwise every input fails on it in turn, and a --keep-going run commits a
// dataset of nothing but errors over the previous output.
func checkSelector(selector string) error {
	if selector == "" {
		return nil
	}
	if _, err := cascadia.Compile(selector); err != nil {
		return usagef("--content-selector %q: %v", selector, err)
	}
	return nil
}

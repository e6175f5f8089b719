package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/articleetl/articleetl"
	"github.com/articleetl/articleetl/changes"
	"github.com/articleetl/articleetl/pipeline"
	"github.com/articleetl/articleetl/schemas"
	"github.com/articleetl/articleetl/source"
)

// diff's exit codes follow diff(1), not the other commands.
const (
	diffSame    = 0
	diffChanged = 1
	diffTrouble = 2
)

func diffCommand() *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "report what changed between two snapshots of an article",
		ArgsUsage: "OLD NEW",
		Description: "Extracts OLD and NEW (each a file, - , URL, Wayback Machine URL or a WARC holding one page)\n" +
			"and prints what changed: records added, removed or modified in the document, Q&A pairs,\n" +
			"working groups and facts, as a readable report or, with --format jsonl, as rows of the\n" +
			"changes table.\n\n" +
			"Examples:\n" +
			"   articleetl diff old.html new.html\n" +
			"   articleetl diff --format jsonl https://web.archive.org/web/2018/https://example.org/post page.html\n\n" +
			"EXIT STATUS:\n   0  no change\n   1  something changed\n   2  an input failed or bad usage",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output `FORMAT`: text or jsonl (example: --format jsonl)"},
			&cli.DurationFlag{Name: "timeout", Value: 30e9, Usage: "per-request timeout for URL inputs (example: --timeout 10s)"},
			&cli.StringFlag{Name: "content-selector", Usage: "CSS `SELECTOR` of the article body (example: --content-selector 'div.post-body')"},
		},
		Action: diffAction,
	}
}

func diffAction(c *cli.Context) error {
	if c.NArg() != 2 {
		return exitError{code: diffTrouble, err: fmt.Errorf("diff needs OLD and NEW, got %d arguments", c.NArg())}
	}
	format := c.String("format")
	if format != "text" && format != "jsonl" {
		return exitError{code: diffTrouble, err: fmt.Errorf("unknown --format %q (text, jsonl)", format)}
	}
	if err := checkSelector(c.String("content-selector")); err != nil {
		return exitError{code: diffTrouble, err: err}
	}
	if err := checkTimeout(c); err != nil {
		return exitError{code: diffTrouble, err: err}
	}
	srcOpts := source.Options{Stdin: c.App.Reader, Timeout: c.Duration("timeout"), Version: articleetl.Version}
	opts := pipeline.Options{ContentSelector: c.String("content-selector")}
	var snaps [2]schemas.Records
	for i, arg := range c.Args().Slice() {
		recs, err := pipeline.ProcessOne(c.Context, arg, srcOpts, opts)
		if err != nil {
			return exitError{code: diffTrouble, err: err}
		}
		snaps[i] = recs
	}
	if snaps[0].Document.DocID != snaps[1].Document.DocID {
		fmt.Fprintf(c.App.ErrWriter, "articleetl: warning: %s and %s have different canonical URLs or titles; comparing them anyway\n", c.Args().Get(0), c.Args().Get(1))
	}
	cs := changes.Between(&snaps[0], &snaps[1])
	var err error
	if format == "jsonl" {
		err = writeChangesJSONL(c.App.Writer, cs)
	} else {
		err = writeReport(c.App.Writer, &snaps[0].Document, &snaps[1].Document, cs)
	}
	if err != nil {
		return exitError{code: diffTrouble, err: err}
	}
	if len(cs) > 0 {
		return exitError{code: diffChanged}
	}
	return nil
}

func writeChangesJSONL(w io.Writer, cs []schemas.Change) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range cs {
		if err := enc.Encode(&cs[i]); err != nil {
			return err
		}
	}
	return nil
}

// writeReport prints the changes for a person: a header naming both snapshots, a count,
// then one block per change with its old and new values.
func writeReport(w io.Writer, old, new *schemas.Document, cs []schemas.Change) error {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s\n", new.Title)
	for _, d := range []struct {
		label string
		doc   *schemas.Document
	}{{"old", old}, {"new", new}} {
		fmt.Fprintf(&sb, "  %s: %s  snapshot %s%s\n", d.label, d.doc.Source, d.doc.SnapshotID, describeDates(d.doc))
	}
	counts := map[string]int{}
	for _, c := range cs {
		counts[c.ChangeType]++
	}
	if len(cs) == 0 {
		sb.WriteString("no changes\n")
	} else {
		fmt.Fprintf(&sb, "%d changes: %d added, %d removed, %d modified\n", len(cs), counts[changes.Added], counts[changes.Removed], counts[changes.Modified])
	}
	for _, c := range cs {
		sb.WriteString("\n")
		fmt.Fprintf(&sb, "%-8s %s %s\n", c.ChangeType, c.TableName, c.RecordID)
		fmt.Fprintf(&sb, "  %s\n", c.RecordText)
		if c.Field != nil {
			fmt.Fprintf(&sb, "  %s:\n    - %s\n    + %s\n", *c.Field, orNull(c.OldValue), orNull(c.NewValue))
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

func describeDates(d *schemas.Document) string {
	var parts []string
	if d.CapturedAt != nil {
		parts = append(parts, "captured "+d.CapturedAt.UTC().Format("2006-01-02 15:04:05Z"))
	}
	if d.UpdatedOn != nil {
		parts = append(parts, "updated "+d.UpdatedOn.String())
	}
	if len(parts) == 0 {
		return ""
	}
	return "  (" + strings.Join(parts, ", ") + ")"
}

func orNull(s *string) string {
	if s == nil {
		return "(null)"
	}
	return strings.ReplaceAll(*s, "\n", "\n      ")
}

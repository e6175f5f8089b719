package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/articleetl/articleetl"
	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/pipeline"
	"github.com/articleetl/articleetl/schemas"
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "extract articles and write the tables",
		ArgsUsage: "[INPUT...]",
		Description: "Reads each INPUT (an HTML file path, or - for standard input; with none, the article\n" +
			"snapshot built into the binary) and writes, for each table, DIR/<table>.parquet and\n" +
			"DIR/<table>.jsonl, plus DIR/manifest.json. Files are staged beside DIR and renamed into\n" +
			"place only when every input succeeded, so a failed run leaves DIR as it was.\n\n" +
			"Examples:\n" +
			"   articleetl run\n" +
			"   articleetl run --out data --format parquet saved-page.html\n" +
			"   curl -s https://example.org/post | articleetl run -\n\n" + helpExitCodes,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "out", Usage: "output `DIR` (example: --out data)"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "parquet,jsonl", Usage: "comma-separated output `FORMATS`: parquet, jsonl (example: --format parquet)"},
			&cli.StringFlag{Name: "content-selector", Usage: "CSS `SELECTOR` of the element holding the article body, for pages the built-in choice gets wrong (example: --content-selector 'div.post-body')"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing on success (example: --quiet)"},
		},
		Action: runAction,
	}
}

func runAction(c *cli.Context) error {
	formats, err := load.ParseFormats(c.String("format"))
	if err != nil {
		return usageError{err}
	}
	inputs, err := readInputs(c.Args().Slice(), c.App.Reader)
	if err != nil {
		return err
	}
	started := time.Now().UTC()
	ds, err := load.Create(c.String("out"), load.Options{Formats: formats, ToolVersion: articleetl.Version})
	if err != nil {
		return err
	}
	manifest := load.Manifest{Tool: "articleetl", ToolVersion: articleetl.Version, StartedAt: started}
	manifest.Host, _ = os.Hostname()
	rows := map[string]int{}
	for _, in := range inputs {
		recs, err := pipeline.Process(in, pipeline.Options{ContentSelector: c.String("content-selector")})
		if err != nil {
			ds.Abort()
			return err
		}
		isNew, err := ds.Add(recs)
		if err != nil {
			ds.Abort()
			return err
		}
		status := load.StatusOK
		if !isNew {
			status = load.StatusDuplicate
		}
		manifest.Inputs = append(manifest.Inputs, load.InputStatus{
			Source: in.Source, SHA256: recs.Document.ContentSHA256, Status: status, SnapshotID: recs.Document.SnapshotID,
		})
		rows[schemas.Documents.Name]++
		if isNew {
			rows[schemas.QAPairs.Name] += len(recs.QAPairs)
			rows[schemas.WorkingGroups.Name] += len(recs.WorkingGroups)
			rows[schemas.Facts.Name] += len(recs.Facts)
		}
	}
	manifest.FinishedAt = time.Now().UTC()
	if err := ds.Commit(manifest); err != nil {
		return fmt.Errorf("writing %s: %w", c.String("out"), err)
	}
	if !c.Bool("quiet") {
		fmt.Fprintln(c.App.ErrWriter, summary(rows, c.String("out")))
	}
	return nil
}

// summary is the one line printed at the end of a run.
func summary(rows map[string]int, dir string) string {
	var parts []string
	for _, t := range schemas.Tables() {
		parts = append(parts, fmt.Sprintf("%d %s", rows[t.Name], t.Name))
	}
	return fmt.Sprintf("articleetl: wrote %d tables (%s) to %s", len(parts), strings.Join(parts, ", "), dir)
}

// readInputs loads every input named on the command line, or the embedded snapshot.
func readInputs(args []string, stdin io.Reader) ([]pipeline.Input, error) {
	if len(args) == 0 {
		return []pipeline.Input{{Source: articleetl.SnapshotName, Data: articleetl.Snapshot}}, nil
	}
	var inputs []pipeline.Input
	for _, arg := range args {
		var data []byte
		var err error
		if arg == "-" {
			data, err = io.ReadAll(stdin)
		} else {
			data, err = readFile(arg)
		}
		if err != nil {
			return nil, pipeline.Errorf(arg, "%v", err)
		}
		inputs = append(inputs, pipeline.Input{Source: arg, Data: data})
	}
	return inputs, nil
}

func readFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("no such file")
		}
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("is a directory")
	}
	return os.ReadFile(path)
}

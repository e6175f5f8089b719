package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/validate"
)

const validateExitCodes = `EXIT STATUS:
   0  the dataset is valid
   1  the dataset has problems, or DIR cannot be read or has no manifest.json
   2  bad usage: no DIR, more than one, or an unknown flag`

func validateCommand() *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check an output directory against its manifest and schemas",
		ArgsUsage: "DIR",
		Description: "Checks a directory written by 'articleetl run', driven by DIR/manifest.json: every listed\n" +
			"file exists with the size, SHA-256 and row count recorded and no table file is unlisted;\n" +
			"every JSONL line and Parquet row satisfies the JSON Schema of the version the manifest\n" +
			"declares for it, and Parquet files carry that version's columns and key-value metadata;\n" +
			"primary keys are unique, qa_id and snapshot_id references resolve, and each document's\n" +
			"counts match its rows. Prints one line per problem (FILE:ROW: FIELD: REASON) to standard\n" +
			"output and a summary to standard error.\n\n" +
			"Examples:\n" +
			"   articleetl validate out\n" +
			"   articleetl validate data > problems.txt\n\n" + validateExitCodes,
		Action: validateAction,
	}
}

func validateAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("validate takes one DIR, got %d", c.NArg())
	}
	dir := c.Args().First()
	problems, err := validate.Dataset(dir)
	if err != nil {
		return exitError{exitFailed, err}
	}
	if len(problems) > 0 {
		files := map[string]bool{}
		for _, p := range problems {
			if _, err := fmt.Fprintln(c.App.Writer, p); err != nil {
				return err
			}
			files[p.File] = true
		}
		return exitError{exitFailed, fmt.Errorf("%s: %s in %s", dir, validatePlural(len(problems), "problem"), validatePlural(len(files), "file"))}
	}
	m, err := load.ReadManifest(dir)
	if err != nil {
		return exitError{exitFailed, err}
	}
	var files int
	var rows int64
	for _, t := range m.Tables {
		files += len(t.Files)
		rows += t.Rows
	}
	fmt.Fprintf(c.App.ErrWriter, "articleetl: %s: valid (%s, %s)\n", dir, validatePlural(files, "file"), validatePlural(int(rows), "row"))
	return nil
}

// validatePlural writes a number with its noun: "1 file", "2 files".
func validatePlural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

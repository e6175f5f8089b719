package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/articleetl/articleetl"
	"github.com/articleetl/articleetl/extract"
	"github.com/articleetl/articleetl/schemas"
)

func schemaCommand() *cli.Command {
	return &cli.Command{
		Name:      "schema",
		Usage:     "print the JSON Schema of a table (all tables without TABLE)",
		ArgsUsage: "[TABLE]",
		Description: "Prints the JSON Schema (draft 2020-12) that each line of TABLE's JSONL file satisfies,\n" +
			"as built into the binary. Tables: documents, qa_pairs, working_groups, facts.\n\n" +
			"Examples:\n   articleetl schema facts\n   articleetl schema --version 1.0.0 documents\n\n" + helpExitCodes,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "version", Usage: "schema `VERSION` to print instead of the current one (example: --version 1.0.0)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 1 {
				return usagef("schema takes at most one TABLE, got %d", c.NArg())
			}
			tables := schemas.Tables()
			if c.NArg() == 1 {
				t, err := schemas.Lookup(c.Args().First())
				if err != nil {
					return usageError{err}
				}
				tables = []schemas.Table{t}
			}
			for _, t := range tables {
				version := t.Version
				if v := c.String("version"); v != "" {
					version = v
				}
				b, err := schemas.ReleasedJSONSchema(t.Name, version)
				if err != nil {
					return usageError{err}
				}
				if _, err := c.App.Writer.Write(b); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

func printVersion(w io.Writer) error {
	fmt.Fprintf(w, "articleetl %s\nextractor %s\n", articleetl.Version, extract.Version)
	for _, t := range schemas.Tables() {
		fmt.Fprintf(w, "schema %s %s\n", t.Name, t.Version)
	}
	return nil
}

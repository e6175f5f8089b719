package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/articleetl/articleetl"
	"github.com/articleetl/articleetl/extract"
	"github.com/articleetl/articleetl/schemas"
)

// schemaFormats renders one table's schema for each target.
var schemaFormats = map[string]func(t schemas.Table, version string) ([]byte, error){
	"json-schema": func(t schemas.Table, version string) ([]byte, error) {
		return schemas.ReleasedJSONSchema(t.Name, version)
	},
	"bigquery": func(t schemas.Table, _ string) ([]byte, error) { return t.BigQuerySchema() },
	"duckdb":   func(t schemas.Table, _ string) ([]byte, error) { return []byte(t.DuckDBDDL()), nil },
	"postgres": func(t schemas.Table, _ string) ([]byte, error) { return []byte(t.PostgresDDL()), nil },
	"parquet":  func(t schemas.Table, _ string) ([]byte, error) { return []byte(t.ParquetSchema()), nil },
}

func schemaCommand() *cli.Command {
	return &cli.Command{
		Name:      "schema",
		Usage:     "print a table's schema for a target: JSON Schema, BigQuery, DuckDB, PostgreSQL or Parquet",
		ArgsUsage: "[TABLE]",
		Description: "Prints the schema of TABLE (of every table without one), generated from the same\n" +
			"definitions as the data: the JSON Schema (draft 2020-12) each JSONL line satisfies, a\n" +
			"BigQuery JSON schema for bq load, CREATE TABLE statements for DuckDB and PostgreSQL, or the\n" +
			"Parquet schema. Tables: " + strings.Join(tableNames(), ", ") + ".\n\n" +
			"Examples:\n   articleetl schema facts\n   articleetl schema --format bigquery facts > facts.bq.json\n" +
			"   articleetl schema --format duckdb | duckdb data.db\n   articleetl schema --version 1.0.0 documents\n\n" + exitCodesOneFile("the schema could not be written"),
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "json-schema", Usage: "`TARGET`: json-schema, bigquery, duckdb, postgres or parquet (example: --format duckdb)"},
			&cli.StringFlag{Name: "version", Usage: "released schema `VERSION` to print, json-schema only (example: --version 1.0.0)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 1 {
				return usagef("schema takes at most one TABLE, got %d", c.NArg())
			}
			render, ok := schemaFormats[c.String("format")]
			if !ok {
				return usagef("unknown --format %q (json-schema, bigquery, duckdb, postgres, parquet)", c.String("format"))
			}
			if c.String("version") != "" && c.String("format") != "json-schema" {
				return usagef("--version goes with --format json-schema: other targets describe the current version")
			}
			tables := schemas.Tables()
			if c.NArg() == 1 {
				t, err := schemas.Lookup(c.Args().First())
				if err != nil {
					return usageError{err}
				}
				tables = []schemas.Table{t}
			} else if c.String("format") == "bigquery" {
				// A BigQuery schema file is one JSON array of one table's fields: six arrays
				// one after another, none naming its table, are no file bq load takes.
				return usagef("--format bigquery needs a TABLE (bq load takes one table's schema): one of %s", strings.Join(tableNames(), ", "))
			}
			// Every table is rendered before anything is written, so that a refusal (a
			// --version some table does not have) prints nothing.
			var out []byte
			for _, t := range tables {
				version := t.Version
				if v := c.String("version"); v != "" {
					version = v
				}
				b, err := render(t, version)
				if err != nil {
					return usageError{err}
				}
				out = append(out, b...)
				if len(b) > 0 && b[len(b)-1] != '\n' {
					out = append(out, '\n') // the Parquet message type ends without one
				}
			}
			_, err := c.App.Writer.Write(out)
			return err
		},
	}
}

func tableNames() []string {
	var names []string
	for _, t := range schemas.Tables() {
		names = append(names, t.Name)
	}
	return names
}

func printVersion(w io.Writer) error {
	fmt.Fprintf(w, "articleetl %s\nextractor %s\n", articleetl.Version, extract.Version)
	for _, t := range schemas.Tables() {
		fmt.Fprintf(w, "schema %s %s\n", t.Name, t.Version)
	}
	return nil
}

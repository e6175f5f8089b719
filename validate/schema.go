package validate

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/articleetl/articleetl/schemas"
)

// versionSchema is what the checks need of one table at one released schema version.
type versionSchema struct {
	json    *jsonschema.Schema
	columns []column
}

// schemaFor loads and compiles the released JSON Schema of a table at a version, once.
func (c *checker) schemaFor(table, version string) (*versionSchema, error) {
	key := table + "@" + version
	if vs, ok := c.schemas[key]; ok {
		return vs, nil
	}
	b, err := c.released(table, version)
	if err != nil {
		return nil, fmt.Errorf("table %s: schema_version %q is not a released version (released: %s)",
			table, version, strings.Join(schemas.Versions(table), ", "))
	}
	cols, err := columnsFromJSONSchema(b)
	if err != nil {
		return nil, fmt.Errorf("table %s: JSON Schema %s: %w", table, version, err)
	}
	sch, err := compileJSONSchema(schemas.JSONSchemaID(table, version), b)
	if err != nil {
		return nil, fmt.Errorf("table %s: JSON Schema %s: %w", table, version, err)
	}
	vs := &versionSchema{json: sch, columns: cols}
	c.schemas[key] = vs
	return vs, nil
}

// compileJSONSchema compiles a schema with format assertions on: draft 2020-12 treats
// "format" as an annotation by default, which would let "2018-13-45" pass as a date.
func compileJSONSchema(url string, b []byte) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	comp := jsonschema.NewCompiler()
	comp.AssertFormat()
	if err := comp.AddResource(url, doc); err != nil {
		return nil, err
	}
	return comp.Compile(url)
}

// checkRow checks one row in JSON form, from a JSONL line or a Parquet row: the JSON Schema
// of the file's declared version (when validate is set), its schema_version, and its keys.
func (c *checker) checkRow(fc *fileCheck, row int, obj map[string]any, validate bool) {
	if fc.schema != nil {
		if validate {
			for _, p := range schemaProblems(fc.schema.json.Validate(obj)) {
				p.File, p.Row = fc.Path, row
				c.add(p)
			}
		}
		if v, ok := obj["schema_version"].(string); ok && v != fc.version {
			c.add(Problem{File: fc.Path, Row: row, Field: "schema_version",
				Reason: fmt.Sprintf("is %q, but manifest.json declares %s", v, fc.version)})
		}
	}
	c.checkKeys(fc, row, obj)
}

var english = message.NewPrinter(language.English)

// schemaProblems turns a validation error into one problem per failed keyword: the field is
// the instance location (a column, or "answer_paragraphs/2" inside a list) and the reason
// is the validator's message for that keyword alone.
func schemaProblems(err error) []Problem {
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []Problem{{Reason: err.Error()}}
	}
	var ps []Problem
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			ps = append(ps, Problem{Field: strings.Join(e.InstanceLocation, "/"), Reason: e.ErrorKind.LocalizedString(english)})
			return
		}
		for _, cause := range e.Causes {
			walk(cause)
		}
	}
	walk(ve)
	return ps
}

package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// The column types a released JSON Schema can declare, named as a Parquet reader shows them.
// A Parquet column is described in the same words (parquetColumns), so comparing the two is
// comparing strings.
const (
	typeString     = "STRING"
	typeInt32      = "INT32"
	typeDouble     = "DOUBLE"
	typeDate       = "DATE"
	typeTimestamp  = "TIMESTAMP(MICROS,UTC)"
	typeStringList = "LIST<STRING>"
)

// column is one column a schema version declares, or one a Parquet file holds.
type column struct {
	name     string
	typ      string // one of the type* constants for a schema, or a description of the file's type
	nullable bool
}

func (c column) describe() string {
	if c.nullable {
		return c.typ + " NULL"
	}
	return c.typ + " NOT NULL"
}

// columnsFromJSONSchema derives a table's columns, in order, from the JSON Schema file of one
// released version: each property is a column, its "type" (with "null" when nullable),
// "format" (date, date-time) and "items" give the column type. Reading the released file
// rather than the current Go structs is what lets a dataset written with an earlier version
// be checked against that version.
func columnsFromJSONSchema(b []byte) ([]column, error) {
	var doc struct {
		Properties json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	names, err := objectKeys(doc.Properties)
	if err != nil {
		return nil, fmt.Errorf("properties: %w", err)
	}
	var props map[string]propertySchema
	if err := json.Unmarshal(doc.Properties, &props); err != nil {
		return nil, fmt.Errorf("properties: %w", err)
	}
	cols := make([]column, 0, len(names))
	for _, name := range names {
		c, err := props[name].column(name)
		if err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, nil
}

// propertySchema is the part of a property's JSON Schema that decides its column type.
type propertySchema struct {
	Type   jsonTypes `json:"type"`
	Format string    `json:"format"`
	Items  *struct {
		Type jsonTypes `json:"type"`
	} `json:"items"`
}

func (p propertySchema) column(name string) (column, error) {
	base, nullable := p.Type.withoutNull()
	typ := ""
	switch {
	case base == "string" && p.Format == "":
		typ = typeString
	case base == "string" && p.Format == "date":
		typ = typeDate
	case base == "string" && p.Format == "date-time":
		typ = typeTimestamp
	case base == "integer":
		typ = typeInt32
	case base == "number":
		typ = typeDouble
	case base == "array" && p.Items != nil:
		if item, itemNull := p.Items.Type.withoutNull(); item == "string" && !itemNull {
			typ = typeStringList
		}
	}
	if typ == "" {
		return column{}, fmt.Errorf("property %s: no column type for JSON Schema type %v format %q", name, []string(p.Type), p.Format)
	}
	return column{name: name, typ: typ, nullable: nullable}, nil
}

// jsonTypes is a JSON Schema "type": one name or a list of names.
type jsonTypes []string

func (t *jsonTypes) UnmarshalJSON(b []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte("[")) {
		return json.Unmarshal(b, (*[]string)(t))
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*t = jsonTypes{s}
	return nil
}

// withoutNull returns the one type other than "null", and whether "null" is allowed; base is
// "" when there is not exactly one other type.
func (t jsonTypes) withoutNull() (base string, nullable bool) {
	var others []string
	for _, s := range t {
		if s == "null" {
			nullable = true
		} else {
			others = append(others, s)
		}
	}
	if len(others) != 1 {
		return "", nullable
	}
	return others[0], nullable
}

// objectKeys returns the member names of a JSON object in the order they are written, which
// encoding/json's maps forget.
func objectKeys(b []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object")
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// compareColumns reports how a file's columns differ from a schema version's, one problem per
// column, plus one for the order when the same columns stand in a different order.
func compareColumns(got, want []column, schemaName string) []Problem {
	var ps []Problem
	gotByName := map[string]column{}
	for _, c := range got {
		gotByName[c.name] = c
	}
	wantByName := map[string]bool{}
	for _, w := range want {
		wantByName[w.name] = true
		g, ok := gotByName[w.name]
		switch {
		case !ok:
			ps = append(ps, Problem{Field: w.name, Reason: fmt.Sprintf("column missing (schema %s has %s)", schemaName, w.describe())})
		case g.typ != w.typ:
			ps = append(ps, Problem{Field: w.name, Reason: fmt.Sprintf("column type %s, schema %s wants %s", g.typ, schemaName, w.typ)})
		case g.nullable != w.nullable:
			ps = append(ps, Problem{Field: w.name, Reason: fmt.Sprintf("column is %s, schema %s wants %s", g.describe(), schemaName, w.describe())})
		}
	}
	for _, g := range got {
		if !wantByName[g.name] {
			ps = append(ps, Problem{Field: g.name, Reason: fmt.Sprintf("column %s is not in schema %s", g.describe(), schemaName)})
		}
	}
	if len(ps) == 0 && !sameOrder(got, want) {
		ps = append(ps, Problem{Reason: fmt.Sprintf("columns in order %s, schema %s wants %s", names(got), schemaName, names(want))})
	}
	return ps
}

func sameOrder(a, b []column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].name != b[i].name {
			return false
		}
	}
	return true
}

func names(cols []column) string {
	ns := make([]string, len(cols))
	for i, c := range cols {
		ns[i] = c.name
	}
	return strings.Join(ns, ", ")
}

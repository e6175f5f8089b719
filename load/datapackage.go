package load

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/articleetl/articleetl/schemas"
)

// DataPackageName is the file, in the output directory beside the manifest, that describes
// the tables as a Frictionless Data Package.
const DataPackageName = "datapackage.json"

// Data Package identity. The package is named for the tool, not the run, because the spec
// asks for a name that stays the same as the package is updated; version says which build.
const (
	dataPackageProfile = "https://datapackage.org/profiles/2.0/datapackage.json"
	tableSchemaProfile = "https://datapackage.org/profiles/2.0/tableschema.json"
	dataPackageID      = "articleetl-dataset"
)

// formatTypes are the resource format and media type of each output format. Parquet's is
// the IANA-registered one; newline-delimited JSON has no registered type, so it gets the
// conventional x- type.
var formatTypes = map[string]struct{ mediatype, encoding string }{
	string(FormatParquet): {"application/vnd.apache.parquet", ""},
	string(FormatJSONL):   {"application/x-ndjson", "utf-8"},
}

// dataPackage is the descriptor; fields are in the order they are written.
type dataPackage struct {
	Schema      string       `json:"$schema"`
	Name        string       `json:"name"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	Version     string       `json:"version"`
	Resources   []dpResource `json:"resources"`
}

type dpResource struct {
	Name        string        `json:"name"`
	Type        string        `json:"type"`
	Path        string        `json:"path"`
	Format      string        `json:"format"`
	Mediatype   string        `json:"mediatype"`
	Encoding    string        `json:"encoding,omitempty"`
	Bytes       int64         `json:"bytes"`
	Hash        string        `json:"hash"`
	Description string        `json:"description"`
	Schema      dpTableSchema `json:"schema"`
}

type dpTableSchema struct {
	Schema        string         `json:"$schema"`
	Fields        []dpField      `json:"fields"`
	MissingValues []string       `json:"missingValues"`
	PrimaryKey    []string       `json:"primaryKey,omitempty"`
	UniqueKeys    [][]string     `json:"uniqueKeys,omitempty"`
	ForeignKeys   []dpForeignKey `json:"foreignKeys,omitempty"`
}

type dpField struct {
	Name        string        `json:"name"`
	Type        string        `json:"type"`
	Description string        `json:"description"`
	Constraints dpConstraints `json:"constraints"`
}

type dpConstraints struct {
	Required   bool           `json:"required"`
	Pattern    string         `json:"pattern,omitempty"`
	Enum       []string       `json:"enum,omitempty"`
	Minimum    *int64         `json:"minimum,omitempty"`
	Maximum    *int64         `json:"maximum,omitempty"`
	JSONSchema map[string]any `json:"jsonSchema,omitempty"`
}

type dpForeignKey struct {
	Fields    []string    `json:"fields"`
	Reference dpReference `json:"reference"`
}

type dpReference struct {
	Resource string   `json:"resource"`
	Fields   []string `json:"fields"`
}

// DataPackage returns datapackage.json (Frictionless Data Package v2) for the files a
// manifest lists: one tabular resource per file, with its relative path, format, media type,
// size and SHA-256 taken from the manifest, and a Table Schema generated from the table's
// columns (types, descriptions, required, pattern, enum and minimum constraints), primary
// key and foreign keys. Descriptions come from the schemas package, never from this file.
//
// Each file is described at the schema version it was written with (ManifestFile's, else
// its table's): the current version from the record types, an older one from its released
// JSON Schema, so a partitioned dataset appended to across minor versions stays valid. A key
// naming a column the file's version lacks is left out. A key with a nullable column is
// written as a unique key, since Table Schema (like SQL) makes every primary-key field
// required.
//
// A flat dataset's resources are named <table>-<format>; a partitioned one's are named after
// their paths. A foreign key refers to the referenced table's resource in the same format,
// and is left out when that table has several files in the format, since a reference names
// one resource.
//
// The result depends only on the manifest's tool version, layout and files, never on the
// run's times or host, so the same inputs give the same bytes. Resources are sorted by
// path. It fails when the manifest names a table or schema version this build does not
// know, or an unknown format.
func DataPackage(m *Manifest) ([]byte, error) {
	type fileOf struct {
		table   schemas.Table
		version string
		file    ManifestFile
	}
	var files []fileOf
	perTableFormat := map[string]int{}
	for _, mt := range m.Tables {
		t, err := schemas.Lookup(mt.Name)
		if err != nil {
			return nil, fmt.Errorf("data package: %w", err)
		}
		for _, f := range mt.Files {
			if _, ok := formatTypes[f.Format]; !ok {
				return nil, fmt.Errorf("data package: %s: unknown format %q", f.Path, f.Format)
			}
			v := cmp.Or(f.SchemaVersion, mt.SchemaVersion, t.Version)
			files = append(files, fileOf{t, v, f})
			perTableFormat[t.Name+"-"+f.Format]++
		}
	}
	slices.SortStableFunc(files, func(a, b fileOf) int { return strings.Compare(a.file.Path, b.file.Path) })

	// Name every resource first, so foreign keys can refer to any of them.
	names := make([]string, len(files))
	used := map[string]bool{}
	single := map[string]string{} // <table>-<format> → resource, for tables with one file in the format
	for i, f := range files {
		key := f.table.Name + "-" + f.file.Format
		name := key
		if m.Layout == LayoutPartitioned || perTableFormat[key] > 1 {
			name = resourceName(f.file.Path)
		}
		if used[name] {
			return nil, fmt.Errorf("data package: two files would both be resource %q", name)
		}
		used[name], names[i] = true, name
		if perTableFormat[key] == 1 {
			single[key] = name
		}
	}

	dp := dataPackage{
		Schema:      dataPackageProfile,
		Name:        dataPackageID,
		Title:       "Tables extracted by articleetl",
		Description: "Question-and-answer explainer articles as typed tables, each as Parquet and newline-delimited JSON.",
		Version:     m.ToolVersion,
		Resources:   []dpResource{},
	}
	for i, f := range files {
		cols, err := columnsAt(f.table, f.version)
		if err != nil {
			return nil, fmt.Errorf("data package: %s: %w", f.file.Path, err)
		}
		ts, err := tableSchema(cols, f.table.PrimaryKey)
		if err != nil {
			return nil, fmt.Errorf("data package: %s: %w", f.file.Path, err)
		}
		for _, fk := range f.table.ForeignKeys {
			ref, ok := single[fk.Table+"-"+f.file.Format]
			if !ok && perTableFormat[fk.Table+"-"+f.file.Format] == 0 {
				return nil, fmt.Errorf("data package: %s refers to table %s, which has no %s file", f.file.Path, fk.Table, f.file.Format)
			}
			if ok && hasColumns(cols, fk.Fields) {
				ts.ForeignKeys = append(ts.ForeignKeys, dpForeignKey{Fields: fk.Fields, Reference: dpReference{Resource: ref, Fields: fk.ResourceFields}})
			}
		}
		ft := formatTypes[f.file.Format]
		dp.Resources = append(dp.Resources, dpResource{
			Name:        names[i],
			Type:        "table",
			Path:        f.file.Path,
			Format:      f.file.Format,
			Mediatype:   ft.mediatype,
			Encoding:    ft.encoding,
			Bytes:       f.file.Bytes,
			Hash:        "sha256:" + f.file.SHA256,
			Description: fmt.Sprintf("Table %s, schema version %s. %s", f.table.Name, f.version, f.table.Description),
			Schema:      ts,
		})
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // descriptions quote "<noun>" and "Q&A"
	enc.SetIndent("", "  ")
	if err := enc.Encode(dp); err != nil {
		return nil, fmt.Errorf("data package: %w", err)
	}
	return buf.Bytes(), nil
}

// tableSchema is the Table Schema of columns with a key, without foreign keys (they name
// resources). A key with a nullable column becomes a unique key; a key naming a missing
// column is left out.
func tableSchema(cols []schemas.Column, key []string) (dpTableSchema, error) {
	ts := dpTableSchema{
		Schema: tableSchemaProfile,
		// Missing values are JSON null or Parquet null, never a string: without this the
		// default [""] would read an empty string as null.
		MissingValues: []string{},
	}
	nullable := map[string]bool{}
	for _, c := range cols {
		nullable[c.Name] = c.Nullable
		f := dpField{Name: c.Name, Description: c.Description, Constraints: dpConstraints{
			Required: !c.Nullable,
			Pattern:  c.Pattern,
			Enum:     c.Enum,
			Minimum:  c.Minimum,
		}}
		switch c.Type {
		case schemas.TypeString:
			f.Type = "string"
		case schemas.TypeInt32:
			f.Type = "integer"
			maxInt32 := int64(1<<31 - 1)
			f.Constraints.Maximum = &maxInt32
		case schemas.TypeDouble:
			f.Type = "number"
		case schemas.TypeDate:
			f.Type = "date"
		case schemas.TypeTimestamp:
			f.Type = "datetime"
		case schemas.TypeStringList:
			// "array" is a JSON array; Table Schema's "list" is a delimited string instead.
			f.Type = "array"
			f.Constraints.JSONSchema = map[string]any{"type": "array", "items": map[string]any{"type": "string"}}
		default:
			return dpTableSchema{}, fmt.Errorf("column %s: no Table Schema type for %s", c.Name, c.Type)
		}
		ts.Fields = append(ts.Fields, f)
	}
	if hasColumns(cols, key) {
		if slices.ContainsFunc(key, func(k string) bool { return nullable[k] }) {
			ts.UniqueKeys = [][]string{key}
		} else {
			ts.PrimaryKey = key
		}
	}
	return ts, nil
}

func hasColumns(cols []schemas.Column, names []string) bool {
	for _, n := range names {
		if !slices.ContainsFunc(cols, func(c schemas.Column) bool { return c.Name == n }) {
			return false
		}
	}
	return true
}

// columnsAt returns a table's columns at a schema version: the record type's for the
// current version, else those of the released JSON Schema, read back into Columns.
func columnsAt(t schemas.Table, version string) ([]schemas.Column, error) {
	if version == t.Version {
		return t.Columns(), nil
	}
	b, err := schemas.ReleasedJSONSchema(t.Name, version)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Properties json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("JSON Schema of %s %s: %w", t.Name, version, err)
	}
	// Decode the properties member by member to keep the column order.
	dec := json.NewDecoder(bytes.NewReader(doc.Properties))
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("JSON Schema of %s %s: %w", t.Name, version, err)
	}
	var cols []schemas.Column
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("JSON Schema of %s %s: %w", t.Name, version, err)
		}
		var p struct {
			Description string          `json:"description"`
			Type        json.RawMessage `json:"type"`
			Format      string          `json:"format"`
			Pattern     string          `json:"pattern"`
			Enum        []*string       `json:"enum"`
			Minimum     *int64          `json:"minimum"`
		}
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("JSON Schema of %s %s: %w", t.Name, version, err)
		}
		c := schemas.Column{Name: tok.(string), Description: p.Description, Pattern: p.Pattern, Minimum: p.Minimum}
		var types []string
		if json.Unmarshal(p.Type, &types) != nil {
			types = []string{""}
			json.Unmarshal(p.Type, &types[0])
		}
		c.Nullable = slices.Contains(types, "null")
		for _, e := range p.Enum {
			if e != nil {
				c.Enum = append(c.Enum, *e)
			}
		}
		switch {
		case types[0] == "string" && p.Format == "date":
			c.Type = schemas.TypeDate
		case types[0] == "string" && p.Format == "date-time":
			c.Type = schemas.TypeTimestamp
		case types[0] == "string":
			c.Type = schemas.TypeString
		case types[0] == "integer":
			c.Type = schemas.TypeInt32
		case types[0] == "number":
			c.Type = schemas.TypeDouble
		case types[0] == "array":
			c.Type = schemas.TypeStringList
		default:
			return nil, fmt.Errorf("JSON Schema of %s %s: column %s has type %s", t.Name, version, c.Name, p.Type)
		}
		cols = append(cols, c)
	}
	return cols, nil
}

// resourceName makes a resource name from a path: lowercase letters, digits, '.', '-' and
// '_', as the spec recommends.
func resourceName(path string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, path)
}

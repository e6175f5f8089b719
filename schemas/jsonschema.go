package schemas

import (
	"bytes"
	"encoding/json"
)

// JSONSchemaID is the $id of a table's JSON Schema at a version.
func JSONSchemaID(table, version string) string {
	return "https://articleetl.example.org/schemas/" + version + "/" + table + ".schema.json"
}

// JSONSchema generates the JSON Schema (draft 2020-12) that every JSONL line of the table
// must satisfy. Formats (date, date-time) are declared and the validator used in tests is
// told to assert them, since by default 2020-12 treats format as an annotation only.
func (t Table) JSONSchema() ([]byte, error) {
	props := orderedObject{}
	var required []string
	for _, c := range t.Columns() {
		props = append(props, member{c.Name, columnSchema(c)})
		required = append(required, c.Name)
	}
	doc := orderedObject{
		{"$schema", "https://json-schema.org/draft/2020-12/schema"},
		{"$id", JSONSchemaID(t.Name, t.Version)},
		{"title", t.Name},
		{"description", t.Description},
		{"type", "object"},
		{"properties", props},
		{"required", required},
		{"additionalProperties", false},
	}
	return marshalIndented(doc)
}

func columnSchema(c Column) orderedObject {
	var s orderedObject
	base := map[Type]orderedObject{
		TypeString:     {{"type", "string"}},
		TypeInt32:      {{"type", "integer"}, {"maximum", 2147483647}},
		TypeDouble:     {{"type", "number"}},
		TypeDate:       {{"type", "string"}, {"format", "date"}},
		TypeTimestamp:  {{"type", "string"}, {"format", "date-time"}},
		TypeStringList: {{"type", "array"}, {"items", orderedObject{{"type", "string"}}}},
	}[c.Type]
	s = append(s, member{"description", c.Description})
	for _, m := range base {
		if m.key == "type" && c.Nullable {
			m.value = []string{m.value.(string), "null"}
		}
		s = append(s, m)
	}
	if c.Pattern != "" {
		s = append(s, member{"pattern", c.Pattern})
	}
	if c.Enum != nil {
		enum := []any{}
		for _, e := range c.Enum {
			enum = append(enum, e)
		}
		if c.Nullable {
			enum = append(enum, nil)
		}
		s = append(s, member{"enum", enum})
	}
	if c.Minimum != nil {
		s = append(s, member{"minimum", *c.Minimum})
	}
	return s
}

// orderedObject is a JSON object that keeps its members in the order given, so generated
// schema files are stable and read in column order.
type orderedObject []member

type member struct {
	key   string
	value any
}

func (o orderedObject) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := marshalPlain(m.key)
		buf.Write(k)
		buf.WriteByte(':')
		v, err := marshalPlain(m.value)
		if err != nil {
			return nil, err
		}
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// marshalPlain is json.Marshal without HTML escaping, so "<noun>" stays readable in files.
func marshalPlain(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// marshalIndented writes v as two-space indented JSON with a final newline, as every
// generated schema file is stored.
func marshalIndented(v any) ([]byte, error) {
	b, err := marshalPlain(v)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

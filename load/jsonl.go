package load

import (
	"bufio"
	"bytes"
	"encoding"
	"encoding/json"
	"io"
	"math"
	"reflect"
	"strconv"
	"unicode/utf8"
)

// jsonlWriter streams rows as newline-delimited JSON, the form BigQuery, DuckDB and pandas
// load directly: one object per line, no enclosing array, HTML characters left unescaped.
// Each line is what encoding/json's Encoder writes with SetEscapeHTML(false), byte for
// byte, but for whole floating-point numbers, which keep a fraction (75.0: see
// appendJSONFloat); see rowEncoder for how.
type jsonlWriter[T any] struct {
	buf  *bufio.Writer
	enc  *rowEncoder[T]
	line []byte
}

func newJSONLWriter[T any](out io.Writer) *jsonlWriter[T] {
	return &jsonlWriter[T]{buf: bufio.NewWriterSize(out, 64<<10), enc: newRowEncoder[T]()}
}

func (j *jsonlWriter[T]) Write(rows []T) error {
	for i := range rows {
		line, err := j.enc.appendRow(j.line[:0], &rows[i])
		if err != nil {
			return err
		}
		j.line = append(line, '\n')
		if _, err := j.buf.Write(j.line); err != nil {
			return err
		}
	}
	return nil
}

func (j *jsonlWriter[T]) Close() error { return j.buf.Flush() }

// rowEncoder writes rows of one struct type as JSON objects exactly as encoding/json does
// with HTML escaping off (but for whole floats, written 75.0: appendJSONFloat), several
// times faster: encoding/json took a tenth of the whole
// pipeline's time. It is made once per writer from the type's fields. Fields of the kinds
// the record types use (strings, pointers to strings, integers, floats, string lists) are
// written here; any other field, such as a time or a date with its own MarshalJSON, is
// handed to encoding/json. A type whose fields encoding/json would treat specially
// (embedded, untagged, with tag options) is handed to encoding/json whole.
type rowEncoder[T any] struct {
	fields []jsonField // nil: the type is written by encoding/json
}

// jsonField is one field of a row and how to write it.
type jsonField struct {
	index int
	key   []byte // `"name":`, with the comma before it for every field but the first
	value func(b []byte, v reflect.Value) ([]byte, error)
}

func newRowEncoder[T any]() *rowEncoder[T] {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct || marshals(t) {
		return &rowEncoder[T]{}
	}
	var fields []jsonField
	seen := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		name := f.Tag.Get("json")
		if f.Anonymous || !f.IsExported() || !isPlainJSONName(name) || seen[name] {
			return &rowEncoder[T]{}
		}
		seen[name] = true
		var key []byte
		if len(fields) > 0 {
			key = append(key, ',')
		}
		key = append(appendJSONString(key, name), ':')
		fields = append(fields, jsonField{index: i, key: key, value: jsonValueWriter(f.Type)})
	}
	return &rowEncoder[T]{fields: fields}
}

// isPlainJSONName reports whether a json tag is just a name that encoding/json takes as it
// is: letters, digits and "_", without options.
func isPlainJSONName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range []byte(name) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// marshals reports whether values of type t (or pointers to them) write themselves
// (json.Marshaler, encoding.TextMarshaler).
func marshals(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return t.Implements(marshalerType) || t.Implements(textMarshalerType) ||
		p.Implements(marshalerType) || p.Implements(textMarshalerType)
}

// jsonValueWriter returns the function that appends a value of type t as encoding/json
// writes it.
func jsonValueWriter(t reflect.Type) func(b []byte, v reflect.Value) ([]byte, error) {
	if marshals(t) {
		return appendWithEncodingJSON
	}
	switch t.Kind() {
	case reflect.String:
		return func(b []byte, v reflect.Value) ([]byte, error) { return appendJSONString(b, v.String()), nil }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(b []byte, v reflect.Value) ([]byte, error) { return strconv.AppendInt(b, v.Int(), 10), nil }
	case reflect.Float64:
		return appendJSONFloat
	case reflect.Pointer:
		elem := jsonValueWriter(t.Elem())
		return func(b []byte, v reflect.Value) ([]byte, error) {
			if v.IsNil() {
				return append(b, "null"...), nil
			}
			return elem(b, v.Elem())
		}
	case reflect.Slice:
		if t.Elem().Kind() != reflect.String || marshals(t.Elem()) {
			break
		}
		return func(b []byte, v reflect.Value) ([]byte, error) {
			if v.IsNil() {
				return append(b, "null"...), nil
			}
			b = append(b, '[')
			for i := range v.Len() {
				if i > 0 {
					b = append(b, ',')
				}
				b = appendJSONString(b, v.Index(i).String())
			}
			return append(b, ']'), nil
		}
	}
	return appendWithEncodingJSON
}

// appendRow appends the JSON object of row to b.
func (e *rowEncoder[T]) appendRow(b []byte, row *T) ([]byte, error) {
	if e.fields == nil {
		return appendWithEncodingJSON(b, reflect.ValueOf(row))
	}
	v := reflect.ValueOf(row).Elem()
	b = append(b, '{')
	for _, f := range e.fields {
		var err error
		b = append(b, f.key...)
		if b, err = f.value(b, v.Field(f.index)); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// appendWithEncodingJSON appends v as encoding/json writes it with HTML escaping off.
func appendWithEncodingJSON(b []byte, v reflect.Value) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v.Interface()); err != nil {
		return b, err
	}
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...), nil
}

// appendJSONFloat appends a float64 as encoding/json does: like %g, but in exponent form
// only below 1e-6 and from 1e21, and with exponents not padded to two digits. NaN and the
// infinities, which JSON cannot hold, get encoding/json's own error.
//
// One difference: a whole number keeps a fraction, 75.0 where encoding/json writes 75. A
// DOUBLE column must read as one in readers that infer a column's type from the values
// they sample: from 75, DuckDB's read_json infers BIGINT (and then rounds a later 2.4 to
// 2 without a word) and polars' read_ndjson Int64 (and then fails on 0.73), whenever the
// sampled rows of a column happen to hold only whole numbers.
func appendJSONFloat(b []byte, v reflect.Value) ([]byte, error) {
	f := v.Float()
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return appendWithEncodingJSON(b, v)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// "e-07" is written "e-7".
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	} else if bytes.IndexByte(b[start:], '.') < 0 {
		b = append(b, ".0"...)
	}
	return b, nil
}

// jsonPlain marks the bytes a JSON string holds as they are: ASCII from the space on, but
// the quote and the backslash.
var jsonPlain = func() (plain [256]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		plain[c] = c != '"' && c != '\\'
	}
	return plain
}()

// appendJSONString appends s as a JSON string the way encoding/json writes it with HTML
// escaping off: quotes, backslashes and control characters escaped (\b, \f, \n, \r and \t
// by name), U+2028 and U+2029 escaped, and each invalid UTF-8 byte replaced by \ufffd.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if jsonPlain[s[i]] {
			i++
			continue
		}
		if c := s[i]; c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(b, s[start:]...), '"')
}

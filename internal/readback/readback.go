// Package readback checks articleetl's output with a second, independent Parquet reader.
//
// The load package writes Parquet with parquet-go; this package reads it back with
// apache/arrow-go (parquet/file and parquet/pqarrow), the reader behind pyarrow-compatible
// tooling, so a test catches files that only parquet-go itself would read correctly. Both a
// Parquet file and its JSONL twin are turned into the same canonical values before they are
// compared: string, int64, float64, bool, "YYYY-MM-DD" for DATE, an RFC 3339 UTC string for
// TIMESTAMP, []any for lists and nil for NULL.
package readback

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// DiffError is the first difference Compare finds between a Parquet file and its JSONL.
type DiffError struct {
	Row     int    // 0-based row index; the JSONL line is Row+1
	Column  string // column name
	Parquet any    // canonical value read from Parquet
	JSONL   any    // canonical value read from JSONL
}

func (e *DiffError) Error() string {
	return fmt.Sprintf("row %d (line %d) column %s: parquet %s, jsonl %s",
		e.Row, e.Row+1, e.Column, show(e.Parquet), show(e.JSONL))
}

// show prints a canonical value with its Go type, so 1 and "1" do not look alike.
func show(v any) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprintf("%#v", v)
}

// Compare reads parquetPath with arrow-go and jsonlPath line by line and returns nil when
// both hold the same columns in the same order and the same rows. Otherwise it returns an
// error naming what differs: the row counts, the column names or order, or, as a
// *DiffError, the first row and column whose values differ. JSONL values are canonicalised
// by the Parquet column's type, so numbers compare numerically and timestamps as instants.
func Compare(parquetPath, jsonlPath string) error {
	schema, _, err := ArrowSchema(parquetPath)
	if err != nil {
		return err
	}
	columns, rows, err := Rows(parquetPath)
	if err != nil {
		return err
	}
	f, err := os.Open(jsonlPath)
	if err != nil {
		return err
	}
	defer f.Close()

	r := bufio.NewReader(f)
	n := 0
	for ; ; n++ {
		line, err := r.ReadBytes('\n')
		if err == io.EOF && len(line) == 0 {
			break
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("reading %s: %w", jsonlPath, err)
		}
		if n >= len(rows) {
			return fmt.Errorf("%s has more rows than the %d of %s", jsonlPath, len(rows), parquetPath)
		}
		keys, values, err := decodeLine(line)
		if err != nil {
			return fmt.Errorf("%s line %d: %w", jsonlPath, n+1, err)
		}
		if !slices.Equal(keys, columns) {
			return fmt.Errorf("%s line %d: columns %v, parquet columns %v", jsonlPath, n+1, keys, columns)
		}
		for i, name := range columns {
			want, err := canonicalJSON(schema.Field(i).Type, values[name])
			if err != nil {
				return fmt.Errorf("%s line %d column %s: %w", jsonlPath, n+1, name, err)
			}
			if !equal(rows[n][name], want) {
				return &DiffError{Row: n, Column: name, Parquet: rows[n][name], JSONL: want}
			}
		}
	}
	if n != len(rows) {
		return fmt.Errorf("%s has %d rows, %s has %d", jsonlPath, n, parquetPath, len(rows))
	}
	return nil
}

// decodeLine reads one JSONL line as a single object, keeping the order of its keys.
func decodeLine(line []byte) ([]string, map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, nil, errors.New("not a JSON object")
	}
	var keys []string
	values := map[string]any{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		key := tok.(string) // inside an object the decoder yields only string keys here
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, nil, fmt.Errorf("key %s: %w", key, err)
		}
		if _, dup := values[key]; dup {
			return nil, nil, fmt.Errorf("key %s appears twice", key)
		}
		keys = append(keys, key)
		values[key] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, errors.New("more than one JSON value on the line")
	}
	return keys, values, nil
}

// canonicalJSON turns a decoded JSON value into the canonical value of a Parquet column of
// type t, or fails when the JSON value cannot be one.
func canonicalJSON(t arrow.DataType, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch t.ID() {
	case arrow.STRING, arrow.LARGE_STRING:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case arrow.BOOL:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32:
		if n, ok := v.(json.Number); ok {
			if i, err := n.Int64(); err == nil {
				return i, nil
			}
			// An integer written as 3e6 or 3.0 is still the integer 3000000 or 3.
			if f, err := n.Float64(); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<63 {
				return int64(f), nil
			}
		}
	case arrow.FLOAT32, arrow.FLOAT64:
		if n, ok := v.(json.Number); ok {
			return n.Float64()
		}
	case arrow.DATE32:
		if s, ok := v.(string); ok {
			d, err := time.Parse(time.DateOnly, s)
			if err != nil {
				return nil, err
			}
			return d.Format(time.DateOnly), nil
		}
	case arrow.TIMESTAMP:
		if s, ok := v.(string); ok {
			ts, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return nil, err
			}
			return formatTimestamp(ts), nil
		}
	case arrow.LIST, arrow.LARGE_LIST:
		if l, ok := v.([]any); ok {
			elem := t.(arrow.ListLikeType).Elem()
			out := make([]any, len(l))
			for i, e := range l {
				c, err := canonicalJSON(elem, e)
				if err != nil {
					return nil, fmt.Errorf("element %d: %w", i, err)
				}
				out[i] = c
			}
			return out, nil
		}
	default:
		return nil, fmt.Errorf("parquet type %s is not supported", t)
	}
	return nil, fmt.Errorf("JSON value %v (%T) cannot be a %s", v, v, t)
}

// formatTimestamp is the canonical form of an instant: RFC 3339 in UTC, ending in Z.
func formatTimestamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// equal compares canonical values; int64 and float64 compare numerically.
func equal(a, b any) bool {
	switch a := a.(type) {
	case int64:
		switch b := b.(type) {
		case int64:
			return a == b
		case float64:
			return intEqualsFloat(a, b)
		}
		return false
	case float64:
		switch b := b.(type) {
		case float64:
			return a == b
		case int64:
			return intEqualsFloat(b, a)
		}
		return false
	case []any:
		b, ok := b.([]any)
		return ok && slices.EqualFunc(a, b, equal)
	}
	return a == b
}

func intEqualsFloat(i int64, f float64) bool {
	return f == math.Trunc(f) && math.Abs(f) < 1<<63 && int64(f) == i
}

// Rows reads a Parquet file with arrow-go and returns its column names in order and its
// rows as maps from column name to canonical value: string, int64 (for every integer
// type), float64, bool, "YYYY-MM-DD" for DATE, an RFC 3339 UTC string for TIMESTAMP, []any
// for lists and nil for NULL. It fails on a column type it has no canonical form for.
func Rows(parquetPath string) (columns []string, rows []map[string]any, err error) {
	rdr, err := file.OpenParquetFile(parquetPath, false)
	if err != nil {
		return nil, nil, fmt.Errorf("opening %s: %w", parquetPath, err)
	}
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: 1024}, memory.DefaultAllocator)
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", parquetPath, err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", parquetPath, err)
	}
	defer tbl.Release()

	rows = make([]map[string]any, tbl.NumRows())
	for i := range rows {
		rows[i] = make(map[string]any, tbl.NumCols())
	}
	for c := range int(tbl.NumCols()) {
		col := tbl.Column(c)
		columns = append(columns, col.Name())
		row := 0
		for _, chunk := range col.Data().Chunks() {
			for j := range chunk.Len() {
				v, err := canonicalArrow(chunk, j)
				if err != nil {
					return nil, nil, fmt.Errorf("%s row %d column %s: %w", parquetPath, row, col.Name(), err)
				}
				rows[row][col.Name()] = v
				row++
			}
		}
	}
	return columns, rows, nil
}

// canonicalArrow returns the canonical value at index i of an Arrow array.
func canonicalArrow(arr arrow.Array, i int) (any, error) {
	if arr.IsNull(i) {
		return nil, nil
	}
	switch a := arr.(type) {
	case *array.String:
		return a.Value(i), nil
	case *array.LargeString:
		return a.Value(i), nil
	case *array.Boolean:
		return a.Value(i), nil
	case *array.Int8:
		return int64(a.Value(i)), nil
	case *array.Int16:
		return int64(a.Value(i)), nil
	case *array.Int32:
		return int64(a.Value(i)), nil
	case *array.Int64:
		return a.Value(i), nil
	case *array.Uint8:
		return int64(a.Value(i)), nil
	case *array.Uint16:
		return int64(a.Value(i)), nil
	case *array.Uint32:
		return int64(a.Value(i)), nil
	case *array.Float32:
		return float64(a.Value(i)), nil
	case *array.Float64:
		return a.Value(i), nil
	case *array.Date32:
		return a.Value(i).ToTime().Format(time.DateOnly), nil
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return formatTimestamp(a.Value(i).ToTime(unit)), nil
	case array.ListLike:
		start, end := a.ValueOffsets(i)
		out := make([]any, 0, end-start)
		for k := start; k < end; k++ {
			v, err := canonicalArrow(a.ListValues(), int(k))
			if err != nil {
				return nil, fmt.Errorf("element %d: %w", k-start, err)
			}
			out = append(out, v)
		}
		return out, nil
	}
	return nil, fmt.Errorf("arrow type %s is not supported", arr.DataType())
}

// ArrowSchema returns the Arrow schema arrow-go derives from a Parquet file, which shows
// each column's logical type and nullability (for example "updated_on: date32",
// "published_at: timestamp[us, tz=UTC]", "answer_paragraphs: list<element: utf8>"), and
// the file's key-value metadata.
func ArrowSchema(parquetPath string) (*arrow.Schema, map[string]string, error) {
	rdr, err := file.OpenParquetFile(parquetPath, false)
	if err != nil {
		return nil, nil, fmt.Errorf("opening %s: %w", parquetPath, err)
	}
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", parquetPath, err)
	}
	schema, err := fr.Schema()
	if err != nil {
		return nil, nil, fmt.Errorf("reading schema of %s: %w", parquetPath, err)
	}
	kv := rdr.MetaData().KeyValueMetadata()
	meta := make(map[string]string, kv.Len())
	for i, k := range kv.Keys() {
		meta[k] = kv.Values()[i]
	}
	return schema, meta, nil
}

package validate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"

	"github.com/articleetl/articleetl/load"
)

// checkParquet checks one Parquet file's key-value metadata, columns and rows, and returns
// the number of rows its footer declares (ok is false when the file cannot be opened).
// Rows are turned into their JSON form (see parquetField.value) and go through the same
// checks as JSONL lines, so a dataset written as Parquet only is checked as thoroughly.
func (c *checker) checkParquet(fc *fileCheck, f *os.File, size int64) (rows int64, ok bool) {
	file, idx := fc.Path, fc.idx
	defer func() {
		// parquet-go panics on some corrupt files; that is a problem with the file, not a crash.
		if r := recover(); r != nil {
			c.add(Problem{File: file, Reason: fmt.Sprintf("reading Parquet: %v", r)})
			idx.setIncomplete()
		}
	}()
	pf, err := parquet.OpenFile(f, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		c.add(Problem{File: file, Reason: "not a readable Parquet file: " + err.Error()})
		idx.setIncomplete()
		return 0, false
	}
	rows, ok = pf.NumRows(), true
	c.checkParquetMetadata(fc, pf)

	fields, leaves := parquetFields(pf.Metadata().Schema)
	matched := false
	if fc.schema != nil {
		got := make([]column, len(fields))
		for i, fd := range fields {
			got[i] = fd.column
		}
		ps := compareColumns(got, fc.schema.columns, fc.table.name+" "+fc.version)
		for _, p := range ps {
			p.File = file
			c.add(p)
		}
		matched = len(ps) == 0
	}

	n, err := parquetRows(pf, fields, leaves, func(n int64, obj map[string]any) {
		// Rows are validated against the JSON Schema only when the columns matched, so one
		// wrong column type gives one problem rather than one per row; keys are collected
		// either way.
		c.checkRow(fc, int(n), obj, matched)
	})
	if err != nil {
		c.add(Problem{File: file, Row: int(n) + 1, Reason: "reading Parquet: " + err.Error()})
		idx.setIncomplete()
	} else if n != rows {
		c.add(Problem{File: file, Reason: fmt.Sprintf("footer declares %d rows but %d could be read", rows, n)})
		idx.setIncomplete()
	}
	return rows, ok
}

// checkParquetMetadata checks that the file names its table and schema version under
// load.MetadataKey, as the manifest does.
func (c *checker) checkParquetMetadata(fc *fileCheck, pf *parquet.File) {
	file := fc.Path
	raw, found := pf.Lookup(load.MetadataKey)
	if !found {
		c.add(Problem{File: file, Field: load.MetadataKey, Reason: "key-value metadata missing"})
		return
	}
	var meta load.FileMetadata
	if err := json.Unmarshal([]byte(raw), &meta); err != nil {
		c.add(Problem{File: file, Field: load.MetadataKey, Reason: "key-value metadata is not JSON: " + err.Error()})
		return
	}
	if meta.Table != fc.table.name || meta.SchemaVersion != fc.version {
		c.add(Problem{File: file, Field: load.MetadataKey, Reason: fmt.Sprintf(
			"key-value metadata says table %q schema_version %q, manifest.json declares table %q schema_version %q",
			meta.Table, meta.SchemaVersion, fc.table.name, fc.version)})
	}
}

// parquetRows reads every row group and calls fn with each row's 1-based number and its
// JSON form. It returns the number of rows read.
func parquetRows(pf *parquet.File, fields []parquetField, leaves int, fn func(n int64, obj map[string]any)) (int64, error) {
	var n int64
	buf := make([]parquet.Row, 128)
	byLeaf := make([][]parquet.Value, leaves)
	for _, rg := range pf.RowGroups() {
		rr := rg.Rows()
		for {
			k, err := rr.ReadRows(buf)
			for _, row := range buf[:k] {
				n++
				for i := range byLeaf {
					byLeaf[i] = byLeaf[i][:0]
				}
				for _, v := range row {
					if col := v.Column(); col >= 0 && col < leaves {
						byLeaf[col] = append(byLeaf[col], v)
					}
				}
				obj := make(map[string]any, len(fields))
				for _, fd := range fields {
					if fd.leaf >= 0 {
						obj[fd.name] = fd.value(byLeaf[fd.leaf])
					}
				}
				fn(n, obj)
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				rr.Close()
				return n, err
			}
		}
		if err := rr.Close(); err != nil {
			return n, err
		}
	}
	return n, nil
}

// parquetField is one top-level field of a Parquet file: its column description and how to
// turn its values into JSON form.
type parquetField struct {
	column
	leaf     int                     // leaf column holding its values, or -1 when its shape is not supported
	convert  func(parquet.Value) any // one non-null leaf value to JSON form
	list     bool
	listDef  int // definition level of a present but empty list
	valueDef int // definition level of a non-null list element
}

// value turns the leaf values of one row into the field's JSON form: nil for NULL, a string
// for STRING, DATE ("YYYY-MM-DD") and TIMESTAMP (RFC 3339 UTC), int64 or float64 for
// numbers, []any for lists.
func (f parquetField) value(vs []parquet.Value) any {
	if !f.list {
		if len(vs) == 0 || vs[0].IsNull() {
			return nil
		}
		return f.convert(vs[0])
	}
	if len(vs) == 0 || vs[0].DefinitionLevel() < f.listDef {
		return nil
	}
	arr := []any{}
	if len(vs) == 1 && vs[0].DefinitionLevel() == f.listDef {
		return arr
	}
	for _, v := range vs {
		if v.DefinitionLevel() < f.valueDef || v.IsNull() {
			arr = append(arr, nil)
		} else {
			arr = append(arr, f.convert(v))
		}
	}
	return arr
}

// parquetFields describes the top-level fields of a file schema (depth-first schema elements,
// the root first) and returns them with the number of leaf columns.
func parquetFields(elems []format.SchemaElement) ([]parquetField, int) {
	if len(elems) == 0 {
		return nil, 0
	}
	var fields []parquetField
	i, leaf := 1, 0
	root, _ := elems[0].NumChildren.Get()
	for k := 0; k < int(root) && i < len(elems); k++ {
		fd := describeField(elems, i, leaf)
		end, leaves := subtree(elems, i)
		fields = append(fields, fd)
		i, leaf = end, leaf+leaves
	}
	return fields, leaf
}

// subtree returns the index after the element at i and its descendants, and how many leaves
// they hold.
func subtree(elems []format.SchemaElement, i int) (end, leaves int) {
	children, _ := elems[i].NumChildren.Get()
	if children == 0 {
		return i + 1, 1
	}
	end = i + 1
	for k := 0; k < int(children) && end < len(elems); k++ {
		var n int
		end, n = subtree(elems, end)
		leaves += n
	}
	return end, leaves
}

func describeField(elems []format.SchemaElement, i, leaf int) parquetField {
	e := elems[i]
	rep, _ := e.RepetitionType.Get()
	fd := parquetField{column: column{name: e.Name, nullable: rep == format.Optional}, leaf: -1}
	children, _ := e.NumChildren.Get()
	if children == 0 {
		fd.typ, fd.convert = leafType(e)
		if rep == format.Repeated {
			fd.typ = "REPEATED " + fd.typ
			return fd
		}
		if fd.convert != nil {
			fd.leaf = leaf
		}
		return fd
	}
	fd.typ = "GROUP"
	if !isList(e) || children != 1 || i+1 >= len(elems) {
		return fd
	}
	// A LIST is a group holding one repeated field: the three-level form (repeated group
	// "list" holding one "element" leaf) that Parquet's spec and articleetl write, or the
	// legacy two-level form (a repeated leaf).
	outerDef := 0
	if fd.nullable {
		outerDef = 1
	}
	mid := elems[i+1]
	if r, _ := mid.RepetitionType.Get(); r != format.Repeated {
		return fd
	}
	elem, valueDef := mid, outerDef+1
	if n, _ := mid.NumChildren.Get(); n != 0 {
		if n != 1 || i+2 >= len(elems) {
			return fd
		}
		elem = elems[i+2]
		if gc, _ := elem.NumChildren.Get(); gc != 0 {
			return fd
		}
		switch r, _ := elem.RepetitionType.Get(); r {
		case format.Optional:
			valueDef++
		case format.Repeated:
			return fd
		}
	}
	elemType, convert := leafType(elem)
	if r, _ := elem.RepetitionType.Get(); r == format.Optional {
		elemType += " NULL"
	}
	fd.typ = "LIST<" + elemType + ">"
	if convert != nil {
		fd.leaf, fd.convert, fd.list, fd.listDef, fd.valueDef = leaf, convert, true, outerDef, valueDef
	}
	return fd
}

func isList(e format.SchemaElement) bool {
	if _, ok := e.LogicalType.Value.(*format.ListType); ok {
		return true
	}
	ct, ok := e.ConvertedType.Get()
	return ok && ct == deprecated.List && e.LogicalType.Value == nil
}

// leafType names a leaf column's type in the words of the type* constants and returns how to
// convert its values to JSON form (nil for physical types articleetl never writes).
func leafType(e format.SchemaElement) (string, func(parquet.Value) any) {
	phys, _ := e.Type.Get()
	lt := e.LogicalType.Value
	ct, hasCT := e.ConvertedType.Get()
	if lt == nil && !hasCT {
		ct = -1
	}
	annotated := func(base string) string {
		if lt != nil {
			return base + "(" + lt.String() + ")"
		}
		if hasCT {
			return fmt.Sprintf("%s(converted type %d)", base, ct)
		}
		return base
	}
	switch phys {
	case format.ByteArray:
		toString := func(v parquet.Value) any { return string(v.ByteArray()) }
		if _, ok := lt.(*format.StringType); ok || (lt == nil && ct == deprecated.UTF8) {
			return typeString, toString
		}
		return annotated("BYTE_ARRAY"), toString
	case format.Int32:
		if _, ok := lt.(*format.DateType); ok || (lt == nil && ct == deprecated.Date) {
			return typeDate, func(v parquet.Value) any {
				return time.Unix(int64(v.Int32())*86400, 0).UTC().Format(time.DateOnly)
			}
		}
		toInt := func(v parquet.Value) any { return int64(v.Int32()) }
		if it, ok := lt.(*format.IntType); (ok && it.BitWidth == 32 && it.IsSigned) || (lt == nil && (ct == -1 || ct == deprecated.Int32)) {
			return typeInt32, toInt
		}
		return annotated("INT32"), toInt
	case format.Int64:
		if ts, ok := lt.(*format.TimestampType); ok {
			zone := "local"
			if ts.IsAdjustedToUTC {
				zone = "UTC"
			}
			var toTime func(int64) time.Time
			switch ts.Unit.Value.(type) {
			case *format.MilliSeconds:
				toTime = time.UnixMilli
			case *format.MicroSeconds:
				toTime = time.UnixMicro
			case *format.NanoSeconds:
				toTime = func(n int64) time.Time { return time.Unix(0, n) }
			default:
				return "TIMESTAMP(?," + zone + ")", nil
			}
			return "TIMESTAMP(" + ts.Unit.String() + "," + zone + ")", func(v parquet.Value) any {
				return toTime(v.Int64()).UTC().Format(time.RFC3339Nano)
			}
		}
		if lt == nil && ct == deprecated.TimestampMicros {
			return typeTimestamp, func(v parquet.Value) any { return time.UnixMicro(v.Int64()).UTC().Format(time.RFC3339Nano) }
		}
		return annotated("INT64"), func(v parquet.Value) any { return v.Int64() }
	case format.Double:
		return annotated("DOUBLE"), func(v parquet.Value) any { return v.Double() }
	case format.Float:
		return annotated("FLOAT"), func(v parquet.Value) any { return float64(v.Float()) }
	case format.Boolean:
		return annotated("BOOLEAN"), func(v parquet.Value) any { return v.Boolean() }
	}
	return annotated(phys.String()), nil
}

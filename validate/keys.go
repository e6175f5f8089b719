package validate

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/schemas"
)

// index holds what the key and reference checks need of one table in one format, across all
// its files: primary keys (with where each was first seen), rows per snapshot_id and, for
// documents, the count columns. Only keys are kept, never whole rows.
type index struct {
	format    string
	complete  bool // every row was read and had its keys; references are checked only against complete indexes
	pk        map[string]location
	snapshots map[string]int64
	docs      []docRow
}

type location struct {
	file string
	row  int
}

func (l location) String() string { return fmt.Sprintf("%s:%d", l.file, l.row) }

// docRow is one documents row's snapshot and the counts it claims.
type docRow struct {
	location
	snapshot string
	counts   [len(countColumns)]int64
	hasCount [len(countColumns)]bool
}

// countColumns are the documents columns that count another table's rows of the snapshot.
var countColumns = [...]struct{ column, table string }{
	{"qa_pair_count", schemas.QAPairs.Name},
	{"working_group_count", schemas.WorkingGroups.Name},
	{"fact_count", schemas.Facts.Name},
}

// describe names the table and format the index holds, for messages.
func (x *index) describe(table string) string {
	if x.pk == nil {
		return table + " (not in the dataset)"
	}
	return table + " (" + x.format + ")"
}

func (x *index) setIncomplete() {
	if x != nil {
		x.complete = false
	}
}

// indexFor returns the index of a table in a format, creating it.
func (c *checker) indexFor(table, format string) *index {
	byFormat := c.indexes[table]
	if byFormat == nil {
		byFormat = map[string]*index{}
		c.indexes[table] = byFormat
	}
	x := byFormat[format]
	if x == nil {
		x = &index{format: format, complete: true, pk: map[string]location{}, snapshots: map[string]int64{}}
		byFormat[format] = x
	}
	return x
}

// target returns the index to check a reference into table against, for rows read in
// format: the table's own files of that format when they were read completely, else its
// files of another format, else nil (the reference is not checked, rather than reported
// falsely as dangling because its target could not be read). A table the manifest does not
// list is empty: nothing exists in it.
func (c *checker) target(table, format string) *index {
	if !c.listed[table] {
		return &index{format: format, complete: true}
	}
	if !c.done[table] {
		return nil
	}
	byFormat := c.indexes[table]
	if x := byFormat[format]; x != nil && x.complete {
		return x
	}
	for _, f := range []string{string(load.FormatJSONL), string(load.FormatParquet)} {
		if x := byFormat[f]; x != nil && x.complete {
			return x
		}
	}
	return nil
}

// checkKeys records a row's keys and checks its primary key is new and that what it
// references exists: its snapshot_id in documents, its foreign keys (qa_id) in their table.
// Tables are checked in schemas.Tables() order, so documents and qa_pairs are complete
// before a row that references them is read; a reference to a table not read yet is not
// checked.
func (c *checker) checkKeys(fc *fileCheck, row int, obj map[string]any) {
	t, file, idx := fc.table.table, fc.Path, fc.idx
	here := location{file, row}
	key := primaryKey(obj, t.PrimaryKey)
	if first, dup := idx.pk[key]; dup {
		c.add(Problem{File: file, Row: row, Reason: fmt.Sprintf("duplicate primary key (%s) = (%s), first at %s",
			strings.Join(t.PrimaryKey, ", "), showKey(key), first)})
	} else {
		idx.pk[key] = here
	}

	snap, hasSnap := obj["snapshot_id"].(string)
	if hasSnap {
		idx.snapshots[snap]++
	}
	if t.Name == schemas.Documents.Name {
		if hasSnap {
			d := docRow{location: here, snapshot: snap}
			for i, cc := range countColumns {
				d.counts[i], d.hasCount[i] = integer(obj[cc.column])
			}
			idx.docs = append(idx.docs, d)
		}
		return
	}
	if docs := c.target(schemas.Documents.Name, idx.format); hasSnap && docs != nil && docs.snapshots[snap] == 0 {
		c.add(Problem{File: file, Row: row, Field: "snapshot_id", Reason: fmt.Sprintf("%s does not exist in documents", snap)})
	}
	for _, fk := range t.ForeignKeys {
		c.checkForeignKey(fk, file, row, obj, idx.format)
	}
}

// checkForeignKey checks that a row's foreign key values exist in the table it references,
// as its primary key or, for a reference to snapshot_id alone, as a snapshot it has rows
// of. A key with a null (or missing) field references nothing.
func (c *checker) checkForeignKey(fk schemas.ForeignKey, file string, row int, obj map[string]any, format string) {
	vals := make([]string, len(fk.Fields))
	for i, f := range fk.Fields {
		s, ok := obj[f].(string)
		if !ok {
			return
		}
		vals[i] = s
	}
	ref, err := schemas.Lookup(fk.Table)
	if err != nil {
		return
	}
	x := c.target(fk.Table, format)
	if x == nil {
		return
	}
	switch {
	case slices.Equal(ref.PrimaryKey, fk.ResourceFields):
		if _, found := x.pk[primaryKey(obj, fk.Fields)]; found {
			return
		}
	case slices.Equal(fk.ResourceFields, []string{"snapshot_id"}):
		if x.snapshots[vals[0]] > 0 {
			return
		}
	default:
		return // not a kind of reference articleetl declares
	}
	last := len(fk.Fields) - 1
	reason := fmt.Sprintf("references %s.%s %s which does not exist", fk.Table, fk.ResourceFields[last], vals[last])
	if last > 0 {
		var scope []string
		for i := range last {
			scope = append(scope, fk.Fields[i]+" "+vals[i])
		}
		reason += " (" + strings.Join(scope, ", ") + ")"
	}
	c.add(Problem{File: file, Row: row, Field: fk.Fields[last], Reason: reason})
}

// checkCounts checks, once every table is read, that each documents row's counts equal the
// rows its snapshot has in the counted tables.
func (c *checker) checkCounts() {
	for _, format := range []string{string(load.FormatJSONL), string(load.FormatParquet)} {
		docs := c.indexes[schemas.Documents.Name][format]
		if docs == nil {
			continue
		}
		for _, d := range docs.docs {
			for i, cc := range countColumns {
				x := c.target(cc.table, format)
				if !d.hasCount[i] || x == nil {
					continue
				}
				if got := x.snapshots[d.snapshot]; got != d.counts[i] {
					c.add(Problem{File: d.file, Row: d.row, Field: cc.column, Reason: fmt.Sprintf(
						"is %d, but %s has %s with snapshot_id %s", d.counts[i], x.describe(cc.table), plural(got, "row"), d.snapshot)})
				}
			}
		}
	}
}

// primaryKey encodes the values of fields as one map key. Null and a missing field are
// the same value, so a row of an earlier version that lacks a key column added since (as
// documents 1.0.0 lacks captured_at) has a null there; null is distinct from "".
func primaryKey(obj map[string]any, fields []string) string {
	var b strings.Builder
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(0)
		}
		switch v := obj[f].(type) {
		case nil:
			b.WriteString("n")
		case string:
			b.WriteString("s" + v)
		default:
			fmt.Fprintf(&b, "v%v", v)
		}
	}
	return b.String()
}

// showKey writes an encoded primary key for a message: "0123456789abcdef, a.html, null".
func showKey(key string) string {
	parts := strings.Split(key, "\x00")
	for i, p := range parts {
		if p == "n" {
			parts[i] = "null"
		} else {
			parts[i] = p[1:]
		}
	}
	return strings.Join(parts, ", ")
}

// integer reads a whole number from a row in JSON form (json.Number from JSONL, int64 from
// Parquet).
func integer(v any) (int64, bool) {
	switch n := v.(type) {
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	case int64:
		return n, true
	}
	return 0, false
}

// plural writes a count with its noun, "1 row", "2 rows".
func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

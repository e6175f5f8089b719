package load

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"

	"github.com/articleetl/articleetl/schemas"
)

// distinctFacts returns n facts that share nothing but their constant columns, the worst
// case for a writer's memory: every value is a new dictionary entry.
func distinctFacts(n int) []schemas.Fact {
	rows := make([]schemas.Fact, n)
	for i := range rows {
		var comparator, qaID, section *string
		if i%3 == 0 {
			comparator = ptr("more_than")
		}
		if i%2 == 0 {
			qaID = ptr(fmt.Sprintf("%016x", i/7))
		}
		if i%5 != 0 {
			section = ptr(fmt.Sprintf("Section %d", i/100))
		}
		rows[i] = schemas.Fact{
			SchemaVersion: schemas.Facts.Version,
			DocID:         fmt.Sprintf("%016x", i/500),
			SnapshotID:    fmt.Sprintf("%016x", i/20),
			FactID:        fmt.Sprintf("%016x", uint64(i)*0x9e3779b97f4a7c15),
			Ordinal:       int32(i%20 + 1),
			Value:         float64(i) * 1.5,
			Unit:          "people",
			Kind:          "count",
			Raw:           fmt.Sprintf("%d people", i),
			Comparator:    comparator,
			Location:      ptr(fmt.Sprintf("region %d", i%37)),
			Sentence:      fmt.Sprintf("In district %d, %d people were counted in survey number %d of the year.", i%997, i, i),
			QAID:          qaID,
			Section:       section,
		}
	}
	return rows
}

// writeParquet writes rows through the writer the datasets use, in batches of one
// snapshot's rows (20) as the pipeline does, and returns the file.
func writeParquet[T any](t *testing.T, table schemas.Table, rows []T) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := newParquetWriter[T](&buf, table, "0.0.0-test")
	for i := 0; i < len(rows); i += 20 {
		if err := w.Write(rows[i:min(i+20, len(rows))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// footer decodes a Parquet file's footer.
func footer(t *testing.T, b []byte) *format.FileMetaData {
	t.Helper()
	if len(b) < 12 || string(b[:4]) != "PAR1" || string(b[len(b)-4:]) != "PAR1" {
		t.Fatalf("not a Parquet file (%d bytes)", len(b))
	}
	n := int(binary.LittleEndian.Uint32(b[len(b)-8:]))
	md := new(format.FileMetaData)
	if err := thrift.Unmarshal(new(thrift.CompactProtocol), b[len(b)-8-n:len(b)-8], md); err != nil {
		t.Fatal(err)
	}
	return md
}

// readAll reads a file back with parquet-go.
func readAll[T any](t *testing.T, b []byte) []T {
	t.Helper()
	r := parquet.NewGenericReader[T](bytes.NewReader(b))
	defer r.Close()
	got := make([]T, 0, r.NumRows())
	buf := make([]T, 256)
	for {
		n, err := r.Read(buf)
		got = append(got, buf[:n]...)
		if errors.Is(err, io.EOF) {
			return got
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestParquetRowGroupBound fails if the row-group bound stops working: a table of many
// distinct rows must be cut into several row groups (one row group would hold every
// dictionary and index in memory until the file is closed), each of them bounded, and the
// rows must all read back in order. A small table stays one row group.
func TestParquetRowGroupBound(t *testing.T) {
	rows := distinctFacts(20000)
	b := writeParquet(t, schemas.Facts, rows)
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	groups := f.RowGroups()
	if len(groups) < 4 {
		t.Fatalf("%d distinct rows (%d bytes of Parquet) written as %d row group(s); the row-group bound (%d bytes) no longer cuts them", len(rows), len(b), len(groups), rowGroupBytes)
	}
	t.Logf("%d rows: %d row groups, %d bytes", len(rows), len(groups), len(b))
	var total int64
	for i, rg := range f.Metadata().RowGroups {
		total += rg.NumRows
		// parquet-go's Size counts dictionary values uncompressed and pages compressed, so
		// a flushed row group's compressed size stays under the bound plus one batch.
		if i < len(groups)-1 && rg.TotalCompressedSize > 2*rowGroupBytes {
			t.Errorf("row group %d: %d rows, %d bytes compressed: over twice the bound of %d", i, rg.NumRows, rg.TotalCompressedSize, rowGroupBytes)
		}
	}
	if total != int64(len(rows)) || f.NumRows() != int64(len(rows)) {
		t.Fatalf("row groups hold %d rows, file %d; want %d", total, f.NumRows(), len(rows))
	}
	if got := readAll[schemas.Fact](t, b); !reflect.DeepEqual(got, rows) {
		t.Fatal("rows read back differ from those written")
	}

	small := writeParquet(t, schemas.Facts, rows[:200])
	if n := len(footer(t, small).RowGroups); n != 1 {
		t.Errorf("200 rows written as %d row groups, want 1", n)
	}
}

// TestParquetUnboundedColumns checks that every path in unboundedColumns names a leaf
// column of some table (SkipPageBounds silently ignores a path that matches nothing, which
// is how the option once matched no column at all), and that in a written file those
// columns have no min/max while identifiers keep theirs.
func TestParquetUnboundedColumns(t *testing.T) {
	var leaves [][]string
	for _, table := range schemas.Tables() {
		leaves = append(leaves, parquet.SchemaOf(reflect.New(table.RowType()).Interface()).Columns()...)
	}
	for _, path := range unboundedColumns {
		if !slices.ContainsFunc(leaves, func(l []string) bool { return slices.Equal(l, path) }) {
			t.Errorf("unboundedColumns: %v is no table's leaf column", path)
		}
	}

	md := footer(t, writeParquet(t, schemas.Facts, distinctFacts(100)))
	for _, c := range md.RowGroups[0].Columns {
		path := []string(c.MetaData.PathInSchema)
		s := c.MetaData.Statistics
		unbounded := slices.ContainsFunc(unboundedColumns, func(u []string) bool { return slices.Equal(u, path) })
		switch {
		case unbounded && (s.MinValue != nil || s.MaxValue != nil):
			t.Errorf("%v: bounds %q..%q written for a free-text column", path, s.MinValue, s.MaxValue)
		case !unbounded && (s.MinValue == nil || s.MaxValue == nil):
			t.Errorf("%v: no bounds", path)
		}
	}
}

// TestParquetEncodings checks which columns are dictionary-encoded in a written file:
// values new in every snapshot or row (snapshot ids, content hashes, sources, change ids)
// are plain, because a dictionary of them only repeats the column and is held in memory
// with an index per row until the row group is written; text that repeats across
// snapshots keeps its dictionary.
func TestParquetEncodings(t *testing.T) {
	dictionary := func(c format.ColumnChunk) bool {
		return slices.Contains(c.MetaData.Encoding, format.RLEDictionary)
	}
	check := func(name string, file []byte, plain, dict []string) {
		t.Helper()
		seen := map[string]bool{}
		for _, c := range footer(t, file).RowGroups[0].Columns {
			col := strings.Join(c.MetaData.PathInSchema, ".")
			seen[col] = true
			switch {
			case slices.Contains(plain, col) && dictionary(c):
				t.Errorf("%s.%s: dictionary-encoded (%v), want plain", name, col, c.MetaData.Encoding)
			case slices.Contains(dict, col) && !dictionary(c):
				t.Errorf("%s.%s: not dictionary-encoded (%v)", name, col, c.MetaData.Encoding)
			}
		}
		for _, col := range append(plain, dict...) {
			if !seen[col] {
				t.Errorf("%s: no column %s", name, col)
			}
		}
	}
	check("facts", writeParquet(t, schemas.Facts, distinctFacts(100)),
		[]string{"snapshot_id"}, []string{"doc_id", "fact_id", "unit", "sentence"})
	doc := schemas.Document{SchemaVersion: schemas.Documents.Version, DocID: "0000000000000001", SnapshotID: "0000000000000002",
		Source: "a.html", Title: "T", ContentSHA256: strings.Repeat("ab", 32)}
	check("documents", writeParquet(t, schemas.Documents, []schemas.Document{doc, doc}),
		[]string{"snapshot_id", "source", "content_sha256"}, []string{"doc_id", "title"})
	change := schemas.Change{SchemaVersion: schemas.Changes.Version, DocID: "0000000000000001", SnapshotID: "0000000000000002",
		ChangeID: "0000000000000003", Ordinal: 1, FromSnapshotID: "0000000000000004", ToSnapshotID: "0000000000000002",
		ChangeType: "added", TableName: "facts", RecordID: "0000000000000005", RecordText: "text"}
	check("changes", writeParquet(t, schemas.Changes, []schemas.Change{change, change}),
		[]string{"snapshot_id", "change_id", "from_snapshot_id", "to_snapshot_id"}, []string{"record_id", "record_text"})
	qa := schemas.QAPair{SchemaVersion: schemas.QAPairs.Version, DocID: "0000000000000001", SnapshotID: "0000000000000002",
		QAID: "0000000000000003", Ordinal: 1, Question: "Q?", Answer: "A", AnswerParagraphs: []string{"A"}}
	check("qa_pairs", writeParquet(t, schemas.QAPairs, []schemas.QAPair{qa, qa}),
		[]string{"snapshot_id"}, []string{"qa_id", "question", "answer", "answer_paragraphs.list.element"})
	wg := schemas.WorkingGroup{SchemaVersion: schemas.WorkingGroups.Version, DocID: "0000000000000001", SnapshotID: "0000000000000002",
		WGID: "0000000000000003", Ordinal: 1, Name: "Counter-Finance Working Group", Description: "d"}
	check("working_groups", writeParquet(t, schemas.WorkingGroups, []schemas.WorkingGroup{wg, wg}),
		[]string{"snapshot_id"}, []string{"wg_id", "name", "description"})
	failed := schemas.InputError{SchemaVersion: schemas.Errors.Version, Source: "crawl.warc.gz", Origin: ptr("crawl.warc.gz@123"),
		ContentSHA256: ptr(strings.Repeat("ab", 32)), Stage: "extract", Reason: "r"}
	check("errors", writeParquet(t, schemas.Errors, []schemas.InputError{failed, failed}),
		[]string{"source", "origin", "content_sha256"}, []string{"stage", "reason"})
}

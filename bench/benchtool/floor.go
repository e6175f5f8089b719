package main

import (
	"bytes"
	"context"
	"io"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// The floor answers a question sizes alone cannot: how much of the gap between a small
// Parquet dataset and its zstd JSONL is parquet-go's, and how much any Parquet file of this
// schema must pay. rewriteBare writes a table again with a second, independent writer
// (arrow-go) keeping the rows, the row groups, zstd, v1 data pages and the key-value
// metadata, and leaving out the two things parquet-go always adds on top: column
// statistics and the page index. With keepDictionaries it keeps each column's dictionary
// choice too (the "bare" rewrite); without, no column has a dictionary (the "plain" one),
// which is smaller for small tables, where a dictionary page costs more than it saves.
// Neither is the smallest file any writer could make, but each shows what is left when a
// writer gives those things up.

// rewriteBare writes the Parquet file src again to w with arrow-go, row group by row group,
// without statistics or a page index, and with the original's dictionaries or none.
func rewriteBare(src []byte, w io.Writer, keepDictionaries bool) error {
	rdr, err := file.NewParquetReader(bytes.NewReader(src))
	if err != nil {
		return err
	}
	defer rdr.Close()
	md := rdr.MetaData()
	opts := []parquet.WriterProperty{
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithDataPageVersion(parquet.DataPageV1),
		parquet.WithStats(false),
		parquet.WithPageIndexEnabled(false),
		parquet.WithCreatedBy(md.GetCreatedBy()),
	}
	for i := range md.Schema.NumColumns() {
		dict := false
		if md.NumRowGroups() > 0 {
			cc, err := md.RowGroup(0).ColumnChunk(i)
			if err != nil {
				return err
			}
			dict = cc.HasDictionaryPage()
		}
		opts = append(opts, parquet.WithDictionaryFor(md.Schema.Column(i).ColumnPath().String(), dict && keepDictionaries))
	}
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		return err
	}
	schema, err := fr.Schema()
	if err != nil {
		return err
	}
	fw, err := pqarrow.NewFileWriter(schema, w, parquet.NewWriterProperties(opts...), pqarrow.NewArrowWriterProperties())
	if err != nil {
		return err
	}
	kv := md.KeyValueMetadata()
	for i, k := range kv.Keys() {
		if err := fw.AppendKeyValueMetadata(k, kv.Values()[i]); err != nil {
			return err
		}
	}
	ctx := context.Background()
	cols := make([]int, md.Schema.NumColumns())
	for i := range cols {
		cols[i] = i
	}
	for g := range md.NumRowGroups() {
		tbl, err := fr.ReadRowGroups(ctx, cols, []int{g})
		if err != nil {
			return err
		}
		err = fw.WriteTable(tbl, max(tbl.NumRows(), 1))
		tbl.Release()
		if err != nil {
			return err
		}
	}
	return fw.Close()
}

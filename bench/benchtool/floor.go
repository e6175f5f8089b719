package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/klauspost/compress/zstd"
)

// floor answers a question the sizes command cannot: how much of the gap between a small
// Parquet dataset and its zstd JSONL is parquet-go's, and how much any Parquet file of this
// schema must pay. It rewrites every table with a second, independent writer (arrow-go)
// keeping what decides the size of the data (the rows, the row groups, each column's
// dictionary choice, zstd, v1 data pages, the key-value metadata) and leaving out the two
// things parquet-go always adds on top: column statistics and the page index. What remains is
// the schema and the per-column-chunk metadata every Parquet file carries.
func floor(args []string) error {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return errors.New("usage: benchtool floor DIR (the output of articleetl run with both formats)")
	}
	dir := args[0]
	files, _ := filepath.Glob(filepath.Join(dir, "*.parquet"))
	if len(files) == 0 {
		return fmt.Errorf("floor: no Parquet tables in %s", dir)
	}
	sort.Strings(files)
	enc, _ := zstd.NewWriter(nil)
	var pqTotal, floorTotal, zTotal int64
	for _, f := range files {
		table := filepath.Base(strings.TrimSuffix(f, ".parquet"))
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		j, err := os.ReadFile(filepath.Join(dir, table+".jsonl"))
		if err != nil {
			return err
		}
		var out bytes.Buffer
		if err := rewriteBare(b, &out); err != nil {
			return fmt.Errorf("floor: %s: %w", f, err)
		}
		z := int64(len(enc.EncodeAll(j, nil)))
		pqTotal += int64(len(b))
		floorTotal += int64(out.Len())
		zTotal += z
		fmt.Printf("%-15s parquet %9d B  bare %9d B  jsonl.zst %9d B  parquet/jsonl.zst %.2f  bare/jsonl.zst %.2f\n",
			table, len(b), out.Len(), z, ratio(int64(len(b)), z), ratio(int64(out.Len()), z))
	}
	fmt.Printf("%-15s parquet %9d B  bare %9d B  jsonl.zst %9d B  parquet/jsonl.zst %.2f  bare/jsonl.zst %.2f\n",
		"total", pqTotal, floorTotal, zTotal, ratio(pqTotal, zTotal), ratio(floorTotal, zTotal))
	return nil
}

// rewriteBare writes the Parquet file src again to w with arrow-go, row group by row group,
// without statistics or a page index.
func rewriteBare(src []byte, w io.Writer) error {
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
		opts = append(opts, parquet.WithDictionaryFor(md.Schema.Column(i).ColumnPath().String(), dict))
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

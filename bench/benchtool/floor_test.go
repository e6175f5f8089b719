package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/articleetl/articleetl/internal/corpus"
	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/pipeline"
)

// TestRewriteBare checks that the rewrites are fair: the rewritten file holds the same rows
// in the same row groups, with the same key-value metadata, compression, v1 data pages and
// (bare) dictionary choices or (plain) none, and carries no statistics and no page index.
// A rewrite that lost a column or a row would be smaller for the wrong reason.
func TestRewriteBare(t *testing.T) {
	dir := t.TempDir()
	if _, err := corpus.WriteDir(filepath.Join(dir, "in"), 30, 2); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	cfg := pipeline.Config{Out: out, Formats: []load.Format{load.FormatParquet}, Workers: 1, ToolVersion: "test"}
	if _, err := pipeline.Run(context.Background(), []string{filepath.Join(dir, "in")}, cfg); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.parquet"))
	if len(files) < 5 {
		t.Fatalf("%d Parquet files in the run's output, want the tables", len(files))
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, keep := range []bool{true, false} {
			var bare bytes.Buffer
			if err := rewriteBare(src, &bare, keep); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			name := fmt.Sprintf("%s (dictionaries kept: %v)", f, keep)
			orig, origTbl := readTable(t, src)
			got, gotTbl := readTable(t, bare.Bytes())
			if !array.TableEqual(origTbl, gotTbl) {
				t.Errorf("%s: the rewrite holds other rows", name)
			}
			origTbl.Release()
			gotTbl.Release()
			om, gm := orig.MetaData(), got.MetaData()
			if om.NumRowGroups() != gm.NumRowGroups() {
				t.Errorf("%s: %d row groups rewritten as %d", name, om.NumRowGroups(), gm.NumRowGroups())
				continue
			}
			if !om.KeyValueMetadata().Equals(gm.KeyValueMetadata()) {
				t.Errorf("%s: key-value metadata %v rewritten as %v", name, om.KeyValueMetadata(), gm.KeyValueMetadata())
			}
			for g := range gm.NumRowGroups() {
				for c := range gm.Schema.NumColumns() {
					oc, _ := om.RowGroup(g).ColumnChunk(c)
					gc, _ := gm.RowGroup(g).ColumnChunk(c)
					if want := oc.HasDictionaryPage() && keep; gc.HasDictionaryPage() != want {
						t.Errorf("%s: column %d: dictionary %v, want %v", name, c, gc.HasDictionaryPage(), want)
					}
					if ok, _ := gc.StatsSet(); ok {
						t.Errorf("%s: column %d: the rewrite has statistics", name, c)
					}
					if gc.GetColumnIndexLocation() != nil || gc.GetOffsetIndexLocation() != nil {
						t.Errorf("%s: column %d: the rewrite has a page index", name, c)
					}
					if gc.Compression() != oc.Compression() {
						t.Errorf("%s: column %d: compressed with %v, the original with %v", name, c, gc.Compression(), oc.Compression())
					}
					pr, err := got.RowGroup(g).GetColumnPageReader(c)
					if err != nil {
						t.Fatal(err)
					}
					for pr.Next() {
						if _, v2 := pr.Page().(*file.DataPageV2); v2 {
							t.Errorf("%s: column %d: v2 data pages, the original's are v1", name, c)
						}
					}
					if err := pr.Err(); err != nil {
						t.Errorf("%s: column %d: %v", name, c, err)
					}
				}
			}
			if gm.NumRowGroups() > 0 && bare.Len() >= len(src) {
				t.Errorf("%s: rewrite %d B, not smaller than the original's %d B", name, bare.Len(), len(src))
			}
		}
	}
}

func readTable(t *testing.T, b []byte) (*file.Reader, arrow.Table) {
	t.Helper()
	rdr, err := file.NewParquetReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdr.Close() })
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rdr, tbl
}

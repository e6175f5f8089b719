package main

import (
	"bytes"
	"context"
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

// TestRewriteBare checks that the floor is a fair one: the rewritten file holds the same rows
// in the same row groups with the same dictionary choices, and differs only in carrying no
// statistics and no page index. A floor that lost a column or a row would be smaller for the
// wrong reason.
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
		var bare bytes.Buffer
		if err := rewriteBare(src, &bare); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		orig, origTbl := readTable(t, src)
		got, gotTbl := readTable(t, bare.Bytes())
		if !array.TableEqual(origTbl, gotTbl) {
			t.Errorf("%s: the bare rewrite holds other rows", f)
		}
		om, gm := orig.MetaData(), got.MetaData()
		if om.NumRowGroups() != gm.NumRowGroups() {
			t.Errorf("%s: %d row groups rewritten as %d", f, om.NumRowGroups(), gm.NumRowGroups())
			continue
		}
		if !om.KeyValueMetadata().Equals(gm.KeyValueMetadata()) {
			t.Errorf("%s: key-value metadata %v rewritten as %v", f, om.KeyValueMetadata(), gm.KeyValueMetadata())
		}
		for g := range gm.NumRowGroups() {
			for c := range gm.Schema.NumColumns() {
				oc, _ := om.RowGroup(g).ColumnChunk(c)
				gc, _ := gm.RowGroup(g).ColumnChunk(c)
				if oc.HasDictionaryPage() != gc.HasDictionaryPage() {
					t.Errorf("%s: column %d: dictionary %v rewritten as %v", f, c, oc.HasDictionaryPage(), gc.HasDictionaryPage())
				}
				if ok, _ := gc.StatsSet(); ok {
					t.Errorf("%s: column %d: the bare rewrite has statistics", f, c)
				}
				if gc.GetColumnIndexLocation() != nil || gc.GetOffsetIndexLocation() != nil {
					t.Errorf("%s: column %d: the bare rewrite has a page index", f, c)
				}
			}
		}
		if gm.NumRowGroups() > 0 && bare.Len() >= len(src) {
			t.Errorf("%s: bare rewrite %d B, not smaller than the original's %d B", f, bare.Len(), len(src))
		}
		origTbl.Release()
		gotTbl.Release()
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

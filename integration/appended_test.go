package integration

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/articleetl/articleetl/internal/corpus"
	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/pipeline"
)

// TestDuckDBReadsAnAppendedDatasetAsOneTable appends three runs of captures to one
// dataset and reads each table back with a single glob, as the README tells users to.
func TestDuckDBReadsAnAppendedDatasetAsOneTable(t *testing.T) {
	tmp := t.TempDir()
	out := filepath.Join(tmp, "archive")
	cfg := pipeline.Config{Out: out, Formats: []load.Format{load.FormatParquet, load.FormatJSONL}, Append: true, ToolVersion: "test", Workers: 2}
	for run := range 3 {
		warc := filepath.Join(tmp, "crawl.warc.gz")
		if err := corpus.WriteWARC(warc, 4*(run+1), 0); err != nil { // each crawl repeats the earlier captures and adds 4
			t.Fatal(err)
		}
		if _, err := pipeline.Run(context.Background(), []string{warc}, cfg); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
	}
	parts, _ := filepath.Glob(filepath.Join(out, "parquet", "facts", "*.parquet"))
	if len(parts) != 3 {
		t.Fatalf("facts parts: %v", parts)
	}
	db := openDuckDB(t)
	for table, want := range map[string]int{"documents": 12, "facts": 12 * 18, "qa_pairs": 12 * 8, "changes": -1} {
		glob := sqlPath(out, filepath.Join("parquet", table, "*.parquet"))
		got := count(t, db, "SELECT count(*) FROM read_parquet("+glob+", union_by_name = true)")
		if want >= 0 && got != want {
			t.Errorf("%s: %d rows across parts, want %d", table, got, want)
		}
		if table == "changes" && got < 11 {
			t.Errorf("changes: %d rows, want at least one per consecutive pair of 12 snapshots", got)
		}
		jsonGlob := sqlPath(out, filepath.Join("jsonl", table, "*.jsonl"))
		if table != "changes" {
			if n := count(t, db, "SELECT count(*) FROM read_json("+jsonGlob+", format = 'newline_delimited')"); n != got {
				t.Errorf("%s: JSONL parts have %d rows, Parquet parts %d", table, n, got)
			}
		}
	}
	if n := count(t, db, "SELECT count(DISTINCT snapshot_id) FROM read_parquet("+sqlPath(out, "parquet/documents/*.parquet")+")"); n != 12 {
		t.Errorf("%d distinct snapshots, want 12", n)
	}
}

package load_test

import (
	"crypto/sha512"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/schemas"
)

// TestResetTable checks that rows written before a reset are gone from every format,
// including those a Parquet writer had already flushed to its file in row groups, and that
// rows written after it are all there, with the row counts to match.
func TestResetTable(t *testing.T) {
	for _, format := range []load.Format{load.FormatParquet, load.FormatJSONL} {
		t.Run(string(format), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			ds, err := load.Create(dir, load.Options{Formats: []load.Format{format}, ToolVersion: "test"})
			if err != nil {
				t.Fatal(err)
			}
			change := func(prefix string, i int) schemas.Change {
				return schemas.Change{
					SchemaVersion: schemas.Changes.Version, DocID: "0000000000000001", SnapshotID: "0000000000000002",
					ChangeID: fmt.Sprintf("%016x", i), Ordinal: int32(i + 1), FromSnapshotID: "0000000000000003", ToSnapshotID: "0000000000000002",
					ChangeType: "modified", TableName: "facts", RecordID: "0000000000000004",
					// Long distinct text that compresses badly, so that the writer flushes row
					// groups, past its write buffer, into the file before the reset.
					RecordText: fmt.Sprintf("%s %d %x", prefix, i, sha512.Sum512([]byte(fmt.Sprint(i)))),
				}
			}
			for i := range 3000 { // a row at a time, as a run adds them
				if err := ds.AddChanges([]schemas.Change{change("dropped", i)}); err != nil {
					t.Fatal(err)
				}
			}
			staged, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".out.staging-*", "changes."+string(format)))
			if len(staged) != 1 {
				t.Fatalf("staged changes file: %v", staged)
			}
			if fi, err := os.Stat(staged[0]); err != nil || fi.Size() == 0 {
				t.Fatalf("nothing written before the reset (%v): the test would test nothing", err)
			}
			if err := ds.ResetTable(schemas.Changes.Name); err != nil {
				t.Fatal(err)
			}
			if got := ds.Rows(schemas.Changes.Name); got != 0 {
				t.Errorf("rows after reset = %d, want 0", got)
			}
			want := []schemas.Change{change("kept", 0), change("kept", 1)}
			if err := ds.AddChanges(want); err != nil {
				t.Fatal(err)
			}
			if err := ds.Commit(load.Manifest{}); err != nil {
				t.Fatal(err)
			}
			m, err := load.ReadManifest(dir)
			if err != nil {
				t.Fatal(err)
			}
			if rows := m.Table(schemas.Changes.Name).Rows; rows != 2 {
				t.Errorf("manifest: %d rows, want 2", rows)
			}
			var got []string
			if err := load.ReadRows(dir, m, schemas.Changes.Name, func(c *schemas.Change) error {
				got = append(got, c.RecordText[:7])
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, []string{"kept 0 ", "kept 1 "}) {
				t.Errorf("rows read back: %q, want the two written after the reset", got)
			}
		})
	}
}

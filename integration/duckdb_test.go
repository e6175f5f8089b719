// Package integration checks the output against real engines. DuckDB runs in process (the
// duckdb-go driver links DuckDB statically, so this needs cgo and nothing installed).
package integration

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/articleetl/articleetl"
	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/pipeline"
	"github.com/articleetl/articleetl/schemas"
)

// goldenDir holds the expected JSONL of the embedded snapshot.
var goldenDir = filepath.Join("..", "testdata", "golden", "wix")

// wantRows is how many rows the embedded snapshot gives per table: one input, so no
// changes, and no errors.
var wantRows = map[string]int{"documents": 1, "qa_pairs": 8, "working_groups": 4, "facts": 18, "changes": 0, "errors": 0}

// goldenTables are the tables with golden records.
var goldenTables = []schemas.Table{schemas.Documents, schemas.QAPairs, schemas.WorkingGroups, schemas.Facts}

// TestDuckDB writes the embedded snapshot's dataset as the run command does, then loads it
// into DuckDB the way the README and the generated DDL tell users to: each table created
// from Table.DuckDBDDL, filled from read_parquet, and again from read_json, and the two
// compared with each other and with the golden records.
func TestDuckDB(t *testing.T) {
	dir := writeDataset(t)
	db := openDuckDB(t)
	var version string
	if err := db.QueryRow(`SELECT version()`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	t.Logf("DuckDB %s", version)

	t.Run("parquet types", func(t *testing.T) {
		for _, tab := range schemas.Tables() {
			got := describe(t, db, "SELECT * FROM read_parquet("+sqlPath(dir, tab.Name+".parquet")+")")
			want := map[string]string{}
			for _, c := range tab.Columns() {
				want[c.Name] = duckType[c.Type]
			}
			if strings.Join(got.names, ",") != strings.Join(tab.ColumnNames(), ",") {
				t.Errorf("%s.parquet columns %v, want %v", tab.Name, got.names, tab.ColumnNames())
			}
			for name, typ := range want {
				if got.types[name] != typ {
					t.Errorf("%s.parquet column %s is %s, want %s", tab.Name, name, got.types[name], typ)
				}
			}
		}
		// Spelled out, since these are the logical types the README promises.
		for _, tt := range []struct{ table, column, typ string }{
			{"documents", "updated_on", "DATE"},
			{"documents", "published_at", "TIMESTAMP WITH TIME ZONE"},
			{"documents", "qa_pair_count", "INTEGER"},
			{"qa_pairs", "answer_paragraphs", "VARCHAR[]"},
			{"qa_pairs", "ordinal", "INTEGER"},
			{"facts", "value", "DOUBLE"},
			{"facts", "ordinal", "INTEGER"},
		} {
			got := describe(t, db, "SELECT * FROM read_parquet("+sqlPath(dir, tt.table+".parquet")+")")
			if got.types[tt.column] != tt.typ {
				t.Errorf("read_parquet(%s.parquet).%s is %s, want %s", tt.table, tt.column, got.types[tt.column], tt.typ)
			}
		}
	})

	t.Run("parquet key-value metadata", func(t *testing.T) {
		for _, tab := range schemas.Tables() {
			var value string
			err := db.QueryRow(`SELECT decode(value) FROM parquet_kv_metadata(`+sqlPath(dir, tab.Name+".parquet")+`) WHERE decode(key) = ?`, load.MetadataKey).Scan(&value)
			if err != nil {
				t.Fatalf("%s.parquet: key %s: %v", tab.Name, load.MetadataKey, err)
			}
			var meta load.FileMetadata
			if err := json.Unmarshal([]byte(value), &meta); err != nil || meta.Table != tab.Name || meta.SchemaVersion != tab.Version {
				t.Errorf("%s.parquet: %s = %s (%v), want table %s version %s", tab.Name, load.MetadataKey, value, err, tab.Name, tab.Version)
			}
		}
	})

	// The generated DDL runs, and the Parquet files insert into it without casts, as the
	// README loads them.
	createTables(t, db, "memory")
	for _, tab := range schemas.Tables() {
		mustExec(t, db, fmt.Sprintf("INSERT INTO memory.%s BY NAME SELECT * FROM read_parquet(%s)", tab.Name, sqlPath(dir, tab.Name+".parquet")))
	}

	t.Run("earlier minor version", func(t *testing.T) {
		// The README's INSERTs load a dataset written at 1.0.0 into today's DDL: the
		// columns added since (documents.captured_at, qa_pairs.question_context,
		// working_groups.body_type) are left null. Without BY NAME the column counts differ.
		mustExec(t, db, "ATTACH ':memory:' AS v100")
		createTables(t, db, "v100")
		old := filepath.Join("..", "testdata", "datasets", "v1.0.0")
		for _, name := range []string{"documents", "qa_pairs", "working_groups", "facts"} {
			mustExec(t, db, fmt.Sprintf("INSERT INTO v100.%s BY NAME SELECT * FROM read_parquet(%s)", name, sqlPath(old, name+".parquet")))
		}
		for _, tt := range []struct {
			table, column string
			rows          int
		}{{"documents", "captured_at", 1}, {"qa_pairs", "question_context", 8}, {"working_groups", "body_type", 4}, {"facts", "", 18}} {
			if n := count(t, db, fmt.Sprintf("SELECT count(*) FROM v100.%s", tt.table)); n != tt.rows {
				t.Errorf("v1.0.0 %s: %d rows loaded, want %d", tt.table, n, tt.rows)
			}
			if tt.column != "" {
				if n := count(t, db, fmt.Sprintf("SELECT count(%s) FROM v100.%s", tt.column, tt.table)); n != 0 {
					t.Errorf("v1.0.0 %s.%s: %d values, want none", tt.table, tt.column, n)
				}
			}
		}
	})

	t.Run("ddl", func(t *testing.T) {
		for _, tab := range schemas.Tables() {
			rows, err := db.Query(`SELECT column_name, data_type, is_nullable = 'YES', coalesce(comment, '')
				FROM duckdb_columns() WHERE database_name = 'memory' AND table_name = ? ORDER BY column_index`, tab.Name)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for rows.Next() {
				var name, typ, comment string
				var nullable bool
				if err := rows.Scan(&name, &typ, &nullable, &comment); err != nil {
					t.Fatal(err)
				}
				got = append(got, fmt.Sprintf("%s %s null=%t %q", name, typ, nullable, comment))
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, c := range tab.Columns() {
				want = append(want, fmt.Sprintf("%s %s null=%t %q", c.Name, duckType[c.Type], c.Nullable, c.Description))
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("table %s from the DDL:\n%s\nwant\n%s", tab.Name, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
		// The CHECK constraints hold: a bad identifier is refused.
		_, err := db.Exec(`INSERT INTO memory.qa_pairs VALUES ('1.1.0', 'XYZ', '0123456789abcdef', '0123456789abcdef', 1, 'q', 'a', ['a'], NULL, NULL)`)
		if err == nil || !strings.Contains(err.Error(), "CHECK constraint failed") {
			t.Errorf("inserting doc_id 'XYZ' into qa_pairs: error %v, want a CHECK constraint failure", err)
		}
	})

	t.Run("row counts", func(t *testing.T) {
		for _, tab := range schemas.Tables() {
			if _, ok := wantRows[tab.Name]; !ok {
				t.Errorf("no row count given for table %s", tab.Name)
			}
			if n := count(t, db, "SELECT count(*) FROM memory."+tab.Name); n != wantRows[tab.Name] {
				t.Errorf("%s has %d rows from Parquet, want %d", tab.Name, n, wantRows[tab.Name])
			}
		}
	})

	// JSONL into a second database with the same DDL; read_json is given the DDL's column
	// types, which is how a user loads JSONL without trusting type detection.
	mustExec(t, db, "ATTACH ':memory:' AS jsonl")
	createTables(t, db, "jsonl")
	for _, tab := range schemas.Tables() {
		mustExec(t, db, fmt.Sprintf("INSERT INTO jsonl.%s SELECT * FROM read_json(%s, format = 'newline_delimited', columns = %s)",
			tab.Name, sqlPath(dir, tab.Name+".jsonl"), jsonColumns(t, db, tab)))
	}

	t.Run("jsonl equals parquet", func(t *testing.T) {
		for _, tab := range schemas.Tables() {
			if n := count(t, db, "SELECT count(*) FROM jsonl."+tab.Name); n != wantRows[tab.Name] {
				t.Errorf("%s has %d rows from JSONL, want %d", tab.Name, n, wantRows[tab.Name])
			}
			if diff := symmetricDifference(t, db, "memory."+tab.Name, "jsonl."+tab.Name, ""); diff != "" {
				t.Errorf("%s: Parquet and JSONL rows differ:\n%s", tab.Name, diff)
			}
		}
	})

	t.Run("jsonl auto-detected", func(t *testing.T) {
		// What the README's plain read_json query gives: every column, in order. An empty
		// file has no keys to detect (DuckDB reads it as one "json" column), so only
		// tables with rows are checked; loading those needs the columns argument.
		for _, tab := range schemas.Tables() {
			if wantRows[tab.Name] == 0 {
				continue
			}
			from := "read_json(" + sqlPath(dir, tab.Name+".jsonl") + ", format = 'newline_delimited')"
			got := describe(t, db, "SELECT * FROM "+from)
			if strings.Join(got.names, ",") != strings.Join(tab.ColumnNames(), ",") {
				t.Errorf("auto-detected %s.jsonl columns %v, want %v", tab.Name, got.names, tab.ColumnNames())
			}
			if n := count(t, db, "SELECT count(*) FROM "+from); n != wantRows[tab.Name] {
				t.Errorf("auto-detected %s.jsonl has %d rows, want %d", tab.Name, n, wantRows[tab.Name])
			}
			// A DOUBLE must be detected as one even when every sampled value is whole (all
			// of this snapshot's facts are): detected as BIGINT, a later 2.4 reads as 2.
			for _, c := range tab.Columns() {
				if c.Type == schemas.TypeDouble && got.types[c.Name] != "DOUBLE" {
					t.Errorf("auto-detected %s.jsonl column %s is %s, want DOUBLE", tab.Name, c.Name, got.types[c.Name])
				}
			}
		}
	})

	t.Run("values", func(t *testing.T) {
		var value float64
		var unit, kind string
		if err := db.QueryRow(`SELECT value, unit, kind FROM memory.facts WHERE raw = '107.600km2'`).Scan(&value, &unit, &kind); err != nil {
			t.Fatalf("fact 107.600km2: %v", err)
		}
		if value != 107600 || unit != "km2" || kind != "area" {
			t.Errorf("fact 107.600km2 = %v %s (%s), want 107600 km2 (area)", value, unit, kind)
		}
		if n := count(t, db, `SELECT count(*) FROM memory.documents WHERE updated_on = DATE '2018-05-17'`); n != 1 {
			t.Errorf("documents updated on 2018-05-17: %d, want 1", n)
		}
		var ordinal int32
		if err := db.QueryRow(`SELECT ordinal FROM memory.qa_pairs WHERE question = 'And in Syria?'`).Scan(&ordinal); err != nil || ordinal != 5 {
			t.Errorf("ordinal of 'And in Syria?' = %d (%v), want 5", ordinal, err)
		}
		// The foreign keys join: every fact and group with a qa_id finds its pair.
		if n := count(t, db, `SELECT count(*) FROM memory.facts f LEFT JOIN memory.qa_pairs q USING (snapshot_id, qa_id)
			WHERE f.qa_id IS NOT NULL AND q.question IS NULL`); n != 0 {
			t.Errorf("%d facts name a qa_id with no pair", n)
		}
	})

	t.Run("golden", func(t *testing.T) {
		mustExec(t, db, "ATTACH ':memory:' AS golden")
		createTables(t, db, "golden")
		for _, tab := range goldenTables {
			path := filepath.Join(goldenDir, tab.Name+".jsonl")
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("golden file: %v", err)
			}
			abs, err := filepath.Abs(path)
			if err != nil {
				t.Fatal(err)
			}
			mustExec(t, db, fmt.Sprintf("INSERT INTO golden.%s SELECT * FROM read_json(%s, format = 'newline_delimited', columns = %s)",
				tab.Name, sqlString(abs), jsonColumns(t, db, tab)))
			// The golden records come from the file testdata/article/wix.html, these from the
			// same bytes embedded, so only the source differs.
			exclude := ""
			if tab.Name == schemas.Documents.Name {
				exclude = "source"
			}
			if diff := symmetricDifference(t, db, "memory."+tab.Name, "golden."+tab.Name, exclude); diff != "" {
				t.Errorf("%s: Parquet read by DuckDB differs from %s:\n%s", tab.Name, path, diff)
			}
		}
		// A few values checked against the golden records field by field.
		golden := readGolden(t, "facts")
		for _, g := range golden {
			if g["raw"] != "107.600km2" {
				continue
			}
			var value float64
			var unit string
			if err := db.QueryRow(`SELECT value, unit FROM memory.facts WHERE fact_id = ?`, g["fact_id"]).Scan(&value, &unit); err != nil {
				t.Fatal(err)
			}
			if value != g["value"] || unit != g["unit"] {
				t.Errorf("fact %s = %v %s, golden %v %v", g["fact_id"], value, unit, g["value"], g["unit"])
			}
		}
		var source string
		if err := db.QueryRow(`SELECT source FROM memory.documents`).Scan(&source); err != nil || source != articleetl.SnapshotName {
			t.Errorf("documents.source = %q (%v), want %q", source, err, articleetl.SnapshotName)
		}
		doc := readGolden(t, "documents")[0]
		var updated time.Time
		var published sql.NullTime
		if err := db.QueryRow(`SELECT updated_on, published_at FROM memory.documents`).Scan(&updated, &published); err != nil {
			t.Fatal(err)
		}
		if updated.Format(time.DateOnly) != doc["updated_on"] {
			t.Errorf("updated_on = %s, golden %v", updated.Format(time.DateOnly), doc["updated_on"])
		}
		if p, ok := doc["published_at"].(string); ok {
			want, err := time.Parse(time.RFC3339Nano, p)
			if err != nil || !published.Valid || !published.Time.Equal(want) {
				t.Errorf("published_at = %v, golden %s", published, p)
			}
		} else if published.Valid {
			t.Errorf("published_at = %v, golden null", published.Time)
		}
	})
}

// writeDataset processes the embedded snapshot and commits it, as `articleetl run` does.
func writeDataset(t *testing.T) string {
	t.Helper()
	recs, err := pipeline.Process(pipeline.Input{Source: articleetl.SnapshotName, Data: articleetl.Snapshot}, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	ds, err := load.Create(dir, load.Options{Formats: []load.Format{load.FormatParquet, load.FormatJSONL}, ToolVersion: articleetl.Version})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ds.Add(recs); err != nil {
		ds.Abort()
		t.Fatal(err)
	}
	if err := ds.Commit(load.Manifest{Tool: "articleetl", ToolVersion: articleetl.Version}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// openDuckDB opens an in-memory database on one connection, so USE and ATTACH persist.
func openDuckDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	mustExec(t, db, "SET TimeZone = 'UTC'")
	return db
}

// createTables runs every table's DDL, in Tables() order, in the named database.
func createTables(t *testing.T, db *sql.DB, database string) {
	t.Helper()
	mustExec(t, db, "USE "+database)
	defer mustExec(t, db, "USE memory")
	for _, tab := range schemas.Tables() {
		if _, err := db.Exec(tab.DuckDBDDL()); err != nil {
			t.Fatalf("DuckDB DDL of %s: %v\n%s", tab.Name, err, tab.DuckDBDDL())
		}
	}
}

// duckType is the type DuckDB reports for each logical type.
var duckType = map[schemas.Type]string{
	schemas.TypeString:     "VARCHAR",
	schemas.TypeInt32:      "INTEGER",
	schemas.TypeDouble:     "DOUBLE",
	schemas.TypeDate:       "DATE",
	schemas.TypeTimestamp:  "TIMESTAMP WITH TIME ZONE",
	schemas.TypeStringList: "VARCHAR[]",
}

// jsonColumns is read_json's columns argument, {'name': 'TYPE', …}, with the types DuckDB
// gave the table's columns when createTables ran its DDL in database memory.
func jsonColumns(t *testing.T, db *sql.DB, tab schemas.Table) string {
	t.Helper()
	rows, err := db.Query(`SELECT column_name, data_type FROM duckdb_columns()
		WHERE database_name = 'memory' AND schema_name = 'main' AND table_name = ? ORDER BY column_index`, tab.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, sqlString(name)+": "+sqlString(typ))
	}
	if err := rows.Err(); err != nil || len(cols) == 0 {
		t.Fatalf("columns of %s: %v (%d)", tab.Name, err, len(cols))
	}
	return "{" + strings.Join(cols, ", ") + "}"
}

type described struct {
	names []string
	types map[string]string
}

// describe returns the column names and types of a query, as DESCRIBE reports them.
func describe(t *testing.T, db *sql.DB, query string) described {
	t.Helper()
	rows, err := db.Query("SELECT column_name, column_type FROM (DESCRIBE " + query + ")")
	if err != nil {
		t.Fatalf("DESCRIBE %s: %v", query, err)
	}
	defer rows.Close()
	d := described{types: map[string]string{}}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			t.Fatal(err)
		}
		d.names = append(d.names, name)
		d.types[name] = typ
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return d
}

// symmetricDifference lists, as JSON, the rows only one of two tables has ("" when none),
// comparing every column but the excluded one (if not "").
func symmetricDifference(t *testing.T, db *sql.DB, a, b, exclude string) string {
	t.Helper()
	cols := "*"
	if exclude != "" {
		cols = "* EXCLUDE (" + exclude + ")"
	}
	q := fmt.Sprintf(`SELECT '%[1]s only' AS side, to_json(x)::VARCHAR FROM (SELECT %[3]s FROM %[1]s EXCEPT ALL SELECT %[3]s FROM %[2]s) x
		UNION ALL SELECT '%[2]s only', to_json(y)::VARCHAR FROM (SELECT %[3]s FROM %[2]s EXCEPT ALL SELECT %[3]s FROM %[1]s) y ORDER BY 1, 2`, a, b, cols)
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var side, row string
		if err := rows.Scan(&side, &row); err != nil {
			t.Fatal(err)
		}
		out = append(out, side+": "+row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, "\n")
}

func readGolden(t *testing.T, table string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goldenDir, table+".jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var recs []map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		var r map[string]any
		if err := dec.Decode(&r); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("golden %s: %v", table, err)
		}
		recs = append(recs, r)
	}
	if len(recs) == 0 {
		t.Fatalf("golden %s is empty", table)
	}
	return recs
}

func count(t *testing.T, db *sql.DB, query string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func mustExec(t *testing.T, db *sql.DB, query string) {
	t.Helper()
	if _, err := db.Exec(query); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// sqlPath is the SQL string literal of a file in dir.
func sqlPath(dir, name string) string { return sqlString(filepath.Join(dir, name)) }

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

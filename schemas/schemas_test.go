package schemas

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/parquet-go/parquet-go"
)

var update = flag.Bool("update", false, "write the JSON Schema files of the current versions")

// TestSchemaFilesMatchRecordTypes fails when a record type changes without its schema file
// and version changing with it: the schema generated from the Go struct must equal the
// released file of the version the table declares.
func TestSchemaFilesMatchRecordTypes(t *testing.T) {
	for _, tab := range Tables() {
		t.Run(tab.Name, func(t *testing.T) {
			got, err := tab.JSONSchema()
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(tab.Version, tab.Name+".schema.json")
			if *update {
				if _, err := os.Stat(path); err == nil {
					if old, _ := os.ReadFile(path); !bytes.Equal(old, got) {
						t.Fatalf("%s is a released schema and differs from the record type: bump %s's version instead of rewriting it", path, tab.Name)
					}
				}
				if err := os.MkdirAll(tab.Version, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := ReleasedJSONSchema(tab.Name, tab.Version)
			if err != nil {
				t.Fatalf("%v: run `go test ./schemas -update` after bumping the version", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("record type %s no longer matches schemas/%s:\n%s\nchange the table's Version (minor for an added nullable column, major otherwise) and run `go test ./schemas -update`",
					tab.RowType(), path, got)
			}
			if vs := Versions(tab.Name); vs[len(vs)-1] != tab.Version {
				t.Errorf("table %s declares version %s but the newest released schema is %s", tab.Name, tab.Version, vs[len(vs)-1])
			}
		})
	}
}

// TestParquetColumnsMatchJSONNames guards the promise that both formats use the same names
// in the same order.
func TestParquetColumnsMatchJSONNames(t *testing.T) {
	for _, tab := range Tables() {
		schema := parquet.SchemaOf(reflect.New(tab.RowType()).Elem().Interface())
		var pq []string
		for _, f := range schema.Fields() {
			pq = append(pq, f.Name())
		}
		if !slices.Equal(pq, tab.ColumnNames()) {
			t.Errorf("%s: parquet columns %v, json fields %v", tab.Name, pq, tab.ColumnNames())
		}
		for _, c := range tab.Columns() {
			if c.Description == "" {
				t.Errorf("%s.%s has no doc tag", tab.Name, c.Name)
			}
		}
	}
}

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1.0.0", "1.0.0", 0},
		{"1.0.0", "1.1.0", -1},
		{"1.10.0", "1.9.0", 1},
		{"2.0.0", "1.99.99", 1},
		{"x", "1.0.0", -1},
	}
	for _, tt := range tests {
		got := CompareVersions(tt.a, tt.b)
		if (got > 0) != (tt.want > 0) || (got < 0) != (tt.want < 0) {
			t.Errorf("CompareVersions(%q, %q) = %d, want sign of %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestDateJSONRoundTrip(t *testing.T) {
	d := NewDate(2018, 5, 17)
	if int32(d) != 17668 {
		t.Fatalf("NewDate(2018-05-17) = %d days, want 17668", d)
	}
	b, _ := d.MarshalJSON()
	if string(b) != `"2018-05-17"` {
		t.Fatalf("MarshalJSON = %s", b)
	}
	var back Date
	if err := back.UnmarshalJSON(b); err != nil || back != d {
		t.Fatalf("UnmarshalJSON = %v, %v", back, err)
	}
	if err := back.UnmarshalJSON([]byte(`"17 May 2018"`)); err == nil {
		t.Fatal("UnmarshalJSON accepted a non-ISO date")
	}
}

// TestReadmeColumnReference fails when the README's column reference is out of date.
func TestReadmeColumnReference(t *testing.T) {
	path := filepath.Join("..", "README.md")
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	begin := bytes.Index(readme, []byte(ReferenceBegin))
	end := bytes.Index(readme, []byte(ReferenceEnd))
	if begin < 0 || end < begin {
		t.Fatalf("README.md lacks the %q … %q markers", ReferenceBegin, ReferenceEnd)
	}
	want := ReferenceBegin + "\n\n" + MarkdownReference()
	got := string(readme[begin:end])
	if got != want {
		if *update {
			out := append(append([]byte{}, readme[:begin]...), want...)
			out = append(out, readme[end:]...)
			if err := os.WriteFile(path, out, 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Error("README.md column reference is out of date: run go test ./schemas -update")
	}
}

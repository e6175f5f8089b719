package load_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/schemas"
)

// dpRecords is one snapshot's records, made in code, with a null and a non-null value in
// each optional column that joins tables.
func dpRecords(snap string) schemas.Records {
	str := func(s string) *string { return &s }
	updated := schemas.NewDate(2018, time.May, 17)
	published := time.Date(2018, time.May, 17, 9, 30, 0, 0, time.UTC)
	const doc, qa = "a1b2c3d4e5f60718", "0000000000000001"
	return schemas.Records{
		Document: schemas.Document{
			SchemaVersion: schemas.Documents.Version, DocID: doc, SnapshotID: snap,
			Source: "article-" + snap + ".html", Title: "Q&A: <the coalition>", UpdatedOn: &updated, PublishedAt: &published,
			ContentSHA256: strings.Repeat("ab", 32), QAPairCount: 1, WorkingGroupCount: 1, FactCount: 2,
			ExtractorVersion: "0.1.0",
		},
		QAPairs: []schemas.QAPair{{
			SchemaVersion: schemas.QAPairs.Version, DocID: doc, SnapshotID: snap, QAID: qa, Ordinal: 1,
			Question: "Who?", Answer: "Them.\nAnd more.", AnswerParagraphs: []string{"Them.", "And more."},
		}},
		WorkingGroups: []schemas.WorkingGroup{{
			SchemaVersion: schemas.WorkingGroups.Version, DocID: doc, SnapshotID: snap, WGID: "00000000000000a1", Ordinal: 1,
			Name: "Counter-Finance Working Group", Abbreviation: str("CIFG WG"), Description: "Finance.", QAID: str(qa),
		}},
		Facts: []schemas.Fact{
			{SchemaVersion: schemas.Facts.Version, DocID: doc, SnapshotID: snap, FactID: "00000000000000f1", Ordinal: 1,
				Value: 107600, Unit: "km2", Kind: "area", Raw: "107.600km2", Sentence: "It freed 107.600km2.", QAID: str(qa)},
			{SchemaVersion: schemas.Facts.Version, DocID: doc, SnapshotID: snap, FactID: "00000000000000f2", Ordinal: 2,
				Value: 3.2e6, Unit: "people", Kind: "count", Raw: "3.2 million", Comparator: str("more_than"),
				Sentence: "More than 3.2 million people.", Section: str("Coalition in facts")},
		},
	}
}

const (
	snapA = "1111aaaa2222bbbb"
	snapB = "3333cccc4444dddd"
)

// dpCommit commits one snapshot's records into dir with the given options.
func dpCommit(t *testing.T, dir string, opts load.Options, snap string) {
	t.Helper()
	opts.ToolVersion = "0.1.0"
	ds, err := load.Create(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ds.Add(dpRecords(snap)); err != nil {
		ds.Abort()
		t.Fatal(err)
	}
	if err := ds.Commit(load.Manifest{Tool: "articleetl", ToolVersion: "0.1.0", StartedAt: time.Now(), FinishedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
}

// dpDataset commits snapshot A in the given formats, flat, into a new directory.
func dpDataset(t *testing.T, formats ...load.Format) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	dpCommit(t, dir, load.Options{Formats: formats}, snapA)
	return dir
}

// The parts of the descriptor the tests read.
type (
	dpPackage struct {
		Schema    string       `json:"$schema"`
		Name      string       `json:"name"`
		Version   string       `json:"version"`
		Created   *string      `json:"created"`
		Resources []dpResource `json:"resources"`
	}
	dpResource struct {
		Name, Type, Path, Format, Mediatype, Encoding, Hash, Description string
		Bytes                                                            int64
		Schema                                                           struct {
			Fields      []dpField
			PrimaryKey  []string
			UniqueKeys  [][]string
			ForeignKeys []struct {
				Fields    []string
				Reference struct {
					Resource string
					Fields   []string
				}
			}
		}
	}
	dpField struct {
		Name, Type, Description string
		Constraints             struct {
			Required bool
			Pattern  string
			Enum     []string
			Minimum  *int64
		}
	}
)

// dpRead builds the data package of the dataset in dir, checks its shape and that every
// resource's bytes and hash are those of the file on disk, and returns it by name.
func dpRead(t *testing.T, dir string) (dpPackage, map[string]dpResource) {
	t.Helper()
	m, err := load.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := load.DataPackage(m)
	if err != nil {
		t.Fatal(err)
	}
	checkDataPackageShape(t, b)
	var dp dpPackage
	if err := json.Unmarshal(b, &dp); err != nil {
		t.Fatal(err)
	}
	byName := map[string]dpResource{}
	var paths []string
	for _, r := range dp.Resources {
		if _, dup := byName[r.Name]; dup {
			t.Errorf("two resources are named %s", r.Name)
		}
		byName[r.Name] = r
		paths = append(paths, r.Path)
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(r.Path)))
		if err != nil {
			t.Fatalf("resource %s: %v", r.Name, err)
		}
		sum := sha256.Sum256(data)
		if r.Bytes != int64(len(data)) || r.Hash != "sha256:"+hex.EncodeToString(sum[:]) {
			t.Errorf("resource %s: bytes %d hash %s, file has %d bytes and sha256 %x", r.Name, r.Bytes, r.Hash, len(data), sum)
		}
		wantMedia, wantEnc := "application/vnd.apache.parquet", ""
		if r.Format == "jsonl" {
			wantMedia, wantEnc = "application/x-ndjson", "utf-8"
		}
		if r.Type != "table" || r.Mediatype != wantMedia || r.Encoding != wantEnc {
			t.Errorf("resource %s = type %q format %q mediatype %q encoding %q", r.Name, r.Type, r.Format, r.Mediatype, r.Encoding)
		}
	}
	if !slices.IsSorted(paths) {
		t.Errorf("resources are not sorted by path: %v", paths)
	}
	return dp, byName
}

var dpType = map[schemas.Type]string{
	schemas.TypeString: "string", schemas.TypeInt32: "integer", schemas.TypeDouble: "number",
	schemas.TypeDate: "date", schemas.TypeTimestamp: "datetime", schemas.TypeStringList: "array",
}

// checkFields checks that a resource lists exactly the columns, in order, with the schemas
// package's types, descriptions and constraints.
func checkFields(t *testing.T, r dpResource, cols []schemas.Column) {
	t.Helper()
	if len(r.Schema.Fields) != len(cols) {
		t.Fatalf("resource %s has %d fields, want %d", r.Name, len(r.Schema.Fields), len(cols))
	}
	for i, c := range cols {
		f := r.Schema.Fields[i]
		if f.Name != c.Name || f.Type != dpType[c.Type] || f.Description != c.Description || f.Description == "" ||
			f.Constraints.Required == c.Nullable || f.Constraints.Pattern != c.Pattern || !slices.Equal(f.Constraints.Enum, c.Enum) ||
			(f.Constraints.Minimum == nil) != (c.Minimum == nil) {
			t.Errorf("resource %s field %d = %+v, want column %+v", r.Name, i, f, c)
		}
	}
}

// checkKey checks the table's key: a primary key when all its columns are required, else a
// unique key, since Table Schema makes primary-key fields required.
func checkKey(t *testing.T, r dpResource, tab schemas.Table) {
	t.Helper()
	nullable := slices.ContainsFunc(tab.Columns(), func(c schemas.Column) bool {
		return c.Nullable && slices.Contains(tab.PrimaryKey, c.Name)
	})
	switch {
	case nullable && (r.Schema.PrimaryKey != nil || len(r.Schema.UniqueKeys) != 1 || !slices.Equal(r.Schema.UniqueKeys[0], tab.PrimaryKey)):
		t.Errorf("resource %s: primary key %v, unique keys %v; want unique key %v (it has a nullable column)", r.Name, r.Schema.PrimaryKey, r.Schema.UniqueKeys, tab.PrimaryKey)
	case !nullable && (!slices.Equal(r.Schema.PrimaryKey, tab.PrimaryKey) || r.Schema.UniqueKeys != nil):
		t.Errorf("resource %s: primary key %v, unique keys %v; want primary key %v", r.Name, r.Schema.PrimaryKey, r.Schema.UniqueKeys, tab.PrimaryKey)
	}
}

func TestDataPackageDescribesDataset(t *testing.T) {
	dp, byName := dpRead(t, dpDataset(t, load.FormatParquet, load.FormatJSONL))
	if dp.Schema != "https://datapackage.org/profiles/2.0/datapackage.json" || dp.Name != "articleetl-dataset" || dp.Version != "0.1.0" || dp.Created != nil {
		t.Errorf("package = $schema %q, name %q, version %q, created %v", dp.Schema, dp.Name, dp.Version, dp.Created)
	}
	if len(dp.Resources) != 2*len(schemas.Tables()) {
		t.Fatalf("%d resources for %d tables in 2 formats", len(dp.Resources), len(schemas.Tables()))
	}
	for _, tab := range schemas.Tables() {
		for _, format := range []string{"parquet", "jsonl"} {
			name := tab.Name + "-" + format
			r, ok := byName[name]
			if !ok {
				t.Errorf("no resource %s", name)
				continue
			}
			if r.Path != tab.Name+"."+format || r.Format != format {
				t.Errorf("resource %s: path %s, format %s", name, r.Path, r.Format)
			}
			checkFields(t, r, tab.Columns())
			checkKey(t, r, tab)
			if len(r.Schema.ForeignKeys) != len(tab.ForeignKeys) {
				t.Fatalf("resource %s has %d foreign keys, want %d", name, len(r.Schema.ForeignKeys), len(tab.ForeignKeys))
			}
			for i, fk := range tab.ForeignKeys {
				got := r.Schema.ForeignKeys[i]
				if !slices.Equal(got.Fields, fk.Fields) || got.Reference.Resource != fk.Table+"-"+format || !slices.Equal(got.Reference.Fields, fk.ResourceFields) {
					t.Errorf("resource %s foreign key %d = %+v, want %+v to the %s resource", name, i, got, fk, format)
				}
			}
		}
	}
}

// TestDataPackageDeterministic: two runs of the same records, at different times, give the
// same descriptor.
func TestDataPackageDeterministic(t *testing.T) {
	var out [][]byte
	for range 2 {
		m, err := load.ReadManifest(dpDataset(t, load.FormatJSONL, load.FormatParquet))
		if err != nil {
			t.Fatal(err)
		}
		b, err := load.DataPackage(m)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
		time.Sleep(2 * time.Millisecond)
	}
	if !bytes.Equal(out[0], out[1]) {
		t.Errorf("descriptors differ:\n%s\n%s", out[0], out[1])
	}
	if bytes.Contains(out[0], []byte(`\u0026`)) || bytes.Contains(out[0], []byte(`\u003c`)) {
		t.Error("descriptor escapes HTML characters")
	}
}

func TestDataPackageOneFormat(t *testing.T) {
	dp, _ := dpRead(t, dpDataset(t, load.FormatJSONL))
	for _, r := range dp.Resources {
		if r.Format != "jsonl" {
			t.Errorf("resource %s has format %s", r.Name, r.Format)
		}
		for _, fk := range r.Schema.ForeignKeys {
			if fk.Reference.Resource != "qa_pairs-jsonl" {
				t.Errorf("resource %s refers to %s", r.Name, fk.Reference.Resource)
			}
		}
	}
}

// TestDataPackagePartitioned: parts are named after their paths; a foreign key is kept
// while the referenced table has one part per format, and left out once it has several.
func TestDataPackagePartitioned(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	opts := load.Options{Formats: []load.Format{load.FormatParquet, load.FormatJSONL}, Layout: load.LayoutPartitioned}
	dpCommit(t, dir, opts, snapA)
	dp, _ := dpRead(t, dir)
	for _, r := range dp.Resources {
		if want := strings.ReplaceAll(r.Path, "/", "-"); r.Name != want {
			t.Errorf("resource %s: want name %s", r.Name, want)
		}
		if strings.Contains(r.Path, "/facts/") && len(r.Schema.ForeignKeys) != 1 {
			t.Errorf("resource %s: %d foreign keys with one qa_pairs part, want 1", r.Name, len(r.Schema.ForeignKeys))
		}
	}

	m, err := load.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	opts.Existing = m
	dpCommit(t, dir, opts, snapB)
	dp, _ = dpRead(t, dir)
	facts := 0
	for _, r := range dp.Resources {
		if strings.Contains(r.Path, "/facts/") {
			facts++
			if len(r.Schema.ForeignKeys) != 0 {
				t.Errorf("resource %s keeps a foreign key to one of several qa_pairs parts", r.Name)
			}
		}
	}
	if facts != 4 {
		t.Errorf("%d facts resources after two runs in two formats, want 4", facts)
	}
}

// TestDataPackageOlderSchemaVersion describes the dataset kept from schema 1.0.0: each file
// at the version it was written with, from the released JSON Schema.
func TestDataPackageOlderSchemaVersion(t *testing.T) {
	dir := filepath.Join("..", "testdata", "datasets", "v1.0.0")
	if schemas.Documents.Version == "1.0.0" {
		t.Skip("documents is still at 1.0.0")
	}
	_, byName := dpRead(t, dir)
	for _, format := range []string{"parquet", "jsonl"} {
		r := byName["documents-"+format]
		if !strings.Contains(r.Description, "schema version 1.0.0") {
			t.Errorf("resource %s: description %q does not give version 1.0.0", r.Name, r.Description)
		}
		// 1.0.0 is the current documents table without the columns added since, described
		// as its released JSON Schema describes them (later patch versions corrected some
		// descriptions).
		var released struct {
			Properties map[string]struct{ Description string }
		}
		b, err := os.ReadFile(filepath.Join("..", "schemas", "1.0.0", "documents.schema.json"))
		if err != nil || json.Unmarshal(b, &released) != nil {
			t.Fatalf("released documents 1.0.0 schema: %v", err)
		}
		var want []schemas.Column
		for _, c := range schemas.Documents.Columns() {
			if !strings.Contains(c.Description, "Added in") {
				c.Description = released.Properties[c.Name].Description
				want = append(want, c)
			}
		}
		checkFields(t, r, want)
		for _, k := range append(r.Schema.PrimaryKey, slices.Concat(r.Schema.UniqueKeys...)...) {
			if !slices.ContainsFunc(want, func(c schemas.Column) bool { return c.Name == k }) {
				t.Errorf("resource %s: key names %s, which 1.0.0 does not have", r.Name, k)
			}
		}
	}
}

func TestDataPackageRejects(t *testing.T) {
	file := load.ManifestFile{Path: "facts.parquet", Format: "parquet", Bytes: 1, SHA256: strings.Repeat("0", 64)}
	tests := []struct {
		name  string
		table load.ManifestTable
		want  string
	}{
		{"unknown table", load.ManifestTable{Name: "nope", SchemaVersion: "1.0.0", Files: []load.ManifestFile{file}}, `unknown table "nope"`},
		{"unknown schema version", load.ManifestTable{Name: "facts", SchemaVersion: "0.9.0", Files: []load.ManifestFile{file}}, "version 0.9.0"},
		{"unknown format", load.ManifestTable{Name: "facts", SchemaVersion: schemas.Facts.Version,
			Files: []load.ManifestFile{{Path: "facts.csv", Format: "csv"}}}, `unknown format "csv"`},
		{"dangling foreign key", load.ManifestTable{Name: "facts", SchemaVersion: schemas.Facts.Version, Files: []load.ManifestFile{file}}, "refers to table qa_pairs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load.DataPackage(&load.Manifest{ToolVersion: "0.1.0", Tables: []load.ManifestTable{tt.table}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("DataPackage() error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// dataPackageShape is the minimum of the Data Package v2 profile that this descriptor must
// meet: the required package and resource properties and every field's name, type and
// description.
const dataPackageShape = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["resources"],
  "properties": {
    "resources": {
      "type": "array", "minItems": 1,
      "items": {
        "type": "object",
        "required": ["name", "path", "schema"],
        "properties": {
          "name": {"type": "string", "pattern": "^[a-z0-9._-]+$"},
          "path": {"type": "string", "pattern": "^[^/.][^\\\\]*$", "not": {"pattern": "(^|/)\\.\\.(/|$)"}},
          "schema": {
            "type": "object",
            "required": ["fields"],
            "properties": {"fields": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["name", "type", "description"]}}}
          }
        }
      }
    }
  }
}`

// checkDataPackageShape validates b against dataPackageShape, so the test needs neither
// the network nor the full profile.
func checkDataPackageShape(t *testing.T, b []byte) {
	t.Helper()
	shape, err := jsonschema.UnmarshalJSON(strings.NewReader(dataPackageShape))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("shape.json", shape); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("shape.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("datapackage.json is not JSON: %v", err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Errorf("datapackage.json: %v", err)
	}
}

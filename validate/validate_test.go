package validate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/articleetl/articleetl/changes"
	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/schemas"
)

// id is a 16-hex-digit identifier derived from s, like articleetl's.
func id(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

func ptr[T any](v T) *T { return &v }

// fixtureRecords are two snapshots of one article, and a third input with the same content
// as the first (only its document row is written). writeFixture adds the changes between
// the snapshots and one failed input.
func fixtureRecords() []schemas.Records {
	doc := id("doc")
	a, b := id("snapshot a"), id("snapshot b")
	q1, q2 := id("q1"), id("q2")
	docRow := func(snap, source string, qa, wg, facts int32) schemas.Document {
		return schemas.Document{
			SchemaVersion: schemas.Documents.Version, DocID: doc, SnapshotID: snap, Source: source,
			Title: "Understanding the Coalition", ContentSHA256: hex.EncodeToString(make([]byte, 32)),
			QAPairCount: qa, WorkingGroupCount: wg, FactCount: facts, ExtractorVersion: "1.0.0",
		}
	}
	da := docRow(a, "a.html", 2, 2, 3)
	da.CanonicalURL, da.Standfirst, da.Language = ptr("https://example.org/post"), ptr("The lead."), ptr("en")
	da.UpdatedOn = ptr(schemas.NewDate(2018, time.May, 17))
	da.PublishedAt = ptr(time.Date(2018, time.May, 8, 10, 30, 0, 123456000, time.UTC))
	dup := da
	dup.Source = "a-copy.html"

	qa := func(snap, qaID string, ord int32, section *string) schemas.QAPair {
		return schemas.QAPair{SchemaVersion: schemas.QAPairs.Version, DocID: doc, SnapshotID: snap, QAID: qaID, Ordinal: ord,
			Question: "Question " + qaID + "?", Answer: "First.\nSecond.", AnswerParagraphs: []string{"First.", "Second."}, Section: section}
	}
	wg := func(snap, name string, ord int32, qaID *string) schemas.WorkingGroup {
		return schemas.WorkingGroup{SchemaVersion: schemas.WorkingGroups.Version, DocID: doc, SnapshotID: snap, WGID: id(name),
			Ordinal: ord, Name: name, Description: "Does things.", QAID: qaID}
	}
	fact := func(snap string, ord int32, value float64, qaID *string) schemas.Fact {
		return schemas.Fact{SchemaVersion: schemas.Facts.Version, DocID: doc, SnapshotID: snap, FactID: id(fmt.Sprint("fact", ord)),
			Ordinal: ord, Value: value, Unit: "people", Kind: "count", Raw: fmt.Sprint(value), Sentence: "A sentence.", QAID: qaID}
	}
	qb1 := qa(b, q1, 1, nil)
	qb1.Answer, qb1.AnswerParagraphs = "", []string{} // an empty list, not null
	f3 := fact(a, 3, 12577, nil)
	f3.Comparator, f3.Location, f3.Section = ptr("more_than"), ptr("Iraq, Syria"), ptr("Coalition in facts")
	return []schemas.Records{
		{
			Document:      da,
			QAPairs:       []schemas.QAPair{qa(a, q1, 1, nil), qa(a, q2, 2, ptr("Background"))},
			WorkingGroups: []schemas.WorkingGroup{wg(a, "Counter-Finance Working Group", 1, &q1), {SchemaVersion: schemas.WorkingGroups.Version, DocID: doc, SnapshotID: a, WGID: id("wg2"), Ordinal: 2, Name: "Stabilisation Working Group", Abbreviation: ptr("SWG"), Description: "Rebuilds."}},
			Facts:         []schemas.Fact{fact(a, 1, 3.2e6, &q1), fact(a, 2, 300e6, &q2), f3},
		},
		{
			Document: docRow(b, "b.html", 1, 0, 1),
			QAPairs:  []schemas.QAPair{qb1},
			Facts:    []schemas.Fact{fact(b, 1, 3.3e6, &q1)},
		},
		{Document: dup},
	}
}

// writeFixture writes the fixture records as a dataset in the given formats and returns its
// directory.
func writeFixture(t *testing.T, formats ...load.Format) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	ds, err := load.Create(dir, load.Options{Formats: formats, ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	recs := fixtureRecords()
	for _, r := range recs {
		if _, err := ds.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := ds.AddChanges(changes.Between(&recs[0], &recs[1])); err != nil {
		t.Fatal(err)
	}
	if err := ds.AddErrors([]schemas.InputError{{SchemaVersion: schemas.Errors.Version, Source: "chrome.html",
		ContentSHA256: ptr(hex.EncodeToString(make([]byte, 32))), Stage: "extract", Reason: "no article content found"}}); err != nil {
		t.Fatal(err)
	}
	if err := ds.Commit(load.Manifest{Tool: "articleetl", ToolVersion: "test"}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func readManifest(t *testing.T, dir string) *load.Manifest {
	t.Helper()
	m, err := load.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func editManifest(t *testing.T, dir string, edit func(m *load.Manifest)) {
	t.Helper()
	m := readManifest(t, dir)
	edit(m)
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, load.ManifestName), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// refix records a changed file's bytes and sha256 in the manifest, and its rows too when
// rows >= 0, so that only the check a test case is about sees the change.
func refix(t *testing.T, dir, name string, rows int64) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	editManifest(t, dir, func(m *load.Manifest) {
		for i := range m.Tables {
			for j := range m.Tables[i].Files {
				if f := &m.Tables[i].Files[j]; f.Path == name {
					f.Bytes, f.SHA256 = int64(len(b)), hex.EncodeToString(sum[:])
					if rows >= 0 {
						f.Rows, m.Tables[i].Rows = rows, rows
					}
					return
				}
			}
		}
		t.Fatalf("%s not in manifest", name)
	})
	refixDataPackage(t, dir, name, int64(len(b)), hex.EncodeToString(sum[:]))
}

// refixDataPackage sets the size and hash of the resource for file name in
// datapackage.json, as a tamperer who also edits the manifest would.
func refixDataPackage(t *testing.T, dir, name string, size int64, sum string) {
	t.Helper()
	p := filepath.Join(dir, load.DataPackageName)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var dp map[string]any
	if err := json.Unmarshal(b, &dp); err != nil {
		t.Fatal(err)
	}
	for _, r := range dp["resources"].([]any) {
		if r := r.(map[string]any); r["path"] == name {
			r["bytes"], r["hash"] = size, "sha256:"+sum
		}
	}
	if b, err = json.Marshal(dp); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// tableIndex is the position of a table in the manifest's list.
func tableIndex(t *testing.T, m *load.Manifest, name string) int {
	t.Helper()
	for i, mt := range m.Tables {
		if mt.Name == name {
			return i
		}
	}
	t.Fatalf("table %s not in manifest", name)
	return -1
}

func readLines(t *testing.T, dir, name string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return bytes.SplitAfter(b, []byte("\n"))[:bytes.Count(b, []byte("\n"))]
}

// editJSONL rewrites a JSONL file's lines and records its new fixity and rows.
func editJSONL(t *testing.T, dir, name string, edit func(lines [][]byte) [][]byte) {
	t.Helper()
	lines := edit(readLines(t, dir, name))
	if err := os.WriteFile(filepath.Join(dir, name), bytes.Join(lines, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	refix(t, dir, name, int64(len(lines)))
}

// setField sets one field of a JSONL line (1-based) to a raw JSON value.
func setField(t *testing.T, dir, name string, line int, field, raw string) {
	t.Helper()
	editJSONL(t, dir, name, func(lines [][]byte) [][]byte {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(lines[line-1], &obj); err != nil {
			t.Fatal(err)
		}
		obj[field] = json.RawMessage(raw)
		b, err := json.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		lines[line-1] = append(b, '\n')
		return lines
	})
}

func readFacts(t *testing.T, dir string) []schemas.Fact {
	t.Helper()
	var facts []schemas.Fact
	for _, line := range readLines(t, dir, "facts.jsonl") {
		var f schemas.Fact
		if err := json.Unmarshal(line, &f); err != nil {
			t.Fatal(err)
		}
		facts = append(facts, f)
	}
	return facts
}

// writeParquet replaces a Parquet file with rows of any type, with the given key-value
// metadata, and records its new fixity.
func writeParquet[T any](t *testing.T, dir, name string, rows []T, meta load.FileMetadata) {
	t.Helper()
	kv, _ := json.Marshal(meta)
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[T](&buf, parquet.KeyValueMetadata(load.MetadataKey, string(kv)))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	refix(t, dir, name, int64(len(rows)))
}

var factsMeta = load.FileMetadata{Table: "facts", SchemaVersion: schemas.Facts.Version}

// factWithStringValue is a facts row whose value column is a STRING instead of a DOUBLE.
type factWithStringValue struct {
	SchemaVersion string  `parquet:"schema_version"`
	DocID         string  `parquet:"doc_id"`
	SnapshotID    string  `parquet:"snapshot_id"`
	FactID        string  `parquet:"fact_id"`
	Ordinal       int32   `parquet:"ordinal"`
	Value         string  `parquet:"value"`
	Unit          string  `parquet:"unit"`
	Kind          string  `parquet:"kind"`
	Raw           string  `parquet:"raw"`
	Comparator    *string `parquet:"comparator,optional"`
	Location      *string `parquet:"location,optional"`
	Sentence      string  `parquet:"sentence"`
	QAID          *string `parquet:"qa_id,optional"`
	Section       *string `parquet:"section,optional"`
}

// factWithNullableUnit is a facts row whose unit column is OPTIONAL instead of REQUIRED.
type factWithNullableUnit struct {
	SchemaVersion string  `parquet:"schema_version"`
	DocID         string  `parquet:"doc_id"`
	SnapshotID    string  `parquet:"snapshot_id"`
	FactID        string  `parquet:"fact_id"`
	Ordinal       int32   `parquet:"ordinal"`
	Value         float64 `parquet:"value"`
	Unit          *string `parquet:"unit,optional"`
	Kind          string  `parquet:"kind"`
	Raw           string  `parquet:"raw"`
	Comparator    *string `parquet:"comparator,optional"`
	Location      *string `parquet:"location,optional"`
	Sentence      string  `parquet:"sentence"`
	QAID          *string `parquet:"qa_id,optional"`
	Section       *string `parquet:"section,optional"`
}

func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "out")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

func assertValid(t *testing.T, dir string) {
	t.Helper()
	problems, err := Dataset(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("unexpected problem: %s", p)
	}
}

func TestValidDatasets(t *testing.T) {
	for _, formats := range [][]load.Format{
		{load.FormatParquet, load.FormatJSONL},
		{load.FormatParquet},
		{load.FormatJSONL},
	} {
		t.Run(fmt.Sprint(formats), func(t *testing.T) {
			dir := writeFixture(t, formats...)
			problems, err := Dataset(dir)
			if err != nil {
				t.Fatal(err)
			}
			if problems != nil {
				t.Errorf("Dataset = %v, want nil", problems)
			}
		})
	}
}

// want is a problem a corrupted dataset must report: its file, row and field exactly, and a
// substring of its reason.
type want struct {
	file  string
	row   int
	field string
	text  string
}

func TestCorruptions(t *testing.T) {
	valid := writeFixture(t, load.FormatParquet, load.FormatJSONL)
	a, b := id("snapshot a"), id("snapshot b")
	factsIndex := fmt.Sprint(tableIndex(t, readManifest(t, valid), "facts"))
	tests := []struct {
		name    string
		corrupt func(t *testing.T, dir string)
		want    []want
		absent  []string // reason substrings no problem may contain: the checks the case is not about
	}{
		{
			name: "data package deleted",
			corrupt: func(t *testing.T, dir string) {
				os.Remove(filepath.Join(dir, load.DataPackageName))
			},
			want: []want{{load.DataPackageName, 0, "", "missing"}},
		},
		{
			name: "data package sizes and hashes edited",
			corrupt: func(t *testing.T, dir string) {
				refixDataPackage(t, dir, "facts.parquet", 1, "00")
			},
			want: []want{{load.DataPackageName, 0, "resources[7].bytes", "1 for facts.parquet, manifest.json says "}},
		},
		{
			name: "data package hash edited",
			corrupt: func(t *testing.T, dir string) {
				m := readManifest(t, dir)
				for _, mt := range m.Tables {
					for _, f := range mt.Files {
						if f.Path == "qa_pairs.jsonl" {
							refixDataPackage(t, dir, f.Path, f.Bytes, strings.Repeat("0", 64))
						}
					}
				}
			},
			want: []want{{load.DataPackageName, 0, "resources[8].hash", "for qa_pairs.jsonl, manifest.json says sha256:"}},
		},
		{
			name: "table dropped from the manifest with its files",
			corrupt: func(t *testing.T, dir string) {
				editManifest(t, dir, func(m *load.Manifest) {
					i := tableIndex(t, m, "errors")
					for _, f := range m.Tables[i].Files {
						os.Remove(filepath.Join(dir, f.Path))
					}
					m.Tables = append(m.Tables[:i], m.Tables[i+1:]...)
				})
			},
			want: []want{
				{"manifest.json", 0, "tables", "table errors is missing"},
				{load.DataPackageName, 0, "resources[5].path", "errors.parquet is not a file manifest.json lists"},
			},
		},
		{
			name: "byte flipped in parquet",
			corrupt: func(t *testing.T, dir string) {
				p := filepath.Join(dir, "facts.parquet")
				data, _ := os.ReadFile(p)
				data[len(data)/2] ^= 0xff
				os.WriteFile(p, data, 0o644)
			},
			want: []want{{"facts.parquet", 0, "", "sha256 is "}},
		},
		{
			name: "jsonl line removed",
			corrupt: func(t *testing.T, dir string) {
				lines := readLines(t, dir, "facts.jsonl")
				os.WriteFile(filepath.Join(dir, "facts.jsonl"), bytes.Join(append(lines[:1], lines[2:]...), nil), 0o644)
			},
			want: []want{
				{"facts.jsonl", 0, "", "sha256 is "},
				{"facts.jsonl", 0, "", "size is "},
				{"facts.jsonl", 0, "", "has 3 rows, manifest.json says 4"},
			},
		},
		{
			name: "jsonl line removed, bytes and sha256 updated",
			corrupt: func(t *testing.T, dir string) {
				lines := readLines(t, dir, "facts.jsonl")
				os.WriteFile(filepath.Join(dir, "facts.jsonl"), bytes.Join(append(lines[:1], lines[2:]...), nil), 0o644)
				refix(t, dir, "facts.jsonl", -1)
			},
			want:   []want{{"facts.jsonl", 0, "", "has 3 rows, manifest.json says 4"}},
			absent: []string{"sha256 is", "size is"},
		},
		{
			name: "jsonl line removed, manifest updated",
			corrupt: func(t *testing.T, dir string) {
				editJSONL(t, dir, "facts.jsonl", func(lines [][]byte) [][]byte { return append(lines[:1], lines[2:]...) })
			},
			want: []want{
				{"documents.jsonl", 1, "fact_count", "is 3, but facts (jsonl) has 2 rows with snapshot_id " + a},
				{"documents.jsonl", 3, "fact_count", "is 3, but facts (jsonl) has 2 rows"},
				{"manifest.json", 0, "tables[" + factsIndex + "].rows", "table facts has 3 rows, but its parquet files list 4"},
			},
			// documents.parquet is checked against facts.parquet, which is intact.
			absent: []string{"sha256 is", "size is", "manifest.json says", "documents.parquet"},
		},
		{
			name: "parquet not readable",
			corrupt: func(t *testing.T, dir string) {
				os.WriteFile(filepath.Join(dir, "qa_pairs.parquet"), []byte("PAR1 not really PAR1"), 0o644)
				refix(t, dir, "qa_pairs.parquet", -1)
			},
			want: []want{{"qa_pairs.parquet", 0, "", "not a readable Parquet file"}},
			// facts.parquet is checked against qa_pairs.jsonl instead, which is intact.
			absent: []string{"which does not exist"},
		},
		{
			name: "parquet pages overwritten",
			corrupt: func(t *testing.T, dir string) {
				p := filepath.Join(dir, "qa_pairs.parquet")
				data, _ := os.ReadFile(p)
				for i := 4; i < len(data)/4; i++ { // the pages, not the footer
					data[i] = byte(i * 7)
				}
				os.WriteFile(p, data, 0o644)
				refix(t, dir, "qa_pairs.parquet", -1)
			},
			want: []want{{"qa_pairs.parquet", 1, "", "reading Parquet"}},
		},
		{
			name: "listed file missing",
			corrupt: func(t *testing.T, dir string) {
				os.Remove(filepath.Join(dir, "working_groups.parquet"))
			},
			want: []want{{"working_groups.parquet", 0, "", "listed in manifest.json but does not exist"}},
		},
		{
			name: "unlisted table files",
			corrupt: func(t *testing.T, dir string) {
				os.WriteFile(filepath.Join(dir, "extra.jsonl"), []byte("{}\n"), 0o644)
				os.MkdirAll(filepath.Join(dir, "parquet", "facts"), 0o755)
				data, _ := os.ReadFile(filepath.Join(dir, "facts.parquet"))
				os.WriteFile(filepath.Join(dir, "parquet", "facts", "part-0001.parquet"), data, 0o644)
				os.WriteFile(filepath.Join(dir, "README.txt"), []byte("not a table file\n"), 0o644)
			},
			want: []want{
				{"extra.jsonl", 0, "", "table file not listed in manifest.json"},
				{"parquet/facts/part-0001.parquet", 0, "", "table file not listed in manifest.json"},
			},
			absent: []string{"README"},
		},
		{
			name:    "jsonl value of the wrong type",
			corrupt: func(t *testing.T, dir string) { setField(t, dir, "qa_pairs.jsonl", 2, "ordinal", `"x"`) },
			want:    []want{{"qa_pairs.jsonl", 2, "ordinal", "got string, want integer"}},
			absent:  []string{"sha256 is"},
		},
		{
			name:    "jsonl bad date",
			corrupt: func(t *testing.T, dir string) { setField(t, dir, "documents.jsonl", 1, "updated_on", `"2018-13-45"`) },
			want:    []want{{"documents.jsonl", 1, "updated_on", "is not valid date"}},
		},
		{
			name: "jsonl schema_version differs from the manifest",
			corrupt: func(t *testing.T, dir string) {
				setField(t, dir, "working_groups.jsonl", 2, "schema_version", `"0.9.0"`)
			},
			want: []want{{"working_groups.jsonl", 2, "schema_version", `is "0.9.0", but manifest.json declares ` + schemas.WorkingGroups.Version}},
		},
		{
			name: "duplicate primary key",
			corrupt: func(t *testing.T, dir string) {
				setField(t, dir, "facts.jsonl", 2, "fact_id", `"`+id("fact1")+`"`)
			},
			want: []want{{"facts.jsonl", 2, "", fmt.Sprintf("duplicate primary key (snapshot_id, fact_id) = (%s, %s), first at facts.jsonl:1", a, id("fact1"))}},
		},
		{
			name:    "dangling qa_id in facts",
			corrupt: func(t *testing.T, dir string) { setField(t, dir, "facts.jsonl", 1, "qa_id", `"ffffffffffffffff"`) },
			want:    []want{{"facts.jsonl", 1, "qa_id", "references qa_pairs.qa_id ffffffffffffffff which does not exist (snapshot_id " + a + ")"}},
		},
		{
			name: "dangling qa_id in working_groups",
			// id("q2") exists, but in snapshot a only.
			corrupt: func(t *testing.T, dir string) {
				setField(t, dir, "working_groups.jsonl", 1, "snapshot_id", `"`+b+`"`)
				setField(t, dir, "working_groups.jsonl", 1, "qa_id", `"`+id("q2")+`"`)
			},
			want: []want{{"working_groups.jsonl", 1, "qa_id", "references qa_pairs.qa_id " + id("q2") + " which does not exist (snapshot_id " + b + ")"}},
		},
		{
			name: "snapshot_id missing from documents",
			corrupt: func(t *testing.T, dir string) {
				editJSONL(t, dir, "documents.jsonl", func(lines [][]byte) [][]byte { return append(lines[:1], lines[2:]...) })
			},
			want: []want{
				{"qa_pairs.jsonl", 3, "snapshot_id", b + " does not exist in documents"},
				{"facts.jsonl", 4, "snapshot_id", b + " does not exist in documents"},
			},
		},
		{
			name: "parquet key-value metadata version differs",
			corrupt: func(t *testing.T, dir string) {
				writeParquet(t, dir, "facts.parquet", readFacts(t, dir), load.FileMetadata{Table: "facts", SchemaVersion: "0.9.0"})
			},
			want: []want{{"facts.parquet", 0, "articleetl", `says table "facts" schema_version "0.9.0", manifest.json declares table "facts" schema_version "` + schemas.Facts.Version + `"`}},
		},
		{
			name: "parquet key-value metadata missing",
			corrupt: func(t *testing.T, dir string) {
				var buf bytes.Buffer
				w := parquet.NewGenericWriter[schemas.Fact](&buf)
				w.Write(readFacts(t, dir))
				w.Close()
				os.WriteFile(filepath.Join(dir, "facts.parquet"), buf.Bytes(), 0o644)
				refix(t, dir, "facts.parquet", -1)
			},
			want: []want{{"facts.parquet", 0, "articleetl", "key-value metadata missing"}},
		},
		{
			name: "parquet column type differs",
			corrupt: func(t *testing.T, dir string) {
				var rows []factWithStringValue
				for _, f := range readFacts(t, dir) {
					rows = append(rows, factWithStringValue{f.SchemaVersion, f.DocID, f.SnapshotID, f.FactID, f.Ordinal, fmt.Sprint(f.Value),
						f.Unit, f.Kind, f.Raw, f.Comparator, f.Location, f.Sentence, f.QAID, f.Section})
				}
				writeParquet(t, dir, "facts.parquet", rows, factsMeta)
			},
			want: []want{{"facts.parquet", 0, "value", "column type STRING, schema facts " + schemas.Facts.Version + " wants DOUBLE"}},
			// One problem for the column, not one per row.
			absent: []string{"want number"},
		},
		{
			name: "parquet column nullability differs",
			corrupt: func(t *testing.T, dir string) {
				var rows []factWithNullableUnit
				for _, f := range readFacts(t, dir) {
					rows = append(rows, factWithNullableUnit{f.SchemaVersion, f.DocID, f.SnapshotID, f.FactID, f.Ordinal, f.Value,
						&f.Unit, f.Kind, f.Raw, f.Comparator, f.Location, f.Sentence, f.QAID, f.Section})
				}
				writeParquet(t, dir, "facts.parquet", rows, factsMeta)
			},
			want: []want{{"facts.parquet", 0, "unit", "column is STRING NULL, schema facts " + schemas.Facts.Version + " wants STRING NOT NULL"}},
		},
		{
			name: "parquet value out of range",
			corrupt: func(t *testing.T, dir string) {
				facts := readFacts(t, dir)
				facts[1].Ordinal = 0
				writeParquet(t, dir, "facts.parquet", facts, factsMeta)
			},
			want: []want{{"facts.parquet", 2, "ordinal", "minimum"}},
		},
		{
			name: "parquet dangling qa_id while the jsonl is fine",
			corrupt: func(t *testing.T, dir string) {
				facts := readFacts(t, dir)
				facts[3].QAID = ptr("eeeeeeeeeeeeeeee")
				writeParquet(t, dir, "facts.parquet", facts, factsMeta)
			},
			want: []want{{"facts.parquet", 4, "qa_id", "references qa_pairs.qa_id eeeeeeeeeeeeeeee which does not exist"}},
		},
		{
			name: "manifest declares an unknown version",
			corrupt: func(t *testing.T, dir string) {
				editManifest(t, dir, func(m *load.Manifest) { m.Tables[tableIndex(t, m, "facts")].SchemaVersion = "9.9.9" })
			},
			want: []want{{"manifest.json", 0, "tables[" + factsIndex + "].schema_version", `table facts: schema_version "9.9.9" is not a released version (released: ` + strings.Join(schemas.Versions("facts"), ", ") + `)`}},
		},
		{
			name: "manifest leaves out a table",
			corrupt: func(t *testing.T, dir string) {
				editManifest(t, dir, func(m *load.Manifest) {
					i := tableIndex(t, m, "facts")
					m.Tables = append(m.Tables[:i], m.Tables[i+1:]...)
				})
			},
			want: []want{
				{"facts.jsonl", 0, "", "table file not listed in manifest.json"},
				{"facts.parquet", 0, "", "table file not listed in manifest.json"},
				{"documents.jsonl", 2, "fact_count", "is 1, but facts (not in the dataset) has 0 rows with snapshot_id " + b},
			},
		},
		{
			name: "manifest leaves out documents",
			corrupt: func(t *testing.T, dir string) {
				editManifest(t, dir, func(m *load.Manifest) {
					i := tableIndex(t, m, "documents")
					m.Tables = append(m.Tables[:i], m.Tables[i+1:]...)
				})
			},
			want: []want{
				{"manifest.json", 0, "tables", "table documents is missing"},
				{"qa_pairs.parquet", 1, "snapshot_id", a + " does not exist in documents"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyDir(t, valid)
			tt.corrupt(t, dir)
			problems, err := Dataset(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !hasProblem(problems, w) {
					t.Errorf("no problem %s:%d: %s: …%s…", w.file, w.row, w.field, w.text)
				}
			}
			for _, p := range problems {
				for _, a := range tt.absent {
					if strings.Contains(p.String(), a) {
						t.Errorf("problem %q, want none containing %q", p, a)
					}
				}
			}
			if t.Failed() {
				for _, p := range problems {
					t.Log(p)
				}
			}
		})
	}
}

func hasProblem(problems []Problem, w want) bool {
	for _, p := range problems {
		if p.File == w.file && p.Row == w.row && p.Field == w.field && strings.Contains(p.Reason, w.text) {
			return true
		}
	}
	return false
}

// TestEarlierMinorVersion checks the dataset kept from schema 1.0.0 (documents without
// captured_at, no changes or errors tables): it declares an earlier minor version of
// documents than the current one and must validate against that version.
func TestEarlierMinorVersion(t *testing.T) {
	dir := filepath.Join("..", "testdata", "datasets", "v1.0.0")
	m := readManifest(t, dir)
	if v := m.Tables[tableIndex(t, m, "documents")].SchemaVersion; v != "1.0.0" {
		t.Fatalf("testdata declares documents %s, want 1.0.0", v)
	}
	assertValid(t, dir)
}

// TestAppendedToEarlierVersion appends a run to the dataset kept from schema 1.0.0, in the
// partitioned layout: documents then declares the current version with a 1.0.0 part (no
// captured_at column) beside this run's part, and both must validate, each against the
// version it was written with.
func TestAppendedToEarlierVersion(t *testing.T) {
	src := filepath.Join("..", "testdata", "datasets", "v1.0.0")
	old := readManifest(t, src)
	dir := filepath.Join(t.TempDir(), "out")
	for i := range old.Tables {
		mt := &old.Tables[i]
		for j := range mt.Files {
			f := &mt.Files[j]
			data, err := os.ReadFile(filepath.Join(src, f.Path))
			if err != nil {
				t.Fatal(err)
			}
			f.Path = path.Join(f.Format, mt.Name, "part-v100."+f.Format)
			f.SchemaVersion = mt.SchemaVersion
			os.MkdirAll(filepath.Join(dir, f.Format, mt.Name), 0o755)
			if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(f.Path)), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	old.Layout = load.LayoutPartitioned
	ds, err := load.Create(dir, load.Options{
		Formats: []load.Format{load.FormatParquet, load.FormatJSONL}, ToolVersion: "test",
		Layout: load.LayoutPartitioned, Existing: old,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range fixtureRecords() {
		if _, err := ds.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := ds.Commit(load.Manifest{Tool: "articleetl", ToolVersion: "test"}); err != nil {
		t.Fatal(err)
	}
	m := readManifest(t, dir)
	docs := m.Tables[tableIndex(t, m, "documents")]
	versions := map[string]bool{}
	for _, f := range docs.Files {
		versions[f.SchemaVersion] = true
	}
	if docs.SchemaVersion != schemas.Documents.Version || !versions["1.0.0"] || len(versions) < 2 {
		t.Fatalf("documents %s with file versions %v, want %s with a 1.0.0 part", docs.SchemaVersion, versions, schemas.Documents.Version)
	}
	assertValid(t, dir)
}

// withNullableColumn returns a facts schema like 1.0.0's with a nullable column added at
// the end: what a minor version 1.1.0 would release.
func withNullableColumn(t *testing.T, v100 []byte) []byte {
	t.Helper()
	s := strings.Replace(string(v100), "/1.0.0/", "/1.1.0/", 1)
	last := strings.LastIndex(s, "\n    }\n  },\n  \"required\": [")
	if last < 0 {
		t.Fatal("facts 1.0.0 schema: end of properties not found")
	}
	s = s[:last] + "\n    },\n    \"confidence\": {\"type\": [\"number\", \"null\"]}\n  },\n  \"required\": [\n    \"confidence\"," +
		strings.TrimPrefix(s[last:], "\n    }\n  },\n  \"required\": [")
	return []byte(s)
}

// TestVersionFromReleasedSchema checks that files are held to the released schema of the
// version the manifest declares for them, not the newest one or the Go structs. With a
// facts 1.1.0 released that adds a nullable column: files written as 1.0.0 validate whether
// their table declares 1.0.0 or 1.1.0 (older parts of an appended table); the same files
// declared as 1.1.0 lack the column; a file newer than its table is a problem.
func TestVersionFromReleasedSchema(t *testing.T) {
	cur := schemas.Facts.Version // the version the fixture's rows are written with
	v100, err := schemas.ReleasedJSONSchema("facts", cur)
	if err != nil {
		t.Fatal(err)
	}
	v110 := withNullableColumn(t, v100)
	released := func(table, version string) ([]byte, error) {
		if table == "facts" && version == "1.1.0" {
			return v110, nil
		}
		return schemas.ReleasedJSONSchema(table, version)
	}
	valid := writeFixture(t, load.FormatParquet, load.FormatJSONL)
	setVersions := func(table, files string) func(m *load.Manifest) {
		return func(m *load.Manifest) {
			mt := &m.Tables[tableIndex(t, m, "facts")]
			mt.SchemaVersion = table
			for i := range mt.Files {
				mt.Files[i].SchemaVersion = files
			}
		}
	}
	tests := []struct {
		name         string
		table, files string
		want         []want
	}{
		{name: "table and files current", table: cur, files: cur},
		{name: "table 1.1.0, files current", table: "1.1.0", files: cur},
		{name: "table 1.1.0, files not versioned", table: "1.1.0", files: "", want: []want{
			{"facts.parquet", 0, "confidence", "column missing (schema facts 1.1.0 has DOUBLE NULL)"},
			{"facts.jsonl", 1, "", "missing property 'confidence'"},
			{"facts.jsonl", 1, "schema_version", `is "` + cur + `", but manifest.json declares 1.1.0`},
			{"facts.parquet", 0, "articleetl", `manifest.json declares table "facts" schema_version "1.1.0"`},
		}},
		{name: "table and files 1.1.0", table: "1.1.0", files: "1.1.0", want: []want{
			{"facts.parquet", 0, "confidence", "column missing (schema facts 1.1.0 has DOUBLE NULL)"},
			{"facts.jsonl", 4, "", "missing property 'confidence'"},
		}},
		{name: "files newer than the table", table: cur, files: "1.1.0", want: []want{
			{"manifest.json", 0, "tables[" + fmt.Sprint(tableIndex(t, readManifest(t, valid), "facts")) + "].files[0].schema_version", "file version 1.1.0 is newer than its table's " + cur},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyDir(t, valid)
			editManifest(t, dir, setVersions(tt.table, tt.files))
			problems, err := check(dir, released)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == nil {
				for _, p := range problems {
					t.Errorf("unexpected problem %s", p)
				}
			}
			for _, w := range tt.want {
				if !hasProblem(problems, w) {
					t.Errorf("no problem %s:%d: %s: …%s…", w.file, w.row, w.field, w.text)
				}
			}
			if t.Failed() {
				for _, p := range problems {
					t.Log(p)
				}
			}
		})
	}
}

// TestColumnsFromJSONSchema checks that the columns derived from each table's released
// schema at its current version are the ones its Go record type declares.
func TestColumnsFromJSONSchema(t *testing.T) {
	typeNames := map[schemas.Type]string{
		schemas.TypeString: typeString, schemas.TypeInt32: typeInt32, schemas.TypeDouble: typeDouble,
		schemas.TypeDate: typeDate, schemas.TypeTimestamp: typeTimestamp, schemas.TypeStringList: typeStringList,
	}
	for _, tbl := range schemas.Tables() {
		t.Run(tbl.Name, func(t *testing.T) {
			b, err := schemas.ReleasedJSONSchema(tbl.Name, tbl.Version)
			if err != nil {
				t.Fatal(err)
			}
			got, err := columnsFromJSONSchema(b)
			if err != nil {
				t.Fatal(err)
			}
			var want []column
			for _, c := range tbl.Columns() {
				want = append(want, column{name: c.Name, typ: typeNames[c.Type], nullable: c.Nullable})
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("columns\n got %v\nwant %v", got, want)
			}
		})
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{"facts.jsonl", 3, "qa_id", "references qa_pairs.qa_id 0123456789abcdef which does not exist"}, "facts.jsonl:3: qa_id: references qa_pairs.qa_id 0123456789abcdef which does not exist"},
		{Problem{"facts.parquet", 0, "value", "column type STRING"}, "facts.parquet: value: column type STRING"},
		{Problem{"facts.jsonl", 2, "", "duplicate primary key"}, "facts.jsonl:2: duplicate primary key"},
		{Problem{"extra.jsonl", 0, "", "table file not listed"}, "extra.jsonl: table file not listed"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestCannotStart(t *testing.T) {
	empty := t.TempDir()
	if _, err := Dataset(empty); err == nil || !strings.Contains(err.Error(), "no manifest.json") {
		t.Errorf("empty directory: err = %v, want no manifest.json", err)
	}
	missing := filepath.Join(empty, "nope")
	if _, err := Dataset(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing directory: err = %v, want not exist", err)
	}
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, load.ManifestName), []byte("{"), 0o644)
	if _, err := Dataset(bad); err == nil {
		t.Error("manifest not JSON: err = nil")
	}
}

// TestParquetJSONForm checks the conversion of Parquet rows to JSON form against the JSONL
// twin written from the same records: strings, INT32, DOUBLE, DATE, TIMESTAMP, lists and
// NULLs must come out as the JSONL has them, or Parquet-only datasets would be checked
// against the wrong values.
func TestParquetJSONForm(t *testing.T) {
	dir := writeFixture(t, load.FormatParquet, load.FormatJSONL)
	// canonical re-reads a value through encoding/json, so json.Number, int64 and float64
	// holding the same number compare equal.
	canonical := func(v any) any {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var out any
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, tbl := range schemas.Tables() {
		t.Run(tbl.Name, func(t *testing.T) {
			var wantRows []any
			for _, line := range readLines(t, dir, tbl.Name+".jsonl") {
				var v any
				if err := json.Unmarshal(line, &v); err != nil {
					t.Fatal(err)
				}
				wantRows = append(wantRows, v)
			}
			f, err := os.Open(filepath.Join(dir, tbl.Name+".parquet"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			st, _ := f.Stat()
			pf, err := parquet.OpenFile(f, st.Size())
			if err != nil {
				t.Fatal(err)
			}
			fields, leaves := parquetFields(pf.Metadata().Schema)
			var gotRows []any
			if _, err := parquetRows(pf, fields, leaves, func(_ int64, obj map[string]any) {
				gotRows = append(gotRows, canonical(obj))
			}); err != nil {
				t.Fatal(err)
			}
			if len(gotRows) != len(wantRows) {
				t.Fatalf("%d rows, want %d", len(gotRows), len(wantRows))
			}
			for i := range wantRows {
				if g, w := fmt.Sprint(gotRows[i]), fmt.Sprint(wantRows[i]); g != w {
					t.Errorf("row %d:\n got %s\nwant %s", i+1, g, w)
				}
			}
		})
	}
}

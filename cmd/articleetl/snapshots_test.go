package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/articleetl/articleetl/internal/readback"
	"github.com/articleetl/articleetl/schemas"
)

var (
	pageMay  = filepath.Join("..", "..", "testdata", "article", "semantic.html")
	pageJune = filepath.Join("..", "..", "testdata", "article", "semantic-2018-06-02.html")
	pageWix  = filepath.Join("..", "..", "testdata", "article", "wix.html")
)

// treeDigest hashes every file under dir (names and bytes), to prove a directory unchanged.
func treeDigest(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	var names []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	sort.Strings(names)
	for _, n := range names {
		b, _ := os.ReadFile(n)
		rel, _ := filepath.Rel(dir, n)
		fmt.Fprintf(h, "%s %d\n", rel, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestDiffReportsEachKindOfChange(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "diff", "--format", "jsonl", pageMay, pageJune)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (changed); stderr %s", code, stderr)
	}
	type change struct {
		ChangeType string  `json:"change_type"`
		TableName  string  `json:"table_name"`
		RecordText string  `json:"record_text"`
		Field      *string `json:"field"`
		OldValue   *string `json:"old_value"`
		NewValue   *string `json:"new_value"`
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var c change
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatal(err)
		}
		s := c.ChangeType + " " + c.TableName
		if c.Field != nil {
			s += " " + *c.Field + " " + *c.OldValue + " -> " + *c.NewValue
		} else {
			s += " " + c.RecordText
		}
		if c.TableName == "qa_pairs" && c.Field != nil {
			s = c.ChangeType + " qa_pairs " + *c.Field + " of " + c.RecordText
		}
		got = append(got, s)
	}
	want := []string{
		"modified documents updated_on 2018-05-17 -> 2018-06-02",
		"modified qa_pairs answer of What about the affiliates of ISIS?",
		"removed qa_pairs And in Syria?",
		"modified facts value 9000 -> 8500", // one change, not a removal and an addition
		"added facts 1.500 foreign_fighters: More than 1.500 foreign fighters have been detained in Syria.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	code, stdout, _ = runCLI(t, "", "diff", pageMay, pageJune)
	for _, s := range []string{"5 changes: 1 added, 1 removed, 3 modified", "removed  qa_pairs", "And in Syria?", "- 9000\n    + 8500"} {
		if code != 1 || !strings.Contains(stdout, s) {
			t.Errorf("text report (exit %d) lacks %q:\n%s", code, s, stdout)
		}
	}
	if code, stdout, _ := runCLI(t, "", "diff", pageMay, pageWix); code != 0 || !strings.Contains(stdout, "no changes") {
		t.Errorf("two renderings of the same snapshot: exit %d, %s", code, stdout)
	}
	if code, _, stderr := runCLI(t, "", "diff", pageMay, "/no/such.html"); code != 2 || !strings.Contains(stderr, "/no/such.html") {
		t.Errorf("missing input: exit %d, %s", code, stderr)
	}
	if code, _, _ := runCLI(t, "", "diff", pageMay); code != 2 {
		t.Errorf("one argument: exit %d, want 2", code)
	}
}

func TestAppendIsIdempotentAndReadsAsOneTable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "archive")
	mustRun := func(args ...string) string {
		t.Helper()
		code, _, stderr := runCLI(t, "", append([]string{"run", "--append", "--out", dir}, args...)...)
		if code != 0 {
			t.Fatalf("run %v: exit %d: %s", args, code, stderr)
		}
		return stderr
	}
	mustRun(pageMay)
	first := treeDigest(t, dir)
	if msg := mustRun(pageMay); !strings.Contains(msg, "nothing new") {
		t.Errorf("re-run summary: %s", msg)
	}
	if treeDigest(t, dir) != first {
		t.Fatal("appending the same input again changed the dataset")
	}
	mustRun(pageJune, pageMay, pageWix) // one new snapshot, one known file, one new source of a known snapshot
	after := treeDigest(t, dir)
	mustRun(pageJune, pageMay, pageWix)
	if treeDigest(t, dir) != after {
		t.Fatal("second identical append changed the dataset")
	}

	parts, _ := filepath.Glob(filepath.Join(dir, "parquet", "facts", "*.parquet"))
	if len(parts) != 2 {
		t.Fatalf("facts parts: %v", parts)
	}
	total := 0
	for _, p := range parts {
		cols, rows, err := readback.Rows(p)
		if err != nil {
			t.Fatal(err)
		}
		if cols[0] != "schema_version" || len(cols) != 14 {
			t.Errorf("%s columns %v", p, cols)
		}
		total += len(rows)
	}
	if total != 18+19 {
		t.Errorf("facts across parts (arrow-go): %d rows, want 37 (18 of May, 19 of June)", total)
	}
	docs := 0
	for _, p := range mustGlob(t, filepath.Join(dir, "jsonl", "documents", "*.jsonl")) {
		docs += len(jsonlRows(t, p))
	}
	if docs != 3 {
		t.Errorf("documents: %d rows, want 3 (May, June, Wix rendering of May)", docs)
	}
	changes := 0
	for _, p := range mustGlob(t, filepath.Join(dir, "jsonl", "changes", "*.jsonl")) {
		changes += len(jsonlRows(t, p))
	}
	if changes != 5 {
		t.Errorf("changes: %d rows, want 5", changes)
	}
}

func mustGlob(t *testing.T, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(pattern)
	if err != nil || len(m) == 0 {
		t.Fatalf("glob %s: %v %v", pattern, m, err)
	}
	return m
}

func TestAppendRefusesIncompatibleDatasets(t *testing.T) {
	flat := t.TempDir()
	if code, _, stderr := runCLI(t, "", "run", "--quiet", "--out", flat, pageMay); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := runCLI(t, "", "run", "--append", "--out", flat, pageJune); code != 1 || !strings.Contains(stderr, "written without --append") {
		t.Errorf("append to flat: exit %d, %s", code, stderr)
	}
	part := t.TempDir()
	if code, _, stderr := runCLI(t, "", "run", "--quiet", "--append", "--out", part, pageMay); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := runCLI(t, "", "run", "--out", part, pageJune); code != 1 || !strings.Contains(stderr, "use --append") && !strings.Contains(stderr, "with --append") {
		t.Errorf("flat run over partitioned: exit %d, %s", code, stderr)
	}
	m, _ := os.ReadFile(filepath.Join(part, "manifest.json"))
	// A dataset a newer minor version wrote: refused before the inputs are processed, not
	// at the end when its schema could not be found for the data package.
	docs := schemas.Documents.Version
	os.WriteFile(filepath.Join(part, "manifest.json"), []byte(strings.ReplaceAll(string(m), `"schema_version": "`+docs+`"`, `"schema_version": "1.99.0"`)), 0o644)
	if code, _, stderr := runCLI(t, "", "run", "--append", "--out", part, pageJune); code != 1 || !strings.Contains(stderr, "has schema 1.99.0, which this articleetl (writing "+docs+") does not know") {
		t.Errorf("newer minor version: exit %d, %s", code, stderr)
	}
	os.WriteFile(filepath.Join(part, "manifest.json"), []byte(strings.Replace(string(m), `"schema_version": "1.0.0"`, `"schema_version": "2.0.0"`, 1)), 0o644)
	before := treeDigest(t, part)
	if code, _, stderr := runCLI(t, "", "run", "--append", "--out", part, pageJune); code != 1 || !strings.Contains(stderr, "different major version") {
		t.Errorf("major version: exit %d, %s", code, stderr)
	}
	if treeDigest(t, part) != before {
		t.Error("a refused append changed the dataset")
	}
}

// TestAppendKeepsTheDatasetsFormats: each format's tree holds every row, so an append in
// another set of formats than the dataset's (which left one tree short of the new rows, and
// the dataset failing validate) is refused, and an append without --format takes the
// dataset's formats.
func TestAppendKeepsTheDatasetsFormats(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "archive")
	if code, _, stderr := runCLI(t, "", "run", "--quiet", "--append", "--format", "parquet", "--out", dir, pageMay); code != 0 {
		t.Fatal(stderr)
	}
	before := treeDigest(t, dir)
	code, _, stderr := runCLI(t, "", "run", "--quiet", "--append", "--format", "parquet,jsonl", "--out", dir, pageJune)
	if code != 1 || !strings.Contains(stderr, "holds parquet files and this run writes parquet and jsonl") {
		t.Errorf("append in other formats: exit %d, %s", code, stderr)
	}
	if treeDigest(t, dir) != before {
		t.Error("a refused append changed the dataset")
	}
	if code, _, stderr := runCLI(t, "", "run", "--quiet", "--append", "--out", dir, pageJune); code != 0 {
		t.Fatalf("append without --format: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "jsonl")); !os.IsNotExist(err) {
		t.Errorf("an append without --format added a jsonl tree to a parquet dataset (%v)", err)
	}
	if code, _, stderr := runCLI(t, "", "validate", dir); code != 0 {
		t.Errorf("validate: exit %d, %s", code, stderr)
	}
}

func TestWorkersDoNotChangeOutput(t *testing.T) {
	in := t.TempDir()
	for i, p := range []string{pageMay, pageJune, pageWix, pageMay} {
		b, _ := os.ReadFile(p)
		os.WriteFile(filepath.Join(in, fmt.Sprintf("capture-%02d.html", i)), b, 0o644)
	}
	var digests []string
	for _, w := range []string{"1", "2", "4"} {
		out := t.TempDir()
		if code, _, stderr := runCLI(t, "", "run", "--quiet", "--workers", w, "--out", out, in); code != 0 {
			t.Fatal(stderr)
		}
		os.Remove(filepath.Join(out, "manifest.json")) // holds run times
		digests = append(digests, treeDigest(t, out))
	}
	if digests[0] != digests[1] || digests[1] != digests[2] {
		t.Errorf("outputs differ with --workers 1, 2, 4: %v", digests)
	}
}

func TestKeepGoing(t *testing.T) {
	in := t.TempDir()
	b, _ := os.ReadFile(pageMay)
	os.WriteFile(filepath.Join(in, "a-good.html"), b, 0o644)
	os.WriteFile(filepath.Join(in, "b-empty.html"), nil, 0o644)
	os.WriteFile(filepath.Join(in, "c-chrome.html"), []byte("<html><body><nav>Home</nav></body></html>"), 0o644)
	out := filepath.Join(t.TempDir(), "out")

	code, _, stderr := runCLI(t, "", "run", "--out", out, in)
	if code != 1 || !strings.Contains(stderr, "b-empty.html: empty input") {
		t.Errorf("without --keep-going: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("a failed run created the output directory")
	}

	code, _, stderr = runCLI(t, "", "run", "--keep-going", "--out", out, in)
	if code != 1 || !strings.Contains(stderr, "2 of 3 inputs failed") {
		t.Errorf("with --keep-going: exit %d, %s", code, stderr)
	}
	errs := jsonlRows(t, filepath.Join(out, "errors.jsonl"))
	if len(errs) != 2 || errs[0]["reason"] != "empty input" || errs[1]["reason"] != "no article content found" || errs[1]["stage"] != "extract" {
		t.Errorf("errors table: %v", errs)
	}
	if n := len(jsonlRows(t, filepath.Join(out, "facts.jsonl"))); n != 18 {
		t.Errorf("the good input's facts: %d rows", n)
	}
	var m struct {
		Inputs []struct{ Source, Status, Error string }
	}
	mb, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
	json.Unmarshal(mb, &m)
	if len(m.Inputs) != 3 || m.Inputs[1].Status != "failed" || m.Inputs[1].Error != "empty input" {
		t.Errorf("manifest inputs: %+v", m.Inputs)
	}
}

func TestJSONLogs(t *testing.T) {
	in := t.TempDir()
	b, _ := os.ReadFile(pageMay)
	os.WriteFile(filepath.Join(in, "a.html"), b, 0o644)
	os.WriteFile(filepath.Join(in, "b.html"), nil, 0o644)
	code, _, stderr := runCLI(t, "", "run", "--quiet", "--keep-going", "--log-format", "json", "--out", t.TempDir(), in)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var msgs []string
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			if strings.HasPrefix(line, "articleetl: ") {
				continue // the final one-line error is for people
			}
			t.Fatalf("not a JSON log line: %q", line)
		}
		msgs = append(msgs, fmt.Sprint(rec["level"], " ", rec["msg"], " ", filepath.Base(fmt.Sprint(rec["source"]))))
	}
	want := "INFO input done a.html|ERROR input failed b.html"
	if strings.Join(msgs, "|") != want {
		t.Errorf("logs %q, want %q", strings.Join(msgs, "|"), want)
	}
	if code, _, stderr := runCLI(t, "", "run", "--log-format", "xml"); code != 2 || !strings.Contains(stderr, "log-format") {
		t.Errorf("bad --log-format: exit %d, %s", code, stderr)
	}
}

// TestAppendRefusesADamagedDataset: an append reads one format's files, so a part of the
// other format missing, or a stray part no manifest lists, is checked for before anything
// is added; such a dataset is refused as it is.
func TestAppendRefusesADamagedDataset(t *testing.T) {
	for _, tt := range []struct {
		name   string
		damage func(t *testing.T, dir string)
		want   string
	}{
		{"a parquet part deleted", func(t *testing.T, dir string) {
			parts, _ := filepath.Glob(filepath.Join(dir, "parquet", "facts", "*.parquet"))
			os.Remove(parts[0])
		}, "listed in manifest.json but missing"},
		{"a stray part", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "parquet", "facts", "part-zzz.parquet"), []byte("PAR1"), 0o644)
		}, "a table file manifest.json does not list"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "archive")
			if code, _, stderr := runCLI(t, "", "run", "--quiet", "--append", "--out", dir, pageMay); code != 0 {
				t.Fatal(stderr)
			}
			tt.damage(t, dir)
			before := treeDigest(t, dir)
			code, _, stderr := runCLI(t, "", "run", "--quiet", "--append", "--out", dir, pageJune)
			if code != 1 || !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, "nothing was appended") {
				t.Errorf("exit %d, %q; want 1 and %q", code, stderr, tt.want)
			}
			if treeDigest(t, dir) != before {
				t.Error("the refused append changed the dataset")
			}
		})
	}
}

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/articleetl/articleetl/internal/readback"
	"github.com/articleetl/articleetl/schemas"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden (review the diff by eye)")

// runCLI runs the command line in-process and returns its exit code and output.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(append([]string{"articleetl"}, args...), strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// jsonlRows reads a JSONL file into generic objects.
func jsonlRows(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var row map[string]any
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		rows = append(rows, row)
	}
	return rows
}

func TestRunEmbeddedSnapshot(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, _, stderr := runCLI(t, "", "run", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := map[string]int{"documents": 1, "qa_pairs": 8, "working_groups": 4, "facts": 18}
	for table, n := range want {
		if got := len(jsonlRows(t, filepath.Join(dir, table+".jsonl"))); got != n {
			t.Errorf("%s: %d rows, want %d", table, got, n)
		}
		if _, err := os.Stat(filepath.Join(dir, table+".parquet")); err != nil {
			t.Error(err)
		}
	}
	wantSummary := "articleetl: wrote 6 tables (1 documents, 8 qa_pairs, 4 working_groups, 18 facts, 0 changes, 0 errors) to " + dir + "\n"
	if stderr != wantSummary {
		t.Errorf("stderr = %q, want %q", stderr, wantSummary)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Errorf("staging left behind: %v", entries)
	}
}

// TestGolden runs both renderings of the article and compares every table with the
// reviewed golden JSONL files.
func TestGolden(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	for _, rendering := range []string{"wix", "semantic"} {
		t.Run(rendering, func(t *testing.T) {
			dir := t.TempDir()
			code, _, stderr := runCLI(t, "", "run", "--quiet", "--out", dir, "testdata/article/"+rendering+".html")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, tab := range schemas.Tables() {
				got, err := os.ReadFile(filepath.Join(dir, tab.Name+".jsonl"))
				if err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join("testdata", "golden", rendering, tab.Name+".jsonl")
				if *update {
					os.MkdirAll(filepath.Dir(golden), 0o755)
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./cmd/articleetl -run TestGolden -update, then review the files)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from %s:\n got: %s\nwant: %s", tab.Name, golden, firstDiffLine(got, want), firstDiffLine(want, got))
				}
			}
		})
	}
}

func firstDiffLine(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range la {
		if i >= len(lb) || la[i] != lb[i] {
			return la[i]
		}
	}
	return "(no more lines)"
}

// TestRenderingsAgree checks that the Wix page and the plain semantic page of the same
// text give the same records: page chrome must not change what is extracted.
func TestRenderingsAgree(t *testing.T) {
	for _, tab := range []string{"qa_pairs", "working_groups", "facts"} {
		wix, _ := os.ReadFile(filepath.Join("..", "..", "testdata", "golden", "wix", tab+".jsonl"))
		sem, _ := os.ReadFile(filepath.Join("..", "..", "testdata", "golden", "semantic", tab+".jsonl"))
		if len(wix) == 0 || !bytes.Equal(wix, sem) {
			t.Errorf("%s: the wix and semantic renderings give different records", tab)
		}
	}
}

// TestCapturesAgree checks that captures of the semantic page as an archive gathers them
// (saved by a browser, mirrored by wget, with markup the page's own text does not show)
// give the page's records: the same article, snapshot, questions, bodies and facts, so
// their ids join across captures.
func TestCapturesAgree(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	tests := []struct {
		capture, what string
		capturedAt    any // what documents.captured_at holds: nil, or the capture time
	}{
		{"semantic-soft-hyphens.html", "soft hyphens and word joiners in a question, a body's name, a number and a section heading", nil},
		{"semantic-wget-convert-links.html", "canonical link converted to the local file name, og:url still absolute", nil},
		{"semantic-saved-with-base.html", "canonical link relative to the page's <base href>", nil},
		{"semantic-pywb-replay.html", "replayed by pywb (Archive-It): canonical link and addresses rewritten, banner inserted, capture time in wbinfo", "2018-06-02T12:34:56Z"},
		{"semantic-hidden-copies.html", "the post twice more for other screens, hidden by an inline style and by the hidden attribute", nil},
	}
	for _, tt := range tests {
		t.Run(tt.capture, func(t *testing.T) {
			dir := t.TempDir()
			if code, _, stderr := runCLI(t, "", "run", "--quiet", "--format", "jsonl", "--out", dir, filepath.Join("testdata", "captures", tt.capture)); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			golden := filepath.Join("testdata", "golden", "semantic")
			doc, want := jsonlRows(t, filepath.Join(dir, "documents.jsonl"))[0], jsonlRows(t, filepath.Join(golden, "documents.jsonl"))[0]
			for _, field := range []string{"doc_id", "canonical_url", "snapshot_id", "title"} {
				if doc[field] != want[field] {
					t.Errorf("%s (%s): %s = %v, want %v", tt.capture, tt.what, field, doc[field], want[field])
				}
			}
			if doc["captured_at"] != tt.capturedAt {
				t.Errorf("%s (%s): captured_at = %v, want %v", tt.capture, tt.what, doc["captured_at"], tt.capturedAt)
			}
			for _, tab := range []string{"qa_pairs", "working_groups", "facts"} {
				got, _ := os.ReadFile(filepath.Join(dir, tab+".jsonl"))
				want, _ := os.ReadFile(filepath.Join(golden, tab+".jsonl"))
				if !bytes.Equal(got, want) {
					t.Errorf("%s (%s): %s differ from the page's:\n got: %s\nwant: %s", tt.capture, tt.what, tab, firstDiffLine(got, want), firstDiffLine(want, got))
				}
			}
		})
	}
}

func TestDeterministicOutput(t *testing.T) {
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	for _, dir := range []string{a, b} {
		if code, _, stderr := runCLI(t, "", "run", "--quiet", "--out", dir); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	for _, tab := range schemas.Tables() {
		for _, ext := range []string{".parquet", ".jsonl"} {
			x, _ := os.ReadFile(filepath.Join(a, tab.Name+ext))
			y, _ := os.ReadFile(filepath.Join(b, tab.Name+ext))
			if (len(x) == 0 && tab.Name != "changes" && tab.Name != "errors") || !bytes.Equal(x, y) {
				t.Errorf("%s%s differs between two runs", tab.Name, ext)
			}
		}
	}
}

// TestParquetReadsBackInArrow reads every Parquet file with apache/arrow-go, an
// implementation independent of the writer, and compares it with the JSONL file.
func TestParquetReadsBackInArrow(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "", "run", "--quiet", "--out", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, tab := range schemas.Tables() {
		if err := readback.Compare(filepath.Join(dir, tab.Name+".parquet"), filepath.Join(dir, tab.Name+".jsonl")); err != nil {
			t.Errorf("%s: %v", tab.Name, err)
		}
	}
}

// TestJSONLMatchesSchemas validates every JSONL line against its table's JSON Schema,
// with format assertions on so that a malformed date fails.
func TestJSONLMatchesSchemas(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "", "run", "--quiet", "--out", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, tab := range schemas.Tables() {
		raw, err := schemas.ReleasedJSONSchema(tab.Name, tab.Version)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource(tab.Name+".schema.json", doc); err != nil {
			t.Fatal(err)
		}
		sch, err := c.Compile(tab.Name + ".schema.json")
		if err != nil {
			t.Fatal(err)
		}
		f, _ := os.ReadFile(filepath.Join(dir, tab.Name+".jsonl"))
		for i, line := range strings.Split(strings.TrimSuffix(string(f), "\n"), "\n") {
			if line == "" {
				continue
			}
			v, err := jsonschema.UnmarshalJSON(strings.NewReader(line))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(v); err != nil {
				t.Errorf("%s line %d: %v", tab.Name, i+1, err)
			}
		}
	}
}

func TestFewerFormatsRemoveStaleFiles(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "", "run", "--quiet", "--out", dir); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := runCLI(t, "", "run", "--quiet", "--format", "jsonl", "--out", dir); code != 0 {
		t.Fatal(stderr)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*.parquet")); len(m) != 0 {
		t.Errorf("Parquet files of the previous run remain: %v", m)
	}
	if _, err := os.Stat(filepath.Join(dir, "facts.jsonl")); err != nil {
		t.Error(err)
	}
}

func TestCountPages(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.html", "b.htm", "c.txt", "sub/d.html"} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644)
	}
	tests := []struct {
		args []string
		want int
	}{
		{nil, 1},
		{[]string{dir}, 3},
		{[]string{filepath.Join(dir, "a.html"), filepath.Join(dir, "*.htm")}, 2},
		{[]string{filepath.Join(dir, "c.txt")}, 1}, // a file named explicitly is an input
		{[]string{dir, "-"}, -1},
		{[]string{"https://example.org/post"}, -1},
		{[]string{"crawl.warc.gz"}, -1},
	}
	for _, tt := range tests {
		if got := countPages(tt.args); got != tt.want {
			t.Errorf("countPages(%v) = %d, want %d", tt.args, got, tt.want)
		}
	}
	os.WriteFile(filepath.Join(dir, "sub", "crawl.warc"), []byte("x"), 0o644)
	if got := countPages([]string{dir}); got != -1 {
		t.Errorf("directory with a WARC: %d, want -1", got)
	}
}

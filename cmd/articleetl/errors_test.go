package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/articleetl/articleetl/schemas"
)

// TestBadInputsFailCleanly checks the contract for inputs that are not articles: exit 1,
// one line on stderr naming the input and the reason, and the output directory untouched.
func TestBadInputsFailCleanly(t *testing.T) {
	src := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(src, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := filepath.Join("..", "..", "testdata", "article", "semantic.html")
	emptyDir := filepath.Join(src, "nothing-here")
	if err := os.Mkdir(emptyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		stdin  string
		reason string
	}{
		{"empty file", []string{write("empty.html", "")}, "", "empty input"},
		{"binary file", []string{write("image.html", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")}, "", "binary content"},
		{"truncated HTML", []string{write("cut.html", "<!doctype html><html><head><title>T</title></head><body><article><h1>T</h1><p>The Coalition has trained 12.577 mem")}, "", "truncated HTML"},
		{"no article content", []string{write("chrome.html", "<html><body><nav><a href=/>Home</a> <a href=/blog>Blog</a></nav><footer>© 2018 by Example</footer></body></html>")}, "", "no article content found"},
		{"missing file", []string{filepath.Join(src, "nope.html")}, "", "no such file"},
		{"directory without pages", []string{emptyDir}, "", "no .html"},
		{"empty stdin", []string{"-"}, "", "empty input"},
		{"good then bad", []string{good, write("empty2.html", "")}, "", "empty input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			if err := os.MkdirAll(out, 0o755); err != nil {
				t.Fatal(err)
			}
			sentinel := filepath.Join(out, "facts.jsonl")
			os.WriteFile(sentinel, []byte("previous run\n"), 0o644)

			code, stdout, stderr := runCLI(t, tt.stdin, append([]string{"run", "--out", out}, tt.args...)...)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			bad := tt.args[len(tt.args)-1]
			if lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n"); len(lines) != 1 || !strings.Contains(stderr, bad+": ") || !strings.Contains(stderr, tt.reason) {
				t.Errorf("stderr = %q, want one line naming %s and %q", stderr, bad, tt.reason)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			entries, _ := os.ReadDir(out)
			if b, _ := os.ReadFile(sentinel); len(entries) != 1 || string(b) != "previous run\n" {
				t.Errorf("output directory changed: %v", entries)
			}
			if siblings, _ := os.ReadDir(filepath.Dir(out)); len(siblings) != 1 {
				t.Errorf("staging directory left behind: %v", siblings)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"run", "--no-such-flag"}, "flag provided but not defined"},
		{[]string{"run", "--format", "csv"}, `unknown format "csv"`},
		{[]string{"schema", "nope"}, `unknown table "nope"`},
		{[]string{"schema", "facts", "documents"}, "at most one TABLE"},
		{[]string{"schema", "--format", "bigquery"}, "--format bigquery needs a TABLE"},
		{[]string{"schema", "--version", "0.9.0", "facts"}, "no JSON Schema for table facts version 0.9.0"},
		// A malformed selector is refused before any input is read (see also
		// TestMalformedSelectorWritesNothing).
		{[]string{"diff", "--content-selector", "!!!", "a.html", "b.html"}, `--content-selector "!!!"`},
		{[]string{"index", "crawl.warc.gz"}, "index needs --out FILE"},
		{[]string{"index", "--out", "x.idx", "--part", "--join", "a.part"}, "index takes --part or --join, not both"},
		// A join takes the page size limit its parts were indexed with.
		{[]string{"index", "--out", "x.idx", "--join", "--max-input-size", "8MiB", "a.part"}, "takes the page size limit from its parts"},
		// A timeout of zero or less would fail every URL at once.
		{[]string{"run", "--timeout", "0s"}, "--timeout must be more than 0, got 0s"},
		{[]string{"diff", "--timeout", "-5s", "a.html", "b.html"}, "--timeout must be more than 0, got -5s"},
		{[]string{"run", "--max-input-size", "-1MiB"}, `"-1MiB" is not a size`},
		{[]string{"run", "--shard", "+1/3"}, `shard "+1/3": want i/n`},
		{[]string{"env ARTICLEETL_SHARD=3/3", "run"}, `ARTICLEETL_SHARD: shard "3/3": want i/n`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			args := tt.args
			if env, ok := strings.CutPrefix(args[0], "env "); ok {
				k, v, _ := strings.Cut(env, "=")
				t.Setenv(k, v)
				args = args[1:]
			}
			code, _, stderr := runCLI(t, "", args...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.want)
			}
		})
	}
}

// TestMalformedSelectorWritesNothing: a --content-selector that does not compile is bad
// usage, refused before any input is read. It once failed every input in turn, so that a
// --keep-going run committed a dataset of errors only (over any previous output) and
// exited 1, which deploy/indexed-job.yaml's wrapper takes for a committed shard.
func TestMalformedSelectorWritesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := runCLI(t, "", "run", "--keep-going", "--quiet", "--content-selector", "!!!", "--out", out)
	if code != 2 || !strings.Contains(stderr, `--content-selector "!!!"`) {
		t.Errorf("exit %d, stderr %q; want 2 and the selector named", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s was written (stat: %v)", out, err)
	}
}

func TestHelpDocumentsEveryFlag(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"run", "--help"}, {"schema", "--help"}} {
		code, stdout, _ := runCLI(t, "", args...)
		if code != 0 || !strings.Contains(stdout, "Example") || !strings.Contains(stdout, "EXIT STATUS") {
			t.Errorf("%v: exit %d, help without examples or exit codes:\n%s", args, code, stdout)
		}
	}
	_, stdout, _ := runCLI(t, "", "run", "--help")
	for _, flag := range runCommand().Flags {
		name := flag.Names()[0]
		if !strings.Contains(stdout, "--"+name) {
			t.Errorf("run --help does not document --%s", name)
		}
		if name != "help" && !strings.Contains(flag.String(), "example:") {
			t.Errorf("--%s has no example in its usage", name)
		}
	}
}

func TestVersionAndSchema(t *testing.T) {
	code, stdout, _ := runCLI(t, "", "version")
	if code != 0 || !strings.Contains(stdout, "articleetl 0.") || !strings.Contains(stdout, "schema facts "+schemas.Facts.Version) {
		t.Errorf("version: exit %d, %q", code, stdout)
	}
	code, stdout, _ = runCLI(t, "", "schema", "facts")
	if code != 0 || !strings.Contains(stdout, `"$id": "https://articleetl.example.org/schemas/`+schemas.Facts.Version+`/facts.schema.json"`) {
		t.Errorf("schema facts: exit %d, %q", code, stdout)
	}
}

func TestStdinInput(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("..", "..", "testdata", "article", "semantic.html"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	code, _, stderr := runCLI(t, string(page), "run", "--quiet", "--format", "jsonl", "--out", dir, "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := jsonlRows(t, filepath.Join(dir, "documents.jsonl"))
	if len(rows) != 1 || rows[0]["source"] != "-" {
		t.Errorf("documents = %v", rows)
	}
	if _, err := os.Stat(filepath.Join(dir, "facts.parquet")); !os.IsNotExist(err) {
		t.Errorf("--format jsonl wrote Parquet too")
	}
}

func TestSchemaTargets(t *testing.T) {
	for format, want := range map[string]string{
		"json-schema": `"$schema": "https://json-schema.org/draft/2020-12/schema"`,
		"bigquery":    `"type": "DATE"`,
		"duckdb":      "CREATE TABLE documents",
		"postgres":    "COMMENT ON COLUMN",
		"parquet":     "message",
	} {
		code, stdout, stderr := runCLI(t, "", "schema", "--format", format, "documents")
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("schema --format %s: exit %d, %s; want %q in:\n%s", format, code, stderr, want, stdout)
		}
	}
	if code, _, _ := runCLI(t, "", "schema", "--format", "avro"); code != 2 {
		t.Errorf("unknown format: exit %d, want 2", code)
	}
	// Every table's Parquet message on lines of its own (they ran together: "}message").
	code, stdout, _ := runCLI(t, "", "schema", "--format", "parquet")
	if code != 0 || strings.Count(stdout, "\nmessage ") != len(tableNames())-1 || !strings.HasSuffix(stdout, "}\n") {
		t.Errorf("schema --format parquet: exit %d, messages not one after another on their own lines:\n%s", code, stdout)
	}
	// A --version that some table lacks is refused before anything is printed.
	if code, stdout, _ := runCLI(t, "", "schema", "--version", "1.1.0"); code != 2 || stdout != "" {
		t.Errorf("schema --version 1.1.0 (facts has none): exit %d, printed %d bytes first", code, len(stdout))
	}
}

// TestParseSize: sizes are read as go-humanize reads them, whole or refused, never as some
// other number. The old reader took the leading integer and ignored the rest: "20M" was
// 20 bytes, "1.5MiB" 1 MiB, and an overflowing size wrapped to the default.
func TestParseSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64 // 0: refused
	}{
		{"20MiB", 20 << 20}, {"20mib", 20 << 20}, {"20 MiB", 20 << 20}, {" 20Mi ", 20 << 20},
		{"64MB", 64e6}, {"64M", 64e6}, {"64k", 64e3}, {"512KiB", 512 << 10}, {"1000", 1000},
		{"1.5MiB", 3 << 19}, {"1TiB", 1 << 40},
		{"0", 0}, {"0.5", 0}, {"-1MiB", 0}, {"12abc", 0}, {"1e3", 0}, {"", 0}, {"MiB", 0},
		{"1.5TiB", 0}, {"10000000000GiB", 0}, {"9223372036854775808", 0},
		// go-humanize drops commas: a decimal comma would read ten times larger.
		{"1,5MiB", 0}, {"0,5GiB", 0}, {"1,048,576", 0},
	} {
		got, err := parseSize(c.in)
		switch {
		case c.want == 0 && err == nil:
			t.Errorf("parseSize(%q) = %d, want it refused", c.in, got)
		case c.want != 0 && (err != nil || got != c.want):
			t.Errorf("parseSize(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
}

// TestZeroMemoryTarget: any spelling of zero turns the memory target off, as "0" does.
func TestZeroMemoryTarget(t *testing.T) {
	for _, s := range []string{"0", "0MiB", " 0 ", "0B"} {
		if n, err := parseSizeOrZero(s); n != 0 || err != nil {
			t.Errorf("parseSizeOrZero(%q) = %d, %v; want 0", s, n, err)
		}
	}
	if _, err := parseSizeOrZero("0,5"); err == nil {
		t.Error(`parseSizeOrZero("0,5") took a decimal comma`)
	}
}

package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/articleetl/articleetl/internal/corpus"
	"github.com/articleetl/articleetl/schemas"
)

// buildBinary builds the command into a temporary directory, for tests that need it as a
// separate process (shards, signals).
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "articleetl")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestShardsMergeToTheSingleRun runs three shards as separate processes, merges them, and
// checks that every table file equals, byte for byte, the one a single process writes.
func TestShardsMergeToTheSingleRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	tmp := t.TempDir()
	bin := buildBinary(t)
	in := filepath.Join(tmp, "corpus")
	if _, err := corpus.WriteDir(in, 24, 4); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(in, "zz-broken.html")
	os.WriteFile(broken, []byte("<html><body><nav>only chrome</nav></body></html>"), 0o644)
	if err := corpus.WriteWARC(filepath.Join(in, "captures.warc.gz"), 6, 2); err != nil {
		t.Fatal(err)
	}
	// Capture times finer than the tables keep (microseconds): a merge must order and
	// record them as the single run does, from the manifests, not from the rows.
	fine := [][]byte{corpus.Page(30), corpus.Page(31), corpus.Page(30)}
	if err := corpus.WriteWARCPagesAt(filepath.Join(in, "fine.warc.gz"), fine, func(i int) time.Time {
		return corpus.CaptureTime(40).Add(time.Duration(3-i) * 300 * time.Nanosecond)
	}); err != nil {
		t.Fatal(err)
	}

	run := func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, args...)
		cmd.Stderr = &bytes.Buffer{}
		return cmd
	}
	single := filepath.Join(tmp, "single")
	// The broken page is named twice, in the directory and on its own: it fails twice and
	// has one row in the errors table, whose key is the input.
	if err := run("run", "--quiet", "--keep-going", "--out", single, in, broken).Run(); err == nil {
		t.Fatal("the broken page should make the run exit 1")
	}
	// The shards read the WARCs through, or (indexed) seek to their own records through
	// the index of the crawl that `articleetl index` writes once.
	index := filepath.Join(tmp, "crawl.idx")
	ix := run("index", "--out", index, in)
	if err := ix.Run(); err != nil || !strings.Contains(ix.Stderr.(*bytes.Buffer).String(), "indexed 2 WARC files (11 pages") {
		t.Fatalf("index: %v: %s", err, ix.Stderr)
	}
	var dirs []string
	for _, mode := range []string{"read through", "indexed"} {
		var shards []*exec.Cmd
		dirs = nil
		for i := range 3 {
			dir := filepath.Join(tmp, fmt.Sprintf("shard%d-%s", i, mode))
			dirs = append(dirs, dir)
			args := []string{"run", "--quiet", "--keep-going", "--workers", "1", "--out", dir, in, broken}
			cmd := run(args...)
			cmd.Env = append(os.Environ(), fmt.Sprintf("ARTICLEETL_SHARD=%d/3", i)) // as an Indexed Job passes it
			if mode == "indexed" {
				cmd.Env = append(cmd.Env, "ARTICLEETL_WARC_INDEX="+index)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			shards = append(shards, cmd)
		}
		for _, cmd := range shards {
			if err := cmd.Wait(); err != nil {
				if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
					t.Fatalf("%s shard: %v: %s", mode, err, cmd.Stderr)
				}
			}
		}
		for i, dir := range dirs {
			if m, _ := filepath.Glob(filepath.Join(dir, fmt.Sprintf("facts.shard-%d-of-3.parquet", i))); len(m) != 1 {
				t.Errorf("%s shard %d output is not named for its shard: %v", mode, i, m)
			}
			// The manifest says which index the shard read through, for provenance.
			var m struct {
				WARCIndex *struct{ Path, SHA256 string } `json:"warc_index"`
			}
			b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
			if err != nil || json.Unmarshal(b, &m) != nil {
				t.Fatalf("%s shard %d manifest: %v", mode, i, err)
			}
			ix, _ := os.ReadFile(index)
			sum := sha256.Sum256(ix)
			switch {
			case mode == "indexed" && (m.WARCIndex == nil || m.WARCIndex.Path != index || m.WARCIndex.SHA256 != hex.EncodeToString(sum[:])):
				t.Errorf("indexed shard %d manifest: warc_index %+v, want %s with its sha256", i, m.WARCIndex, index)
			case mode != "indexed" && m.WARCIndex != nil:
				t.Errorf("shard %d read through, but its manifest names an index: %+v", i, m.WARCIndex)
			}
		}
		merged := filepath.Join(tmp, "merged-"+mode)
		cmd := run(append([]string{"merge", "--quiet", "--out", merged}, dirs...)...)
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s merge: %v: %s", mode, err, cmd.Stderr)
		}
		for _, tab := range schemas.Tables() {
			for _, ext := range []string{".parquet", ".jsonl"} {
				a, err1 := os.ReadFile(filepath.Join(single, tab.Name+ext))
				b, err2 := os.ReadFile(filepath.Join(merged, tab.Name+ext))
				if err1 != nil || err2 != nil {
					t.Fatal(err1, err2)
				}
				if !bytes.Equal(a, b) {
					t.Errorf("%s%s: merged %s shards differ from the single run (%d vs %d bytes)", tab.Name, ext, mode, len(b), len(a))
				}
			}
		}
		// The manifests list the same inputs: each with its origin (a WARC record's file
		// and offset) and status, the broken page twice.
		if a, b := manifestInputs(t, single), manifestInputs(t, merged); a != b {
			t.Errorf("merged %s shards list other inputs than the single run:\n%s\nwant\n%s", mode, b, a)
		}
	}
	if got := manifestInputs(t, single); strings.Count(got, `"status":"failed"`) != 2 || !strings.Contains(got, `"origin":"`+filepath.Join(in, "captures.warc.gz")+"@") {
		t.Errorf("single run's inputs: want the broken page failed twice and WARC records with their origin:\n%s", got)
	}
	if err := run("validate", single).Run(); err != nil {
		t.Errorf("validate %s: %v", single, err)
	}
	if n := len(jsonlRows(t, filepath.Join(single, "documents.jsonl"))); n != 24+4+6+2+2 {
		t.Errorf("documents: %d rows, want 38 (the last capture of fine.warc.gz repeats the first within a microsecond: the same row)", n)
	}
	if n := len(jsonlRows(t, filepath.Join(single, "errors.jsonl"))); n != 1 {
		t.Errorf("errors: %d rows, want 1", n)
	}

	// What is not the shards of one run, each once and unchanged, is refused with one line
	// naming the shard and the reason, and nothing is written.
	other := filepath.Join(tmp, "other")
	if err := run("run", "--quiet", "--out", other, filepath.Join(in, "page-00003.html")).Run(); err != nil {
		t.Fatal(err)
	}
	oldVersion := copyDir(t, dirs[1], filepath.Join(tmp, "old-version"))
	editFile(t, filepath.Join(oldVersion, "manifest.json"), `"tool_version": "`, `"tool_version": "0.0.9-`)
	oldSchema := copyDir(t, dirs[2], filepath.Join(tmp, "old-schema"))
	editFile(t, filepath.Join(oldSchema, "manifest.json"), `"name": "documents",
      "schema_version": "`+schemas.Documents.Version, `"name": "documents",
      "schema_version": "1.0.0`)
	otherLimit := filepath.Join(tmp, "other-limit")
	run("run", "--quiet", "--keep-going", "--shard", "1/3", "--max-input-size", "10MiB", "--out", otherLimit, in, broken).Run() // exit 1 if the broken page is its
	if _, err := os.Stat(filepath.Join(otherLimit, "manifest.json")); err != nil {
		t.Fatal(err)
	}
	var moreNamed []string // the three shards, each saying the run named one input more
	for i, dir := range dirs {
		c := copyDir(t, dir, filepath.Join(tmp, fmt.Sprintf("more-named-%d", i)))
		var m struct {
			InputsNamed int `json:"inputs_named"`
		}
		b, _ := os.ReadFile(filepath.Join(c, "manifest.json"))
		if err := json.Unmarshal(b, &m); err != nil || m.InputsNamed == 0 {
			t.Fatalf("shard %d manifest: inputs_named %d, %v", i, m.InputsNamed, err)
		}
		editFile(t, filepath.Join(c, "manifest.json"), fmt.Sprintf(`"inputs_named": %d,`, m.InputsNamed), fmt.Sprintf(`"inputs_named": %d,`, m.InputsNamed+1))
		moreNamed = append(moreNamed, c)
	}
	changed := copyDir(t, dirs[1], filepath.Join(tmp, "changed"))
	editFile(t, filepath.Join(changed, "qa_pairs.shard-1-of-3.jsonl"), `"ordinal":1`, `"ordinal":9`)
	for _, tt := range []struct {
		name   string
		shards []string
		reason string
	}{
		{"a shard twice", []string{dirs[0], dirs[1], dirs[0], dirs[2]}, "shard " + dirs[0] + " is given twice"},
		{"a shard missing", []string{dirs[0], dirs[2]}, "shard 1/3 is missing: merge all 3 shards of the run"},
		{"another run's output", []string{dirs[0], dirs[1], dirs[2], other}, "shard " + other + " is an unsharded run and shard " + dirs[0] + " is 0/3"},
		{"another version", []string{dirs[0], oldVersion, dirs[2]}, "shard " + oldVersion + " was written by articleetl 0.0.9-"},
		{"another schema version", []string{dirs[0], dirs[1], oldSchema}, "shard " + oldSchema + ": table documents has schema 1.0.0 and this articleetl writes " + schemas.Documents.Version},
		{"a shard run with other options", []string{dirs[0], otherLimit, dirs[2]}, "shard " + otherLimit + " and shard " + dirs[0] + " were run on other arguments or options"},
		{"an input in no shard", moreNamed, "the run named is in no shard: were the shards run on the same inputs?"},
		{"a shard counting other inputs", []string{dirs[0], moreNamed[1], dirs[2]}, "shard " + moreNamed[1] + " counted "},
		{"a changed file", []string{dirs[0], changed, dirs[2]}, "qa_pairs.shard-1-of-3.jsonl: the file differs from what the manifest records: sha256 is "},
	} {
		out := filepath.Join(tmp, "refused")
		cmd := run(append([]string{"merge", "--quiet", "--out", out}, tt.shards...)...)
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			t.Errorf("merging %s: %v, want exit 1", tt.name, err)
		}
		if msg := cmd.Stderr.(*bytes.Buffer).String(); !strings.Contains(msg, tt.reason) || strings.Count(msg, "\n") != 1 {
			t.Errorf("merging %s: %q, want one line saying %q", tt.name, msg, tt.reason)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("merging %s: a refused merge wrote %s", tt.name, out)
		}
	}

	// --out naming one of the shards (here with a trailing slash) is refused: the merge's
	// commit would replace that shard's files by the merged tables.
	before, err := os.ReadFile(filepath.Join(dirs[1], "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := run(append([]string{"merge", "--quiet", "--out", dirs[1] + "/"}, dirs...)...)
	if ee, ok := cmd.Run().(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("merging into a shard: want exit 1")
	}
	if msg := cmd.Stderr.(*bytes.Buffer).String(); !strings.Contains(msg, "is shard "+dirs[1]+": merge into another directory") {
		t.Errorf("merging into a shard: %q", msg)
	}
	if after, _ := os.ReadFile(filepath.Join(dirs[1], "manifest.json")); !bytes.Equal(before, after) {
		t.Errorf("merging into a shard changed its manifest")
	}
}

// copyDir copies the files of a directory (not its subdirectories) to dst and returns dst.
func copyDir(t *testing.T, src, dst string) string {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// editFile replaces the first old in a file with new, failing if there is none.
func editFile(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s holds no %q", path, old)
	}
	if err := os.WriteFile(path, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

// manifestInputs returns the inputs a dataset's manifest lists, as compact JSON.
func manifestInputs(t *testing.T, dir string) string {
	t.Helper()
	var m struct {
		Inputs json.RawMessage `json:"inputs"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil || json.Unmarshal(b, &m) != nil {
		t.Fatalf("%s manifest: %v", dir, err)
	}
	var out bytes.Buffer
	if err := json.Compact(&out, m.Inputs); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestIndexFailsCleanly checks that `articleetl index` refuses what it cannot index with
// one line and exit 1, leaving no index and no temporary file, and keeps an index that was
// there.
func TestIndexFailsCleanly(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "crawl.idx")
	const before = `{"format":"articleetl-warc-index","version":1,"max_input_size":1}` + "\n" // the index there was
	if err := os.WriteFile(out, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "caf\xe9.warc"), []byte("WARC/1.1\r\n"), 0o644)
	for _, tt := range []struct {
		args   []string
		reason string
	}{
		{[]string{"-"}, "only WARC files can be indexed"},
		{[]string{filepath.Join(dir, "none.warc.gz")}, "no WARC file to index (" + filepath.Join(dir, "none.warc.gz") + ": no such file)"},
		{[]string{filepath.Join("..", "..", "testdata", "article")}, "testdata/article: no WARC file to index"},
		{[]string{filepath.Join("..", "..", "testdata", "article"), filepath.Join("..", "..", "testdata", "explainers")}, "testdata/article, ../../testdata/explainers: no WARC file to index"},
		{[]string{filepath.Join(dir, "caf\xe9.warc")}, "its name is not valid UTF-8"},
	} {
		var stderr bytes.Buffer
		code := run(append([]string{"articleetl", "index", "--out", out}, tt.args...), strings.NewReader(""), io.Discard, &stderr)
		if msg := stderr.String(); code != 1 || !strings.Contains(msg, tt.reason) || strings.Count(msg, "\n") != 1 {
			t.Errorf("index %v: exit %d, %q; want exit 1 and one line saying %q", tt.args, code, msg, tt.reason)
		}
		if b, _ := os.ReadFile(out); string(b) != before {
			t.Errorf("index %v changed the index there was: %q", tt.args, b)
		}
		if m, _ := filepath.Glob(filepath.Join(dir, ".crawl.idx.tmp-*")); len(m) != 0 {
			t.Errorf("index %v left %v", tt.args, m)
		}
	}
}

// TestIndexReplacesOnlyAnIndex checks that `index --out` names a file it may replace: a WARC
// file (here the one being indexed) or a directory is refused before the crawl is read.
func TestIndexReplacesOnlyAnIndex(t *testing.T) {
	dir := t.TempDir()
	warc := filepath.Join(dir, "captures.warc.gz")
	if err := corpus.WriteWARC(warc, 2, 0); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(warc)
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{warc, dir} {
		var stderr bytes.Buffer
		code := run([]string{"articleetl", "index", "--out", out, warc}, strings.NewReader(""), io.Discard, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), "--out: "+out+" exists and is not") {
			t.Errorf("index --out %s: exit %d, %q", out, code, stderr.String())
		}
	}
	if after, _ := os.ReadFile(warc); !bytes.Equal(b, after) {
		t.Errorf("index --out %s replaced the WARC it indexed", warc)
	}
}

// TestIndexWarnsOfUnreadableInputs checks that a .warc file that is no WARC is indexed as one
// to read through, with a warning, as a run with --keep-going reports it and goes on.
func TestIndexWarnsOfUnreadableInputs(t *testing.T) {
	dir := t.TempDir()
	notWARC := filepath.Join(dir, "page.warc")
	os.WriteFile(notWARC, []byte("<html>not a warc</html>"), 0o644)
	if err := corpus.WriteWARC(filepath.Join(dir, "captures.warc.gz"), 2, 0); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	out := filepath.Join(dir, "crawl.idx")
	code := run([]string{"articleetl", "index", "--out", out, dir}, strings.NewReader(""), io.Discard, &stderr)
	want := "articleetl: warning: " + notWARC + ": no WARC records found (a run over these inputs reports it too)\n" +
		"articleetl: indexed 2 WARC files (2 pages, 0 of them revisits; 1 files to be read through) to " + out + "\n"
	if code != 0 || stderr.String() != want {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 0 and\n%s", code, stderr.String(), want)
	}
}

func TestMemoryTargetFlag(t *testing.T) {
	for _, v := range []string{"lots", "-5MiB"} {
		var stderr bytes.Buffer
		code := run([]string{"articleetl", "run", "--memory-target", v, "--out", filepath.Join(t.TempDir(), "out")}, strings.NewReader(""), io.Discard, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), "--memory-target") {
			t.Errorf("--memory-target %s: exit %d, %q; want a usage error", v, code, stderr.String())
		}
	}
	for _, v := range []string{"0", "64MiB"} {
		var stderr bytes.Buffer
		if code := run([]string{"articleetl", "run", "--quiet", "--memory-target", v, "--out", filepath.Join(t.TempDir(), "out")}, strings.NewReader(""), io.Discard, &stderr); code != 0 {
			t.Errorf("--memory-target %s: exit %d, %s", v, code, stderr.String())
		}
	}
}

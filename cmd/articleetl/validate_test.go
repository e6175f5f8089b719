package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidateCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runCLI(t, "", "run", "--quiet", "--out", dir); code != 0 {
		t.Fatal(stderr)
	}
	if code, stdout, stderr := runCLI(t, "", "validate", dir); code != 0 || stdout != "" || !strings.Contains(stderr, "valid") {
		t.Errorf("fresh output: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// Corrupt one fact's unit in the JSONL: fixity (sha256) must catch it.
	p := filepath.Join(dir, "facts.jsonl")
	b, _ := os.ReadFile(p)
	os.WriteFile(p, []byte(strings.Replace(string(b), `"unit":"troops"`, `"unit":"troopz"`, 1)), 0o644)
	code, stdout, stderr := runCLI(t, "", "validate", dir)
	if code != 1 || !strings.Contains(stdout, "facts.jsonl") || !strings.Contains(stdout, "sha256") {
		t.Errorf("corrupted output: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, _, _ := runCLI(t, "", "validate"); code != 2 {
		t.Errorf("no DIR: exit %d, want 2", code)
	}
	if code, _, _ := runCLI(t, "", "validate", dir, dir); code != 2 {
		t.Errorf("two DIRs: exit %d, want 2", code)
	}
	if code, _, stderr := runCLI(t, "", "validate", t.TempDir()); code != 1 || strings.Count(stderr, "\n") != 1 {
		t.Errorf("no manifest: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "", "validate", filepath.Join("..", "..", "testdata", "datasets", "v1.0.0")); code != 0 {
		t.Errorf("dataset written with schema 1.0.0: exit %d, %s", code, stderr)
	}
}

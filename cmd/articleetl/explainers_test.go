package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/articleetl/articleetl/schemas"
)

// explainerPages are the explainers written for the tests, one per common markup, each
// with reviewed golden records under testdata/golden/<page>/.
var explainerPages = []string{
	"wordpress-water", "plain-climate-finance", "drupal-dl-vaccine", "jsonld-faq-wastewater",
	"ghost-refugees", "squarespace-flood", "heldout-joomla-heat", "heldout-hugo-bees",
}

// TestGoldenExplainers runs each explainer page and compares its tables with the reviewed
// golden JSONL files; `go test ./cmd/articleetl -run TestGoldenExplainers -update`
// rewrites them (read the diff by eye).
func TestGoldenExplainers(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	for _, page := range explainerPages {
		t.Run(page, func(t *testing.T) {
			dir := t.TempDir()
			code, _, stderr := runCLI(t, "", "run", "--quiet", "--out", dir, "testdata/explainers/"+page+".html")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, tab := range []schemas.Table{schemas.Documents, schemas.QAPairs, schemas.WorkingGroups, schemas.Facts} {
				got, err := os.ReadFile(filepath.Join(dir, tab.Name+".jsonl"))
				if err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join("testdata", "golden", page, tab.Name+".jsonl")
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./cmd/articleetl -run TestGoldenExplainers -update, then review the files)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from %s:\n got: %s\nwant: %s", tab.Name, golden, firstDiffLine(got, want), firstDiffLine(want, got))
				}
			}
		})
	}
}

package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/articleetl/articleetl/internal/corpus"
	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/schemas"
)

// runShards runs args as n shards, keeping going past failed inputs as a sharded run's
// Indexed Job does, and returns their output directories.
func runShards(t *testing.T, args []string, n int) []string {
	t.Helper()
	var dirs []string
	for i := range n {
		cfg := config(filepath.Join(t.TempDir(), fmt.Sprintf("shard%d", i)))
		cfg.KeepGoing, cfg.Shard = true, Shard{Index: i, Count: n}
		if _, err := Run(context.Background(), args, cfg); err != nil && !errors.Is(err, ErrFailedInputs) {
			t.Fatalf("shard %d/%d: %v", i, n, err)
		}
		dirs = append(dirs, cfg.Out)
	}
	return dirs
}

// TestMergeKeepsFailedWARCRecords merges the shards of a run over a WARC file some of whose
// records fail, the same bytes three times at three offsets: the errors table has a row
// for each record, keyed by the record's origin, and the merge writes what the single run
// writes, table for table and in its manifest (its inputs, inputs_named and
// arguments_sha256, which let a merged dataset be checked, and merged, as a run's).
func TestMergeKeepsFailedWARCRecords(t *testing.T) {
	in := t.TempDir()
	broken := []byte("<html><body><nav>only chrome</nav></body></html>")
	pages := [][]byte{corpus.Page(1), broken, corpus.Page(2), broken, corpus.Page(3), broken, corpus.Page(1)}
	if err := corpus.WriteWARCPages(filepath.Join(in, "crawl.warc.gz"), pages); err != nil {
		t.Fatal(err)
	}
	args := []string{in}
	single := config(filepath.Join(t.TempDir(), "single"))
	single.KeepGoing = true
	if _, err := Run(context.Background(), args, single); !errors.Is(err, ErrFailedInputs) {
		t.Fatalf("single run: %v, want ErrFailedInputs", err)
	}
	merged := config(filepath.Join(t.TempDir(), "merged"))
	if _, err := Merge(context.Background(), runShards(t, args, 3), merged); err != nil {
		t.Fatalf("merge: %v", err)
	}
	for _, tab := range schemas.Tables() {
		for _, ext := range []string{".jsonl", ".parquet"} {
			a, err1 := os.ReadFile(filepath.Join(single.Out, tab.Name+ext))
			b, err2 := os.ReadFile(filepath.Join(merged.Out, tab.Name+ext))
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("%s%s: the merge differs from the single run (%d vs %d bytes)", tab.Name, ext, len(b), len(a))
			}
		}
	}
	ms, err1 := load.ReadManifest(single.Out)
	mm, err2 := load.ReadManifest(merged.Out)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	a, _ := json.Marshal(ms.Inputs)
	b, _ := json.Marshal(mm.Inputs)
	if !bytes.Equal(a, b) {
		t.Errorf("the merged manifest lists other inputs than the single run's:\n%s\nwant\n%s", b, a)
	}
	if mm.InputsNamed != ms.InputsNamed || mm.ArgumentsSHA256 != ms.ArgumentsSHA256 {
		t.Errorf("merged manifest: inputs_named %d, arguments_sha256 %q; want the single run's %d, %q",
			mm.InputsNamed, mm.ArgumentsSHA256, ms.InputsNamed, ms.ArgumentsSHA256)
	}
	origins := map[string]bool{}
	if err := load.ReadRows(merged.Out, mm, schemas.Errors.Name, func(e *schemas.InputError) error {
		if e.Origin != nil {
			origins[*e.Origin] = true
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(origins) != 3 {
		t.Errorf("errors table: origins %v, want the 3 failed records'", origins)
	}
}

// TestMergeRefusesWhatIsNotOneRun gives Merge what is not the shards of one run, each once
// and as written, and checks that it is refused, with the reason, and that nothing is
// written. (TestShardsMergeToTheSingleRun in cmd/articleetl checks other such cases through
// the command.)
func TestMergeRefusesWhatIsNotOneRun(t *testing.T) {
	in := filepath.Join(t.TempDir(), "corpus")
	if _, err := corpus.WriteDir(in, 24, 0); err != nil {
		t.Fatal(err)
	}
	s := runShards(t, []string{in}, 3)
	manifests := make([]*load.Manifest, len(s))
	var withInputs []int // the shards that list inputs (nearly always all three)
	for i, dir := range s {
		m, err := load.ReadManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		manifests[i] = m
		if len(m.Inputs) > 0 {
			withInputs = append(withInputs, i)
		}
	}
	if len(withInputs) < 2 {
		t.Fatalf("24 inputs went to %d of 3 shards", len(withInputs))
	}
	named := manifests[0].InputsNamed
	appendable := config(filepath.Join(t.TempDir(), "appendable"))
	appendable.Append = true
	if _, err := Run(context.Background(), []string{in}, appendable); err != nil {
		t.Fatal(err)
	}
	// replace returns the shards with shard i replaced by a copy that edit changed.
	replace := func(i int, edit func(m *load.Manifest)) ([]string, string) {
		c := editedCopy(t, s[i], edit)
		return append(append(append([]string{}, s[:i]...), c), s[i+1:]...), c
	}
	a, b := withInputs[0], withInputs[1]

	type refusal struct {
		shards []string
		reason string
	}
	for _, tt := range []struct {
		name string
		make func() refusal
	}{
		{"an appendable dataset", func() refusal {
			return refusal{[]string{appendable.Out}, "shard " + appendable.Out + ": only flat shard outputs can be merged"}
		}},
		{"a table this articleetl does not know", func() refusal {
			shards, c := replace(1, func(m *load.Manifest) {
				m.Tables = append(m.Tables, load.ManifestTable{Name: "sightings", SchemaVersion: "1.0.0"})
			})
			return refusal{shards, "shard " + c + `: unknown table "sightings"`}
		}},
		{"one shard in two directories", func() refusal {
			c := editedCopy(t, s[0], func(*load.Manifest) {})
			return refusal{[]string{s[0], s[1], c, s[2]}, "shards " + s[0] + " and " + c + " are both 0/3: give each shard once"}
		}},
		{"manifests without arguments_sha256", func() refusal {
			var shards []string
			for _, dir := range s {
				shards = append(shards, editedCopy(t, dir, func(m *load.Manifest) { m.ArgumentsSHA256 = "" }))
			}
			return refusal{shards, "shard " + shards[0] + ": its manifest does not record the run's inputs"}
		}},
		{"manifests whose inputs_named is wrong", func() refusal {
			// 0 is a count a run may write (no input named a page:
			// TestMergeOfARunWithNoPages), so these are refused for what they list.
			var shards []string
			for _, dir := range s {
				shards = append(shards, editedCopy(t, dir, func(m *load.Manifest) { m.InputsNamed = 0 }))
			}
			return refusal{shards, "lists input 0, but the run named 0"}
		}},
		{"the last shard missing", func() refusal {
			return refusal{s[:2], "shard 2/3 is missing: merge all 3 shards of the run"}
		}},
		{"two shards missing", func() refusal {
			return refusal{s[1:2], "shards 0/3, 2/3 are missing: merge all 3 shards of the run"}
		}},
		{"an input moved past the last the run named", func() refusal {
			seq := manifests[a].Inputs[len(manifests[a].Inputs)-1].Seq
			shards, _ := replace(a, func(m *load.Manifest) { m.Inputs[len(m.Inputs)-1].Seq = named })
			return refusal{shards, fmt.Sprintf("input %d of the %d the run named is in no shard", seq, named)}
		}},
		{"an input the run did not name", func() refusal {
			shards, c := replace(a, func(m *load.Manifest) {
				extra := m.Inputs[0]
				extra.Seq = named
				m.Inputs = append(m.Inputs, extra)
			})
			return refusal{shards, fmt.Sprintf("shard %s lists input %d, but the run named %d", c, named, named)}
		}},
		{"an input in two shards", func() refusal {
			other := manifests[b].Inputs[0]
			shards, c := replace(a, func(m *load.Manifest) { m.Inputs[0].Seq = other.Seq })
			// a < b: the copy of shard a lists the input first, shard b second.
			return refusal{shards, fmt.Sprintf("input %d (%s) is in shards %s and %s", other.Seq, other.Source, c, s[b])}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.make()
			cfg := config(filepath.Join(t.TempDir(), "merged"))
			_, err := Merge(context.Background(), r.shards, cfg)
			if err == nil || !strings.Contains(err.Error(), r.reason) {
				t.Errorf("merge: %v, want %q", err, r.reason)
			}
			if _, err := os.Stat(cfg.Out); !os.IsNotExist(err) {
				t.Errorf("a refused merge wrote %s", cfg.Out)
			}
		})
	}
}

// editedCopy copies the files of a shard's output to a new directory, changes its manifest
// with edit and returns the copy.
func editedCopy(t *testing.T, dir string, edit func(m *load.Manifest)) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(dir)+"-copy")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m, err := load.ReadManifest(dst)
	if err != nil {
		t.Fatal(err)
	}
	edit(m)
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dst, load.ManifestName), append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

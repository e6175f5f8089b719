package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/articleetl/articleetl/load"
)

// TestDuplicatesInFlight runs inputs whose exact duplicates follow each other closely, so
// that with many workers a copy is hashed (and even parsed) before its original: the
// dataset, the manifest's input statuses and the counts must be those of a run with one
// worker, whichever worker wins. A page that fails, and its copy, are in the mix too.
func TestDuplicatesInFlight(t *testing.T) {
	in := t.TempDir()
	may, june, wix := page(t, "semantic.html"), page(t, "semantic-2018-06-02.html"), page(t, "wix.html")
	bad := []byte("<html><body><p>not an article</p></body></html>")
	for i, b := range [][]byte{may, may, june, may, bad, wix, bad, june, wix, wix, may, june} {
		if err := os.WriteFile(filepath.Join(in, fmt.Sprintf("in-%02d.html", i)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(workers int) (Result, *load.Manifest, map[string][]byte) {
		out := filepath.Join(t.TempDir(), "out")
		cfg := config(out)
		cfg.Workers, cfg.KeepGoing = workers, true
		res, err := Run(context.Background(), []string{in}, cfg)
		if err != nil && res.Failed == 0 {
			t.Fatal(err)
		}
		m, err := load.ReadManifest(out)
		if err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{}
		for _, tbl := range m.Tables {
			for _, f := range tbl.Files {
				b, err := os.ReadFile(filepath.Join(out, f.Path))
				if err != nil {
					t.Fatal(err)
				}
				files[f.Path] = b
			}
		}
		return res, m, files
	}
	wantRes, wantM, wantFiles := run(1)
	if wantRes.Duplicates != 8 || wantRes.Failed != 2 || wantRes.NewSnapshots != 2 {
		t.Fatalf("one worker: %+v, want 8 duplicates, 2 failed, 2 new snapshots", wantRes)
	}
	// The first of each set of copies is held back, so that later copies are hashed and
	// parsed before it.
	testHookBeforeClaim = func(order int) {
		if order == 0 || order == 2 || order == 4 || order == 5 {
			time.Sleep(20 * time.Millisecond)
		}
	}
	defer func() { testHookBeforeClaim = nil }()
	for try := range 5 {
		res, m, files := run(8)
		if !reflect.DeepEqual(res, wantRes) {
			t.Errorf("try %d: result %+v, want %+v", try, res, wantRes)
		}
		if !reflect.DeepEqual(m.Inputs, wantM.Inputs) {
			t.Errorf("try %d: manifest inputs differ:\n%+v\nwant\n%+v", try, m.Inputs, wantM.Inputs)
		}
		for name, b := range wantFiles {
			if string(files[name]) != string(b) {
				t.Errorf("try %d: %s differs from the one-worker run", try, name)
			}
		}
	}
}

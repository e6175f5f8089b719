package load

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestAbandonedStagingIsRemoved: Create removes the staging directories of the same
// output whose lock it can take, and leaves those whose run holds its lock, those without
// a lock file and other outputs' ones.
func TestAbandonedStagingIsRemoved(t *testing.T) {
	parent := t.TempDir()
	if !tryLockWorks(t) {
		t.Skip("no advisory locks here")
	}

	stage := func(name string, lock bool) *os.File {
		dir := filepath.Join(parent, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "facts.parquet"), []byte("a table"), 0o644)
		if !lock {
			return nil
		}
		f, err := os.Create(filepath.Join(dir, lockName))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	dead := stage(".out.staging-1", true)
	dead.Close() // its run is gone
	alive := stage(".out.staging-2", true)
	if !tryLock(alive) {
		t.Fatal("cannot lock")
	}
	defer alive.Close()
	stage(".out.staging-3", false)
	for _, name := range []string{".other.staging-4", ".out.staging-5.staging-6", ".out.staging-x"} {
		other := stage(name, true) // another output's, or not a staging directory
		other.Close()
	}

	d, err := Create(filepath.Join(parent, "out"), Options{Formats: []Format{FormatJSONL}, ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if filepath.Join(parent, e.Name()) != d.staging {
			names = append(names, e.Name())
		}
	}
	if want := []string{".other.staging-4", ".out.staging-2", ".out.staging-3", ".out.staging-5.staging-6", ".out.staging-x"}; !slices.Equal(names, want) {
		t.Errorf("beside the new staging directory: %v, want %v", names, want)
	}

	// The new one is locked while the dataset is open, and removed with its lock.
	f, err := os.Open(filepath.Join(d.staging, lockName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if tryLock(f) {
		t.Error("the open dataset's staging directory is not locked")
	}
	d.Abort()
	if _, err := os.Stat(d.staging); !os.IsNotExist(err) {
		t.Errorf("staging directory left after Abort: %v", err)
	}
}

// TestStagingOfOddNames: an output whose name holds pattern characters ("*" is also
// os.MkdirTemp's placeholder) still gets a staging directory the next run recognises.
func TestStagingOfOddNames(t *testing.T) {
	for _, name := range []string{"out*", "o[u]t", "a*b*"} {
		parent := t.TempDir()
		d, err := Create(filepath.Join(parent, name), Options{Formats: []Format{FormatJSONL}, ToolVersion: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if base := filepath.Base(d.staging); !strings.HasPrefix(base, stagingPrefix(name)) {
			t.Errorf("%s: staging directory %s", name, base)
		}
		d.lock.Close() // as if the run were killed: its lock goes, its directory stays
		d.lock = nil
		d2, err := Create(filepath.Join(parent, name), Options{Formats: []Format{FormatJSONL}, ToolVersion: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(d.staging); tryLockWorks(t) && !os.IsNotExist(err) {
			t.Errorf("%s: the abandoned staging directory is still there", name)
		}
		d2.Abort()
		d.Abort()
	}
}

// tryLockWorks reports whether advisory locks are available in the test's directory.
func tryLockWorks(t *testing.T) bool {
	f, err := os.Create(filepath.Join(t.TempDir(), "probe"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return tryLock(f)
}

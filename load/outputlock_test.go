//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLockOutputFollowsThePath removes and recreates the output directory just after a
// lock is taken on it, as a run that created it and wrote nothing does: the lock must be
// taken again on the directory the path names now, so that a second run is refused.
func TestLockOutputFollowsThePath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "archive")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	swapped := 0
	afterLock = func() {
		if swapped == 0 {
			os.Remove(dir)
			os.Mkdir(dir, 0o755)
		}
		swapped++
	}
	defer func() { afterLock = nil }()
	release, err := LockOutput(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if swapped != 2 {
		t.Errorf("locked %d times, want 2 (again after the swap)", swapped)
	}
	afterLock = nil
	if _, err := LockOutput(dir); err == nil || !strings.Contains(err.Error(), "another articleetl run is appending") {
		t.Errorf("a second lock on the directory the path names: %v, want refused", err)
	}
}

// TestLockOutputCreatorRefused: two appends start at once on a directory that does not
// exist yet. The first creates it, the second locks it first, and the first is refused.
// When the second writes nothing either, its release must remove the directory the first
// created; it used to be left behind, empty, since the run holding the lock had not
// created it.
func TestLockOutputCreatorRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "archive")
	var releaseSecond func()
	beforeLock = func() {
		beforeLock = nil // the second run's own attempt
		var err error
		if releaseSecond, err = LockOutput(dir); err != nil {
			t.Errorf("the second run: %v", err)
		}
	}
	defer func() { beforeLock = nil }()
	if _, err := LockOutput(dir); err == nil || !strings.Contains(err.Error(), "another articleetl run is appending") {
		t.Fatalf("the first run: %v, want refused while the second holds the lock", err)
	}
	if releaseSecond == nil {
		t.Fatal("the second run holds no lock")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("while the second run holds it: %v", err)
	}
	releaseSecond()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		entries, _ := os.ReadDir(dir)
		t.Errorf("after both runs wrote nothing, %s is still there (%v, holding %d entries)", dir, err, len(entries))
	}
}

// TestLockOutputKeepsWhatItDidNotCreate: an append to an empty directory that existed before
// it, or to one with a dataset, that writes nothing leaves the directory, without the mark.
func TestLockOutputKeepsWhatItDidNotCreate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "archive")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	release, err := LockOutput(dir)
	if err != nil {
		t.Fatal(err)
	}
	release()
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 0 {
		t.Errorf("%s after an append that wrote nothing: %v, %d entries; want it there, empty", dir, err, len(entries))
	}
	fresh := filepath.Join(t.TempDir(), "new")
	release, err = LockOutput(fresh)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fresh, "manifest.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	release()
	if _, err := os.Stat(filepath.Join(fresh, createdMark)); !os.IsNotExist(err) {
		t.Errorf("the mark is left in a directory the append wrote to: %v", err)
	}
}

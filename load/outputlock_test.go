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

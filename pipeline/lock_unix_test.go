//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestConcurrentAppendIsRefused holds the output directory's lock, as a running append
// does, and checks that a second append is refused and changes nothing. Two appends at once
// used to both succeed: the manifest renamed last listed only its own run's parts, and the
// other run's were left in the directory, unlisted but read by every glob.
func TestConcurrentAppendIsRefused(t *testing.T) {
	out := filepath.Join(t.TempDir(), "archive")
	cfg := config(out)
	cfg.Append = true
	if _, err := Run(context.Background(), []string{filepath.Join("..", "testdata", "article", "semantic.html")}, cfg); err != nil {
		t.Fatal(err)
	}
	before := snapshotDir(t, out)
	d, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := syscall.Flock(int(d.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Skipf("no flock on directories here: %v", err)
	}
	_, err = Run(context.Background(), []string{filepath.Join("..", "testdata", "article", "semantic-2018-06-02.html")}, cfg)
	if err == nil || !strings.Contains(err.Error(), "another articleetl run is appending") {
		t.Fatalf("append while another holds the dataset: %v", err)
	}
	if after := snapshotDir(t, out); after != before {
		t.Errorf("a refused append changed the dataset:\nbefore %s\nafter  %s", before, after)
	}
	syscall.Flock(int(d.Fd()), syscall.LOCK_UN)
	if _, err := Run(context.Background(), []string{filepath.Join("..", "testdata", "article", "semantic-2018-06-02.html")}, cfg); err != nil {
		t.Fatalf("append once the lock is free: %v", err)
	}
}

// TestFailedFirstAppendLeavesNoDirectory: the lock creates the output directory of a new
// dataset; a run that writes nothing removes it again.
func TestFailedFirstAppendLeavesNoDirectory(t *testing.T) {
	out := filepath.Join(t.TempDir(), "archive")
	cfg := config(out)
	cfg.Append = true
	if _, err := Run(context.Background(), []string{filepath.Join(t.TempDir(), "missing.html")}, cfg); err == nil {
		t.Fatal("a missing input succeeded")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed first append left %s (%v)", out, err)
	}
}

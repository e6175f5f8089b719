//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/articleetl/articleetl/source"
)

// TestShardReadsOnlyItsFiles runs one shard over a page of its own and a named pipe that
// belongs to the other shard. Opening a pipe blocks until something writes to it, so the
// run finishes only if the shard skips the other shard's input without reading it; every
// shard used to read every file in full.
func TestShardReadsOnlyItsFiles(t *testing.T) {
	dir := t.TempDir()
	shard := Shard{Index: 0, Count: 2}
	var mine, theirs string
	for i := 0; mine == "" || theirs == ""; i++ {
		p := filepath.Join(dir, string(rune('a'+i))+".html")
		if shard.Has(source.Item{Source: p}) {
			if mine == "" {
				mine = p
				if err := os.WriteFile(p, page(t, "wix.html"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		} else if theirs == "" {
			theirs = p
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Skipf("no named pipes here: %v", err)
			}
		}
	}
	cfg := config(filepath.Join(t.TempDir(), "out"))
	cfg.Shard = shard
	finished := make(chan error, 1)
	go func() {
		_, err := Run(context.Background(), []string{dir}, cfg)
		finished <- err
	}()
	select {
	case err := <-finished:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		// Unblock the reader so the run can end, then fail.
		if f, err := os.OpenFile(theirs, os.O_WRONLY, 0); err == nil {
			f.Close()
		}
		<-finished
		t.Fatalf("the shard opened %s, another shard's input", filepath.Base(theirs))
	}
}

func TestParseShard(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Shard
		ok   bool
	}{
		{"0/3", Shard{0, 3}, true},
		{"2/3", Shard{2, 3}, true},
		{"0/1", Shard{0, 1}, true},
		{"15/16", Shard{15, 16}, true},
		{"3/3", Shard{}, false},
		{"-1/2", Shard{}, false},
		{"+1/3", Shard{}, false},
		{"1/+3", Shard{}, false},
		{" 1/3", Shard{}, false},
		{"1/0", Shard{}, false},
		{"0/0", Shard{}, false},
		{"a/b", Shard{}, false},
		{"1", Shard{}, false},
		{"/3", Shard{}, false},
		{"1/2/3", Shard{}, false},
		{"0x1/3", Shard{}, false},
		{"", Shard{}, false},
	} {
		got, err := ParseShard(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseShard(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

package gctarget

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// percent reads the collector's percentage without changing it.
func percent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestSetRaisesThePercentage checks that with a target far above the live heap the
// collector's percentage is raised after a collection (to at most 2000), and that restore
// puts back the setting from before.
func TestSetRaisesThePercentage(t *testing.T) {
	before := debug.SetGCPercent(150)
	defer debug.SetGCPercent(before)
	restore := Set(256 << 20)
	deadline := time.Now().Add(5 * time.Second)
	for percent() <= 100 && time.Now().Before(deadline) {
		runtime.GC() // the percentage is set after each collection, by a finalizer
		time.Sleep(10 * time.Millisecond)
	}
	if p := percent(); p <= 100 || p > 2000 {
		t.Errorf("with a 256 MiB target and a small live heap, GOGC = %d; want above 100, at most 2000", p)
	}
	restore()
	if p := percent(); p != 150 {
		t.Errorf("after restore, GOGC = %d, want 150 as before", p)
	}
	runtime.GC()
	time.Sleep(20 * time.Millisecond)
	if p := percent(); p != 150 {
		t.Errorf("a collection after restore set GOGC to %d: the tuner still runs", p)
	}
}

// TestSetNotBelowDefault checks that a target below the live heap leaves the collector at
// Go's default rather than collecting more often.
func TestSetNotBelowDefault(t *testing.T) {
	keep := make([][]byte, 0, 64)
	for range 64 {
		keep = append(keep, make([]byte, 1<<20)) // 64 MiB live
	}
	restore := Set(8 << 20)
	defer restore()
	for range 3 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if p := percent(); p != 100 {
		t.Errorf("with 64 MiB live and an 8 MiB target, GOGC = %d, want Go's default 100", p)
	}
	runtime.KeepAlive(keep)
}

func TestSetZero(t *testing.T) {
	before := debug.SetGCPercent(120)
	defer debug.SetGCPercent(before)
	Set(0)()
	if p := percent(); p != 120 {
		t.Errorf("Set(0) changed GOGC to %d", p)
	}
}

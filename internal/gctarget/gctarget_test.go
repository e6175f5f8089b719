package gctarget

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
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

func TestPercentFor(t *testing.T) {
	for _, tt := range []struct {
		live, roots uint64
		target      int64
		want        int
	}{
		{0, 0, 128 << 20, 2000},
		{1 << 20, 0, 128 << 20, 2000},        // 12,700% clamped
		{16 << 20, 0, 128 << 20, 700},        // the next collection at 16 + 16×7 = 128 MiB
		{16 << 20, 16 << 20, 128 << 20, 350}, // stacks and globals count too: 16 + 32×3.5
		{64 << 20, 0, 128 << 20, 100},        // exactly twice: Go's default
		{100 << 20, 0, 128 << 20, 100},       // 28% would collect more often than the default
		{200 << 20, 0, 128 << 20, 100},       // past the target
		{1 << 20, 0, 64 << 20, 1600},         // the runtime's floor, 4 MiB × 16, is the target
		{1 << 20, 0, 16 << 20, 400},          // likewise
		{0, 0, 2 << 20, 100},                 // a target below the floor: Go's default
	} {
		if got := percentFor(tt.live, tt.roots, tt.target); got != tt.want {
			t.Errorf("percentFor(%d MiB live, %d MiB roots, %d MiB) = %d, want %d", tt.live>>20, tt.roots>>20, tt.target>>20, got, tt.want)
		}
	}
}

// TestGoalWithinTarget checks the runtime's own heap goal, after a few collections, against
// the target, with little live and with some (a review found goals of 80 MiB for targets of
// 16 and 64 MiB, and 65 MiB for 64 with 8 MiB live).
func TestGoalWithinTarget(t *testing.T) {
	goal := func() uint64 {
		s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	settle := func() {
		for range 3 {
			runtime.GC()
			time.Sleep(20 * time.Millisecond)
		}
	}
	// Targets at least twice what is live: below that the percentage stays at Go's
	// default, whose goal is twice the live heap, by design.
	for live, targets := range map[int][]int64{0: {16 << 20, 64 << 20}, 8: {32 << 20, 64 << 20}} {
		keep := make([][]byte, live)
		for i := range keep {
			keep[i] = make([]byte, 1<<20)
		}
		for _, target := range targets {
			restore := Set(target)
			settle()
			g := goal()
			restore()
			if g > uint64(target) {
				t.Errorf("%d MiB live, target %d MiB: heap goal %.1f MiB", live, target>>20, float64(g)/(1<<20))
			}
		}
		runtime.KeepAlive(keep)
	}
}

// TestRestoreIsFinal ends settings while collections run on another goroutine: a
// collection under way when a setting ends must not change GOGC after it (a review found
// that with gctuner it did, 35 times in 300).
func TestRestoreIsFinal(t *testing.T) {
	before := debug.SetGCPercent(150)
	defer debug.SetGCPercent(before)
	var stop atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		for !stop.Load() {
			runtime.GC()
		}
	}()
	bad := 0
	for i := range 300 {
		restore := Set(256 << 20)
		time.Sleep(time.Duration(i%7) * 100 * time.Microsecond)
		restore()
		restore() // a second call changes nothing
		time.Sleep(2 * time.Millisecond)
		if percent() != 150 {
			bad++
			debug.SetGCPercent(150)
		}
	}
	stop.Store(true)
	<-done
	if bad > 0 {
		t.Errorf("%d times in 300, GOGC changed after the setting ended", bad)
	}
}

// TestOverlappingSettings checks that GOGC comes back when the last of two settings ends,
// whichever order they end in.
func TestOverlappingSettings(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	a := Set(256 << 20)
	for i := 0; i < 50 && percent() <= 100; i++ {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	b := Set(256 << 20)
	a()
	runtime.GC()
	time.Sleep(20 * time.Millisecond)
	if p := percent(); p <= 100 {
		t.Errorf("with one setting still in force, GOGC = %d: tuning stopped", p)
	}
	b()
	runtime.GC()
	time.Sleep(20 * time.Millisecond)
	if p := percent(); p != 100 {
		t.Errorf("after both settings ended, GOGC = %d, want 100", p)
	}
}

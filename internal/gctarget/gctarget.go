// Package gctarget lets a process's heap grow to a target size between garbage
// collections, instead of Go's default of twice the live heap.
//
// A run of articleetl holds little (10 to 25 MB live) and allocates a lot (goquery about
// 540 KB a page), so at Go's default the collector ran every 15 to 40 pages; on two cores
// that was about a fifth of a run's CPU, and with two workers it competed with them for
// the cores (README, Performance). Setting GOGC higher for good would make a run whose
// live heap is large use several times that. A target instead bounds the heap by the
// target, or by Go's default for a live heap past it: after each collection the
// collector's percentage is set so that the next collection starts when the heap reaches
// the target.
//
// This was first built on bytedance/gopkg's gctuner, which a review found racy (its
// limits are read without synchronisation, which -race reports) and whose stop could be
// overtaken by a collection already under way, leaving GOGC raised with nothing tuning it.
// The mechanism is small enough to own: a finalizer re-armed at every collection, one
// mutex, and a generation number so that a stopped tuner never touches GOGC again.
package gctarget

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// The percentage is kept between Go's default (never collecting more often than without
// a target) and 2000 (a live heap of 3 MB may grow to the 64 MiB default target).
const (
	minPercent = 100
	maxPercent = 2000
)

var (
	mu     sync.Mutex
	active int    // settings in force
	target int64  // bytes, of the latest setting
	before int    // GOGC before the first setting in force
	gen    uint64 // changes when tuning stops, so that earlier finalizers do nothing
)

// sentinel is the object whose finalizer runs after each collection. It holds a pointer,
// so that it is not allocated in a tiny block with other objects, where its finalizer
// might never run.
type sentinel struct {
	gen uint64
	_   *byte
}

// Set keeps the heap growing to target bytes between collections, never collecting less
// often than GOGC=2000 or more often than Go's default (GOGC=100), and returns the function
// that ends this setting; when the last setting in force ends, GOGC is put back as it was
// before the first. A target of 0 changes nothing.
func Set(t int64) (restore func()) {
	if t <= 0 {
		return func() {}
	}
	mu.Lock()
	if active == 0 {
		before = debug.SetGCPercent(minPercent)
		gen++
		arm(gen)
	}
	active++
	target = t
	mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			mu.Lock()
			defer mu.Unlock()
			if active--; active == 0 {
				gen++
				debug.SetGCPercent(before)
			}
		})
	}
}

func arm(g uint64) {
	runtime.SetFinalizer(&sentinel{gen: g}, afterGC)
}

// afterGC sets the percentage for the next collection and re-arms itself, unless tuning
// stopped since it was armed.
func afterGC(s *sentinel) {
	mu.Lock()
	defer mu.Unlock()
	if s.gen != gen || active == 0 {
		return
	}
	debug.SetGCPercent(percentFor(liveHeap(), target))
	arm(gen)
}

var liveSample = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}

// liveHeap is the heap the last collection found live: what GOGC multiplies. Reading it
// does not stop the world, as runtime.ReadMemStats does.
func liveHeap() uint64 {
	metrics.Read(liveSample)
	if liveSample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return liveSample[0].Value.Uint64()
}

// percentFor is the percentage that starts the next collection at target bytes of heap
// when live bytes are live.
func percentFor(live uint64, target int64) int {
	if live == 0 {
		return maxPercent
	}
	if uint64(target) <= live {
		return minPercent
	}
	p := (uint64(target) - live) * 100 / live
	return int(min(max(p, minPercent), maxPercent))
}

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
// a target) and 2000 (a live heap of 3 MB may grow to the 64 MiB default target), and
// below the one at which the runtime's smallest heap goal passes the target.
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
	live, roots := heap()
	debug.SetGCPercent(percentFor(live, roots, target))
	arm(gen)
}

var samples = []metrics.Sample{
	{Name: "/gc/heap/live:bytes"},
	{Name: "/gc/scan/stack:bytes"},
	{Name: "/gc/scan/globals:bytes"},
}

// heap returns the heap the last collection found live and the roots it scanned (stacks
// and globals), which the runtime's heap goal counts too: goal = live + (live + roots) ×
// GOGC/100. Reading them does not stop the world, as runtime.ReadMemStats does.
func heap() (live, roots uint64) {
	metrics.Read(samples)
	v := func(i int) uint64 {
		if samples[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return samples[i].Value.Uint64()
	}
	return v(0), v(1) + v(2)
}

// minHeap is the runtime's smallest heap goal at GOGC=100, scaled by GOGC like the rest:
// a percentage p never lets a collection start below minHeap × p/100.
const minHeap = 4 << 20

// percentFor is the percentage whose heap goal is target bytes when live bytes are live
// and roots bytes of stacks and globals are scanned. Without roots in the sum, and without
// the runtime's floor (at 2000%, 80 MiB whatever is live), a review measured goals of 65
// and 80 MiB for a 64 MiB target.
func percentFor(live, roots uint64, target int64) int {
	t := uint64(target)
	ceiling := min(t*100/minHeap, maxPercent)
	switch {
	case live+roots == 0:
		return int(max(ceiling, minPercent))
	case t <= live:
		return minPercent
	}
	p := (t - live) * 100 / (live + roots)
	return int(max(min(p, ceiling), minPercent))
}

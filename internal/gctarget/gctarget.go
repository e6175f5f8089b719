// Package gctarget lets a process's heap grow to a target size between garbage
// collections, instead of Go's default of twice the live heap.
//
// A run of articleetl holds little (10 to 25 MB live) and allocates a lot (goquery about
// 540 KB a page), so at Go's default the collector ran every 15 to 40 pages; on two cores
// that was about a fifth of a run's CPU, and with two workers it competed with them for
// the cores (README, Performance). Setting GOGC higher for good would make a run whose
// live heap is large use several times that; keeping a target instead (gctuner, which
// resets the collector's percentage after each collection so that the next starts when
// the heap reaches the target) bounds the heap by the target, or by Go's default for a
// live heap past it.
package gctarget

import (
	"runtime/debug"

	"github.com/bytedance/gopkg/util/gctuner"
)

// Set keeps the heap growing to target bytes between collections, never collecting less
// often than GOGC=2000 or more often than Go's default (GOGC=100), and returns the function
// that puts back the collector's setting from before. A target of 0 changes nothing.
func Set(target int64) (restore func()) {
	if target <= 0 {
		return func() {}
	}
	previous := debug.SetGCPercent(100)
	gctuner.SetMinGCPercent(100)
	gctuner.SetMaxGCPercent(2000)
	gctuner.Tuning(uint64(target))
	return func() {
		gctuner.Tuning(0)
		debug.SetGCPercent(previous)
	}
}

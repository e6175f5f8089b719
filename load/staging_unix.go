//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package load

import (
	"os"
	"syscall"
)

// tryLock takes an exclusive advisory lock on f without waiting, and reports whether it
// did. The lock belongs to f's open file, so another open of the same file (in this
// process or another) cannot take it while f is open.
func tryLock(f *os.File) bool {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}

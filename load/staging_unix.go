//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package load

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes an exclusive advisory lock on f without waiting, and reports whether it
// did. The lock belongs to f's open file, so another open of the same file (in this
// process or another) cannot take it while f is open.
func tryLock(f *os.File) bool {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}

// lockOrBusy takes an exclusive advisory lock on f without waiting. It reports busy when
// another open file holds one, and an error where locks cannot be had.
func lockOrBusy(f *os.File) (busy bool, err error) {
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, nil
	}
	return false, err
}

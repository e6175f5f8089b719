//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package load

import (
	"errors"
	"os"
)

// tryLock reports false where advisory locks are not available here: staging directories
// are then never locked, and never removed as abandoned.
func tryLock(*os.File) bool { return false }

// lockOrBusy reports that locks are not available here: appends are not serialised.
func lockOrBusy(*os.File) (bool, error) { return false, errors.ErrUnsupported }

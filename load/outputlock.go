package load

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// LockOutput takes an exclusive advisory lock (flock) on the output directory dir, creating
// it if need be, for an append: two appends to one dataset at once would each commit a
// manifest listing the parts it read plus its own, and the one renamed last would leave the
// other's parts in the directory, unlisted, read by every glob. A second append is refused
// while the lock is held; the operating system releases it however the process ends. Where
// directories cannot be locked (some network file systems) the append goes on unlocked,
// as before. release drops the lock and removes dir again if this call created it and it
// is still empty (a run that wrote nothing leaves no trace).
func LockOutput(dir string) (release func(), err error) {
	_, statErr := os.Stat(dir)
	created := errors.Is(statErr, fs.ErrNotExist)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", dir, err)
	}
	removeIfCreated := func() {
		if created {
			os.Remove(dir) // only if empty
		}
	}
	f, err := os.Open(dir)
	if err != nil {
		removeIfCreated()
		return nil, err
	}
	busy, err := lockOrBusy(f)
	if busy {
		f.Close()
		return nil, fmt.Errorf("%s: another articleetl run is appending to it; nothing was written: run again when it has finished", dir)
	}
	if err != nil { // no locks here: go on without
		f.Close()
		return removeIfCreated, nil
	}
	return func() {
		f.Close()
		removeIfCreated()
	}, nil
}

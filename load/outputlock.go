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
	// The lock is on the directory the path names when it is taken: a run that created the
	// directory and removes it again (empty) may do so while another has it open, and that
	// one's lock would then be on a removed directory. So the path is checked after
	// locking, and the lock taken again on what it names now.
	for range 5 {
		release, again, err := lockOutput(dir)
		if !again {
			return release, err
		}
	}
	return nil, fmt.Errorf("%s: another articleetl run keeps creating and removing it; nothing was written", dir)
}

// lockOutput is one attempt of LockOutput; again reports that the directory locked is no
// longer the one the path names.
func lockOutput(dir string) (release func(), again bool, err error) {
	_, statErr := os.Stat(dir)
	created := errors.Is(statErr, fs.ErrNotExist)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, false, fmt.Errorf("creating %s: %w", dir, err)
	}
	removeIfCreated := func() {
		if created {
			os.Remove(dir) // only if empty
		}
	}
	f, err := os.Open(dir)
	if err != nil {
		removeIfCreated()
		return nil, false, err
	}
	busy, err := lockOrBusy(f)
	if busy {
		f.Close()
		return nil, false, fmt.Errorf("%s: another articleetl run is appending to it; nothing was written: run again when it has finished", dir)
	}
	if err != nil { // no locks here: go on without
		f.Close()
		return removeIfCreated, false, nil
	}
	if afterLock != nil {
		afterLock()
	}
	locked, err1 := f.Stat()
	named, err2 := os.Stat(dir)
	if err1 != nil || err2 != nil || !os.SameFile(locked, named) {
		f.Close()
		return nil, true, nil
	}
	return func() {
		removeIfCreated() // while the lock is held, so nobody locks it in between
		f.Close()
	}, false, nil
}

// afterLock, when set (by tests), runs once a lock is taken, before its directory is
// checked: where another run would remove the directory.
var afterLock func()

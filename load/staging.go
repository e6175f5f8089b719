package load

import (
	"os"
	"path/filepath"
	"strings"
)

// A run that is killed (SIGKILL, the kernel's OOM killer, a node lost under a batch job)
// cannot remove its staging directory, which holds a whole run's tables beside the output.
// So a staging directory is locked for as long as its run lives: the lock is an advisory
// lock (flock) on the file .lock inside it, which the operating system releases when the
// process ends however it ends, on any host that shares the file system's locks. Create
// removes every staging directory of the same output whose lock it can take: their runs
// are gone. A staging directory without a lock file (a run that is just starting, or an
// older version's) is left alone; so is any directory where locks are not supported.

// lockName is the lock file in a staging directory. It appears only once it is locked
// (it is locked under another name, then renamed), so that a run that finds it unlocked
// knows its owner is gone rather than not yet started.
const lockName = ".lock"

// lockStaging locks the staging directory dir for the life of the process (or until the
// returned file is closed). It returns nil where locks cannot be had: the run goes on, and
// its staging directory, if it is killed, is left for people to remove.
func lockStaging(dir string) *os.File {
	f, err := os.CreateTemp(dir, lockName+"-")
	if err != nil {
		return nil
	}
	if !tryLock(f) || os.Rename(f.Name(), filepath.Join(dir, lockName)) != nil {
		f.Close()
		os.Remove(f.Name())
		return nil
	}
	return f
}

// removeAbandonedStaging removes the staging directories of the output dir whose runs are
// gone (see above). They are found by name, the prefix and the digits os.MkdirTemp adds,
// not by a glob, in which an output's name could hold pattern characters.
func removeAbandonedStaging(parent, base string) {
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), stagingPrefix(base))
		if !ok || !e.IsDir() || rest == "" || strings.Trim(rest, "0123456789") != "" {
			continue
		}
		dir := filepath.Join(parent, e.Name())
		// Opened for writing: an NFS client refuses an exclusive lock on a file opened
		// only for reading (Linux emulates flock there with POSIX locks).
		f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR, 0)
		if err != nil {
			continue // no lock file: a run starting, or one from before locks
		}
		if tryLock(f) {
			os.RemoveAll(dir) // its run is gone; its lock goes with it
		}
		f.Close()
	}
}

// stagingPrefix is the name of an output directory's staging directories, up to the
// random part: hidden, so that Spark, pyarrow and globs skip them.
func stagingPrefix(base string) string { return "." + base + ".staging-" }

// stagingPattern is the os.MkdirTemp pattern of an output's staging directories: the
// random part replaces the last "*", so one is added for it, and a "*" in the output's
// name stays as it is.
func stagingPattern(base string) string { return stagingPrefix(base) + "*" }

package validate

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/articleetl/articleetl/load"
)

// checkFile checks one listed file: its size and SHA-256 against the manifest, then its
// content by format, then its row count against the manifest.
func (c *checker) checkFile(fc *fileCheck) {
	mf := fc.ManifestFile
	known := fc.table.table.Name != ""
	if known {
		fc.idx = c.indexFor(fc.table.name, mf.Format)
	}
	idx := fc.idx
	f, err := c.root.Open(filepath.FromSlash(mf.Path))
	if err != nil {
		idx.setIncomplete()
		if errors.Is(err, fs.ErrNotExist) {
			c.add(Problem{File: mf.Path, Reason: "listed in " + load.ManifestName + " but does not exist"})
		} else {
			c.add(Problem{File: mf.Path, Reason: "cannot open: " + unwrapPath(err).Error()})
		}
		return
	}
	defer f.Close()
	h := sha256.New()
	size, err := io.Copy(h, f)
	if err != nil {
		idx.setIncomplete()
		c.add(Problem{File: mf.Path, Reason: "cannot read: " + unwrapPath(err).Error()})
		return
	}
	if size != mf.Bytes {
		c.add(Problem{File: mf.Path, Reason: fmt.Sprintf("size is %d bytes, %s says %d", size, load.ManifestName, mf.Bytes)})
	}
	if sum := hex.EncodeToString(h.Sum(nil)); sum != strings.ToLower(mf.SHA256) {
		c.add(Problem{File: mf.Path, Reason: fmt.Sprintf("sha256 is %s, %s says %s", sum, load.ManifestName, mf.SHA256)})
	}
	if !known {
		return
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		idx.setIncomplete()
		c.add(Problem{File: mf.Path, Reason: "cannot read: " + unwrapPath(err).Error()})
		return
	}
	var rows int64
	var ok bool
	switch load.Format(mf.Format) {
	case load.FormatJSONL:
		rows, ok = c.checkJSONL(fc, f)
	case load.FormatParquet:
		rows, ok = c.checkParquet(fc, f, size)
	}
	if ok && rows != mf.Rows {
		c.add(Problem{File: mf.Path, Reason: fmt.Sprintf("has %d rows, %s says %d", rows, load.ManifestName, mf.Rows)})
	}
}

// checkUnlisted reports every file under the directory that looks like a table file
// (.parquet, .jsonl, in any subdirectory) but is not listed in the manifest.
func (c *checker) checkUnlisted(listed map[string]bool) {
	fs.WalkDir(c.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			c.add(Problem{File: p, Reason: "cannot read: " + unwrapPath(err).Error()})
			return nil
		}
		if d.IsDir() {
			return nil
		}
		switch strings.ToLower(path.Ext(p)) {
		case ".parquet", ".jsonl":
			if !listed[p] {
				c.add(Problem{File: p, Reason: "table file not listed in " + load.ManifestName})
			}
		}
		return nil
	})
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

package load

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/parquet-go/parquet-go"
)

// ReadRows streams every row of a table of the dataset in dir, as listed in its manifest,
// calling fn for each. It reads the JSONL files when the dataset has them (cheaper to
// decode row by row), else the Parquet files. Rows written with an earlier minor schema
// version read fine: columns they lack stay zero or nil.
//
// Every file read is checked against the size and SHA-256 the manifest records, so that
// an append or a merge never builds on a file changed since it was written (as `validate`
// would report it): a JSONL file is hashed as it is decoded, and the error comes once it
// has been read to the end, before ReadRows returns; a Parquet file, read out of order,
// is hashed first.
func ReadRows[T any](dir string, m *Manifest, table string, fn func(*T) error) error {
	mt := m.Table(table)
	if mt == nil {
		return nil
	}
	format := string(FormatParquet)
	for _, f := range mt.Files {
		if f.Format == string(FormatJSONL) {
			format = f.Format
		}
	}
	for _, f := range mt.Files {
		if f.Format != format {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		var err error
		if format == string(FormatJSONL) {
			err = readJSONL(p, f, fn)
		} else if err = checkFixity(p, f); err == nil {
			err = readParquet(p, fn)
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", p, err)
		}
	}
	return nil
}

// ErrFixity is wrapped by the error of a file that differs from its manifest entry.
var ErrFixity = errors.New("the file differs from what the manifest records")

// checkFixity hashes the file at path and compares it with its manifest entry.
func checkFixity(path string, want ManifestFile) error {
	got, err := fixity(path)
	if err != nil {
		return err
	}
	if got.Bytes != want.Bytes {
		return fmt.Errorf("%w: %d bytes, manifest.json says %d", ErrFixity, got.Bytes, want.Bytes)
	}
	return compareSHA256(got.SHA256, want)
}

// compareSHA256 compares a file's SHA-256 with its manifest entry's.
func compareSHA256(sum string, want ManifestFile) error {
	if sum != want.SHA256 {
		return fmt.Errorf("%w: sha256 is %s, manifest.json says %s", ErrFixity, sum, want.SHA256)
	}
	return nil
}

func readJSONL[T any](path string, want ManifestFile, fn func(*T) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	dec := json.NewDecoder(bufio.NewReaderSize(io.TeeReader(f, h), 64<<10))
	for line := 1; ; line++ {
		var row T
		if err := dec.Decode(&row); errors.Is(err, io.EOF) {
			return compareSHA256(hex.EncodeToString(h.Sum(nil)), want)
		} else if err != nil {
			if ferr := checkFixity(path, want); ferr != nil {
				return ferr // a changed file explains a row that does not decode
			}
			return fmt.Errorf("row %d: %w", line, err)
		}
		if err := fn(&row); err != nil {
			return err
		}
	}
}

func readParquet[T any](path string, fn func(*T) error) (err error) {
	defer recoverPanic("reading parquet", &err)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := parquet.NewGenericReader[T](f)
	defer r.Close()
	buf := make([]T, 256)
	for {
		n, err := r.Read(buf)
		for i := range n {
			if ferr := fn(&buf[i]); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// CheckFiles checks, without reading them, that the files of a dataset are as its manifest
// lists them: each listed file there with its recorded size, and no other table file in the
// directory, where every reader's glob would take it. An append reads one format's files in
// full (ReadRows hashes them); this is what it checks of the rest before adding a part, so
// that it never extends a dataset validate would reject.
func CheckFiles(dir string, m *Manifest) error {
	listed := map[string]bool{}
	for _, t := range m.Tables {
		for _, f := range t.Files {
			listed[filepath.FromSlash(f.Path)] = true
			p := filepath.Join(dir, filepath.FromSlash(f.Path))
			fi, err := os.Stat(p)
			if errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("%s: %w: it is listed in %s but missing", p, ErrFixity, ManifestName)
			}
			if err != nil {
				return err
			}
			if fi.Size() != f.Bytes {
				return fmt.Errorf("%s: %w: %d bytes, %s says %d", p, ErrFixity, fi.Size(), ManifestName, f.Bytes)
			}
		}
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		switch filepath.Ext(p) {
		case ".parquet", ".jsonl":
			if !listed[rel] {
				return fmt.Errorf("%s: a table file %s does not list, which readers' globs would take", p, ManifestName)
			}
		}
		return nil
	})
}

// Package validate checks an output directory written by articleetl: that every file the
// manifest lists is there with the size, SHA-256 and row count it records and no table file
// is unlisted; that every JSONL line and every Parquet row satisfies the JSON Schema of the
// version its table declares (Parquet files also their key-value metadata and column types);
// and that primary keys are unique, references resolve and each document's counts are right.
package validate

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/schemas"
)

// Problem is one thing wrong with a dataset.
type Problem struct {
	File   string // path relative to the dataset directory, with forward slashes
	Row    int    // 1-based row (JSONL line, Parquet row); 0 when it concerns the whole file
	Field  string // column, JSON location inside the row, or manifest or metadata key; "" for none
	Reason string // one line
}

// String formats the problem as one line, "file:row: field: reason", leaving out the row when
// it is 0 and the field when it is empty.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Row > 0 {
		fmt.Fprintf(&b, ":%d", p.Row)
	}
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(": ")
	}
	b.WriteString(p.Reason)
	return b.String()
}

// ErrNoManifest is returned (wrapped) by Dataset for a directory without a manifest.json.
var ErrNoManifest = errors.New("no " + load.ManifestName + ": not a directory written by articleetl")

// Dataset checks an output directory written by articleetl and returns every problem found,
// in the order found (nil when the dataset is valid). The error return is for failures to
// even start: a directory that cannot be read (wrapping the fs error), one without a
// manifest (wrapping ErrNoManifest), or a manifest that is not JSON. Files are streamed and
// only keys are kept, so memory grows with the number of rows' keys, not their size.
func Dataset(dir string) ([]Problem, error) {
	return check(dir, schemas.ReleasedJSONSchema)
}

// check is Dataset with the source of released JSON Schemas as a parameter, so tests can
// check version handling against versions not released yet.
func check(dir string, released func(table, version string) ([]byte, error)) ([]Problem, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, dirError(dir, err)
	}
	defer root.Close()
	if _, err := fs.ReadDir(root.FS(), "."); err != nil {
		return nil, dirError(dir, err)
	}
	m, err := load.ReadManifest(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", dir, ErrNoManifest)
	}
	if err != nil {
		return nil, err
	}
	c := &checker{
		root:     root,
		released: released,
		schemas:  map[string]*versionSchema{},
		indexes:  map[string]map[string]*index{},
		listed:   map[string]bool{},
		done:     map[string]bool{},
	}
	tables, listed := c.checkManifest(m)
	for _, tc := range tables {
		// A table with no files (one an appending run gave no rows, in the partitioned
		// layout) is empty, as is one not listed.
		c.listed[tc.name] = len(tc.files) > 0
	}
	for _, tc := range tables {
		for _, fc := range tc.files {
			c.checkFile(fc)
		}
		c.done[tc.name] = true
	}
	c.checkCounts()
	c.checkUnlisted(listed)
	c.checkDataPackage(m)
	return c.problems, nil
}

// dirError drops the operation and path an *fs.PathError repeats, keeping its cause.
func dirError(dir string, err error) error {
	return fmt.Errorf("%s: %w", dir, unwrapPath(err))
}

// checker accumulates problems and keys while one dataset is checked.
type checker struct {
	root     *os.Root
	released func(table, version string) ([]byte, error)
	schemas  map[string]*versionSchema    // by "table@version"
	indexes  map[string]map[string]*index // by table, then format
	listed   map[string]bool              // tables the manifest lists
	done     map[string]bool              // tables whose files have all been read
	problems []Problem
}

// add records a problem, folding line breaks so it prints as one line.
func (c *checker) add(p Problem) {
	p.Reason = oneLine.Replace(p.Reason)
	p.Field = oneLine.Replace(p.Field)
	c.problems = append(c.problems, p)
}

var oneLine = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// tableCheck is one table of the manifest.
type tableCheck struct {
	name    string
	version string        // the table's schema version in the manifest
	table   schemas.Table // zero for a table articleetl does not know
	files   []*fileCheck
}

// fileCheck is one listed file with what it is checked against.
type fileCheck struct {
	load.ManifestFile
	table   *tableCheck
	version string         // the file's own schema_version in the manifest, else its table's
	schema  *versionSchema // nil when the table or the version is unknown
	idx     *index         // keys of the file's table and format; nil for an unknown table
}

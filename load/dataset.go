package load

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/articleetl/articleetl/schemas"
)

// Format is an output file format.
type Format string

// The output formats.
const (
	FormatParquet Format = "parquet"
	FormatJSONL   Format = "jsonl"
)

// ParseFormats reads a comma-separated list such as "parquet,jsonl".
func ParseFormats(s string) ([]Format, error) {
	var fs []Format
	for _, part := range strings.Split(s, ",") {
		f := Format(strings.TrimSpace(strings.ToLower(part)))
		switch f {
		case FormatParquet, FormatJSONL:
			if !slices.Contains(fs, f) {
				fs = append(fs, f)
			}
		default:
			return nil, fmt.Errorf("unknown format %q (formats: parquet, jsonl)", part)
		}
	}
	return fs, nil
}

// Options configure a dataset.
type Options struct {
	Formats     []Format
	ToolVersion string
}

// rowWriter is what each table file needs from a format.
type rowWriter interface {
	add(r *schemas.Records) (rows int, err error)
	Close() error
}

type tableFile struct {
	table  schemas.Table
	format Format
	name   string
	file   *os.File
	rows   int64
	w      rowWriter
}

// Dataset writes the tables of one run. Create it, Add records, then Commit to move the
// files into place or Abort to leave the output directory untouched.
type Dataset struct {
	dir, staging string
	files        []*tableFile
	snapshots    map[string]bool
}

// Create starts a dataset that will be committed into dir. Nothing in dir changes until
// Commit; the files are written into a hidden staging directory beside it.
func Create(dir string, opts Options) (*Dataset, error) {
	if len(opts.Formats) == 0 {
		return nil, errors.New("no output format")
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", parent, err)
	}
	staging, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".staging-")
	if err != nil {
		return nil, fmt.Errorf("creating staging directory: %w", err)
	}
	d := &Dataset{dir: dir, staging: staging, snapshots: map[string]bool{}}
	for _, t := range schemas.Tables() {
		for _, f := range opts.Formats {
			tf := &tableFile{table: t, format: f, name: t.Name + "." + string(f)}
			if tf.file, err = os.Create(filepath.Join(staging, tf.name)); err != nil {
				d.Abort()
				return nil, err
			}
			tf.w = newRowWriter(t, f, tf.file, opts.ToolVersion)
			d.files = append(d.files, tf)
		}
	}
	return d, nil
}

// Add writes one input's records. The records of a snapshot already added are not written
// again: only its document row is, since each input keeps its own row. It reports whether
// the snapshot was new.
func (d *Dataset) Add(r schemas.Records) (bool, error) {
	isNew := !d.snapshots[r.Document.SnapshotID]
	d.snapshots[r.Document.SnapshotID] = true
	if !isNew {
		r = schemas.Records{Document: r.Document}
	}
	for _, tf := range d.files {
		n, err := tf.w.add(&r)
		if err != nil {
			return isNew, fmt.Errorf("writing %s: %w", tf.name, err)
		}
		tf.rows += int64(n)
	}
	return isNew, nil
}

// Commit finishes every file, writes the manifest with their fixity, and renames them into
// the output directory, the manifest last.
func (d *Dataset) Commit(m Manifest) error {
	if err := d.commit(&m); err != nil {
		d.Abort()
		return err
	}
	return os.RemoveAll(d.staging)
}

func (d *Dataset) commit(m *Manifest) error {
	byTable := map[string]*ManifestTable{}
	for _, tf := range d.files {
		if err := tf.w.Close(); err != nil {
			return fmt.Errorf("finishing %s: %w", tf.name, err)
		}
		if err := tf.file.Sync(); err != nil {
			return err
		}
		if err := tf.file.Close(); err != nil {
			return err
		}
		mf, err := fixity(filepath.Join(d.staging, tf.name))
		if err != nil {
			return err
		}
		mf.Path, mf.Format, mf.Rows = tf.name, string(tf.format), tf.rows
		mt := byTable[tf.table.Name]
		if mt == nil {
			m.Tables = append(m.Tables, ManifestTable{Name: tf.table.Name, SchemaVersion: tf.table.Version, Rows: tf.rows})
			mt = &m.Tables[len(m.Tables)-1]
			byTable[tf.table.Name] = mt
		}
		mt.Files = append(mt.Files, mf)
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(d.staging, ManifestName), append(mb, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", d.dir, err)
	}
	for _, tf := range d.files {
		if err := os.Rename(filepath.Join(d.staging, tf.name), filepath.Join(d.dir, tf.name)); err != nil {
			return err
		}
	}
	return os.Rename(filepath.Join(d.staging, ManifestName), filepath.Join(d.dir, ManifestName))
}

// Abort removes the staging directory; the output directory is left as it was.
func (d *Dataset) Abort() {
	for _, tf := range d.files {
		if tf.file != nil {
			tf.file.Close()
		}
	}
	os.RemoveAll(d.staging)
}

func fixity(path string) (ManifestFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return ManifestFile{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return ManifestFile{}, fmt.Errorf("hashing %s: %w", path, err)
	}
	return ManifestFile{Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// tableRows picks one table's rows out of a record set.
type tableRows[T any] func(r *schemas.Records) []T

type formatWriter[T any] interface {
	Write([]T) error
	Close() error
}

type typedWriter[T any] struct {
	w    formatWriter[T]
	rows tableRows[T]
}

func (t typedWriter[T]) add(r *schemas.Records) (int, error) {
	rows := t.rows(r)
	if len(rows) == 0 {
		return 0, nil
	}
	return len(rows), t.w.Write(rows)
}

func (t typedWriter[T]) Close() error { return t.w.Close() }

func newRowWriter(t schemas.Table, f Format, out io.Writer, toolVersion string) rowWriter {
	switch t.Name {
	case schemas.Documents.Name:
		return typed(t, f, out, toolVersion, func(r *schemas.Records) []schemas.Document { return []schemas.Document{r.Document} })
	case schemas.QAPairs.Name:
		return typed(t, f, out, toolVersion, func(r *schemas.Records) []schemas.QAPair { return r.QAPairs })
	case schemas.WorkingGroups.Name:
		return typed(t, f, out, toolVersion, func(r *schemas.Records) []schemas.WorkingGroup { return r.WorkingGroups })
	case schemas.Facts.Name:
		return typed(t, f, out, toolVersion, func(r *schemas.Records) []schemas.Fact { return r.Facts })
	}
	panic("load: no writer for table " + t.Name)
}

func typed[T any](t schemas.Table, f Format, out io.Writer, toolVersion string, rows tableRows[T]) rowWriter {
	if f == FormatParquet {
		return typedWriter[T]{w: newParquetWriter[T](out, t, toolVersion), rows: rows}
	}
	return typedWriter[T]{w: newJSONLWriter[T](out), rows: rows}
}

// recoverPanic turns a panic in a third-party writer into an error, so one bad value
// fails the run with a message instead of a stack trace.
func recoverPanic(what string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: %v", what, r)
	}
}

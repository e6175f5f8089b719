package load

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/articleetl/articleetl/schemas"
)

// Format is an output file format.
type Format string

// The output formats.
const (
	FormatParquet Format = "parquet"
	FormatJSONL   Format = "jsonl"
)

// ParseFormats reads a comma-separated list such as "parquet,jsonl". The formats come back
// in one order, Parquet first, however they were listed: the order decides the order of
// the manifest's files and the hash that names an append's parts, and "jsonl,parquet" asks
// for the same dataset as "parquet,jsonl".
func ParseFormats(s string) ([]Format, error) {
	var want [2]bool
	for _, part := range strings.Split(s, ",") {
		switch Format(strings.TrimSpace(strings.ToLower(part))) {
		case FormatParquet:
			want[0] = true
		case FormatJSONL:
			want[1] = true
		default:
			return nil, fmt.Errorf("unknown format %q (formats: parquet, jsonl)", part)
		}
	}
	var fs []Format
	for i, f := range []Format{FormatParquet, FormatJSONL} {
		if want[i] {
			fs = append(fs, f)
		}
	}
	return fs, nil
}

// Layouts of an output directory.
const (
	// LayoutFlat is one file per table and format: DIR/<table>.<format>. A run replaces
	// the files of the previous one.
	LayoutFlat = "flat"
	// LayoutPartitioned is one directory per format and table, each run adding a part:
	// DIR/<format>/<table>/part-<id>.<format>. Readers take a whole table with one glob
	// (DIR/parquet/facts/*.parquet); the part id is a hash of the part's content, so
	// adding the same records again names the same files.
	LayoutPartitioned = "partitioned"
)

// Options configure a dataset.
type Options struct {
	Formats     []Format
	ToolVersion string
	// Layout is LayoutFlat (the default) or LayoutPartitioned.
	Layout string
	// Existing is the manifest of the dataset being appended to, nil for a new one.
	Existing *Manifest
	// Suffix, when set, is added to flat file names before the extension, so that the
	// outputs of the shards of one run can be told apart: facts.shard-0-of-3.parquet.
	Suffix string
}

// batch holds rows for every table, normalised; each table's writer picks its own.
type batch struct {
	records *schemas.Records
	changes []schemas.Change
	errors  []schemas.InputError
}

// rowWriter is what each table file needs from a format.
type rowWriter interface {
	add(b *batch) (rows int, err error)
	Close() error
}

type tableFile struct {
	table  schemas.Table
	format Format
	name   string // file name inside the staging directory
	file   *os.File
	rows   int64
	w      rowWriter
	fixity ManifestFile // bytes and SHA-256, once finished
}

// Dataset writes the tables of one run. Create it, Add records, then Commit to move the
// files into place or Abort to leave the output directory untouched.
type Dataset struct {
	dir, staging string
	opts         Options
	files        []*tableFile
	snapshots    map[string]bool
	documents    map[DocumentKey]bool
	errorRows    map[ErrorKey]bool
	inputs       inputList // for the manifest (AddInput)
	lock         *os.File  // holds the staging directory's lock (staging.go); nil without one
}

// Create starts a dataset that will be committed into dir. Nothing in dir changes until
// Commit; the files are written into a hidden staging directory beside it (hidden so that
// Spark, pyarrow and globs skip it). Staging directories that killed runs left beside dir
// are removed first (staging.go).
func Create(dir string, opts Options) (*Dataset, error) {
	if len(opts.Formats) == 0 {
		return nil, errors.New("no output format")
	}
	if opts.Layout == "" {
		opts.Layout = LayoutFlat
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", parent, err)
	}
	removeAbandonedStaging(parent, filepath.Base(dir))
	staging, err := os.MkdirTemp(parent, stagingPattern(filepath.Base(dir)))
	if err != nil {
		return nil, fmt.Errorf("creating staging directory: %w", err)
	}
	d := &Dataset{dir: dir, staging: staging, opts: opts, snapshots: map[string]bool{}, documents: map[DocumentKey]bool{}, errorRows: map[ErrorKey]bool{},
		inputs: inputList{path: filepath.Join(staging, ".inputs")}, lock: lockStaging(staging)}
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

// Seen tells the dataset about snapshots, document rows and error rows it already holds
// (from an earlier run being appended to), so that Add and AddErrors do not write them
// again.
func (d *Dataset) Seen(snapshotIDs []string, documentKeys []DocumentKey, errorKeys []ErrorKey) {
	for _, s := range snapshotIDs {
		d.snapshots[s] = true
	}
	for _, k := range documentKeys {
		d.documents[k] = true
	}
	for _, k := range errorKeys {
		d.errorRows[k] = true
	}
}

// ErrorKey is the errors table's primary key: the input and, for a WARC record or a
// redirected URL, where it came from. The same input failing twice (a file named twice,
// a WARC given twice, a run appended again) has one row.
type ErrorKey struct{ Source, Origin string }

// ErrorKeyOf returns an error row's key.
func ErrorKeyOf(e *schemas.InputError) ErrorKey {
	k := ErrorKey{Source: e.Source}
	if e.Origin != nil {
		k.Origin = *e.Origin
	}
	return k
}

// DocumentKey is what makes a documents row distinct: the snapshot, the input and the
// capture time. The same page captured twice gives two rows; the same file given twice,
// one. It is a hash of the three (128 bits of SHA-256), because a run keeps one for every
// input: as the text itself it cost a string the length of the input's name each.
type DocumentKey [16]byte

// DocumentKeyOf returns a document row's key.
func DocumentKeyOf(doc *schemas.Document) DocumentKey {
	captured := ""
	if doc.CapturedAt != nil {
		captured = doc.CapturedAt.UTC().Format("2006-01-02T15:04:05.999999Z")
	}
	sum := sha256.Sum256([]byte(doc.SnapshotID + "\x00" + doc.Source + "\x00" + captured))
	return DocumentKey(sum[:16])
}

// Add writes one input's records. The records of a snapshot already added are not written
// again, and a document row already present is skipped. It reports whether the snapshot
// was new.
func (d *Dataset) Add(r schemas.Records) (bool, error) {
	isNew := !d.snapshots[r.Document.SnapshotID]
	d.snapshots[r.Document.SnapshotID] = true
	key := DocumentKeyOf(&r.Document)
	if d.documents[key] {
		return isNew, nil
	}
	d.documents[key] = true
	if !isNew {
		r = schemas.Records{Document: r.Document}
	}
	normaliseDocument(&r.Document)
	r.QAPairs = normalised(r.QAPairs, normaliseQAPair)
	r.WorkingGroups = normalised(r.WorkingGroups, normaliseWorkingGroup)
	r.Facts = normalised(r.Facts, normaliseFact)
	return isNew, d.write(&batch{records: &r})
}

// AddChanges writes rows of the changes table.
func (d *Dataset) AddChanges(cs []schemas.Change) error {
	return d.write(&batch{changes: normalised(cs, normaliseChange)})
}

// ResetTable forgets every row written to a table so far, in every format: its files are
// emptied and its writers started again. It lets a caller that wrote rows optimistically
// (changes computed as snapshots arrive) write them again another way.
func (d *Dataset) ResetTable(name string) error {
	for _, tf := range d.files {
		if tf.table.Name != name {
			continue
		}
		// The old writer is dropped without closing: what it buffered must not reach the file.
		if err := tf.file.Truncate(0); err != nil {
			return fmt.Errorf("resetting %s: %w", tf.name, err)
		}
		if _, err := tf.file.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("resetting %s: %w", tf.name, err)
		}
		tf.w = newRowWriter(tf.table, tf.format, tf.file, d.opts.ToolVersion)
		tf.rows = 0
	}
	return nil
}

// AddInput lists an input in the manifest that Commit writes, after those of the
// Manifest it is given. The list waits on disk, not in memory.
func (d *Dataset) AddInput(in InputStatus) error { return d.inputs.add(&in) }

// AddErrors writes rows of the errors table, but for those whose key (ErrorKeyOf) the
// dataset already holds: the first failure of an input is the one kept.
func (d *Dataset) AddErrors(es []schemas.InputError) error {
	fresh := es[:0:0]
	for i := range es {
		k := ErrorKeyOf(&es[i])
		if d.errorRows[k] {
			continue
		}
		d.errorRows[k] = true
		fresh = append(fresh, es[i])
	}
	if len(fresh) == 0 {
		return nil
	}
	return d.write(&batch{errors: normalised(fresh, normaliseInputError)})
}

func (d *Dataset) write(b *batch) error {
	for _, tf := range d.files {
		n, err := tf.w.add(b)
		if err != nil {
			return fmt.Errorf("writing %s: %w", tf.name, err)
		}
		tf.rows += int64(n)
	}
	return nil
}

// Rows reports how many rows this run has written to a table (per format).
func (d *Dataset) Rows(table string) int64 {
	for _, tf := range d.files {
		if tf.table.Name == table {
			return tf.rows
		}
	}
	return 0
}

// Empty reports whether the run wrote no row at all.
func (d *Dataset) Empty() bool {
	for _, tf := range d.files {
		if tf.rows > 0 {
			return false
		}
	}
	return true
}

// Commit finishes every file, writes the manifest with their fixity and the data package
// descriptor, and renames them into the output directory, the manifest last. In the
// partitioned layout the new parts join the files listed in opts.Existing.
func (d *Dataset) Commit(m Manifest) error {
	if err := d.commit(&m); err != nil {
		d.Abort()
		return err
	}
	err := os.RemoveAll(d.staging)
	d.unlock()
	return err
}

// unlock releases the staging directory's lock, once the directory is gone.
func (d *Dataset) unlock() {
	if d.lock != nil {
		d.lock.Close()
		d.lock = nil
	}
}

func (d *Dataset) commit(m *Manifest) error {
	m.Layout = d.opts.Layout
	if err := d.finishAll(); err != nil {
		return err
	}
	placed, err := d.place()
	if err != nil {
		return err
	}
	m.Tables = d.manifestTables(placed)
	if d.opts.Existing != nil {
		m.Inputs = append(slices.Clone(d.opts.Existing.Inputs), m.Inputs...)
		m.Runs = append(slices.Clone(d.opts.Existing.Runs), m.Runs...)
	}
	pkg, err := DataPackage(m)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(d.staging, DataPackageName), pkg, 0o644); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(d.staging, ManifestName), func(w io.Writer) error { return writeManifest(w, m, &d.inputs) }); err != nil {
		return err
	}
	d.inputs.close()
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", d.dir, err)
	}
	previous, _ := ReadManifest(d.dir) // before the renames: it may be large (an append's)
	renaming.RLock()
	defer renaming.RUnlock()
	for _, p := range placed {
		dst := filepath.Join(d.dir, filepath.FromSlash(p.Path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(d.staging, p.tf.name), dst); err != nil {
			return err
		}
		if testHookRenamed != nil {
			testHookRenamed()
		}
	}
	if err := os.Rename(filepath.Join(d.staging, DataPackageName), filepath.Join(d.dir, DataPackageName)); err != nil {
		return err
	}
	if err := os.Rename(filepath.Join(d.staging, ManifestName), filepath.Join(d.dir, ManifestName)); err != nil {
		return err
	}
	removeStale(d.dir, previous, placed)
	return nil
}

// renaming is held, shared, by each commit from its first rename into the output
// directory to its last, and while it removes the previous run's files it replaced with
// none (removeStale): in between, the directory holds some of the new files beside the old
// manifest. See HoldCommits.
var renaming sync.RWMutex

// testHookRenamed, when set by a test, runs after each table file is renamed into place.
var testHookRenamed func()

// HoldCommits waits until no dataset is part-way through being renamed into its directory,
// and keeps any from starting until release is called. It is for a process about to end
// at once (a second interrupt: the first one lets a command stop in its own time), so
// that every output directory is left wholly as it was or wholly new, never a mix that
// validate would reject.
func HoldCommits() (release func()) {
	renaming.Lock()
	return renaming.Unlock
}

// removeStale deletes the files of a previous flat run that this run did not write (a
// format no longer asked for), so the directory holds exactly what the manifest lists.
func removeStale(dir string, previous *Manifest, placed []placedFile) {
	if previous == nil || previous.Layout == LayoutPartitioned {
		return
	}
	keep := map[string]bool{}
	for _, p := range placed {
		keep[p.Path] = true
	}
	for _, t := range previous.Tables {
		for _, f := range t.Files {
			if !keep[f.Path] && filepath.IsLocal(filepath.FromSlash(f.Path)) {
				os.Remove(filepath.Join(dir, filepath.FromSlash(f.Path)))
			}
		}
	}
}

// finishAll finishes the files side by side, as many at once as there are CPUs: closing
// a Parquet writer encodes and compresses its last row group, then each file is synced and
// hashed, and the files do not depend on each other. At the end of a run nothing else is
// left to do, so this used to leave all but one CPU idle.
func (d *Dataset) finishAll() error {
	errs := make([]error, len(d.files))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, tf := range d.files {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = d.finish(tf)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err // the first file's, whichever finished first
		}
	}
	return nil
}

// finish closes a file's writer, syncs it and records its fixity.
func (d *Dataset) finish(tf *tableFile) error {
	if err := tf.w.Close(); err != nil {
		return fmt.Errorf("finishing %s: %w", tf.name, err)
	}
	if err := tf.file.Sync(); err != nil {
		return err
	}
	if err := tf.file.Close(); err != nil {
		return err
	}
	var err error
	tf.fixity, err = fixity(filepath.Join(d.staging, tf.name))
	return err
}

// placedFile is a finished staged file and where it goes.
type placedFile struct {
	ManifestFile
	tf *tableFile
}

// place decides each file's final path. Flat files keep their names. Parts are named by a
// hash of everything the run wrote, so the same run twice gives the same names; a table
// that got no rows gets no part, except in a new dataset, so that every table has a
// directory for readers to glob.
func (d *Dataset) place() ([]placedFile, error) {
	var placed []placedFile
	all := sha256.New()
	for _, tf := range d.files {
		mf := tf.fixity
		all.Write([]byte(mf.SHA256))
		mf.Format, mf.Rows, mf.SchemaVersion = string(tf.format), tf.rows, tf.table.Version
		placed = append(placed, placedFile{ManifestFile: mf, tf: tf})
	}
	partID := hex.EncodeToString(all.Sum(nil)[:8])
	out := placed[:0]
	for _, p := range placed {
		switch d.opts.Layout {
		case LayoutFlat:
			p.Path = p.tf.name
			if d.opts.Suffix != "" {
				p.Path = p.tf.table.Name + "." + d.opts.Suffix + "." + string(p.tf.format)
			}
		case LayoutPartitioned:
			if p.Rows == 0 && d.opts.Existing != nil {
				continue
			}
			p.Path = path.Join(string(p.tf.format), p.tf.table.Name, "part-"+partID+"."+string(p.tf.format))
		default:
			return nil, fmt.Errorf("unknown layout %q", d.opts.Layout)
		}
		out = append(out, p)
	}
	return out, nil
}

// manifestTables lists every table with its files: the existing ones first (partitioned
// layout), then this run's.
func (d *Dataset) manifestTables(placed []placedFile) []ManifestTable {
	var tables []ManifestTable
	for _, t := range schemas.Tables() {
		mt := ManifestTable{Name: t.Name, SchemaVersion: t.Version}
		if d.opts.Existing != nil && d.opts.Layout == LayoutPartitioned {
			if old := d.opts.Existing.Table(t.Name); old != nil {
				mt.Files = append(mt.Files, old.Files...)
			}
		}
		for _, p := range placed {
			if p.tf.table.Name == t.Name {
				mt.Files = append(mt.Files, p.ManifestFile)
			}
		}
		mt.Rows = tableRows(mt.Files)
		tables = append(tables, mt)
	}
	return tables
}

// tableRows counts a table's rows from its files of one format (each format holds them all).
func tableRows(files []ManifestFile) int64 {
	if len(files) == 0 {
		return 0
	}
	var n int64
	for _, f := range files {
		if f.Format == files[0].Format {
			n += f.Rows
		}
	}
	return n
}

// Abort removes the staging directory; the output directory is left as it was.
func (d *Dataset) Abort() {
	d.inputs.close()
	for _, tf := range d.files {
		if tf.file != nil {
			tf.file.Close()
		}
	}
	os.RemoveAll(d.staging)
	d.unlock()
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

// writeFile creates path and lets write fill it.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// tableRowsOf picks one table's rows out of a batch.
type tableRowsOf[T any] func(b *batch) []T

type formatWriter[T any] interface {
	Write([]T) error
	Close() error
}

type typedWriter[T any] struct {
	w    formatWriter[T]
	rows tableRowsOf[T]
}

func (t typedWriter[T]) add(b *batch) (int, error) {
	rows := t.rows(b)
	if len(rows) == 0 {
		return 0, nil
	}
	return len(rows), t.w.Write(rows)
}

// The normalisers of the record types. A row is normalised once, before it goes to the
// writer of each format.
var (
	normaliseDocument     = normaliser[schemas.Document]()
	normaliseQAPair       = normaliser[schemas.QAPair]()
	normaliseWorkingGroup = normaliser[schemas.WorkingGroup]()
	normaliseFact         = normaliser[schemas.Fact]()
	normaliseChange       = normaliser[schemas.Change]()
	normaliseInputError   = normaliser[schemas.InputError]()
)

// normalised returns a copy of rows, each normalised: the caller's rows are not changed.
func normalised[T any](rows []T, normalise func(*T)) []T {
	if len(rows) == 0 {
		return rows
	}
	rows = slices.Clone(rows)
	for i := range rows {
		normalise(&rows[i])
	}
	return rows
}

// normaliser returns the function that makes a row of type T hold only what Parquet
// stores, so that the JSONL says the same: timestamps in UTC at microsecond precision
// (parquet-go truncates them, BigQuery keeps six fraction digits), and an empty list for a
// nil one (list columns are required). Pointers are replaced, never written through. The
// fields to change are found once, from the type; each row only has those looked at.
func normaliser[T any]() func(row *T) {
	var times, lists []int
	t := reflect.TypeFor[T]()
	for i := range t.NumField() {
		switch t.Field(i).Type {
		case timePtrType:
			times = append(times, i)
		case stringsType:
			lists = append(lists, i)
		}
	}
	return func(row *T) {
		v := reflect.ValueOf(row).Elem()
		for _, i := range times {
			if f := v.Field(i); !f.IsNil() {
				u := time.UnixMicro(f.Interface().(*time.Time).UnixMicro()).UTC()
				f.Set(reflect.ValueOf(&u))
			}
		}
		for _, i := range lists {
			if f := v.Field(i); f.IsNil() {
				f.Set(reflect.ValueOf([]string{}))
			}
		}
	}
}

var (
	timePtrType = reflect.TypeFor[*time.Time]()
	stringsType = reflect.TypeFor[[]string]()
)

func (t typedWriter[T]) Close() error { return t.w.Close() }

func recordsOf[T any](pick func(r *schemas.Records) []T) tableRowsOf[T] {
	return func(b *batch) []T {
		if b.records == nil {
			return nil
		}
		return pick(b.records)
	}
}

func newRowWriter(t schemas.Table, f Format, out io.Writer, toolVersion string) rowWriter {
	switch t.Name {
	case schemas.Documents.Name:
		return typed(t, f, out, toolVersion, recordsOf(func(r *schemas.Records) []schemas.Document { return []schemas.Document{r.Document} }))
	case schemas.QAPairs.Name:
		return typed(t, f, out, toolVersion, recordsOf(func(r *schemas.Records) []schemas.QAPair { return r.QAPairs }))
	case schemas.WorkingGroups.Name:
		return typed(t, f, out, toolVersion, recordsOf(func(r *schemas.Records) []schemas.WorkingGroup { return r.WorkingGroups }))
	case schemas.Facts.Name:
		return typed(t, f, out, toolVersion, recordsOf(func(r *schemas.Records) []schemas.Fact { return r.Facts }))
	case schemas.Changes.Name:
		return typed(t, f, out, toolVersion, func(b *batch) []schemas.Change { return b.changes })
	case schemas.Errors.Name:
		return typed(t, f, out, toolVersion, func(b *batch) []schemas.InputError { return b.errors })
	}
	panic("load: no writer for table " + t.Name)
}

func typed[T any](t schemas.Table, f Format, out io.Writer, toolVersion string, rows tableRowsOf[T]) rowWriter {
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

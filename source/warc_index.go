package source

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/nlnwa/gowarc/v3"
)

// A WARC index lists, for each WARC file of a crawl, the items a reading of the file gives:
// the offset and WARC-Record-ID of every page record and every revisit, and for each
// revisit the record it resolved to. It is built once, by a run that reads every file
// (WriteWARCIndex, `articleetl index`), and shared by the shards of a sharded run
// (Options.WARCIndex), so that each shard reads only its own records, seeking to them,
// instead of decompressing every record of the crawl and keeping an index of all its
// pages in memory for revisits.
//
// The file is JSON Lines, so that a shard reads the part for one WARC file at a time:
//
//	{"format":"articleetl-warc-index","version":1,"max_input_size":20971520}
//	{"file":"crawl/a.warc.gz","size":81234,"items":2}
//	{"offset":0,"id":"<urn:uuid:…>"}
//	{"offset":40321,"id":"<urn:uuid:…>","revisit":true,"via":{"file":0,"offset":0}}
//	{"file":"crawl/b.warc.gz","size":5120,"scan":true,"items":0}
//
// A file read with a failure that belongs to the file rather than to one record (a damaged
// stretch, bytes that are no record, a gzip member holding several records, a WARC
// gzipped as a whole, which cannot be entered at an offset) is marked scan: every shard
// reads it through, as without an index, and takes only its revisits' resolutions from the
// index. Which records are pages can depend on the page size limit (a page of unknown type
// too large to sniff is none), so the index records the limit it was built with and a run
// with another is refused.
const (
	warcIndexFormat  = "articleetl-warc-index"
	warcIndexVersion = 1
)

type indexHeader struct {
	Format   string `json:"format"`
	Version  int    `json:"version"`
	MaxBytes int64  `json:"max_input_size"`
	Part     string `json:"part,omitempty"` // a part's "i/n" (PartOf), when it was chosen so
	// FilesSHA256, with Part, is a hash of the list of WARC files the arguments named,
	// which every part of one indexing shares (partFiles).
	FilesSHA256 string `json:"files_sha256,omitempty"`
}

// indexFileLine starts the section of one WARC file; its events follow.
type indexFileLine struct {
	File   string `json:"file"`
	Size   int64  `json:"size"`
	Scan   bool   `json:"scan,omitempty"`
	Events int    `json:"items"`
}

// indexEvent is one record that gave an item, or a revisit (which may give none).
type indexEvent struct {
	Offset  int64       `json:"offset"`
	ID      string      `json:"id"`
	Revisit bool        `json:"revisit,omitempty"`
	Via     *indexPlace `json:"via,omitempty"`  // the record a revisit resolved to
	Skip    bool        `json:"skip,omitempty"` // a revisit that gave no item
	// Pending, only in a part of an index (WriteWARCIndexPart), is a revisit whose
	// resolution may depend on an earlier file: JoinWARCIndex decides it.
	Pending *pendingRevisit `json:"pending,omitempty"`
}

// indexPlace is a record of an indexed file: the file's number (its place among the
// index's files) and the record's offset.
type indexPlace struct {
	File   int    `json:"file"`
	Offset int64  `json:"offset"`
	ID     string `json:"id"` // its WARC-Record-ID, checked when it is read
}

// WARCIndex is an opened index file (OpenWARCIndex). It holds where each file's section of
// the index starts, not the sections: a run loads one file's events at a time.
type WARCIndex struct {
	path     string
	sha256   string // hex, of the whole index file
	maxBytes int64
	files    map[string]*indexedFile
	paths    []string // by file number
}

type indexedFile struct {
	number int
	size   int64
	scan   bool
	at     int64 // where its first event line starts in the index file
	events int
}

// MayReplaceWARCIndex reports whether `articleetl index --out path` may replace what is at
// path: nothing, an empty file, or an index it wrote. Anything else (a WARC file of the
// crawl named by mistake, a dataset's directory) is someone's data.
func MayReplaceWARCIndex(path string) error {
	info, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s exists and is not a file", path)
	}
	if info.Size() == 0 {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	first, err := bufio.NewReaderSize(io.LimitReader(f, 4<<10), 4<<10).ReadBytes('\n')
	if err != nil && err != io.EOF {
		return err
	}
	var h indexHeader
	if json.Unmarshal(first, &h) != nil || h.Format != warcIndexFormat && h.Format != warcIndexPartFormat {
		return fmt.Errorf("%s exists and is not an index written by articleetl index: it is not replaced", path)
	}
	return nil
}

// OpenWARCIndex reads the index file at path as far as the list of its files.
func OpenWARCIndex(path string) (*WARCIndex, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("WARC index: %w", err)
	}
	defer f.Close()
	sum := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(f, sum), 64<<10)
	bad := func(line int, err error) error {
		return fmt.Errorf("WARC index %s, line %d: %w", path, line, err)
	}
	var h indexHeader
	first, err := br.ReadBytes('\n')
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("WARC index %s: %w", path, err)
	}
	if err := json.Unmarshal(first, &h); err != nil || h.Format != warcIndexFormat {
		if err == nil && h.Format == warcIndexPartFormat {
			return nil, fmt.Errorf("WARC index %s: a part of an index (index --part): join the parts into an index first (index --join)", path)
		}
		return nil, fmt.Errorf("WARC index %s: not an index written by articleetl index", path)
	}
	if h.Version != warcIndexVersion {
		return nil, fmt.Errorf("WARC index %s: version %d, this articleetl reads version %d: rebuild it with articleetl index", path, h.Version, warcIndexVersion)
	}
	x := &WARCIndex{path: path, maxBytes: h.MaxBytes, files: map[string]*indexedFile{}}
	pos, line := int64(len(first)), 1
	for {
		b, err := br.ReadBytes('\n')
		if err == io.EOF && len(b) == 0 {
			x.sha256 = hex.EncodeToString(sum.Sum(nil))
			return x, nil
		}
		line++
		if err != nil {
			return nil, bad(line, fmt.Errorf("cut short: %w", err))
		}
		var fl indexFileLine
		if err := json.Unmarshal(b, &fl); err != nil || fl.File == "" || fl.Events < 0 {
			return nil, bad(line, errors.New("expected a file line"))
		}
		if _, dup := x.files[fl.File]; dup {
			return nil, bad(line, fmt.Errorf("%s is listed twice", fl.File))
		}
		pos += int64(len(b))
		x.files[fl.File] = &indexedFile{number: len(x.paths), size: fl.Size, scan: fl.Scan, at: pos, events: fl.Events}
		x.paths = append(x.paths, fl.File)
		for range fl.Events { // skipped here, read when the file is
			b, err := br.ReadSlice('\n')
			for err == bufio.ErrBufferFull {
				pos += int64(len(b))
				b, err = br.ReadSlice('\n')
			}
			line++
			if err != nil {
				return nil, bad(line, fmt.Errorf("cut short: %w", err))
			}
			pos += int64(len(b))
		}
	}
}

// Path is the index file's path, as given to OpenWARCIndex.
func (x *WARCIndex) Path() string { return x.path }

// SHA256 is the hex SHA-256 of the index file as it was read.
func (x *WARCIndex) SHA256() string { return x.sha256 }

// events reads the events of the indexed file f.
func (x *WARCIndex) events(f *indexedFile) ([]indexEvent, error) {
	ix, err := os.Open(x.path)
	if err != nil {
		return nil, fmt.Errorf("WARC index: %w", err)
	}
	defer ix.Close()
	br := bufio.NewReaderSize(io.NewSectionReader(ix, f.at, 1<<62), 64<<10)
	events := make([]indexEvent, f.events)
	for i := range events {
		b, err := br.ReadBytes('\n')
		if err == nil {
			err = json.Unmarshal(b, &events[i])
		}
		// (A file read through may be gzipped as a whole: its offsets are in the
		// decompressed copy, beyond the file's size.)
		if e := &events[i]; err == nil && (e.Offset < 0 || !f.scan && e.Offset >= f.size ||
			e.Via != nil && (e.Via.File < 0 || e.Via.File >= len(x.paths) || e.Via.Offset < 0)) {
			err = fmt.Errorf("event %d has an offset or file out of range", i+1)
		}
		if err != nil {
			return nil, fmt.Errorf("WARC index %s, part of %s: %w", x.path, x.paths[f.number], err)
		}
	}
	return events, nil
}

// has reports whether the index lists a WARC file at path; a nil index lists none.
func (x *WARCIndex) has(path string) bool {
	if x == nil {
		return false
	}
	_, ok := x.files[path]
	return ok
}

// filePlan is how a WARC file is read through an index: its number and, by offset, its
// revisits' resolutions.
type filePlan struct {
	number   int
	revisits map[int64]*indexEvent
}

// readIndexed reads the WARC file at path through the index: every record the index lists
// as giving an item and that the caller wants (Options.Wanted, asked with the item's
// Origin) is read at its offset; the others are handed on unread, in their places. A file
// marked scan is read through.
func (r *runner) readIndexed(path string) error {
	x := r.opts.WARCIndex
	f, ok := x.files[path]
	if !ok {
		return fmt.Errorf("%s: not in the WARC index %s (%d files): index every WARC file the run reads, named as the run names them", path, x.path, len(x.paths))
	}
	// A revisit's resolution depends on the files read before it, so the run must read
	// the files the index was built from, in the same order (it may stop short).
	if f.number != r.indexed {
		expected := "no more files"
		if r.indexed < len(x.paths) {
			expected = x.paths[r.indexed]
		}
		return fmt.Errorf("%s: read as WARC file %d of the run, but the WARC index %s lists it as file %d and %s as file %d: give the run the inputs the index was built from, in the same order", path, r.indexed+1, x.path, f.number+1, expected, r.indexed+1)
	}
	r.indexed++
	fh, err := os.Open(path)
	if err != nil {
		// A failure in its place, as reading it through gives. (Revisits in later files
		// still follow the index to their originals in it, and fail reading them, where
		// reading through would look for other originals.)
		return r.fail(path, "", pathError(err))
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil {
		return r.fail(path, "", pathError(err))
	}
	if info.Size() != f.size {
		return fmt.Errorf("%s: %d bytes, but %d when the WARC index %s was built: rebuild the index", path, info.Size(), f.size, x.path)
	}
	events, err := x.events(f)
	if err != nil {
		return err
	}
	plan := &filePlan{number: f.number, revisits: map[int64]*indexEvent{}}
	for i := range events {
		if events[i].Revisit {
			plan.revisits[events[i].Offset] = &events[i]
		}
	}
	r.plan = plan
	defer func() { r.plan = nil }()
	if f.scan {
		return r.readWARC(path, path)
	}
	w := &warcFile{r: r, path: path, name: path, index: map[uint64]indexEntry{}, plan: plan}
	for _, e := range events {
		if e.Skip {
			continue
		}
		if origin := w.origin(e.Offset); r.unwanted(Item{Origin: origin, InWARC: true}) {
			if err := r.emit(Item{Origin: origin, InWARC: true}); err != nil {
				return err
			}
			continue
		}
		if err := w.recordAt(e); err != nil {
			return err
		}
	}
	return nil
}

// recordAt reads the record of event e and emits its item, after checking that it is the
// record the index names.
func (w *warcFile) recordAt(e indexEvent) error {
	var emitErr error
	if err := atRecord(w.path, e.Offset, e.ID, func(rec gowarc.Record) error {
		emitErr = w.record(rec)
		return nil
	}); err != nil {
		return fmt.Errorf("%s: the record at offset %d is not the one in the WARC index %s (%v): rebuild the index", w.path, e.Offset, w.r.opts.WARCIndex.path, err)
	}
	return emitErr
}

// planned returns the resolution the index holds for the revisit at offset.
func (w *warcFile) planned(offset int64) (*indexEvent, error) {
	e, ok := w.plan.revisits[offset]
	if !ok {
		return nil, fmt.Errorf("%s: the WARC index %s has no revisit at offset %d: rebuild the index", w.name, w.r.opts.WARCIndex.path, offset)
	}
	return e, nil
}

// placeOf returns the file and offset of an indexed record, for a revisit's original (its
// file number is in range: events checks). A record of the file being read is read from
// it: for a WARC gzipped as a whole, from its decompressed copy, where the index's offsets
// are.
func (w *warcFile) placeOf(p *indexPlace) (path string, offset int64) {
	if p.File == w.plan.number {
		return w.path, p.Offset
	}
	return w.r.opts.WARCIndex.paths[p.File], p.Offset
}

// indexBuilder records what a reading of WARC files gives, for WriteWARCIndex and
// WriteWARCIndexPart; JoinWARCIndex writes the joined index through one too.
type indexBuilder struct {
	part    bool             // writing a part of an index (WriteWARCIndexPart)
	pages   []partPage       // in a part, the file's HTML records under their keys (keepPages)
	kept    bool             // the file's pages are kept for revisits in later files
	pageIDs map[int64]string // in a part, the record id of each page of the file, by offset
	out     *bufio.Writer
	numbers map[string]int // WARC files indexed so far, by path (cleaned)
	cur     *indexFileLine // the file being read, nil between files
	events  []indexEvent
	stats   IndexStats
}

// IndexStats counts what WriteWARCIndex indexed (or WriteWARCIndexPart, or JoinWARCIndex).
type IndexStats struct {
	Files    int // WARC files
	Scan     int // of which are to be read through (see WARCIndex)
	Items    int // records that give an item
	Revisits int // of which are revisits
	// Unreadable lists the inputs that could not be read at all, "name: reason", as a
	// run reports them too.
	Unreadable []string
}

// WriteWARCIndex reads the WARC files that args name (files, directories, globs; not
// standard input or URLs, which a later run cannot seek in) and writes their index to out.
// Plain HTML files among them are left out unread. The index is only valid for runs with
// the same opts.MaxBytes, and the files named as args name them here.
func WriteWARCIndex(ctx context.Context, args []string, opts Options, out io.Writer) (IndexStats, error) {
	return writeWARCIndex(ctx, args, opts, out, nil)
}

// indexable refuses arguments that cannot be indexed.
func indexable(args []string) error {
	for _, arg := range args {
		if arg == "-" || isURL(arg) {
			return fmt.Errorf("%s: only WARC files can be indexed, not standard input or URLs", arg)
		}
	}
	return nil
}

// indexOptions are opts for reading the WARC files an index describes.
func indexOptions(opts Options) Options {
	opts = opts.withDefaults()
	opts.WARCIndex = nil
	opts.Wanted = func(Item) bool { return false } // plain files: not read
	opts.DeferCleaning = true
	return opts
}

// writeWARCIndex writes the index of args, or with p a part of one (WriteWARCIndexPart).
func writeWARCIndex(ctx context.Context, args []string, opts Options, out io.Writer, p *partFiles) (IndexStats, error) {
	if err := indexable(args); err != nil {
		return IndexStats{}, err
	}
	opts = indexOptions(opts)
	b := &indexBuilder{part: p != nil, out: bufio.NewWriterSize(out, 64<<10), numbers: map[string]int{}}
	h := indexHeader{Format: warcIndexFormat, Version: warcIndexVersion, MaxBytes: opts.MaxBytes}
	if p != nil {
		h.Format, h.Part, h.FilesSHA256 = warcIndexPartFormat, p.of, p.sha256
		b.stats.Unreadable = p.warnings
	}
	if err := b.write(h); err != nil {
		return b.stats, err
	}
	// A WARC file being indexed that cannot be read at all (not permitted, a dangling
	// link, a whole-gzipped copy over the spool limit) stops the index: were it readable
	// at run time, the index would not describe it, nor the revisits in later files that
	// refer to it. One that holds no WARC records is listed to be read through, where the
	// run meets the same failure (a file changed into a WARC since has another size, which
	// the run refuses), with a warning. Failures outside any WARC file (a missing
	// argument, a glob without a match, an empty directory) are warnings too: the run
	// meets them the same way, and they are in no file of the index.
	unreadable := func(it Item) error {
		switch {
		case it.Err == nil || it.Origin != "":
			return nil
		case b.cur != nil && !errors.Is(it.Err, ErrNotWARC):
			return fmt.Errorf("cannot index %s: %w", it.Source, it.Err)
		}
		b.stats.Unreadable = append(b.stats.Unreadable, it.Source+": "+it.Err.Error())
		return nil
	}
	r := &runner{ctx: ctx, opts: opts, fn: unreadable, indexing: b}
	if p != nil && p.files != nil {
		// Files the arguments named, listed already: each read as they were found, not
		// named anew (a dangling link in a directory is a WARC file that cannot be
		// read, not a missing argument).
		for _, f := range p.files {
			if err := ctx.Err(); err != nil {
				return b.stats, err
			}
			if err := r.warc(f); err != nil {
				return b.stats, err
			}
		}
		return b.stats, b.out.Flush()
	}
	for _, arg := range args {
		if err := ctx.Err(); err != nil {
			return b.stats, err
		}
		if err := r.arg(arg); err != nil {
			return b.stats, err
		}
	}
	return b.stats, b.out.Flush()
}

func (b *indexBuilder) write(v any) error {
	line, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = b.out.Write(append(line, '\n'))
	return err
}

// begin starts the section of the WARC file at path.
func (b *indexBuilder) begin(path string) error {
	if _, dup := b.numbers[filepath.Clean(path)]; dup {
		return fmt.Errorf("%s: given twice: an index lists each WARC file once", path)
	}
	if !utf8.ValidString(path) {
		// JSON would store another name, which the run would not find.
		return fmt.Errorf("%q: cannot be indexed: its name is not valid UTF-8; rename it", path)
	}
	b.cur, b.events, b.pages, b.kept = &indexFileLine{File: path, Size: -1}, b.events[:0], b.pages[:0], false
	clear(b.pageIDs)
	if info, err := os.Stat(path); err == nil {
		b.cur.Size = info.Size()
	}
	b.numbers[filepath.Clean(path)] = len(b.numbers)
	return nil
}

// end writes the section of the file begun last.
func (b *indexBuilder) end() error {
	f := b.cur
	b.cur = nil
	for _, e := range b.events {
		if !utf8.ValidString(e.ID) || e.Via != nil && !utf8.ValidString(e.Via.ID) {
			return fmt.Errorf("%s@%d: cannot be indexed: a WARC-Record-ID that is not valid UTF-8, which the index (JSON) cannot hold", f.File, e.Offset)
		}
	}
	f.Events = len(b.events)
	b.stats.Files++
	if f.Scan {
		b.stats.Scan++
	}
	if b.part {
		return b.endPart(f)
	}
	if err := b.write(f); err != nil {
		return err
	}
	return b.writeEvents()
}

// writeEvents writes the events of the file ended last, counting them in the stats.
func (b *indexBuilder) writeEvents() error {
	for _, e := range b.events {
		if !e.Skip && e.Pending == nil { // a pending revisit is counted when it is decided
			b.stats.Items++
			if e.Revisit {
				b.stats.Revisits++
			}
		}
		if err := b.write(e); err != nil {
			return err
		}
	}
	return nil
}

// note records an event of the file being read.
func (w *warcFile) note(e indexEvent) {
	if b := w.r.indexing; b != nil && b.cur != nil {
		b.events = append(b.events, e)
	}
}

// noteVia records a revisit resolved to the record at offset at, whose id is orig, in the
// file at path.
func (w *warcFile) noteVia(offset int64, id, path string, at int64, orig string, emitted bool) {
	b := w.r.indexing
	if b == nil || b.cur == nil {
		return
	}
	file := len(b.numbers) - 1 // the file being read (path may be a decompressed copy of it)
	if path != w.path {
		file = b.numbers[filepath.Clean(path)]
	}
	b.events = append(b.events, indexEvent{Offset: offset, ID: id, Revisit: true, Via: &indexPlace{File: file, Offset: at, ID: orig}, Skip: !emitted})
}

// scanned marks the file being indexed as one every shard must read through.
func (b *indexBuilder) scanned() {
	if b != nil && b.cur != nil {
		b.cur.Scan = true
	}
}

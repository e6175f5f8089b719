package source

import (
	"bufio"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/nlnwa/gowarc/v3"
)

// An index can be built in parts, each WARC file alone and so in parallel, on as many
// machines as there are parts, then joined (docs/design-split-index.md): the index is the
// one step of a sharded run that its shards do not divide. A part is an index of its files
// as if each were the only one, but for what an earlier file could change, which the join
// decides:
//
//   - a revisit whose first reference is not in its own file could resolve to a record of
//     an earlier file (warcFile.revisit tries each reference in its own file, then in the
//     earlier ones, before the next reference): the part writes it pending, with each
//     reference's hit in its own file as it stood when the revisit was read;
//   - the HTML records a file gives later files to resolve to (earlierPages) are listed
//     after its events, under the same keys, with what a revisit resolved to one takes
//     from it (its record id, and whether reading it again gives an item), so that the
//     join reads no WARC file: it may run where the crawl is not, and a file changed
//     since its part was written cannot make it write another index.
//
// Joined in the order a run reads the files, the parts give the index WriteWARCIndex writes
// over the same files, byte for byte.
const warcIndexPartFormat = "articleetl-warc-index-part"

// pendingRevisit is a revisit that a part leaves to the join.
type pendingRevisit struct {
	Keys []pendingKey `json:"keys"`
	// MayBePage: with no reference found, the revisit is a failed input (mayBePage).
	MayBePage bool `json:"may_be_page,omitempty"`
}

// pendingKey is one reference of a pending revisit, in the order they are tried.
type pendingKey struct {
	Key uint64  `json:"key,string"` // indexKey
	Own *ownHit `json:"own,omitempty"`
}

// ownHit is a record of the revisit's own file found by a reference: what the join needs
// to resolve to it without reading it again (a file gzipped as a whole is read from a
// decompressed copy whose offsets cannot be sought in the file).
type ownHit struct {
	Offset int64  `json:"offset"`
	Page   bool   `json:"page,omitempty"`  // an HTML page; otherwise the revisit gives nothing
	ID     string `json:"id,omitempty"`    // its WARC-Record-ID as read again (original)
	Emits  bool   `json:"emits,omitempty"` // reading it again gives an item (original)
}

// partFileLine starts a file's section of a part: the index's file line, and how many page
// lines follow its events and whether its pages are kept for later files at all.
type partFileLine struct {
	indexFileLine
	Pages int  `json:"pages"`
	Kept  bool `json:"kept,omitempty"`
}

// partPage is one HTML record of a file under one of its keys, as earlierPages keeps it,
// with what a revisit in a later file takes from it.
type partPage struct {
	Key    uint64 `json:"key,string"`
	Offset int64  `json:"offset"`
	ID     string `json:"id"`                // as reading it again gives it (original)
	NoItem bool   `json:"no_item,omitempty"` // reading it again gives no item
	BadID  bool   `json:"bad_id,omitempty"`  // ID is not valid UTF-8 (JSON cannot hold it)
}

// pageRead notes, in a part, the record id of a page of the file being indexed.
func (b *indexBuilder) pageRead(offset int64, id string) {
	if !b.isPart() || b.cur == nil {
		return
	}
	if b.pageIDs == nil {
		b.pageIDs = map[int64]string{}
	}
	b.pageIDs[offset] = id
}

// PartOf chooses the WARC files of one part of an index among those its arguments name:
// the Index-th (from 0) of Count runs of consecutive files holding about equal bytes
// (partRun), in the order a run reads them, so that the parts of one crawl can be written
// by Count machines given the same arguments, each its own, and joined in their order.
// The zero value takes every file.
type PartOf struct{ Index, Count int }

// String is "i/n", as a part's header names it, or "" for the whole of the files.
func (p PartOf) String() string {
	if p.Count <= 1 {
		return ""
	}
	return fmt.Sprintf("%d/%d", p.Index, p.Count)
}

// WriteWARCIndexPart is WriteWARCIndex writing a part of an index (see warcIndexPartFormat):
// each file is indexed as if no other were, and JoinWARCIndex makes the index of all the
// parts' files from the parts. With part.Count above 1 only part's run of the files is
// indexed, and the part says which it is, so that the join can put the parts in order.
func WriteWARCIndexPart(ctx context.Context, args []string, opts Options, part PartOf, out io.Writer) (IndexStats, error) {
	p := &partFiles{}
	if part.Count > 1 {
		if part.Index < 0 || part.Index >= part.Count {
			return IndexStats{}, fmt.Errorf("part %d/%d: want 0 <= i < n", part.Index, part.Count)
		}
		files, warnings, err := listWARCFiles(ctx, args, opts)
		if err != nil {
			return IndexStats{}, err
		}
		if len(files) == 0 {
			// As the whole index refuses it: a volume not mounted, say, would otherwise
			// give n empty parts and a join of nothing.
			return IndexStats{Unreadable: warnings}, NoWARCFileError(args, warnings)
		}
		// The sizes decide the split, so they are part of what every part must agree on:
		// a file still growing while the pods list it would otherwise fall in two parts or
		// in none. A file that cannot be examined counts 0 bytes; whichever part it falls
		// in fails on it, as the whole index does.
		sizes := make([]int64, len(files))
		sum := sha256.New()
		for k, f := range files {
			if fi, err := os.Stat(f); err == nil {
				sizes[k] = fi.Size()
			}
			fmt.Fprintf(sum, "%q %d\n", f, sizes[k])
		}
		p.of, p.sha256, p.warnings = part.String(), hex.EncodeToString(sum.Sum(nil)), warnings
		lo, hi := partRun(sizes, part.Index, part.Count)
		p.files = files[lo:hi]
	}
	return writeWARCIndex(ctx, args, opts, out, p)
}

// partRun returns the files [lo, hi) of part i of n: consecutive runs of the files holding
// about equal bytes, since reading them (decompression and digest checks) is the part's
// cost. A file belongs to the part its middle byte falls in, so a part holds a file larger
// than a share whole and may hold none. The arithmetic is exact integer arithmetic, not
// floating point, so that machines of any architecture agree on every boundary. Files of
// no bytes at all are split by count.
//
// Every part is [first file of part >= i, first file of part > i), so the parts cover the
// files once, in order, whatever part(k) gives; what must not happen is a panic or an
// overflow. Sizes that add to 2^62 bytes or more (only sparse files: tmpfs and XFS take
// 8 EiB) would overflow 2*total, and bits.Div64 panics on a divisor of 0 or a quotient
// past 64 bits: they are divided by a power of two first, the same on every machine.
func partRun(sizes []int64, i, n int) (lo, hi int) {
	var totalHi, totalLo uint64
	for _, s := range sizes {
		var carry uint64
		totalLo, carry = bits.Add64(totalLo, uint64(max(s, 0)), 0)
		totalHi += carry
	}
	shift := 0 // so that the total is below 2^62
	if totalHi > 0 {
		shift = 64 + bits.Len64(totalHi) - 62
	} else if l := bits.Len64(totalLo); l > 62 {
		shift = l - 62
	}
	size := func(k int) uint64 { return uint64(max(sizes[k], 0)) >> shift }
	var total uint64 // below 2^62: 2*total does not wrap
	for k := range sizes {
		total += size(k)
	}
	if total == 0 {
		return int(mulDiv(uint64(i), uint64(len(sizes)), uint64(n))), int(mulDiv(uint64(i+1), uint64(len(sizes)), uint64(n)))
	}
	// part(k) = floor(n * (2*before + size) / (2*total)), in 128 bits; it never falls as k
	// grows, so each part is a run.
	part := func(before, size uint64) int {
		return int(min(mulDiv(uint64(n), 2*before+size, 2*total), uint64(n-1)))
	}
	lo, hi = len(sizes), len(sizes)
	var before uint64
	for k := range sizes {
		s := size(k)
		switch p := part(before, s); {
		case p < i:
		case p == i && lo == len(sizes):
			lo = k
		case p > i && hi == len(sizes):
			hi = k
		}
		before += s
	}
	if lo > hi {
		lo = hi
	}
	return lo, hi
}

// mulDiv is floor(a*b/c), for a*b/c below 2^64 (bits.Div64 panics otherwise) and c > 0.
func mulDiv(a, b, c uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	q, _ := bits.Div64(hi, lo, c)
	return q
}

// partFiles is what a part of an index chosen by a PartOf knows of its files.
type partFiles struct {
	of       string   // PartOf.String
	files    []string // its own, listed (nil: the arguments' files, all of them)
	sha256   string   // of the list of every part's files, in order
	warnings []string // the arguments' failures, as the whole index warns of them
}

// listWARCFiles returns the WARC files args name, in the order a run reads them, without
// reading them, and the failures of arguments the whole index warns of (a missing file, a
// glob without a match).
func listWARCFiles(ctx context.Context, args []string, opts Options) (files, warnings []string, err error) {
	if err := indexable(args); err != nil {
		return nil, nil, err
	}
	files = []string{}
	warn := func(it Item) error {
		if it.Err != nil && it.Origin == "" {
			warnings = append(warnings, it.Source+": "+it.Err.Error())
		}
		return nil
	}
	r := &runner{ctx: ctx, opts: indexOptions(opts), fn: warn, listing: &files}
	for _, arg := range args {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if err := r.arg(arg); err != nil {
			return nil, nil, err
		}
	}
	return files, warnings, nil
}

func (b *indexBuilder) isPart() bool { return b != nil && b.part }

// pending notes a revisit the join decides: each of its references with its hit in this
// file so far.
func (w *warcFile) pending(wr gowarc.WarcRecord, offset int64, keys []uint64) {
	p := &pendingRevisit{MayBePage: mayBePage(wr)}
	for _, k := range keys {
		pk := pendingKey{Key: k}
		if e, ok := w.index[k]; ok {
			pk.Own = &ownHit{Offset: e.offset, Page: e.html}
			if e.html {
				page, err := rereadAt(w.path, e.offset, w.r.opts.MaxBytes, "")
				pk.Own.ID, pk.Own.Emits = page.id, err != nil || page.html
			}
		}
		p.Keys = append(p.Keys, pk)
	}
	w.note(indexEvent{Offset: offset, ID: wr.RecordId(), Revisit: true, Pending: p})
}

// NoWARCFileError is the failure of indexing arguments that name no WARC file: with the
// first of the arguments' failures (unreadable, as IndexStats lists them) when there are.
func NoWARCFileError(args, unreadable []string) error {
	if len(unreadable) > 0 {
		return fmt.Errorf("no WARC file to index (%s)", unreadable[0])
	}
	return fmt.Errorf("%s: no WARC file to index", strings.Join(args, ", "))
}

// keepPages lists the HTML records of the file w has read, as earlierPages.keep keeps them.
func (b *indexBuilder) keepPages(w *warcFile) {
	if b.cur == nil {
		return
	}
	b.kept = true
	for k, offset := range w.pages() {
		p := partPage{Key: k, Offset: offset, ID: b.pageIDs[offset]}
		if b.cur.Scan {
			// A file with a failure of its own (a gzip member holding several records, a
			// damaged stretch) may not give the same record when entered at an offset as
			// when read through: the page is read again, as the whole index reads it.
			page, err := rereadAt(w.path, offset, w.r.opts.MaxBytes, "")
			p.ID, p.NoItem = page.id, err == nil && !page.html
		}
		if !utf8.ValidString(p.ID) {
			p.ID, p.BadID = "", true
		}
		b.pages = append(b.pages, p)
	}
	slices.SortFunc(b.pages, func(x, y partPage) int { return cmp.Compare(x.Key, y.Key) })
}

// endPart writes the section of the file ended last in a part.
func (b *indexBuilder) endPart(f *indexFileLine) error {
	if err := b.write(partFileLine{indexFileLine: *f, Pages: len(b.pages), Kept: b.kept}); err != nil {
		return err
	}
	if err := b.writeEvents(); err != nil {
		return err
	}
	for _, p := range b.pages {
		if err := b.write(p); err != nil {
			return err
		}
	}
	return nil
}

// JoinWARCIndex writes to out the index of the files of parts (WriteWARCIndexPart), given
// in the order a run reads the files: the index WriteWARCIndex writes over the same files
// in the same order. It reads the parts alone, no WARC file.
//
// Parts written with a PartOf say which they are, and are joined in that order, whatever
// the order given; then every part of the n must be given, once.
func JoinWARCIndex(ctx context.Context, parts []string, out io.Writer) (IndexStats, error) {
	parts, err := orderParts(parts)
	if err != nil {
		return IndexStats{}, err
	}
	j := &indexJoin{b: &indexBuilder{out: bufio.NewWriterSize(out, 64<<10), numbers: map[string]int{}}}
	for i, part := range parts {
		if err := ctx.Err(); err != nil {
			return j.b.stats, err
		}
		if err := j.read(part, i == 0); err != nil {
			return j.b.stats, err
		}
	}
	return j.b.stats, j.b.out.Flush()
}

// orderParts puts parts written with a PartOf in their order, checking that they are the
// n parts of one crawl; parts without one are left in the order given.
func orderParts(parts []string) ([]string, error) {
	byIndex := map[int]string{}
	count, numbered, first, firstSHA := 0, 0, "", ""
	for _, p := range parts {
		h, err := readPartHeader(p)
		if err != nil {
			return nil, err
		}
		if h.Part == "" {
			continue
		}
		numbered++
		var i, n int
		if _, err := fmt.Sscanf(h.Part, "%d/%d", &i, &n); err != nil || n < 2 || i < 0 || i >= n {
			return nil, fmt.Errorf("%s: a part %q, not i/n", p, h.Part)
		}
		switch {
		case first != "" && h.FilesSHA256 != firstSHA:
			return nil, fmt.Errorf("%s and %s were written over other lists of WARC files (other arguments, files added, removed or resized between them, or a file one could not examine): index the parts again", first, p)
		case count != 0 && n != count:
			return nil, fmt.Errorf("%s is a part of %d and %s a part of %d: join the parts of one crawl", p, n, first, count)
		case byIndex[i] != "":
			return nil, fmt.Errorf("%s and %s are both part %s: give each part once", byIndex[i], p, h.Part)
		}
		if first == "" {
			first, firstSHA = p, h.FilesSHA256
		}
		count, byIndex[i] = n, p
	}
	switch {
	case numbered == 0:
		return parts, nil
	case numbered != len(parts):
		return nil, errors.New("some parts were written with --shard and some without: join the parts of one crawl")
	case len(byIndex) != count:
		for i := range count {
			if byIndex[i] == "" {
				return nil, fmt.Errorf("part %d/%d is missing: join all %d parts", i, count, count)
			}
		}
	}
	ordered := make([]string, count)
	for i := range count {
		ordered[i] = byIndex[i]
	}
	return ordered, nil
}

// readPartHeader reads and checks the first line of a part.
func readPartHeader(part string) (indexHeader, error) {
	var h indexHeader
	f, err := os.Open(part)
	if err != nil {
		return h, fmt.Errorf("index part: %w", err)
	}
	defer f.Close()
	line, err := bufio.NewReaderSize(io.LimitReader(f, 4<<10), 4<<10).ReadBytes('\n')
	if err != nil && err != io.EOF {
		return h, fmt.Errorf("index part %s: %w", part, err)
	}
	if json.Unmarshal(line, &h) != nil || h.Format != warcIndexPartFormat {
		return h, fmt.Errorf("%s: not a part of an index written by articleetl index --part", part)
	}
	if h.Version != warcIndexVersion {
		return h, fmt.Errorf("%s: a part of version %d, this articleetl joins version %d: index its files again", part, h.Version, warcIndexVersion)
	}
	return h, nil
}

// indexJoin joins parts into an index: the index written so far (b), the page size limit
// of the first part, which every other must share, and the HTML records of the files
// joined so far, for the pending revisits of later ones.
type indexJoin struct {
	b        *indexBuilder
	first    string // the first part's path
	maxBytes int64
	earlier  earlierPages
	pages    map[uint64]partPage // by place in earlier (file and offset packed as there)
}

// read joins one part.
func (j *indexJoin) read(part string, first bool) error {
	f, err := os.Open(part)
	if err != nil {
		return fmt.Errorf("index part: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	line := 0
	next := func(v any) error {
		line++
		b, err := br.ReadBytes('\n')
		if err == io.EOF && len(b) == 0 {
			return io.EOF
		}
		if err == io.EOF {
			// Every line is written whole, with its newline.
			return fmt.Errorf("index part %s, line %d: cut short", part, line)
		}
		if err != nil {
			return fmt.Errorf("index part %s, line %d: %w", part, line, err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			return fmt.Errorf("index part %s, line %d: %w", part, line, err)
		}
		return nil
	}
	h, err := readPartHeader(part) // checked, and the first line skipped below
	if err != nil {
		return err
	}
	if err := next(&indexHeader{}); err != nil {
		return err
	}
	if first {
		j.maxBytes, j.first = h.MaxBytes, part
		if err := j.b.write(indexHeader{Format: warcIndexFormat, Version: warcIndexVersion, MaxBytes: h.MaxBytes}); err != nil {
			return err
		}
	} else if h.MaxBytes != j.maxBytes {
		return fmt.Errorf("%s was indexed with a page size limit of %d bytes and %s with %d: index every part with the same --max-input-size", part, h.MaxBytes, j.first, j.maxBytes)
	}
	for {
		var fl partFileLine
		if err := next(&fl); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if fl.File == "" || fl.Events < 0 || fl.Pages < 0 {
			return fmt.Errorf("index part %s, line %d: expected a file line", part, line)
		}
		if err := j.b.begin(fl.File); err != nil {
			return err
		}
		j.b.cur.Size, j.b.cur.Scan = fl.Size, fl.Scan
		number := len(j.b.numbers) - 1
		for range fl.Events {
			var e indexEvent
			if err := next(&e); err != nil {
				return cutShort(part, line, err)
			}
			switch {
			case e.Pending != nil:
				e = j.resolve(e, number)
			case e.Via != nil:
				// Decided in the part, where the only file before a revisit was its own.
				e.Via.File = number
			}
			j.b.events = append(j.b.events, e)
		}
		var pages []partPage // read one by one: the count is the file's word, not yet checked
		for range fl.Pages {
			var p partPage
			if err := next(&p); err != nil {
				return cutShort(part, line, err)
			}
			pages = append(pages, p)
		}
		if err := j.b.end(); err != nil {
			return err
		}
		if fl.Kept {
			file := uint64(len(j.earlier.files))
			j.earlier.add(fl.File, func(yield func(uint64, int64) bool) {
				for _, p := range pages {
					if !yield(p.Key, p.Offset) {
						return
					}
				}
			})
			if j.pages == nil {
				j.pages = map[uint64]partPage{}
			}
			for _, p := range pages {
				j.pages[file<<offsetBits|uint64(p.Offset)] = p
			}
		}
	}
}

func cutShort(part string, line int, err error) error {
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("index part %s, line %d: cut short", part, line)
	}
	return err
}

// resolve decides a pending revisit of the file numbered number as
// warcFile.revisit does when it reads the files one after another.
func (j *indexJoin) resolve(e indexEvent, number int) indexEvent {
	p := e.Pending
	e.Pending = nil
	for _, k := range p.Keys {
		if own := k.Own; own != nil {
			if !own.Page {
				e.Skip = true
				return e
			}
			e.Via, e.Skip = &indexPlace{File: number, Offset: own.Offset, ID: own.ID}, !own.Emits
			return e
		}
		at, offset, found := j.earlier.find(k.Key)
		if !found {
			continue
		}
		page := j.pages[j.earlier.at[k.Key]]
		if page.BadID {
			page.ID = "\xff" // refused as the whole index refuses it (indexBuilder.end)
		}
		e.Via, e.Skip = &indexPlace{File: j.b.numbers[filepath.Clean(at)], Offset: offset, ID: page.ID}, page.NoItem
		return e
	}
	e.Skip = !p.MayBePage
	return e
}

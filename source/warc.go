package source

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"iter"
	"mime"
	"net/http"
	"net/textproto"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nlnwa/gowarc/v3"
)

// warcFile reads one WARC file (ISO 28500, WARC 1.0 or 1.1, plain or gzip per record; a WARC
// gzipped as a whole is read from a decompressed copy, see warc_gzip.go).
type warcFile struct {
	r    *runner
	path string   // the file read
	f    *os.File // path, for reading bytes the WARC reader passed over and gzip trailers
	name string   // the input it came from, for Origin: the path, "-" or the URL
	// index maps hashed keys of every response and resource record read so far (its
	// record id, payload digest, and target URI with date) to where it starts, so a revisit
	// can re-read its original instead of the file's payloads being held in memory.
	index map[uint64]indexEntry
	// plan, when the file is read through a WARC index (Options.WARCIndex), holds its
	// revisits' resolutions, which then replace index and earlierPages.
	plan *filePlan
}

type indexEntry struct {
	offset int64
	html   bool // the record is an HTML page (a 200 response or a resource)
}

// earlierPages indexes the HTML records of the WARC files an Each call has read so far, for
// a revisit whose original is in an earlier file: crawlers that deduplicate across a crawl
// (Heritrix, warcprox, Browsertrix) write revisits of records in the crawl's earlier files.
// Only HTML records are kept, under the same keys as a file's own index, each key and
// place packed in 16 bytes: 60–100 bytes a record (TestEarlierPagesMemory) for the rest of
// the call, in every shard, since every shard reads every WARC record. A revisit of anything else is skipped
// whether or not its original is found. Copies of WARCs read from standard input or a URL,
// or gzipped as a whole, are removed once read, so their records are not kept.
type earlierPages struct {
	files []string          // the WARC files whose records are kept
	at    map[uint64]uint64 // by indexKey: the file's index in files and the offset (pageRef)
}

// A place in earlierPages packs the file's index (24 bits: 16 million files) and the
// record's offset in it (40 bits: 1 TiB) into a uint64. Records beyond either are not kept.
const (
	offsetBits = 40
	maxFiles   = 1 << (64 - offsetBits)
)

// keep adds the HTML records of the file w has read.
func (e *earlierPages) keep(w *warcFile) { e.add(w.path, w.pages()) }

// add adds the HTML records of the file at path, each under one of its keys with its
// offset (a file's index lists a record under each key). The join of an index's parts
// adds them from the parts (indexJoin.keep).
func (e *earlierPages) add(path string, pages iter.Seq2[uint64, int64]) {
	file := len(e.files)
	if file >= maxFiles {
		return
	}
	e.files = append(e.files, path)
	for k, offset := range pages {
		if offset < 0 || offset >= 1<<offsetBits {
			continue
		}
		if e.at == nil {
			e.at = map[uint64]uint64{}
		}
		if _, ok := e.at[k]; !ok { // the first page wins, as in a file
			e.at[k] = uint64(file)<<offsetBits | uint64(offset)
		}
	}
}

// pages yields the HTML records of the file w has read, by key.
func (w *warcFile) pages() iter.Seq2[uint64, int64] {
	return func(yield func(uint64, int64) bool) {
		for k, rec := range w.index {
			if rec.html && !yield(k, rec.offset) {
				return
			}
		}
	}
}

// find returns the file and offset of the page kept under key k.
func (e *earlierPages) find(k uint64) (path string, offset int64, ok bool) {
	at, ok := e.at[k]
	if !ok {
		return "", 0, false
	}
	return e.files[at>>offsetBits], int64(at & (1<<offsetBits - 1)), true
}

// warc emits an item per HTML record of the WARC file at path, in file order: response
// records with status 200 and an HTML payload, HTML resource records, and revisits of
// either, resolved to their original's payload. Other records are skipped. A record that
// cannot be parsed is an item with a *WARCError, and reading goes on after it.
func (r *runner) warc(path string) error {
	switch {
	case r.listing != nil:
		*r.listing = append(*r.listing, path)
		return nil
	case r.opts.WARCIndex != nil:
		return r.readIndexed(path)
	case r.indexing != nil:
		if err := r.indexing.begin(path); err != nil {
			return err
		}
		if err := r.readWARC(path, path); err != nil {
			return err
		}
		return r.indexing.end()
	}
	return r.readWARC(path, path)
}

// readWARC is warc for the file at path holding the WARC the input name names: the file
// itself, or the copy of a WARC read from standard input or a URL (see spooledWARC). Items
// and failures are named after name ("<name>@<offset>"), never after a temporary file.
func (r *runner) readWARC(path, name string) error {
	whole, err := r.gzippedWhole(path)
	if err != nil {
		return err
	}
	if !whole {
		_, err := r.readRecords(path, name)
		return err
	}
	r.indexing.scanned() // offsets in the decompressed copy cannot be sought in the file
	plain, gzErr, err := r.gunzipWARC(path)
	if err != nil {
		if ctxErr := r.ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return r.fail(name, "", err)
	}
	defer os.Remove(plain)
	damaged, err := r.readRecords(plain, name)
	if err != nil || gzErr == nil {
		return err
	}
	if damaged && errors.Is(gzErr.Err, io.ErrUnexpectedEOF) {
		return nil // the gzip data is cut short, and so is the last record, which is reported
	}
	return r.failInWARC(name, name+"@"+strconv.FormatInt(gzErr.Offset, 10), gzErr)
}

var errNoContentLength = errors.New("record without Content-Length")

// readRecords reads the records of the WARC file at path, for readWARC. damaged reports
// that the file ends in a damaged stretch, which has been reported.
func (r *runner) readRecords(path, name string) (damaged bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return false, r.fail(name, "", pathError(err))
	}
	defer f.Close()
	rd, err := gowarc.NewWarcFileReader(path, 0)
	if err != nil {
		return false, r.fail(name, "", pathError(err))
	}
	defer rd.Close()
	info, err := f.Stat()
	if err != nil {
		return false, r.fail(name, "", pathError(err))
	}
	size := info.Size()
	w := &warcFile{r: r, path: path, f: f, name: name, index: map[uint64]indexEntry{}, plan: r.plan}
	if path == name && r.opts.WARCIndex == nil {
		// A file that stays: its pages may be the originals of later revisits. (Read
		// through an index, revisits take their originals from the index; indexed as a
		// part, they are listed for the join.)
		defer func() {
			if r.indexing.isPart() {
				r.indexing.keepPages(w)
				return
			}
			r.earlier.keep(w)
		}()
	}
	records := 0
	lastEnd := int64(-1)
	next := int64(0) // where the next record should start: where the last one ended
	// fail reports a failure, once per damaged stretch however many reads it takes to resync.
	fail := func(offset int64, err error) error {
		if damaged {
			return nil
		}
		damaged = true
		return r.failInWARC(name, w.origin(offset), err)
	}
	// skipped is the failure for bytes passed over before offset, unless they are part of a
	// damaged stretch already reported.
	skipped := func(offset int64) error {
		if damaged {
			return nil
		}
		return w.skipped(next, offset)
	}
	for {
		if err := r.ctx.Err(); err != nil {
			return damaged, err
		}
		rec, err := rd.Next()
		if err == io.EOF && rec.Size > 0 {
			err = io.ErrUnexpectedEOF // the file ends inside a record
		}
		if err == nil && rec.WarcRecord != nil && !rec.WarcRecord.WarcHeader().Has(gowarc.ContentLength) {
			// gowarc reads such a record as one with an empty block. It is a record cut
			// short in its header, or one whose end cannot be known.
			err = errNoContentLength
			if rec.Offset+rec.Size >= size {
				err = io.ErrUnexpectedEOF
			}
		}
		if err != nil {
			_ = rec.Close()
			if err == io.EOF || errors.Is(err, gowarc.ErrNoRecord) {
				if records == 0 {
					return false, r.fail(name, "", ErrNotWARC)
				}
				// At the end, perhaps after bytes that are no record: reported unless blank.
				if serr := skipped(size); serr != nil {
					return damaged, fail(next, &WARCError{Offset: next, Err: serr})
				}
				return damaged, nil
			}
			records++
			at := rec.Offset
			if serr := skipped(rec.Offset); serr != nil {
				at, err = next, serr // the damage starts before the record
			}
			if err := fail(at, &WARCError{Offset: at, Err: err}); err != nil {
				return damaged, err
			}
			end := rec.Offset + rec.Size
			if end <= lastEnd {
				return damaged, nil // the reader cannot move past the damage
			}
			lastEnd, next = end, end
			continue
		}
		records++
		if serr := skipped(rec.Offset); serr != nil {
			if err := fail(next, &WARCError{Offset: next, Err: serr}); err != nil {
				_ = rec.Close()
				return damaged, err
			}
		}
		damaged = false
		lastEnd = rec.Offset + rec.Size
		next = lastEnd
		err = w.record(rec)
		if err == nil && w.moreInMember(rec) {
			err = r.failInWARC(name, w.origin(rec.Offset), &WARCError{Offset: rec.Offset, Err: ErrGzipMemberRecords})
		}
		_ = rec.Close()
		if err != nil {
			return damaged, err
		}
	}
}

func (w *warcFile) origin(offset int64) string {
	return w.name + "@" + strconv.FormatInt(offset, 10)
}

// record emits the item of one record, if it is a page.
func (w *warcFile) record(rec gowarc.Record) error {
	wr := rec.WarcRecord
	switch wr.Type() {
	case gowarc.Response, gowarc.Resource:
		page, err := readWARCPage(wr, w.r.opts.MaxBytes)
		w.add(wr, rec.Offset, page.html)
		if page.html {
			w.r.indexing.pageRead(rec.Offset, wr.RecordId())
		}
		if !page.html {
			return nil
		}
		it := w.item(wr, rec.Offset)
		it.Data, it.ContentType = page.data, page.contentType
		if err != nil {
			it.Data, it.Err = nil, recordError(rec.Offset, err)
		}
		w.note(indexEvent{Offset: rec.Offset, ID: wr.RecordId()})
		return w.r.emit(it)
	case gowarc.Revisit:
		return w.revisit(wr, rec.Offset)
	}
	return nil // warcinfo, request, metadata, conversion, continuation
}

// item starts the Item of a record: its target URI, date and place in the file.
func (w *warcFile) item(wr gowarc.WarcRecord, offset int64) Item {
	it := Item{Source: targetURI(wr.WarcHeader()), Origin: w.origin(offset), InWARC: true}
	if it.Source == "" {
		it.Source = w.name
	}
	if t, err := wr.Date(); err == nil {
		t = t.UTC()
		it.CapturedAt = &t
	}
	return it
}

// revisit emits a revisit record with the payload of the record it refers to, found by
// WARC-Refers-To, else WARC-Payload-Digest, else WARC-Refers-To-Target-URI and -Date, among
// the records before it; the item keeps the revisit's own target URI and date.
func (w *warcFile) revisit(wr gowarc.WarcRecord, offset int64) error {
	h := wr.WarcHeader()
	it := w.item(wr, offset)
	if w.plan != nil {
		e, err := w.planned(offset)
		if err != nil {
			return err
		}
		switch {
		case e.Via != nil:
			path, at := w.placeOf(e.Via)
			_, _, err = w.original(it, path, at, e.Via.ID)
			return err
		case e.Skip:
			return nil
		}
		_, err = w.unresolved(wr, it)
		return err
	}
	var keys []uint64
	if id := h.GetId(gowarc.WarcRefersTo); id != "" {
		keys = append(keys, indexKey('i', id))
	}
	if d := h.Get(gowarc.WarcPayloadDigest); d != "" {
		keys = append(keys, indexKey('d', normalizeDigest(d)))
	}
	if u, d := strings.Trim(h.Get(gowarc.WarcRefersToTargetURI), "<>"), h.Get(gowarc.WarcRefersToDate); u != "" && d != "" {
		keys = append(keys, indexKey('u', u+" "+normalizeDate(d)))
	}
	// References are tried in order, each in this file and then in the earlier ones
	// (earlierPages), so that a revisit's WARC-Refers-To wins over a record elsewhere with
	// the same payload digest (a 404 page with the body of the page it refers to).
	if w.r.indexing.isPart() && len(keys) > 0 {
		if _, own := w.index[keys[0]]; !own {
			// An earlier file may hold its first reference: the join decides.
			w.pending(wr, offset, keys)
			return nil
		}
	}
	for _, k := range keys {
		path, at, found := w.path, int64(0), false
		if e, ok := w.index[k]; ok {
			if !e.html {
				w.note(indexEvent{Offset: offset, ID: wr.RecordId(), Revisit: true, Skip: true})
				return nil
			}
			at, found = e.offset, true
		} else if path, at, found = w.r.earlier.find(k); !found {
			continue
		}
		id, emitted, err := w.original(it, path, at, "")
		w.noteVia(offset, wr.RecordId(), path, at, id, emitted)
		return err
	}
	emitted, err := w.unresolved(wr, it)
	w.note(indexEvent{Offset: offset, ID: wr.RecordId(), Revisit: true, Skip: !emitted})
	return err
}

// original emits the item of a revisit with the payload of the record at offset at in the
// WARC file at path, its original (which must be the record wantID names, when set), and
// returns the original's record id; an original that is not a page gives no item.
func (w *warcFile) original(it Item, path string, at int64, wantID string) (id string, emitted bool, err error) {
	page, err := rereadAt(path, at, w.r.opts.MaxBytes, wantID)
	if err == nil && !page.html {
		return page.id, false, nil
	}
	it.Data, it.ContentType = page.data, page.contentType
	if err != nil {
		err = recordError(at, err)
		if path != w.path {
			err = fmt.Errorf("reading its original in %s: %w", path, err)
		}
		it.Data, it.Err = nil, err
	}
	return page.id, true, w.r.emit(it)
}

// unresolved emits the failure of a revisit whose original was not found, if it may be a
// page.
func (w *warcFile) unresolved(wr gowarc.WarcRecord, it Item) (emitted bool, err error) {
	if !mayBePage(wr) {
		return false, nil
	}
	h := wr.WarcHeader()
	ref := h.GetId(gowarc.WarcRefersTo)
	if ref == "" {
		ref = h.Get(gowarc.WarcPayloadDigest)
	}
	it.Err = fmt.Errorf("%w (%s)", ErrRevisitUnresolved, ref)
	return true, w.r.emit(it)
}

// mayBePage reports whether a revisit may be of a page, by the HTTP status and
// Content-Type it stores for itself: an unresolved one is then a failed input.
func mayBePage(wr gowarc.WarcRecord) bool {
	status, ct := revisitHeader(wr)
	return (status == 0 || status == http.StatusOK || status == http.StatusNotModified) && htmlType(ct) != notHTML
}

// recordError places a record's read failure; a size error needs no place.
func recordError(offset int64, err error) error {
	var tl *TooLargeError
	var we *WARCError
	if errors.As(err, &tl) || errors.As(err, &we) {
		return err
	}
	return &WARCError{Offset: offset, Err: err}
}

// rereadAt reads the page of the record at offset in the WARC file at path again (atRecord).
func rereadAt(path string, offset, maxBytes int64, id string) (page warcPage, err error) {
	err = atRecord(path, offset, id, func(rec gowarc.Record) error {
		var readErr error
		page, readErr = readWARCPage(rec.WarcRecord, maxBytes)
		page.id = rec.WarcRecord.RecordId()
		return readErr
	})
	return page, err
}

// atRecord reads the record at offset in the WARC file at path and hands it to fn; a
// record that cannot be read is a *WARCError. With id set (from a WARC index), the record
// there must be that record: gowarc reads on to the next record from an offset where none
// starts, and a file changed since it was indexed would otherwise give another record.
func atRecord(path string, offset int64, id string, fn func(gowarc.Record) error) error {
	rd, err := gowarc.NewWarcFileReader(path, offset)
	if err != nil {
		return &WARCError{Offset: offset, Err: pathError(err)}
	}
	defer rd.Close()
	rec, err := rd.Next()
	// Close is safe on an empty Record and releases a partly read one, so it is deferred
	// whether or not Next failed.
	defer rec.Close() //lint:ignore SA5001 see above
	if err != nil {
		return &WARCError{Offset: offset, Err: err}
	}
	if id != "" && (rec.Offset != offset || rec.WarcRecord.RecordId() != id) {
		return &WARCError{Offset: offset, Err: fmt.Errorf("%w: %s is not the record indexed there", ErrIndexStale, rec.WarcRecord.RecordId())}
	}
	return fn(rec)
}

// add indexes a response or resource record.
func (w *warcFile) add(wr gowarc.WarcRecord, offset int64, html bool) {
	h := wr.WarcHeader()
	put := func(k uint64) {
		if e, ok := w.index[k]; ok && e.html {
			return // the first page wins
		}
		w.index[k] = indexEntry{offset: offset, html: html}
	}
	if id := wr.RecordId(); id != "" {
		put(indexKey('i', id))
	}
	if d := h.Get(gowarc.WarcPayloadDigest); d != "" {
		put(indexKey('d', normalizeDigest(d)))
	}
	if u, d := targetURI(h), h.Get(gowarc.WarcDate); u != "" && d != "" {
		put(indexKey('u', u+" "+normalizeDate(d)))
	}
}

// indexKey hashes a key of the given kind. A collision would only make a revisit re-read the
// wrong record; at 64 bits it is not expected within a file.
func indexKey(kind byte, s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte{kind})
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}

// normalizeDigest makes digests comparable across encodings: "sha1:<base32>" and
// "SHA1:<hex>" of the same bytes are equal.
func normalizeDigest(d string) string {
	algo, value, ok := strings.Cut(strings.TrimSpace(d), ":")
	if !ok {
		return strings.ToLower(d)
	}
	algo = strings.ToLower(strings.ReplaceAll(algo, "-", ""))
	if b, err := base32.StdEncoding.DecodeString(strings.ToUpper(value)); err == nil && len(value)%8 == 0 && !isHex(value) {
		return algo + ":" + hex.EncodeToString(b)
	}
	return algo + ":" + strings.ToLower(value)
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}

func normalizeDate(d string) string {
	if t, err := time.Parse(time.RFC3339, strings.TrimSpace(d)); err == nil {
		return t.UTC().Format(time.RFC3339Nano)
	}
	return d
}

func targetURI(h *gowarc.WarcFields) string {
	return strings.Trim(h.Get(gowarc.WarcTargetURI), "<>")
}

// warcPage is the page a record holds, if it holds one.
type warcPage struct {
	data        []byte
	contentType string
	html        bool
	id          string // WARC-Record-ID, set by rereadAt
}

// readWARCPage reads the page of a response (status 200, HTML payload) or resource (HTML
// block) record. A record whose type says HTML but that cannot be read is html with err.
func readWARCPage(wr gowarc.WarcRecord, limit int64) (warcPage, error) {
	switch b := wr.Block().(type) {
	case gowarc.HttpResponseBlock:
		if b.HttpStatusCode() != http.StatusOK {
			return warcPage{}, nil
		}
		_, h := parseHTTPHeader(b.ProtocolHeaderBytes())
		ct := h.Get("Content-Type")
		kind := htmlType(ct)
		if kind == notHTML {
			return warcPage{}, nil
		}
		page := warcPage{contentType: ct, html: kind == isHTML}
		payload, err := b.PayloadBytes()
		if err != nil {
			return page, err
		}
		// A payload stored with no coding is the page, bounded by limit itself; an encoded one
		// may be larger than its page (chunk headers, a coding that did not compress), so it
		// is read with some room, and bounded again once decoded. Tripping either bound is
		// reported against limit, the user's --max-input-size.
		codings := payloadCodings(h)
		rawLimit := limit
		if len(codings) > 0 {
			rawLimit = encodedLimit(limit)
		}
		raw, err := readLimitedSized(payload, rawLimit, sizeHint(wr.WarcHeader().Get(gowarc.ContentLength), len(b.ProtocolHeaderBytes())))
		var tl *TooLargeError
		if errors.As(err, &tl) && len(codings) > 0 {
			err = &TooLargeError{Limit: limit, Encoding: strings.Join(codings, ", ")}
		}
		if err == nil {
			raw, err = decodeBody(raw, h.Values("Transfer-Encoding"), h.Values("Content-Encoding"), limit)
		}
		if err != nil {
			return page, err
		}
		page.data, page.html = raw, kind == isHTML || sniffsAsHTML(raw)
		return page, nil
	case gowarc.HttpRequestBlock:
		return warcPage{}, nil
	}
	if wr.Type() != gowarc.Resource {
		return warcPage{}, nil
	}
	ct := wr.WarcHeader().Get(gowarc.ContentType)
	kind := htmlType(ct)
	if kind == notHTML {
		return warcPage{}, nil
	}
	page := warcPage{contentType: ct, html: kind == isHTML}
	block, err := wr.Block().RawBytes()
	if err != nil {
		return page, err
	}
	data, err := readLimitedSized(block, limit, sizeHint(wr.WarcHeader().Get(gowarc.ContentLength), 0))
	if err != nil {
		return page, err
	}
	page.data, page.html = data, kind == isHTML || sniffsAsHTML(data)
	return page, nil
}

// payloadCodings are the codings a stored HTTP payload declares that decodeBody undoes:
// chunked transfer, then each Content-Encoding other than identity.
func payloadCodings(h http.Header) []string {
	var codings []string
	if slices.Contains(tokens(h.Values("Transfer-Encoding")), "chunked") {
		codings = append(codings, "chunked")
	}
	for _, c := range tokens(h.Values("Content-Encoding")) {
		if c != "identity" {
			codings = append(codings, c)
		}
	}
	return codings
}

// encodedLimit bounds a WARC record's payload as stored, before its codings are undone,
// for a page limit of limit: 1.25 times it, plus 64 KiB (TooLargeError says so).
func encodedLimit(limit int64) int64 {
	return limit + limit/4 + 64<<10
}

// sizeHint is the size to read a record's page into at once, rather than growing a buffer
// from nothing (which allocated about twice each page's size): the record's Content-Length
// less the HTTP header that precedes the page, 0 when unknown. The header is only a claim,
// and gowarc accepts a record shorter than it says, so the hint is at most maxSizeHint: a
// forged Content-Length can make a small page cost that much memory while it is in
// flight, not the input size limit. A wrong hint never costs a byte of the page.
func sizeHint(contentLength string, headerBytes int) int64 {
	n, err := strconv.ParseInt(contentLength, 10, 64)
	if err != nil {
		return 0
	}
	return min(max(n-int64(headerBytes), 0), maxSizeHint)
}

// maxSizeHint bounds sizeHint. Most pages are smaller (the article is 112 KB); a larger
// page is read into a buffer of this size and then grows.
const maxSizeHint = 1 << 20

type mediaKind int

const (
	unknownType mediaKind = iota // no Content-Type: sniff the bytes
	isHTML
	notHTML
)

func htmlType(contentType string) mediaKind {
	if strings.TrimSpace(contentType) == "" {
		return unknownType
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, _, _ = strings.Cut(contentType, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
	}
	if mt == "text/html" || mt == "application/xhtml+xml" {
		return isHTML
	}
	return notHTML
}

// parseHTTPHeader reads a status or request line and header fields as stored, keeping
// Transfer-Encoding, which net/http would move out of the header.
func parseHTTPHeader(b []byte) (status int, h http.Header) {
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(b)))
	line, err := tp.ReadLine()
	if err != nil {
		return 0, http.Header{}
	}
	if strings.HasPrefix(line, "HTTP/") {
		if f := strings.Fields(line); len(f) > 1 {
			status, _ = strconv.Atoi(f[1])
		}
	}
	mh, _ := tp.ReadMIMEHeader() // keeps what it read before an error
	return status, http.Header(mh)
}

// revisitHeader is the HTTP status and Content-Type a revisit record stores for itself.
func revisitHeader(wr gowarc.WarcRecord) (status int, contentType string) {
	ct := wr.WarcHeader().Get(gowarc.WarcIdentifiedPayloadType)
	b, ok := wr.Block().(gowarc.ProtocolHeaderBlock)
	if !ok {
		return 0, ct
	}
	status, h := parseHTTPHeader(b.ProtocolHeaderBytes())
	if v := h.Get("Content-Type"); v != "" {
		ct = v
	}
	return status, ct
}

// A WARC from standard input or a URL is a stream, but revisits are resolved by re-reading
// earlier records at their offsets. Such a WARC is therefore copied ("spooled") to a
// temporary file and read like a file, so that everything (record selection, revisits,
// errors per record, naming) is the same; the file is removed when it has been read, when
// reading fails and when ctx is cancelled.

// SpoolTooLargeError is a WARC from standard input or a URL over Options.MaxSpoolBytes, or
// the decompressed copy of a WARC gzipped as a whole over it.
type SpoolTooLargeError struct {
	Limit   int64 // bytes
	Gzipped bool  // the decompressed copy of a WARC gzipped as a whole (rather than per record)
}

func (e *SpoolTooLargeError) Error() string {
	if e.Gzipped {
		return "WARC gzipped as a whole decompresses to more than the " + formatSize(e.Limit) + " limit for its temporary copy (decompress it to a file and name that file)"
	}
	return "WARC larger than the " + formatSize(e.Limit) + " limit for standard input and URLs (save it to a file and name the file)"
}

// spoolFileError is the failure to write the temporary file, not to read the stream.
type spoolFileError struct{ err error }

func (e *spoolFileError) Error() string {
	return "copying the WARC to a temporary file in " + os.TempDir() + ": " + pathError(e.err).Error()
}
func (e *spoolFileError) Unwrap() error { return e.err }

const (
	warcMagic = "WARC/"
	// warcSniffSize is how much of a gzip stream is looked at to find "WARC/" at the start
	// of its content: the gzip header (with any extra field or file name) and the first
	// deflate block's code tables come first.
	warcSniffSize = 16 << 10
	spoolChunk    = 256 << 10
)

// looksLikeWARC reports, without consuming anything from br, whether it starts a WARC: its
// first bytes are "WARC/", or it is a gzip stream whose content starts so (a .warc.gz). It
// reads no more than it needs to decide: a few hundred bytes for a gzip record.
func looksLikeWARC(br *bufio.Reader) bool {
	head, _ := br.Peek(len(warcMagic))
	if string(head) == warcMagic {
		return true
	}
	if len(head) < 2 || head[0] != 0x1f || head[1] != 0x8b {
		return false
	}
	for n := 256; ; n = min(4*n, warcSniffSize) {
		head, err := br.Peek(n) // fewer at the end of the input
		zr, zerr := gzip.NewReader(bytes.NewReader(head))
		switch {
		case zerr == nil:
			var start [len(warcMagic)]byte
			k, _ := io.ReadFull(zr, start[:])
			if k == len(start) || string(start[:k]) != warcMagic[:k] {
				return string(start[:k]) == warcMagic
			}
		case zerr != io.ErrUnexpectedEOF:
			return false // not a gzip header
		}
		if err != nil || n == warcSniffSize {
			return false // the input ends, or the content is still unknown
		}
	}
}

// spooledWARC reads a WARC that arrives on rd (standard input) as readWARC reads a file,
// after copying it to a temporary file.
func (r *runner) spooledWARC(name string, rd io.Reader) error {
	if r.opts.WARCIndex != nil {
		return r.fail(name, "", ErrWARCNotIndexed) // before copying it
	}
	path, err := r.spool(rd, nil, nil)
	if err != nil {
		if ctxErr := r.ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return r.fail(name, "", err)
	}
	defer os.Remove(path)
	return r.readWARC(path, name)
}

// spool copies rd to a new temporary file and returns its path; the caller removes it. It
// fails with *SpoolTooLargeError past opts.MaxSpoolBytes, *spoolFileError when the file
// cannot be written, rd's error when rd fails, and ctx's error as soon as ctx is done, even
// while a read from rd is blocked. progress, if not nil, is called after every chunk
// written. No file is left behind when spool fails.
//
// stop, if not nil, makes a blocked read of rd return (an HTTP body's request is cancelled):
// on failure spool calls it and waits for the read, so that nothing reads rd once spool has
// returned. Without it (standard input, whose read cannot be interrupted) a read in flight is
// left to finish on its own goroutine, and what it reads is dropped.
func (r *runner) spool(rd io.Reader, progress, stop func()) (path string, err error) {
	f, err := os.CreateTemp("", "articleetl-*.warc")
	if err != nil {
		return "", &spoolFileError{err}
	}
	name := f.Name()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = &spoolFileError{cerr}
		}
		if err != nil {
			_ = os.Remove(name)
			path = ""
		}
	}()

	// The reads run on a goroutine of their own, so that cancellation does not wait for a
	// read that may never end. Two buffers take turns: one is read into while the other is
	// written out.
	type chunk struct {
		b   []byte
		err error
	}
	chunks := make(chan chunk)
	free := make(chan []byte, 2)
	free <- make([]byte, spoolChunk)
	free <- make([]byte, spoolChunk)
	done := make(chan struct{})
	exited := make(chan struct{})
	defer func() {
		close(done)
		if err != nil && stop != nil {
			stop()
		}
		if err == nil || stop != nil {
			<-exited
		}
	}()
	go func() {
		defer close(exited)
		for {
			var buf []byte
			select {
			case buf = <-free:
			case <-done:
				return
			}
			n, err := rd.Read(buf)
			select {
			case chunks <- chunk{buf[:n], err}:
			case <-done:
				return
			}
			if err != nil {
				return
			}
		}
	}()

	limit := r.opts.MaxSpoolBytes
	var written int64
	for {
		if err := r.ctx.Err(); err != nil {
			return "", err
		}
		var c chunk
		select {
		case <-r.ctx.Done():
			return "", r.ctx.Err()
		case c = <-chunks:
		}
		if len(c.b) > 0 {
			if int64(len(c.b)) > limit-written {
				return "", &SpoolTooLargeError{Limit: limit}
			}
			if _, err := f.Write(c.b); err != nil {
				return "", &spoolFileError{err}
			}
			written += int64(len(c.b))
			if progress != nil {
				progress()
			}
		}
		switch {
		case c.err == io.EOF:
			return name, nil
		case c.err != nil:
			return "", c.err
		}
		free <- c.b[:cap(c.b)]
	}
}

package source

import (
	"bufio"
	"bytes"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"mime"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/nlnwa/gowarc/v3"
)

// warcFile reads one WARC file (ISO 28500, WARC 1.0 or 1.1, plain or gzip per record).
type warcFile struct {
	r    *runner
	path string
	// index maps hashed keys of every response and resource record read so far (its
	// record id, payload digest, and target URI with date) to where it starts, so a revisit
	// can re-read its original instead of the file's payloads being held in memory.
	index map[uint64]indexEntry
}

type indexEntry struct {
	offset int64
	html   bool // the record is an HTML page (a 200 response or a resource)
}

// warc emits an item per HTML record of the WARC file at path, in file order: response
// records with status 200 and an HTML payload, HTML resource records, and revisits of
// either, resolved to their original's payload. Other records are skipped. A record that
// cannot be parsed is an item with a *WARCError, and reading goes on after it.
func (r *runner) warc(path string) error {
	rd, err := gowarc.NewWarcFileReader(path, 0)
	if err != nil {
		return r.fail(path, "", pathError(err))
	}
	defer rd.Close()
	w := &warcFile{r: r, path: path, index: map[uint64]indexEntry{}}
	records := 0
	lastEnd := int64(-1)
	damaged := false
	for {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		rec, err := rd.Next()
		if err == io.EOF && rec.Size > 0 {
			err = io.ErrUnexpectedEOF // the file ends inside a record
		}
		if err != nil {
			_ = rec.Close()
			if err == io.EOF || errors.Is(err, gowarc.ErrNoRecord) {
				if records == 0 {
					return r.fail(path, "", ErrNotWARC)
				}
				return nil // at the end, perhaps after trailing bytes that are no record
			}
			records++
			if !damaged { // one item per damaged stretch, however many reads it takes to resync
				if err := r.fail(path, w.origin(rec.Offset), &WARCError{Offset: rec.Offset, Err: err}); err != nil {
					return err
				}
			}
			damaged = true
			end := rec.Offset + rec.Size
			if end <= lastEnd {
				return nil // the reader cannot move past the damage
			}
			lastEnd = end
			continue
		}
		records++
		damaged = false
		lastEnd = rec.Offset + rec.Size
		err = w.record(rec)
		_ = rec.Close()
		if err != nil {
			return err
		}
	}
}

func (w *warcFile) origin(offset int64) string {
	return w.path + "@" + strconv.FormatInt(offset, 10)
}

// record emits the item of one record, if it is a page.
func (w *warcFile) record(rec gowarc.Record) error {
	wr := rec.WarcRecord
	switch wr.Type() {
	case gowarc.Response, gowarc.Resource:
		page, err := readWARCPage(wr, w.r.opts.MaxBytes)
		w.add(wr, rec.Offset, page.html)
		if !page.html {
			return nil
		}
		it := w.item(wr, rec.Offset)
		it.Data, it.ContentType = page.data, page.contentType
		if err != nil {
			it.Data, it.Err = nil, recordError(rec.Offset, err)
		}
		return w.r.emit(it)
	case gowarc.Revisit:
		return w.revisit(wr, rec.Offset)
	}
	return nil // warcinfo, request, metadata, conversion, continuation
}

// item starts the Item of a record: its target URI, date and place in the file.
func (w *warcFile) item(wr gowarc.WarcRecord, offset int64) Item {
	it := Item{Source: targetURI(wr.WarcHeader()), Origin: w.origin(offset)}
	if it.Source == "" {
		it.Source = w.path
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
	it := w.item(wr, offset)
	for _, k := range keys {
		e, ok := w.index[k]
		if !ok {
			continue
		}
		if !e.html {
			return nil
		}
		page, err := w.reread(e.offset)
		if err == nil && !page.html {
			return nil
		}
		it.Data, it.ContentType = page.data, page.contentType
		if err != nil {
			it.Data, it.Err = nil, recordError(e.offset, err)
		}
		return w.r.emit(it)
	}
	// The original is not in this file. Only a revisit that may be a page is reported.
	status, ct := revisitHeader(wr)
	if (status != 0 && status != http.StatusOK && status != http.StatusNotModified) || htmlType(ct) == notHTML {
		return nil
	}
	ref := h.GetId(gowarc.WarcRefersTo)
	if ref == "" {
		ref = h.Get(gowarc.WarcPayloadDigest)
	}
	it.Err = fmt.Errorf("%w (%s)", ErrRevisitUnresolved, ref)
	return w.r.emit(it)
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

// reread reads the record at offset again.
func (w *warcFile) reread(offset int64) (warcPage, error) {
	rd, err := gowarc.NewWarcFileReader(w.path, offset)
	if err != nil {
		return warcPage{}, &WARCError{Offset: offset, Err: pathError(err)}
	}
	defer rd.Close()
	rec, err := rd.Next()
	defer rec.Close()
	if err != nil {
		return warcPage{}, &WARCError{Offset: offset, Err: err}
	}
	return readWARCPage(rec.WarcRecord, w.r.opts.MaxBytes)
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
}

// readWARCPage reads the page of a response (status 200, HTML payload) or resource (HTML
// block) record. A record whose type says HTML but that cannot be read is html with err.
func readWARCPage(wr gowarc.WarcRecord, limit int64) (warcPage, error) {
	rawLimit := limit + limit/4 + 64<<10 // room for chunk headers
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
		raw, err := readLimited(payload, rawLimit)
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
	data, err := readLimited(block, limit)
	if err != nil {
		return page, err
	}
	page.data, page.html = data, kind == isHTML || sniffsAsHTML(data)
	return page, nil
}

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

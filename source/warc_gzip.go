package source

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/klauspost/compress/gzip"
	"github.com/nlnwa/gowarc/v3"
)

// A .warc.gz is normally gzipped record by record: every record is a gzip member of its own,
// so that a record can be read at its offset without those before it. That is the only form
// gowarc reads: it reads the first record of a member and discards the rest of the member
// (it drains the member to check its CRC). A WARC gzipped as a whole (gzip -c crawl.warc >
// crawl.warc.gz), one member for the whole file, would give its first record and then, at
// the end of the file, nothing more, without an error; no gowarc option changes that.
//
// Such a WARC is recognised by its first member holding the start of a second record (see
// gzippedWhole), and read from a decompressed copy, a temporary file like the copy of a WARC
// from standard input: its records' offsets are then offsets in the decompressed WARC. A
// member further on that holds more than its record (per-record members, then a WARC gzipped
// as a whole appended) is reported as an error at its offset (see moreInMember).

// recordStart is the start of a WARC record at the start of a line, as it follows the end
// of the record before it.
const recordStart = "\nWARC/1."

var gzipMagic = []byte{0x1f, 0x8b}

// findRecordStart reports whether rd (a decompressed gzip member) holds the start of a WARC
// record, "WARC/1." at the start of a line, that begins at or after byte from. It reads until
// it finds one or rd ends; an error of rd's ends the search (with found false).
func (r *runner) findRecordStart(rd io.Reader, from int64) (found bool, err error) {
	buf := make([]byte, 64<<10)
	var pos int64 // offset in rd of buf[0]
	keep := 0     // bytes carried over from the previous read, for a match across reads
	for {
		if err := r.ctx.Err(); err != nil {
			return false, err
		}
		n, rerr := rd.Read(buf[keep:])
		n += keep
		for i := 0; ; {
			j := bytes.Index(buf[i:n], []byte(recordStart))
			if j < 0 {
				break
			}
			if pos+int64(i+j)+1 >= from {
				return true, nil
			}
			i += j + 1
		}
		if rerr != nil {
			if rerr == io.EOF {
				rerr = nil
			}
			return false, rerr
		}
		keep = min(n, len(recordStart)-1)
		copy(buf, buf[n-keep:n])
		pos += int64(n - keep)
	}
}

// gzippedWhole reports whether the WARC file at path is gzipped as a whole rather than per
// record: its first gzip member holds the start of a second record. For a WARC gzipped per
// record this decompresses only its first record (usually a small warcinfo); for one gzipped
// as a whole, only as far as the second record. Should the first record's payload hold such a
// line, a WARC gzipped per record is read decompressed too: the same records, at offsets in
// the decompressed WARC. A file that cannot be read, or whose first member is damaged, is
// left to the WARC reader to report; the error is ctx's.
func (r *runner) gzippedWhole(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, nil
	}
	defer f.Close()
	br := bufio.NewReader(f)
	if head, _ := br.Peek(len(gzipMagic)); !bytes.Equal(head, gzipMagic) {
		return false, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return false, nil
	}
	zr.Multistream(false)
	found, err := r.findRecordStart(zr, 0)
	if ctxErr := r.ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	return found && err == nil, nil
}

// gunzipWARC copies the WARC at path, gzipped as a whole, decompressed to a new temporary
// file, bounded like the copy of a WARC from standard input (opts.MaxSpoolBytes), and returns
// its path; the caller removes it. Every gzip member is decompressed in turn, so that WARCs
// gzipped as a whole and then concatenated are read whole too. Damaged gzip data, or bytes
// after the last member that are neither gzip nor blank, end the copy: what came before it
// is kept, and the failure is returned as gzErr, placed at the end of the copy.
func (r *runner) gunzipWARC(path string) (plain string, gzErr *WARCError, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", nil, pathError(err)
	}
	defer f.Close()
	size := int64(-1)
	if info, err := f.Stat(); err == nil {
		size = info.Size()
	}
	g := &gunzipReader{cr: &countingReader{r: f}, size: size}
	g.br = bufio.NewReaderSize(g.cr, 64<<10)
	// A read of the file does not block: stop need not interrupt it, only be waited for.
	plain, err = r.spool(g, nil, func() {})
	if err != nil {
		var tl *SpoolTooLargeError
		if errors.As(err, &tl) {
			err = &SpoolTooLargeError{Limit: tl.Limit, Gzipped: true}
		}
		return "", nil, err
	}
	if g.err != nil {
		gzErr = &WARCError{Offset: g.out, Err: g.err}
	}
	return plain, gzErr, nil
}

// gunzipReader reads the decompressed content of every gzip member of a file in turn. It
// ends (io.EOF) at the end of the file, or at the first failure, which it keeps in err.
type gunzipReader struct {
	cr   *countingReader // the file
	br   *bufio.Reader   // over cr: a flate.Reader, so that no member's reader reads past its end
	zr   *gzip.Reader    // the current member's; nil before the first
	size int64           // of the file, -1 when unknown
	at   int64           // in the file, of the current member
	out  int64           // decompressed bytes so far
	err  error
	done bool
}

func (g *gunzipReader) Read(p []byte) (int, error) {
	for !g.done {
		if g.zr != nil {
			n, err := g.zr.Read(p)
			g.out += int64(n)
			switch {
			case err == io.EOF:
				g.zr = nil // the member ends; the next one is opened by the next read
			case err != nil:
				g.fail(fmt.Errorf("gzip member at byte %d of the file: %w", g.at, err))
			}
			if n > 0 || err == nil {
				return n, nil
			}
			continue
		}
		g.next()
	}
	return 0, io.EOF
}

// next opens the member that starts where the last one ended, if there is one.
func (g *gunzipReader) next() {
	g.at = g.cr.n - int64(g.br.Buffered())
	head, err := g.br.Peek(len(gzipMagic))
	switch {
	case err != nil && err != io.EOF:
		g.fail(err)
		return
	case len(head) == 0:
		g.done = true
		return
	case !bytes.Equal(head, gzipMagic):
		blank, err := isBlank(g.br)
		switch {
		case err != nil:
			g.fail(err)
		case !blank:
			n := "the"
			if g.size >= 0 {
				n = fmt.Sprint(g.size - g.at)
			}
			g.fail(fmt.Errorf("%s bytes after the gzip data, from byte %d of the file, are not gzip", n, g.at))
		}
		g.done = true
		return
	}
	zr := g.zr
	if zr == nil {
		zr = new(gzip.Reader)
	}
	if err := zr.Reset(g.br); err != nil {
		g.fail(fmt.Errorf("gzip member at byte %d of the file: %w", g.at, err))
		return
	}
	zr.Multistream(false)
	g.zr = zr
}

func (g *gunzipReader) fail(err error) {
	g.err, g.done, g.zr = err, true, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// isBlank reports whether rd holds nothing but line breaks, spaces and tabs (as may follow
// the last record), reading it up to its first other byte.
func isBlank(rd io.Reader) (bool, error) {
	buf := make([]byte, 32<<10)
	for {
		n, err := rd.Read(buf)
		for _, c := range buf[:n] {
			if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
				return false, nil
			}
		}
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return false, err
		}
	}
}

// skipped is the failure for the bytes of the file from offset to end, which the WARC reader
// passed over looking for a record, or nil when they are blank (line breaks after the last
// record, say). Other bytes are the remains of a record whose start is damaged, or garbage.
func (w *warcFile) skipped(offset, end int64) error {
	if end <= offset {
		return nil
	}
	blank, err := isBlank(io.NewSectionReader(w.f, offset, end-offset))
	switch {
	case err != nil:
		return err
	case blank:
		return nil
	}
	return fmt.Errorf("%w: %d bytes skipped", ErrNotRecord, end-offset)
}

// moreInMember reports whether rec, read from a gzip member, is not all that member holds:
// the member holds more records, which the WARC reader skipped. That is found cheaply from
// the member's trailer, the size of its content, compared with the size of the record (its
// header as parsed, which may differ by a few bytes from the header as stored); only a member
// larger than its record is decompressed again, to look for the start of a record after it.
func (w *warcFile) moreInMember(rec gowarc.Record) bool {
	const minMember = 20 // a gzip header and trailer
	var b [4]byte
	if rec.Size < minMember || rec.WarcRecord == nil {
		return false
	}
	if _, err := w.f.ReadAt(b[:2], rec.Offset); err != nil || !bytes.Equal(b[:2], gzipMagic) {
		return false
	}
	if _, err := w.f.ReadAt(b[:], rec.Offset+rec.Size-4); err != nil {
		return false
	}
	isize := binary.LittleEndian.Uint32(b[:]) // the content's size, modulo 2³²
	wr := rec.WarcRecord
	length, err := wr.WarcHeader().GetInt64(gowarc.ContentLength)
	if err != nil {
		return false
	}
	header, err := wr.WarcHeader().Write(io.Discard)
	if err != nil {
		return false
	}
	size := int64(len(wr.Version().String())+2) + header + 2 + length + 4
	// The smallest record is well over 100 bytes. A record whose header was stored with more
	// space than parsed (isize a little over size) is not worth a second look, nor one whose
	// header was stored with less (isize a little under size, here just under 2³²).
	if extra := isize - uint32(size); extra < 128 || extra > math.MaxUint32-1<<16 {
		return false
	}
	zr, err := gzip.NewReader(bufio.NewReader(io.NewSectionReader(w.f, rec.Offset, rec.Size)))
	if err != nil {
		return false
	}
	zr.Multistream(false)
	found, _ := w.r.findRecordStart(zr, max(size-128, 0))
	return found
}

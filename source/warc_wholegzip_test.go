package source

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/articleetl/articleetl/internal/corpus"
)

// unmember splits a WARC gzipped per record into its records: it returns the WARC
// decompressed, and where each record starts in it and in gz.
func unmember(t *testing.T, gz []byte) (plain []byte, plainOffsets, gzOffsets []int64) {
	t.Helper()
	br := bytes.NewReader(gz) // an io.ByteReader: the gzip reader reads no further than its member
	var out bytes.Buffer
	for br.Len() > 0 {
		gzOffsets = append(gzOffsets, int64(len(gz)-br.Len()))
		plainOffsets = append(plainOffsets, int64(out.Len()))
		zr, err := gzip.NewReader(br)
		if err != nil {
			t.Fatal(err)
		}
		zr.Multistream(false)
		if _, err := io.Copy(&out, zr); err != nil {
			t.Fatal(err)
		}
	}
	return out.Bytes(), plainOffsets, gzOffsets
}

// gzipWhole gzips data as one member, as gzip -c does (with the file's name in the header).
func gzipWhole(data []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Name = "crawl.warc"
	_, _ = zw.Write(data)
	_ = zw.Close()
	return b.Bytes()
}

// itemLine is an item as one line, its input written as <input> and the offset of its
// Origin mapped by offsets (from the offsets of the WARC it was read from to those of the
// plain WARC), so that items from the same records in different forms compare equal.
func itemLine(it Item, name string, offsets map[int64]int64) string {
	src := it.Source
	if src == name {
		src = "<input>"
	}
	origin := it.Origin
	if rest, ok := strings.CutPrefix(origin, name+"@"); ok {
		off, err := strconv.ParseInt(rest, 10, 64)
		if mapped, ok := offsets[off]; err == nil && ok {
			off = mapped
		}
		origin = fmt.Sprintf("<input>@%d", off)
	}
	at := "-"
	if it.CapturedAt != nil {
		at = it.CapturedAt.Format(time.RFC3339Nano)
	}
	s := fmt.Sprintf("%s origin=%s type=%q at=%s data=%x", src, origin, it.ContentType, at, sha256.Sum256(it.Data))
	if it.Err != nil {
		s += " err=" + it.Err.Error()
	}
	return s
}

func itemLines(items []Item, name string, offsets map[int64]int64) string {
	var lines []string
	for _, it := range items {
		lines = append(lines, itemLine(it, name, offsets))
	}
	return strings.Join(lines, "\n  ")
}

// readVia reads data, a WARC, from a file named file, from standard input or from a URL,
// and returns its items and the name they are read under. It fails the test if a temporary
// file is left behind.
func readVia(t *testing.T, via, file string, data []byte, opts Options) ([]Item, string) {
	t.Helper()
	tmp := spoolDir(t)
	defer assertEmptyDir(t, tmp)
	switch via {
	case "file":
		p := filepath.Join(t.TempDir(), file)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return collect(t, []string{p}, opts), p
	case "stdin":
		opts.Stdin = bytes.NewReader(data)
		return collect(t, []string{"-"}, opts), "-"
	case "url":
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/octet-stream")
			_, _ = w.Write(data)
		}))
		defer srv.Close()
		u := srv.URL + "/" + file
		return collect(t, []string{u}, opts), u
	}
	t.Fatalf("no way %q", via)
	return nil, ""
}

// A WARC gzipped as a whole (one gzip member for the file, as gzip -c makes) gives the same
// items as the WARC decompressed and as the WARC gzipped per record, from a file, standard
// input or a URL. Origins are offsets in the decompressed WARC, or for per-record gzip where
// the record's member starts.
func TestWARCGzippedWhole(t *testing.T) {
	dir := t.TempDir()
	_, crawlGz := warcBytes(t, "crawl.warc.gz", true, crawl()) // with a revisit, resolved by re-reading its original
	corpusPath := filepath.Join(dir, "corpus.warc.gz")
	if err := corpus.WriteWARC(corpusPath, 3, 2); err != nil { // pages of ~100 KB: records span several reads
		t.Fatal(err)
	}
	corpusGz, err := os.ReadFile(corpusPath)
	if err != nil {
		t.Fatal(err)
	}

	for _, fixture := range []struct {
		name string
		gz   []byte // gzipped per record
	}{
		{"crawl", crawlGz},
		{"corpus", corpusGz},
	} {
		plain, plainOffsets, gzOffsets := unmember(t, fixture.gz)
		fromGz := map[int64]int64{} // per-record member offset → offset in the plain WARC
		for i := range gzOffsets {
			fromGz[gzOffsets[i]] = plainOffsets[i]
		}
		half := plainOffsets[len(plainOffsets)/2]
		forms := []struct {
			name    string
			data    []byte
			offsets map[int64]int64
		}{
			{"plain", plain, nil},
			{"gzip per record", fixture.gz, fromGz},
			{"gzip whole", gzipWhole(plain), nil},
			// cat a.warc.gz b.warc.gz of two WARCs gzipped whole
			{"gzip whole, two files concatenated", append(gzipWhole(plain[:half]), gzipWhole(plain[half:])...), nil},
			// gzipped whole, then a record gzipped on its own appended
			{"gzip whole, then per record", append(gzipWhole(plain[:half]), fixture.gz[gzOffsets[len(gzOffsets)/2]:]...), nil},
			{"gzip whole, blank line after", append(gzipWhole(plain), '\n'), nil},
		}
		wantItems, wantName := readVia(t, "file", "crawl.warc", plain, Options{})
		want := itemLines(wantItems, wantName, nil)
		var pages int
		for _, it := range wantItems {
			if it.Err != nil {
				t.Fatalf("%s: %v", fixture.name, it.Err)
			}
			pages++
		}
		if pages < 2 {
			t.Fatalf("%s: %d pages in the plain WARC, want several", fixture.name, pages)
		}
		for _, form := range forms {
			for _, via := range []string{"file", "stdin", "url"} {
				t.Run(fixture.name+"/"+form.name+"/"+via, func(t *testing.T) {
					items, name := readVia(t, via, "crawl.warc.gz", form.data, Options{})
					if got := itemLines(items, name, form.offsets); got != want {
						t.Errorf("items:\n  %s\nwant, as from the plain WARC:\n  %s", got, want)
					}
				})
			}
		}
	}
}

// Reading that stops before the end of a WARC says so, naming the input and the offset.
func TestWARCReadToTheEnd(t *testing.T) {
	_, gz := warcBytes(t, "crawl.warc.gz", true, crawl())
	plain, plainOffsets, _ := unmember(t, gz)
	whole := gzipWhole(plain)
	limit := int64(len(whole)) + 10 // the copy from standard input fits, the decompressed one not
	if limit >= int64(len(plain)) {
		t.Fatalf("%d bytes gzipped, %d not", len(whole), len(plain))
	}
	wantPages := 4 // in crawl()
	// Record 7, page C: its start damaged, its bytes are passed over up to record 8.
	damagedStart := bytes.Clone(plain)
	if string(damagedStart[plainOffsets[7]:plainOffsets[7]+5]) != "WARC/" {
		t.Fatal("record 7 not found")
	}
	damagedStart[plainOffsets[7]+3] = 'X'

	corrupt := bytes.Clone(whole)
	corrupt[len(corrupt)-6] ^= 0xff // the CRC-32 is wrong

	tests := []struct {
		name      string
		data      []byte
		opts      Options
		pages     int
		wantErr   string // of the one failed item, "" for none
		errOffset int64  // where the failed item's Origin places it
	}{
		{name: "plain, garbage after", data: append(bytes.Clone(plain), "not a record\n"...), pages: wantPages,
			wantErr: "reading WARC record at offset %d: not a WARC record: 13 bytes skipped", errOffset: int64(len(plain))},
		{name: "plain, blank lines after", data: append(bytes.Clone(plain), "\r\n\r\n\n"...), pages: wantPages},
		{name: "plain, a record's start damaged", data: damagedStart, pages: wantPages - 1,
			wantErr: fmt.Sprintf("reading WARC record at offset %%d: not a WARC record: %d bytes skipped", plainOffsets[8]-plainOffsets[7]), errOffset: plainOffsets[7]},
		{name: "gzip per record, garbage after", data: append(bytes.Clone(gz), "not a record\n"...), pages: wantPages,
			wantErr: "reading WARC record at offset %d: not a WARC record: 13 bytes skipped", errOffset: int64(len(gz))},
		{name: "gzip per record, then a WARC gzipped whole", data: append(bytes.Clone(gz), whole...), pages: wantPages,
			wantErr: "reading WARC record at offset %d: " + ErrGzipMemberRecords.Error(), errOffset: int64(len(gz))},
		{name: "gzip whole, garbage after", data: append(bytes.Clone(whole), "not gzip"...), pages: wantPages,
			wantErr: fmt.Sprintf("reading WARC record at offset %%d: 8 bytes after the gzip data, from byte %d of the file, are not gzip", len(whole)), errOffset: int64(len(plain))},
		{name: "gzip whole, checksum wrong", data: corrupt, pages: wantPages,
			wantErr: "reading WARC record at offset %d: gzip member at byte 0 of the file: gzip: invalid checksum", errOffset: int64(len(plain))},
		// One item for the record cut short, not another for the gzip data.
		{name: "gzip whole, truncated", data: whole[:len(whole)-60], pages: wantPages - 1,
			wantErr: "reading WARC record at offset %d: unexpected EOF", errOffset: plainOffsets[len(plainOffsets)-1]},
		{name: "gzip whole, over MaxSpoolBytes", data: whole, opts: Options{MaxSpoolBytes: limit},
			wantErr: fmt.Sprintf("WARC gzipped as a whole decompresses to more than the %d bytes limit for its temporary copy (decompress it to a file and name that file)", limit), errOffset: -1},
	}
	for _, tt := range tests {
		for _, via := range []string{"file", "stdin"} {
			t.Run(tt.name+"/"+via, func(t *testing.T) {
				items, name := readVia(t, via, "crawl.warc.gz", tt.data, tt.opts)
				pages := 0
				var failed []Item
				for _, it := range items {
					if it.Err != nil {
						failed = append(failed, it)
					} else {
						pages++
					}
				}
				if pages != tt.pages {
					t.Errorf("%d pages, want %d", pages, tt.pages)
				}
				switch {
				case tt.wantErr == "" && len(failed) == 0:
				case tt.wantErr == "" || len(failed) != 1:
					t.Fatalf("failed items: %s\nwant one: %s", itemLines(failed, name, nil), tt.wantErr)
				default:
					it := failed[0]
					wantErr, wantOrigin := tt.wantErr, ""
					if tt.errOffset >= 0 {
						wantErr = fmt.Sprintf(tt.wantErr, tt.errOffset)
						wantOrigin = fmt.Sprintf("%s@%d", name, tt.errOffset)
					}
					if it.Source != name || it.Origin != wantOrigin || it.Err.Error() != wantErr {
						t.Errorf("failed item = %s %s %v\nwant %s %s %s", it.Source, it.Origin, it.Err, name, wantOrigin, wantErr)
					}
				}
			})
		}
	}
}

func TestGzippedWhole(t *testing.T) {
	_, gz := warcBytes(t, "crawl.warc.gz", true, crawl())
	plain, _, _ := unmember(t, gz)
	one := crawl()[2].bytes("1.1")
	r := &runner{ctx: context.Background()}
	for _, tt := range []struct {
		name string
		data []byte
		want bool
	}{
		{"plain", plain, false},
		{"gzip per record", gz, false},
		{"gzip whole", gzipWhole(plain), true},
		{"one record gzipped whole", gzipWhole(one), false},
		{"empty", nil, false},
		{"gzip header only", gzipWhole(nil)[:10], false},
		{"not gzip", []byte("<html>"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "x.warc.gz")
			if err := os.WriteFile(p, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := r.gzippedWhole(p)
			if err != nil || got != tt.want {
				t.Errorf("gzippedWhole = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestFindRecordStart(t *testing.T) {
	r := &runner{ctx: context.Background()}
	long := strings.Repeat("x", 200<<10)
	for _, tt := range []struct {
		name string
		in   string
		from int64
		want bool
	}{
		{"first record only", "WARC/1.1\r\nContent-Length: 0\r\n\r\n\r\n\r\n", 0, false},
		{"second record", "WARC/1.1\r\n\r\n\r\n\r\nWARC/1.0\r\n", 0, true},
		{"far on", "WARC/1.1\r\n" + long + "\r\n\r\nWARC/1.1\r\n", 0, true},
		{"before from", "WARC/1.1\r\n\r\n\r\n\r\nWARC/1.0\r\n" + long, 100, false},
		{"not at a line start", "WARC/1.1\r\n<p>WARC/1.1</p>", 0, false},
	} {
		for _, oneByte := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/one byte a read=%v", tt.name, oneByte), func(t *testing.T) {
				var rd io.Reader = strings.NewReader(tt.in)
				if oneByte {
					if len(tt.in) > 1000 {
						t.Skip("long")
					}
					rd = iotest.OneByteReader(rd)
				}
				got, err := r.findRecordStart(rd, tt.from)
				if err != nil || got != tt.want {
					t.Errorf("findRecordStart = %v, %v; want %v", got, err, tt.want)
				}
			})
		}
	}
}

// Decompressing a WARC gzipped as a whole stops when the run is cancelled, and leaves no
// temporary file behind.
func TestGunzipWARCCancelled(t *testing.T) {
	_, gz := warcBytes(t, "crawl.warc.gz", true, crawl())
	plain, _, _ := unmember(t, gz)
	p := filepath.Join(t.TempDir(), "crawl.warc.gz")
	if err := os.WriteFile(p, gzipWhole(plain), 0o644); err != nil {
		t.Fatal(err)
	}
	tmp := spoolDir(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := &runner{ctx: ctx, opts: Options{}.withDefaults()}
	if path, _, err := r.gunzipWARC(p); !errors.Is(err, context.Canceled) || path != "" {
		t.Errorf("gunzipWARC = %q, %v; want context.Canceled", path, err)
	}
	if err := Each(ctx, []string{p}, Options{}, func(Item) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Each = %v, want context.Canceled", err)
	}
	assertEmptyDir(t, tmp)
}

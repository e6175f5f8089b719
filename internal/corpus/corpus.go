// Package corpus generates snapshots of the article for benchmarks and scale tests: many
// distinct versions of the Wix page (figures, dates and text varied so their content
// hashes differ), exact duplicates, and a WARC file holding them as captures over time.
package corpus

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/articleetl/articleetl"
)

// URI is the capture URL every snapshot is recorded under.
const URI = "https://blog.example.org/post/understanding-the-coalition-against-isis"

// Page returns version i (0-based) of the article: version 0 is the embedded snapshot, and
// every later one changes a figure, the update date and, now and then, a question or an
// answer, as an article edited over the years would.
func Page(i int) []byte {
	p := string(articleetl.Snapshot)
	if i == 0 {
		return []byte(p)
	}
	troops := 9000 + 7*i
	p = strings.ReplaceAll(p, "9.000 troops", fmt.Sprintf("%d.%03d troops", troops/1000, troops%1000))
	names := 43000 + 13*i
	p = strings.ReplaceAll(p, "43.000 names", fmt.Sprintf("%d.%03d names", names/1000, names%1000))
	day := time.Date(2018, 5, 17, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
	p = strings.ReplaceAll(p, "May 17, 2018", day.Format("January 2, 2006"))
	p = strings.ReplaceAll(p, "2018-05-17T08:30:00.000Z", day.Format("2006-01-02")+"T08:30:00.000Z")
	if i%5 == 0 {
		p = strings.ReplaceAll(p, "but a higher commitment is required", "and a higher commitment is required")
	}
	if i%7 == 0 {
		p = strings.ReplaceAll(p, "And in Syria?", "And what about Syria?")
	}
	return []byte(p)
}

// CaptureTime is when version i is said to have been captured: a day apart.
func CaptureTime(i int) time.Time {
	return time.Date(2018, 5, 20, 12, 0, 0, 0, time.UTC).AddDate(0, 0, i)
}

// WriteDir writes n distinct versions as page-00000.html … and dups exact copies of
// early versions after them, and returns the paths in order.
func WriteDir(dir string, n, dups int) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for i := range n + dups {
		v := i
		if i >= n {
			v = (i - n) % max(n, 1) // an exact duplicate of an earlier page
		}
		p := filepath.Join(dir, fmt.Sprintf("page-%05d.html", i))
		if err := os.WriteFile(p, Page(v), 0o644); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// WriteWARC writes n distinct versions, then dups captures repeating earlier versions'
// bytes, as gzip-per-record WARC/1.1 response records of URI, one day apart.
func WriteWARC(path string, n, dups int) error {
	pages := make([][]byte, n+dups)
	for i := range pages {
		v := i
		if i >= n {
			v = (i - n) % max(n, 1)
		}
		pages[i] = Page(v)
	}
	return WriteWARCPages(path, pages)
}

// WriteWARCPages writes pages as gzip-per-record WARC/1.1 response records of URI, page i
// captured at CaptureTime(i).
func WriteWARCPages(path string, pages [][]byte) error {
	return WriteWARCPagesAt(path, pages, CaptureTime)
}

// WriteWARCPagesAt is WriteWARCPages with page i captured at at(i); WARC-Date keeps
// fractions of a second (WARC 1.1 allows them), down to the nanosecond.
func WriteWARCPagesAt(path string, pages [][]byte, at func(i int) time.Time) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	for i, p := range pages {
		if err := writeResponse(f, p, at(i), i); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

func writeResponse(w io.Writer, body []byte, at time.Time, n int) error {
	var block bytes.Buffer
	fmt.Fprintf(&block, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n", len(body))
	block.Write(body)
	var rec bytes.Buffer
	fmt.Fprintf(&rec, "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\nWARC-Date: %s\r\n"+
		"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012d>\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n",
		URI, at.Format(time.RFC3339Nano), n, block.Len())
	rec.Write(block.Bytes())
	rec.WriteString("\r\n\r\n")
	zw := gzip.NewWriter(w)
	if _, err := zw.Write(rec.Bytes()); err != nil {
		return err
	}
	return zw.Close()
}

package source

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"regexp"
	"slices"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// decodeBody undoes the transfer and content codings of an HTTP entity body as stored (WARC
// records keep the bytes as they came over the wire): chunked transfer, then each
// Content-Encoding in reverse order (gzip, deflate, br, zstd). Crawlers sometimes store a body
// already decoded while keeping the headers, so a coding that does not apply to the bytes is
// skipped when they already look like text; a body cut off mid-stream keeps what was
// decoded. The result is at most limit bytes, else *TooLargeError.
func decodeBody(raw []byte, transferEncodings, contentEncodings []string, limit int64) ([]byte, error) {
	data := raw
	if slices.Contains(tokens(transferEncodings), "chunked") && chunkedStart.Match(data) {
		out, err := readLimited(httputil.NewChunkedReader(bytes.NewReader(data)), limit)
		if ok, fatal := usable(out, err); fatal != nil {
			return nil, fatal
		} else if ok {
			data = out
		}
	}
	codings := tokens(contentEncodings)
undo:
	for i := len(codings) - 1; i >= 0; i-- {
		coding := codings[i]
		if coding == "identity" {
			continue
		}
		out, err := decodeContent(coding, data, limit)
		ok, fatal := usable(out, err)
		switch {
		case fatal != nil:
			return nil, fatal
		case ok:
			data = out
		case looksLikeText(data):
			break undo // stored decoded, whatever the header says: bounded below all the same
		default:
			return nil, fmt.Errorf("decoding %s content: %w", coding, err)
		}
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Limit: limit}
	}
	return data, nil
}

// chunkedStart matches the first chunk-size line of a chunked body.
var chunkedStart = regexp.MustCompile(`^[0-9a-fA-F]{1,16}[ \t]*(?:;[^\r\n]*)?\r?\n`)

// usable reports whether decoded output is worth keeping: complete, or cut off but not
// empty. A size error is fatal.
func usable(out []byte, err error) (ok bool, fatal error) {
	var tl *TooLargeError
	switch {
	case errors.As(err, &tl):
		return false, err
	case err == nil:
		return true, nil
	case errors.Is(err, io.ErrUnexpectedEOF) && len(out) > 0:
		return true, nil
	}
	return false, nil
}

// decodeContent undoes one HTTP content coding of a whole body.
func decodeContent(coding string, data []byte, limit int64) ([]byte, error) {
	dec, closeDec, err := decodingReader(coding, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer closeDec()
	return readLimited(dec, limit)
}

// decodingReader undoes one HTTP content coding of a stream.
func decodingReader(coding string, rd io.Reader) (io.Reader, func(), error) {
	nothing := func() {}
	switch coding {
	case "identity":
		return rd, nothing, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(rd)
		return zr, nothing, err
	case "deflate":
		// HTTP's deflate is zlib-wrapped, but some servers send raw deflate.
		br := bufio.NewReader(rd)
		if head, _ := br.Peek(2); len(head) == 2 && head[0]&0x0f == 8 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 {
			zr, err := zlib.NewReader(br)
			return zr, nothing, err
		}
		return flate.NewReader(br), nothing, nil
	case "br":
		return brotli.NewReader(rd), nothing, nil
	case "zstd":
		zr, err := zstd.NewReader(rd, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, nothing, err
		}
		return zr, zr.Close, nil
	}
	return nil, nothing, fmt.Errorf("unsupported content encoding %q", coding)
}

// tokens splits comma-separated header values into lowercase tokens.
func tokens(values []string) []string {
	var out []string
	for _, v := range values {
		for t := range strings.SplitSeq(v, ",") {
			if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
				out = append(out, t)
			}
		}
	}
	return out
}

func looksLikeText(b []byte) bool {
	return strings.HasPrefix(http.DetectContentType(b), "text/")
}

func sniffsAsHTML(b []byte) bool {
	return strings.HasPrefix(http.DetectContentType(b), "text/html")
}

package source

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"time"
)

// Reasons an input could not be read, for errors.Is. Messages are written to follow the
// input's name ("pages: is a directory with no .html, .htm or .warc files").
var (
	ErrNoSuchFile        = errors.New("no such file")
	ErrPermission        = errors.New("permission denied")
	ErrNoMatch           = errors.New("no files match")
	ErrEmptyDir          = errors.New("is a directory with no .html, .htm or .warc files")
	ErrNoStdin           = errors.New("no standard input")
	ErrNotWARC           = errors.New("no WARC records found")
	ErrRevisitUnresolved = errors.New("revisit refers to a record not in this file or an earlier one")
	// ErrWARCNotIndexed is a WARC from standard input or a URL in a run with a WARC index:
	// its revisits could refer to records of the indexed files, which such a run does not
	// keep for them (earlierPages), so it is refused rather than left unresolved.
	ErrWARCNotIndexed = errors.New("a WARC from standard input or a URL cannot be read in a run with a WARC index: give it in a run of its own, or save it and index it with the other files")
	// ErrIndexStale is a WARC file that is not as its WARC index describes it.
	ErrIndexStale = errors.New("the WARC file changed since it was indexed: rebuild the index")
	// ErrNotRecord is bytes of a WARC file that the reader passed over looking for the next
	// record: the remains of a record whose start is damaged, or bytes after the last one.
	ErrNotRecord = errors.New("not a WARC record")
	// ErrGzipMemberRecords is a gzip member of a .warc.gz after the first that holds more
	// than one record (the rest of the file gzipped as a whole): only its first is read.
	ErrGzipMemberRecords = errors.New("its gzip member holds more records, which are not read (the rest of the file is gzipped as a whole: decompress the file and read the .warc)")
)

// TooLargeError is a page over Options.MaxBytes.
type TooLargeError struct {
	Limit int64 // bytes: Options.MaxBytes
	// Encoding, when set, is the codings of a WARC record's payload ("chunked, gzip"), which
	// as stored, before they were undone, was larger than the page limit allows it: 1.25
	// times Limit, plus 64 KiB.
	Encoding string
}

func (e *TooLargeError) Error() string {
	if e.Encoding != "" {
		return "page larger than 1.25 times the " + formatSize(e.Limit) + " limit plus 64 KiB before undoing its encoding (" + e.Encoding + ")"
	}
	return "page larger than " + formatSize(e.Limit) + " limit"
}

func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// FetchError is the failure to fetch a URL, described by its last attempt.
type FetchError struct {
	StatusCode int           // HTTP status of the last attempt; 0 when it got no response
	Timeout    time.Duration // the per-request timeout, when the last attempt ran out of time
	Attempts   int           // requests made
	Err        error         // the last attempt's transport error, nil for an HTTP status
	// RetryAfter, when set, is the wait the server asked for (Retry-After) that was longer
	// than MaxRetryAfter, the longest a fetch waits: the reason no further attempt was made.
	RetryAfter, MaxRetryAfter time.Duration
}

func (e *FetchError) Error() string {
	var msg string
	switch {
	case e.StatusCode != 0:
		msg = fmt.Sprintf("HTTP %d %s", e.StatusCode, statusText(e.StatusCode))
		if e.Attempts > 1 {
			msg += fmt.Sprintf(" after %d attempts", e.Attempts)
		}
		if e.RetryAfter > 0 {
			msg += fmt.Sprintf(" (the server asks to retry after %s, longer than the %s limit)", e.RetryAfter, e.MaxRetryAfter)
		}
		return msg
	case e.Timeout > 0:
		msg = "timeout after " + e.Timeout.String()
	case e.Err != nil:
		msg = e.Err.Error()
	default:
		msg = "request failed"
	}
	if e.Attempts > 1 {
		msg += fmt.Sprintf(" (%d attempts)", e.Attempts)
	}
	return msg
}

func (e *FetchError) Unwrap() error { return e.Err }

// CertificateError is a URL whose server's TLS certificate failed verification (signed by
// an unknown authority, expired, issued for another host). It is not retried: another
// attempt would be shown the same certificate. A *FetchError wraps it.
type CertificateError struct {
	URL string // the URL requested: the input's, its raw Wayback form or where a redirect led
	// Redirected is whether URL is where a redirect led, not the address the input names
	// (an error message names the input already; it names URL only then).
	Redirected bool
	// Err is the verification error, a *tls.CertificateVerificationError or an error of
	// crypto/x509 (x509.UnknownAuthorityError, x509.CertificateInvalidError, x509.HostnameError).
	Err error
}

func (e *CertificateError) Error() string {
	reason := e.Err
	var cve *tls.CertificateVerificationError
	if errors.As(e.Err, &cve) && cve.Err != nil {
		reason = cve.Err // "x509: …", without "tls: failed to verify certificate: "
	}
	if !e.Redirected {
		return "TLS certificate verification failed: " + reason.Error()
	}
	return "TLS certificate verification failed for " + e.URL + " (redirected there): " + reason.Error()
}

func (e *CertificateError) Unwrap() error { return e.Err }

// WARCError is a WARC record that could not be read.
type WARCError struct {
	// Offset is where the record starts in the file: for a .warc.gz gzipped per record, where
	// its gzip member starts; for one gzipped as a whole, where it starts in the decompressed WARC.
	Offset int64
	Err    error
}

func (e *WARCError) Error() string {
	return fmt.Sprintf("reading WARC record at offset %d: %v", e.Offset, e.Err)
}

func (e *WARCError) Unwrap() error { return e.Err }

// pathError turns an os error into a reason without the path, which the caller already names.
func pathError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return ErrNoSuchFile
	case errors.Is(err, fs.ErrPermission):
		return ErrPermission
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "status"
}

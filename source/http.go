package source

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func isURL(arg string) bool {
	lower := strings.ToLower(arg)
	return strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")
}

// isWARCURL reports whether a URL names a WARC by its path: .warc or .warc.gz.
func isWARCURL(rawURL string) bool {
	u, err := url.Parse(rawURL)
	return err == nil && isWARC(u.Path)
}

// isWARCType reports whether a Content-Type is application/warc.
func isWARCType(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/warc"
}

// fetched is a successful response.
type fetched struct {
	data     []byte
	header   http.Header
	finalURL string // after redirects
	spool    string // for a WARC: the temporary file holding it (data is nil); the caller removes it
}

// fetch gets rawURL and emits it as source. A Wayback Machine capture is fetched in its raw
// id_ form, and its capture time comes from the archive rather than from Last-Modified. A
// WARC (by its URL's path, after redirects too, or its Content-Type) is downloaded to a
// temporary file and read as a WARC file is, its items named "<source>@<offset>".
func (r *runner) fetch(source, rawURL string) error {
	if r.indexing != nil {
		return fmt.Errorf("%s: only WARC files can be indexed, not URLs", source)
	}
	target := rawURL
	capture, isCapture := r.waybackCapture(rawURL)
	if isCapture {
		target = capture.raw
	}
	res, err := r.get(target)
	if err != nil {
		if ctxErr := r.ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		origin := ""
		if target != source {
			origin = target
		}
		return r.fail(source, origin, err)
	}
	if res.spool != "" {
		defer os.Remove(res.spool)
		return r.readWARC(res.spool, source)
	}
	it := Item{Source: source, Data: res.data, ContentType: res.header.Get("Content-Type")}
	if res.finalURL != source {
		it.Origin = res.finalURL
	}
	if isCapture {
		it.CapturedAt = captureTime(res, capture)
	} else {
		// Memento-Datetime (RFC 7089) is sent by archives only: a replay's capture time.
		it.CapturedAt = httpTime(res.header, "Memento-Datetime", "Last-Modified", "Date")
	}
	return r.emit(it)
}

// get fetches target, retrying timeouts, connection errors, 5xx and 429 responses with
// backoff, or after the wait a 429 or 503 response's Retry-After asks for. A TLS
// certificate that fails verification is not retried (*CertificateError).
func (r *runner) get(target string) (*fetched, error) {
	attempts := r.opts.Retries + 1
	var last error
	var wait time.Duration // what the last response asked for
	for n := 1; n <= attempts; n++ {
		if n > 1 {
			if err := sleep(r.ctx, max(r.opts.Backoff(n-1), wait)); err != nil {
				return nil, err
			}
		}
		res, retry, after, err := r.attempt(target)
		if err == nil {
			return res, nil
		}
		if ctxErr := r.ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		last, wait = err, after
		var fe *FetchError
		if errors.As(err, &fe) {
			fe.Attempts = n
			if wait > r.opts.MaxRetryAfter {
				fe.RetryAfter, fe.MaxRetryAfter = wait, r.opts.MaxRetryAfter
				break
			}
		}
		if !retry {
			break
		}
	}
	return nil, last
}

// attempt makes one request. retry reports whether a failure is worth another attempt,
// and wait how long the server asked to be left alone first (Retry-After), if it did.
//
// opts.Timeout bounds the whole request, body included, except the body of a WARC, which
// may be large: while it is downloaded, the timeout only bounds a wait for more bytes.
func (r *runner) attempt(target string) (res *fetched, retry bool, wait time.Duration, err error) {
	ctx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	var timedOut atomic.Bool
	timer := time.AfterFunc(r.opts.Timeout, func() {
		timedOut.Store(true)
		cancel()
	})
	defer timer.Stop()
	transportError := func(err error) error {
		if timedOut.Load() {
			return &FetchError{Timeout: r.opts.Timeout, Err: context.DeadlineExceeded}
		}
		return r.transportError(err)
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, false, 0, unwrapURLError(err)
	}
	req.Header.Set("User-Agent", r.opts.UserAgent)
	if isWARCURL(target) {
		req.Header.Set("Accept", "application/warc,*/*;q=0.8")
	} else {
		req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
	}
	resp, err := r.opts.Client.Do(req)
	if err != nil {
		if isCertificateError(err) {
			u := target
			var ue *url.Error
			if errors.As(err, &ue) {
				u = ue.URL // where a redirect led, if it did
			}
			return nil, false, 0, &FetchError{Err: &CertificateError{URL: u, Redirected: u != target, Err: unwrapURLError(err)}}
		}
		return nil, true, 0, transportError(err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			wait = retryAfter(resp.Header.Get("Retry-After"), time.Now())
		}
		return nil, true, wait, &FetchError{StatusCode: resp.StatusCode}
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, false, 0, &FetchError{StatusCode: resp.StatusCode}
	case isWARCURL(target) || isWARC(resp.Request.URL.Path) || isWARCType(resp.Header.Get("Content-Type")):
		res, retry, err := r.spoolResponse(resp, func() { timer.Reset(r.opts.Timeout) }, cancel)
		if retry {
			err = transportError(err)
		}
		return res, retry, 0, err
	case resp.ContentLength > r.opts.MaxBytes:
		return nil, false, 0, &TooLargeError{Limit: r.opts.MaxBytes}
	}
	data, err := readLimited(resp.Body, r.opts.MaxBytes)
	if err != nil {
		var tl *TooLargeError
		if errors.As(err, &tl) {
			return nil, false, 0, err
		}
		return nil, true, 0, transportError(err)
	}
	if !resp.Uncompressed {
		// The transport decodes gzip it asked for itself; anything else a server sends anyway
		// is decoded here.
		if data, err = decodeBody(data, nil, resp.Header.Values("Content-Encoding"), r.opts.MaxBytes); err != nil {
			return nil, false, 0, err
		}
	}
	return &fetched{data: data, header: resp.Header, finalURL: resp.Request.URL.String()}, false, 0, nil
}

// spoolResponse downloads a WARC response's body to a temporary file, undoing any content
// coding the transport left (so a WARC a server compressed on the fly is read as the WARC;
// a .warc.gz sent as it is stays gzip per record, which the WARC reader reads). progress is
// called as bytes arrive; cancel cancels the request. retry reports a failure to read the
// body, worth another attempt.
func (r *runner) spoolResponse(resp *http.Response, progress, cancel func()) (res *fetched, retry bool, err error) {
	if r.opts.WARCIndex != nil {
		return nil, false, ErrWARCNotIndexed // before downloading it
	}
	if resp.ContentLength > r.opts.MaxSpoolBytes {
		return nil, false, &SpoolTooLargeError{Limit: r.opts.MaxSpoolBytes}
	}
	body := &trackingReader{r: resp.Body}
	var rd io.Reader = body
	if !resp.Uncompressed {
		codings := tokens(resp.Header.Values("Content-Encoding"))
		for i := len(codings) - 1; i >= 0; i-- {
			dec, closeDec, err := decodingReader(codings[i], rd)
			if err != nil {
				if berr := body.readErr(); berr != nil {
					return nil, true, berr
				}
				return nil, false, fmt.Errorf("decoding %s content: %w", codings[i], err)
			}
			defer closeDec()
			rd = dec
		}
	}
	path, err := r.spool(rd, progress, cancel)
	if err != nil {
		var tl *SpoolTooLargeError
		var fe *spoolFileError
		if errors.As(err, &tl) || errors.As(err, &fe) || r.ctx.Err() != nil {
			return nil, false, err
		}
		if berr := body.readErr(); berr != nil {
			return nil, true, berr
		}
		// The body arrived, its content coding is broken.
		return nil, false, fmt.Errorf("decoding %s content: %w", strings.Join(resp.Header.Values("Content-Encoding"), ", "), err)
	}
	return &fetched{header: resp.Header, finalURL: resp.Request.URL.String(), spool: path}, false, nil
}

// trackingReader remembers the error its reader returned other than io.EOF, to tell a body
// that could not be read from one whose content coding is broken.
type trackingReader struct {
	r   io.Reader
	mu  sync.Mutex
	err error
}

func (t *trackingReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF {
		t.mu.Lock()
		t.err = err
		t.mu.Unlock()
	}
	return n, err
}

func (t *trackingReader) readErr() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// retryAfter reads a Retry-After header (RFC 9110 §10.2.3): a number of seconds or an HTTP
// date. It returns 0 for an absent or unreadable header and for a date already past.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, int64(math.MaxInt64/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// transportError describes a failed request without the URL, which the caller names.
func (r *runner) transportError(err error) error {
	if isTimeout(err) {
		return &FetchError{Timeout: r.opts.Timeout, Err: err}
	}
	return &FetchError{Err: unwrapURLError(err)}
}

// isCertificateError reports whether err is the failure to verify a server's TLS
// certificate, which is the same on every attempt.
func isCertificateError(err error) bool {
	var cve *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var ci x509.CertificateInvalidError
	var he x509.HostnameError
	return errors.As(err, &cve) || errors.As(err, &ua) || errors.As(err, &ci) || errors.As(err, &he)
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// sleep waits d, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// httpTime is the first of the named headers that holds a valid HTTP date, in UTC.
func httpTime(h http.Header, names ...string) *time.Time {
	for _, name := range names {
		if v := h.Get(name); v != "" {
			if t, err := http.ParseTime(v); err == nil {
				t = t.UTC()
				return &t
			}
		}
	}
	return nil
}

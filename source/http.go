package source

import (
	"context"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

func isURL(arg string) bool {
	lower := strings.ToLower(arg)
	return strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")
}

// fetched is a successful response.
type fetched struct {
	data     []byte
	header   http.Header
	finalURL string // after redirects
}

// fetch gets rawURL and emits it as source. A Wayback Machine capture is fetched in its raw
// id_ form, and its capture time comes from the archive rather than from Last-Modified.
func (r *runner) fetch(source, rawURL string) error {
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
	it := Item{Source: source, Data: res.data, ContentType: res.header.Get("Content-Type")}
	if res.finalURL != source {
		it.Origin = res.finalURL
	}
	if isCapture {
		it.CapturedAt = captureTime(res, capture)
	} else {
		it.CapturedAt = httpTime(res.header, "Last-Modified", "Date")
	}
	return r.emit(it)
}

// get fetches target, retrying timeouts, connection errors, 5xx and 429 responses with
// backoff, or after the wait a 429 or 503 response's Retry-After asks for.
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
func (r *runner) attempt(target string) (res *fetched, retry bool, wait time.Duration, err error) {
	ctx, cancel := context.WithTimeout(r.ctx, r.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, false, 0, unwrapURLError(err)
	}
	req.Header.Set("User-Agent", r.opts.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
	resp, err := r.opts.Client.Do(req)
	if err != nil {
		return nil, true, 0, r.transportError(err)
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
	case resp.ContentLength > r.opts.MaxBytes:
		return nil, false, 0, &TooLargeError{Limit: r.opts.MaxBytes}
	}
	data, err := readLimited(resp.Body, r.opts.MaxBytes)
	if err != nil {
		var tl *TooLargeError
		if errors.As(err, &tl) {
			return nil, false, 0, err
		}
		return nil, true, 0, r.transportError(err)
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

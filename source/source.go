// Package source turns the inputs named on the command line into pages: files, directories,
// glob patterns, standard input, http(s) URLs (Wayback Machine captures in their raw form)
// and the HTML records of WARC files. It knows nothing about extraction; every page is an
// Item for the caller to process, or the reason it could not be read.
package source

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"time"
)

// Item is one page to process, or the failure to get one.
type Item struct {
	Source      string     // as the user named it (path, "-", URL) or, for a WARC record, its WARC-Target-URI
	Data        []byte     // the page bytes (HTTP entity body, decoded from chunked and Content-Encoding)
	ContentType string     // HTTP Content-Type when known ("" otherwise), for charset detection
	CapturedAt  *time.Time // UTC: WARC-Date; Memento-Datetime, Wayback timestamp or HTTP Last-Modified (else Date); a saved replay's (Wayback, pywb); else nil
	Origin      string     // where it came from when that differs from Source, e.g. "crawl.warc.gz@12345"
	InWARC      bool       // Origin is a place in a WARC file, which names the input among the others
	Err         error      // non-nil when this input could not be read; Source still names it
}

// Options tune how inputs are read. The zero value is usable: every field has a default.
type Options struct {
	// Stdin is read for the argument "-".
	Stdin io.Reader
	// Timeout bounds each HTTP request: connecting, headers and body. Default 30s.
	Timeout time.Duration
	// MaxBytes bounds each page; larger pages fail with *TooLargeError. Default 20 MiB, at
	// most 1 TiB.
	MaxBytes int64
	// Retries is how many times a request is repeated after a timeout, a connection error,
	// a 5xx response or a 429 Too Many Requests (never after another 4xx, nor after a TLS
	// certificate that fails verification: *CertificateError). Default 3; negative for none.
	Retries int
	// Backoff is the wait before retry number attempt (1, 2, …). Default 200ms·2^(attempt-1).
	// A 429 or 503 response's Retry-After, when longer, is waited instead.
	Backoff func(attempt int) time.Duration
	// MaxRetryAfter is the longest Retry-After that is waited for; a server asking for
	// longer fails the input at once rather than stall the run. Default 2 minutes.
	MaxRetryAfter time.Duration
	// UserAgent is sent with every request.
	// Default "articleetl/<Version> (+https://github.com/articleetl/articleetl)".
	UserAgent string
	// Version is the tool's version, for the default UserAgent. Default "dev".
	Version string
	// Client makes the requests. Default: a client without a timeout of its own, since each
	// request applies Timeout itself (to a WARC download's body as a limit on inactivity).
	Client *http.Client
	// MaxSpoolBytes bounds a WARC read from standard input or a URL, which is copied to a
	// temporary file (in os.TempDir) to be read; a larger one fails with *SpoolTooLargeError.
	// It bounds the same way the decompressed copy (in os.TempDir too) that a WARC gzipped as
	// a whole, rather than per record, is read from. MaxBytes still bounds each page in it.
	// Default 4 GiB; negative for no limit.
	MaxSpoolBytes int64
	// WaybackHosts are the hosts (host or host:port) whose /web/<timestamp>/<url> captures
	// are fetched in their raw id_ form. Default web.archive.org.
	WaybackHosts []string
	// DeferCleaning makes Each pass items on as read, without Item.Clean, for a caller that
	// reads inputs on one goroutine and cleans them on several (cleaning means searching
	// every page for the Wayback Machine's markers). The caller must call Item.Clean.
	DeferCleaning bool
	// Wanted, when set, is asked about each plain file before it is opened, with the
	// item's name (Source). A file it does not want is handed on unread (Data and Err nil),
	// in its place, so that a caller that processes a part of the inputs (a shard) reads
	// only its own and still counts them all. Standard input, URLs and WARC records are
	// read whatever it says: they come from one stream, and a WARC has to be read through,
	// record by record, to find the next (skipping the pages of unwanted records was tried:
	// a shard's CPU time did not change, since decompressing and checking each record,
	// which every shard must do, is what reading a WARC costs). With WARCIndex, it is
	// asked about each WARC record too, before the record is read.
	Wanted func(Item) bool
	// WARCIndex, when set, is the index of the WARC files the run reads (OpenWARCIndex,
	// WriteWARCIndex): each is read through it, so that Wanted is asked about each of its
	// records (with the item's Origin, "file@offset") before the record is read, and a
	// revisit takes its original from the index. A WARC file not in the index, or changed
	// since, fails the call; so does a MaxBytes other than the index's.
	WARCIndex *WARCIndex
}

const (
	defaultTimeout  = 30 * time.Second
	defaultMaxBytes = 20 << 20
	maxMaxBytes     = 1 << 40
	defaultRetries  = 3
	defaultBackoff  = 200 * time.Millisecond

	defaultMaxRetryAfter = 2 * time.Minute
	defaultMaxSpoolBytes = 4 << 30
	projectURL           = "https://github.com/articleetl/articleetl"
)

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = defaultTimeout
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = defaultMaxBytes
	}
	// Past 1 TiB a limit bounds nothing a page can be, and limit+1, or a record's limit
	// before decompression (1.25 times it), would overflow.
	o.MaxBytes = min(o.MaxBytes, maxMaxBytes)
	switch {
	case o.Retries == 0:
		o.Retries = defaultRetries
	case o.Retries < 0:
		o.Retries = 0
	}
	if o.Backoff == nil {
		o.Backoff = func(attempt int) time.Duration {
			return defaultBackoff << min(max(attempt-1, 0), 10)
		}
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = defaultMaxRetryAfter
	}
	if o.Version == "" {
		o.Version = "dev"
	}
	if o.UserAgent == "" {
		o.UserAgent = "articleetl/" + o.Version + " (+" + projectURL + ")"
	}
	switch {
	case o.MaxSpoolBytes == 0:
		o.MaxSpoolBytes = defaultMaxSpoolBytes
	case o.MaxSpoolBytes < 0:
		o.MaxSpoolBytes = math.MaxInt64
	}
	if o.Client == nil {
		o.Client = &http.Client{}
	}
	if len(o.WaybackHosts) == 0 {
		o.WaybackHosts = []string{"web.archive.org"}
	}
	return o
}

// Each expands args and calls fn for every item in a deterministic order: args in the order
// given; a directory recursively, its .html, .htm, .warc and .warc.gz files sorted by path; a
// glob pattern (containing * ? or [, and not itself an existing path) expanded and sorted; "-"
// reads opts.Stdin; http:// and https:// URLs are fetched; a .warc or .warc.gz file yields one
// item per HTML record, in file order, and so does a WARC on standard input or at a URL. An
// input that cannot be read is an Item with Err set, and Each goes on with the next one.
//
// Every item whose page is a saved Wayback Machine page is passed through CleanWayback
// (Item.Clean), unless opts.DeferCleaning leaves that to the caller.
//
// Each stops early and returns fn's error if fn returns one, or ctx's error when ctx is done.
// It keeps no reference to an Item's Data after fn returns, so fn may keep it.
func Each(ctx context.Context, args []string, opts Options, fn func(Item) error) error {
	r := &runner{ctx: ctx, opts: opts.withDefaults(), fn: fn}
	if x := r.opts.WARCIndex; x != nil && x.maxBytes != r.opts.MaxBytes {
		return fmt.Errorf("the WARC index %s was built with a page size limit of %d bytes, not %d: which records are pages depends on it; run with the same --max-input-size or rebuild the index", x.path, x.maxBytes, r.opts.MaxBytes)
	}
	for _, arg := range args {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := r.arg(arg); err != nil {
			return err
		}
	}
	return nil
}

// runner carries one Each call's state.
type runner struct {
	ctx     context.Context
	opts    Options
	fn      func(Item) error
	earlier earlierPages // HTML records of the WARC files already read, for revisits
	// indexing, when set, records what the WARC files give (WriteWARCIndex).
	indexing *indexBuilder
	// listing, when set, collects the WARC files the arguments name instead of reading
	// them (listWARCFiles).
	listing *[]string
	// plan is how the WARC file being read is read through Options.WARCIndex, nil when it
	// is not; indexed counts the files read through it.
	plan    *filePlan
	indexed int
}

// emit hands one item to fn, after cleaning a saved Wayback page (unless the caller
// defers that). It returns ctx's error when ctx is done, so that no item is produced after
// cancellation.
func (r *runner) emit(it Item) error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if it.CapturedAt != nil {
		t := it.CapturedAt.UTC()
		it.CapturedAt = &t
	}
	if !r.opts.DeferCleaning {
		it.Clean()
	}
	return r.fn(it)
}

// unwanted reports whether the caller does not want it read (Options.Wanted).
func (r *runner) unwanted(it Item) bool { return r.opts.Wanted != nil && !r.opts.Wanted(it) }

// Clean restores a saved Wayback Machine page to the page the archive captured
// (CleanWayback) and, when the item has no capture time yet, takes it from the page: from
// the Wayback Machine's notice, or from the wbinfo of a page saved from pywb's replay
// (pywbCaptureTime). Each does this to every item unless Options.DeferCleaning is set; a
// caller that sets it must call Clean itself before using Data. Cleaning an item twice
// changes nothing.
func (it *Item) Clean() {
	if it.Err != nil {
		return
	}
	var at *time.Time
	if cleaned, t, ok := CleanWayback(it.Data); ok {
		it.Data, at = cleaned, t
	}
	// pywb's time is asked of the cleaned page too: a Wayback page without a time of its
	// own (a pywb replay the Wayback Machine saved) would otherwise get it only when
	// cleaned a second time, no longer a Wayback page then.
	if at == nil && it.CapturedAt == nil {
		at = pywbCaptureTime(it.Data)
	}
	if it.CapturedAt == nil && at != nil {
		t := at.UTC()
		it.CapturedAt = &t
	}
}

// fail emits an item for an input that could not be read.
func (r *runner) fail(source, origin string, err error) error {
	r.indexing.scanned() // a failure of the WARC file being indexed, not of one record
	return r.emit(Item{Source: source, Origin: origin, Err: err})
}

// failInWARC is fail for what could not be read at origin, a place in a WARC file.
func (r *runner) failInWARC(source, origin string, err error) error {
	r.indexing.scanned()
	return r.emit(Item{Source: source, Origin: origin, InWARC: true, Err: err})
}

// arg dispatches one command-line argument.
func (r *runner) arg(arg string) error {
	switch {
	case arg == "-":
		return r.stdin()
	case isURL(arg):
		return r.fetch(arg, arg)
	}
	return r.path(arg)
}

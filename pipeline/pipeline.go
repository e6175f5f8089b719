// Package pipeline composes the stages: it turns one input's bytes into records (extract,
// then transform) and names failures after the input, so callers can report them as is.
package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/articleetl/articleetl/extract"
	"github.com/articleetl/articleetl/schemas"
	"github.com/articleetl/articleetl/source"
	"github.com/articleetl/articleetl/transform"
)

// Input is one page to process.
type Input struct {
	Source      string     // as the user named it: path, URL, "-" or "embedded:<name>"
	Data        []byte     // the page's bytes, as stored or served
	ContentType string     // HTTP Content-Type, if known, for the character encoding
	CapturedAt  *time.Time // when the page was captured, if known
	// ContentSHA256 is the hex SHA-256 of Data when the caller has it already (a run
	// hashes every input to recognise duplicates); Process computes it when it is "".
	ContentSHA256 string
}

// InputError is the failure of one input: which one, and why.
type InputError struct {
	Source string
	Origin string // where the input was read, when that is not Source: a WARC record's file@offset
	Err    error
}

func (e *InputError) Error() string {
	// A failure of a WARC file itself (Source the file, Origin file@offset) says its
	// offset already.
	if e.Origin != "" && e.Origin != e.Source && !strings.HasPrefix(e.Origin, e.Source+"@") {
		return e.Source + " (" + e.Origin + "): " + e.Err.Error()
	}
	return e.Source + ": " + e.Err.Error()
}
func (e *InputError) Unwrap() error { return e.Err }

// Options tune how inputs are read.
type Options struct {
	ContentSelector string // CSS selector for the article body, overriding detection
}

// Process extracts and transforms one input. Errors are *InputError.
func Process(in Input, opts Options) (schemas.Records, error) {
	if in.ContentSHA256 == "" {
		sum := sha256.Sum256(in.Data)
		in.ContentSHA256 = hex.EncodeToString(sum[:])
	}
	a, err := extract.ExtractBytes(in.Data, extract.Options{ContentType: in.ContentType, ContentSelector: opts.ContentSelector})
	if err != nil {
		return schemas.Records{}, &InputError{Source: in.Source, Err: err}
	}
	recs := transform.Transform(a, transform.Source{Name: in.Source, ContentSHA256: in.ContentSHA256})
	recs.Document.CapturedAt = in.CapturedAt
	return recs, nil
}

// Errorf builds an InputError for failures before processing (reading, fetching).
func Errorf(source, format string, args ...any) error {
	return &InputError{Source: source, Err: fmt.Errorf(format, args...)}
}

// ProcessOne reads the single page that arg names (a file, URL, "-", or a WARC holding one
// HTML record) and processes it. An argument naming several pages is an error, since the
// caller wants one snapshot.
func ProcessOne(ctx context.Context, arg string, srcOpts source.Options, opts Options) (schemas.Records, error) {
	var items []source.Item
	err := source.Each(ctx, []string{arg}, srcOpts, func(it source.Item) error {
		items = append(items, it)
		if len(items) > 1 {
			return Errorf(arg, "names more than one page; give one file, URL or capture")
		}
		return nil
	})
	switch {
	case err != nil:
		return schemas.Records{}, err
	case len(items) == 0:
		return schemas.Records{}, Errorf(arg, "names no page")
	case items[0].Err != nil:
		return schemas.Records{}, &InputError{Source: items[0].Source, Err: items[0].Err}
	}
	it := items[0]
	return Process(Input{Source: it.Source, Data: it.Data, ContentType: it.ContentType, CapturedAt: it.CapturedAt}, opts)
}

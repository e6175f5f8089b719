// Package pipeline composes the stages: it turns one input's bytes into records (extract,
// then transform) and names failures after the input, so callers can report them as is.
package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/articleetl/articleetl/extract"
	"github.com/articleetl/articleetl/schemas"
	"github.com/articleetl/articleetl/transform"
)

// Input is one page to process.
type Input struct {
	Source      string     // as the user named it: path, URL, "-" or "embedded:<name>"
	Data        []byte     // the page's bytes, as stored or served
	ContentType string     // HTTP Content-Type, if known, for the character encoding
	CapturedAt  *time.Time // when the page was captured, if known
}

// InputError is the failure of one input: which one, and why.
type InputError struct {
	Source string
	Err    error
}

func (e *InputError) Error() string { return e.Source + ": " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Options tune how inputs are read.
type Options struct {
	ContentSelector string // CSS selector for the article body, overriding detection
}

// Process extracts and transforms one input. Errors are *InputError.
func Process(in Input, opts Options) (schemas.Records, error) {
	sum := sha256.Sum256(in.Data)
	a, err := extract.ExtractBytes(in.Data, extract.Options{ContentType: in.ContentType, ContentSelector: opts.ContentSelector})
	if err != nil {
		return schemas.Records{}, &InputError{Source: in.Source, Err: err}
	}
	recs := transform.Transform(a, transform.Source{Name: in.Source, ContentSHA256: hex.EncodeToString(sum[:])})
	recs.Document.CapturedAt = in.CapturedAt
	return recs, nil
}

// Errorf builds an InputError for failures before processing (reading, fetching).
func Errorf(source, format string, args ...any) error {
	return &InputError{Source: source, Err: fmt.Errorf(format, args...)}
}

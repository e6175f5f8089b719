package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"reflect"
	"time"

	"github.com/articleetl/articleetl/extract"
	"github.com/articleetl/articleetl/schemas"
)

// shaKey is an input's SHA-256 as a map key: 32 bytes, where the hex text takes 64 and a
// string header.
type shaKey [32]byte

// dupKey is what makes two inputs exact duplicates, recognised before either is parsed:
// the same bytes, decoded alike. For nearly every input that is the bytes' SHA-256 (sum),
// which is also how a dataset being appended to knows its inputs (content_sha256). When
// the HTTP Content-Type's charset decides how the bytes are decoded (extract.Charset), the
// key is a hash of sum and that charset instead: the same bytes served once as
// windows-1252 and once as UTF-8 are two pages, and a run read whole must give what its
// shards give, where each capture is decoded by its own header.
//
// charset is the charset the key holds ("" when it is sum); the manifest records it with
// the input (load.InputStatus.Charset), so that an --append knows the dataset's inputs by
// the same keys (keyOf).
func dupKey(sum shaKey, page []byte, contentType string) (key shaKey, charset string) {
	name, byHeader := extract.Charset(page, contentType)
	if !byHeader {
		return sum, ""
	}
	return keyOf(sum, name), name
}

// keyOf is the key of bytes hashing to sum decoded by charset, as dupKey makes it.
func keyOf(sum shaKey, charset string) shaKey {
	if charset == "" {
		return sum
	}
	return sha256.Sum256(append(append(sum[:], 0), charset...))
}

// parseSHA reads a hex SHA-256; ok is false for anything else (an input that could not be
// read has none).
func parseSHA(text string) (k shaKey, ok bool) {
	if len(text) != 2*len(k) {
		return k, false
	}
	_, err := hex.Decode(k[:], []byte(text))
	return k, err == nil
}

// baseRows keeps a run's document rows in the form it needs them after they are written:
// without what belongs to one input alone (source, capture time, content hash), one row
// for every capture of one version of the article. Exact duplicates take their row from
// the base of the input they repeat, and the timeline holds each capture as its base and
// its own capture time. Keeping every input's whole row instead cost about 300 bytes an
// input (the row, its source and its hash in hex).
type baseRows struct {
	bySnapshot map[string]*schemas.Document // the latest base of each snapshot
	prev       *schemas.Document            // the last base made, for shareStrings
}

func newBaseRows() *baseRows { return &baseRows{bySnapshot: map[string]*schemas.Document{}} }

// of returns the base of doc: the snapshot's latest base when doc's row is otherwise the
// same (the usual case; page metadata outside the content, such as the canonical URL, can
// differ between captures of one version), else a new one.
func (b *baseRows) of(doc *schemas.Document) *schemas.Document {
	row := *doc
	row.Source, row.CapturedAt, row.ContentSHA256 = "", nil, ""
	if prev := b.bySnapshot[row.SnapshotID]; prev != nil && reflect.DeepEqual(*prev, row) {
		return prev
	}
	b.shareStrings(&row)
	b.bySnapshot[row.SnapshotID] = &row
	return &row
}

// inputRow returns the documents row of an input whose base is base: the base completed
// with the input's own source, capture time and content hash.
func inputRow(base *schemas.Document, source string, at *time.Time, sha string) schemas.Document {
	d := *base
	d.Source, d.CapturedAt, d.ContentSHA256 = source, at, sha
	return d
}

// shareStrings makes a new base use the previous base's copies of the strings it has in
// common with it: consecutive versions of an article mostly repeat its title, standfirst
// and URL, which extraction allocates afresh for every page.
func (b *baseRows) shareStrings(doc *schemas.Document) {
	prev := b.prev
	b.prev = doc
	if prev == nil || prev.DocID != doc.DocID {
		return
	}
	share := func(s *string, p string) {
		if *s == p {
			*s = p
		}
	}
	sharePtr := func(s **string, p *string) {
		if *s != nil && p != nil && **s == *p {
			*s = p
		}
	}
	doc.DocID = prev.DocID
	share(&doc.Title, prev.Title)
	share(&doc.SchemaVersion, prev.SchemaVersion)
	share(&doc.ExtractorVersion, prev.ExtractorVersion)
	sharePtr(&doc.Standfirst, prev.Standfirst)
	sharePtr(&doc.CanonicalURL, prev.CanonicalURL)
	sharePtr(&doc.Language, prev.Language)
}

package pipeline

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"io/fs"
	"os"

	"github.com/articleetl/articleetl/schemas"
)

// spillFile keeps snapshots' records on disk until changes are computed, so that memory
// does not grow with the number of snapshots. They are appended to one file, each where
// the last ended: a file for each snapshot cost more than all the rest of consuming a
// result, in the one goroutine every result goes through.
//
// Records are gob-encoded by one encoder and decoded, in any order, by one decoder. A gob
// stream describes each type once, in the first message that uses it; a new encoder and
// decoder for every snapshot described and compiled every record type every time, which
// was most of the cost of keeping and reading back a snapshot. So the encoder's first
// message (an empty Records, which carries the definitions of every type Records holds:
// gob sends a struct's field types with the struct, and Records has no interface fields)
// is fed to the decoder once, and every later message is a value alone, decodable on its
// own by that decoder.
type spillFile struct {
	f   *os.File
	at  map[string][2]int64 // offset and length of each snapshot's records, by id
	end int64

	buf      bytes.Buffer // the message being written
	enc      *gob.Encoder // writes to buf
	typeDefs []byte       // the encoder's first message
	read     *spillReader // for get
}

// spillReader reads snapshots back; each goroutine that reads needs its own.
type spillReader struct {
	s   *spillFile
	src *bytes.Reader
	dec *gob.Decoder // reads from src, which implements io.ByteReader, so it never reads ahead
	msg []byte       // the message being read
}

func newSpill(prefix string) (*spillFile, error) {
	f, err := os.CreateTemp("", prefix)
	if err != nil {
		return nil, err
	}
	s := &spillFile{f: f, at: map[string][2]int64{}}
	s.enc = gob.NewEncoder(&s.buf)
	if err := s.enc.Encode(&schemas.Records{}); err != nil {
		s.remove()
		return nil, fmt.Errorf("starting the snapshot file: %w", err)
	}
	s.typeDefs = bytes.Clone(s.buf.Bytes())
	if s.read, err = s.reader(); err != nil {
		s.remove()
		return nil, err
	}
	return s, nil
}

// reader returns a new reader of the file, its decoder primed with the type definitions.
func (s *spillFile) reader() (*spillReader, error) {
	r := &spillReader{s: s, src: bytes.NewReader(s.typeDefs)}
	r.dec = gob.NewDecoder(r.src)
	var empty schemas.Records
	if err := r.dec.Decode(&empty); err != nil {
		return nil, fmt.Errorf("starting the snapshot file: %w", err)
	}
	return r, nil
}

// has reports whether a snapshot's records are kept.
func (s *spillFile) has(snapshotID string) bool {
	_, ok := s.at[snapshotID]
	return ok
}

// remove deletes the file.
func (s *spillFile) remove() {
	s.f.Close()
	os.Remove(s.f.Name())
}

// put keeps a snapshot's records.
func (s *spillFile) put(recs *schemas.Records) error {
	s.buf.Reset()
	if err := s.enc.Encode(recs); err != nil {
		return fmt.Errorf("keeping snapshot %s: %w", recs.Document.SnapshotID, err)
	}
	if _, err := s.f.WriteAt(s.buf.Bytes(), s.end); err != nil {
		return fmt.Errorf("keeping snapshot %s: %w", recs.Document.SnapshotID, err)
	}
	s.at[recs.Document.SnapshotID] = [2]int64{s.end, int64(s.buf.Len())}
	s.end += int64(s.buf.Len())
	return nil
}

// get reads a snapshot's records back.
func (s *spillFile) get(snapshotID string) (*schemas.Records, error) {
	return s.read.get(snapshotID)
}

func (r *spillReader) get(snapshotID string) (*schemas.Records, error) {
	at, ok := r.s.at[snapshotID]
	if !ok {
		return nil, fmt.Errorf("reading snapshot %s back: %w", snapshotID, fs.ErrNotExist)
	}
	if int64(cap(r.msg)) < at[1] {
		r.msg = make([]byte, at[1])
	}
	r.msg = r.msg[:at[1]]
	if _, err := r.s.f.ReadAt(r.msg, at[0]); err != nil {
		return nil, fmt.Errorf("reading snapshot %s back: %w", snapshotID, err)
	}
	r.src.Reset(r.msg)
	var recs schemas.Records
	if err := r.dec.Decode(&recs); err != nil {
		return nil, fmt.Errorf("reading snapshot %s back: %w", snapshotID, err)
	}
	if r.src.Len() != 0 {
		return nil, fmt.Errorf("reading snapshot %s back: %d bytes left over", snapshotID, r.src.Len())
	}
	return &recs, nil
}

// spillRecords keeps a new snapshot's records until changes are computed.
func (r *runner) spillRecords(recs *schemas.Records) error { return r.spill.put(recs) }

func (r *runner) unspill(snapshotID string) (*schemas.Records, error) {
	return r.spill.get(snapshotID)
}

package schemas

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
)

// HashID returns the 16 hex digits (64 bits) of SHA-256 over the parts that every id in
// the tables is made of. Each part is followed by a NUL so that ("ab","c") and ("a","bc")
// differ. 64 bits keep ids short in warehouse joins while a collision stays improbable
// below billions of records per article.
func HashID(parts ...string) string {
	// Most ids are a few short parts: gathered in a buffer on the stack they are hashed
	// with one call and no allocation but the result. Through a hash.Hash, the digest and
	// every part's []byte conversion escaped to the heap, 8 to 10 allocations per record
	// id on every page.
	var buf [256]byte
	b := buf[:0]
	for _, p := range parts {
		if len(b)+len(p)+1 > len(buf) {
			var h IDHash
			for _, p := range parts {
				h.WriteString(p)
				h.EndPart()
			}
			return h.ID()
		}
		b = append(append(b, p...), 0)
	}
	sum := sha256.Sum256(b)
	return hexID(sum[:8])
}

// IDHash computes a HashID part by part, for ids over parts that are long or that would
// have to be built by concatenation (a snapshot's id covers all of its text): the pieces
// are copied into a small buffer instead of into new strings. The zero value is ready.
type IDHash struct {
	h   hash.Hash
	buf []byte
}

// WriteString adds s to the current part.
func (x *IDHash) WriteString(s string) {
	if x.buf == nil {
		x.h, x.buf = sha256.New(), make([]byte, 0, 4096)
	}
	for len(s) > 0 {
		if len(x.buf) == cap(x.buf) {
			x.h.Write(x.buf)
			x.buf = x.buf[:0]
		}
		n := min(len(s), cap(x.buf)-len(x.buf))
		x.buf = append(x.buf, s[:n]...)
		s = s[n:]
	}
}

// EndPart ends the current part, as each part of HashID ends.
func (x *IDHash) EndPart() { x.WriteString("\x00") }

// ID returns the id of the parts written so far: HashID of the same parts.
func (x *IDHash) ID() string {
	if x.buf == nil {
		return HashID()
	}
	x.h.Write(x.buf)
	x.buf = x.buf[:0]
	return hexID(x.h.Sum(nil)[:8])
}

func hexID(sum []byte) string {
	var out [16]byte
	hex.Encode(out[:], sum)
	return string(out[:])
}

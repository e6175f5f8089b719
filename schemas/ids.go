package schemas

import (
	"crypto/sha256"
	"encoding/hex"
)

// HashID returns the 16 hex digits (64 bits) of SHA-256 over the parts that every id in
// the tables is made of. Each part is followed by a NUL so that ("ab","c") and ("a","bc")
// differ. 64 bits keep ids short in warehouse joins while a collision stays improbable
// below billions of records per article.
func HashID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

package transform

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
)

// id16 returns 16 hex digits (64 bits) of SHA-256 over the parts, each followed by a NUL
// so that ("ab","c") and ("a","bc") differ. 64 bits keep ids short in warehouse joins while a
// collision stays improbable below billions of records per article.
func id16(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// DocID identifies an article: from its canonical URL when it has one, else from its title.
// The URL is compared without scheme, "www.", fragment or trailing slash, so captures of
// http:// and https:// forms of one page name the same article.
func DocID(canonicalURL, title string) string {
	if key := urlKey(canonicalURL); key != "" {
		return id16("url", key)
	}
	return id16("title", strings.ToLower(title))
}

func urlKey(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if p := u.Port(); p != "" && p != "80" && p != "443" {
		host += ":" + p
	}
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	key := host + path
	if u.RawQuery != "" {
		key += "?" + u.RawQuery
	}
	return key
}

package transform

import (
	"net/url"
	"strings"

	"github.com/articleetl/articleetl/schemas"
)

var id16 = schemas.HashID

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

package source

import (
	"net/url"
	"regexp"
	"strings"
	"time"
)

// waybackPath is the path of a Wayback Machine capture: /web/<timestamp><flag>/<original URL>,
// the timestamp 1 to 14 digits (the archive redirects a short one to the nearest capture) and
// the optional flag one of its replay modes (id_, im_, js_, cs_, if_, fw_, mp_, oe_ …).
var waybackPath = regexp.MustCompile(`^/web/(\d{1,14})(?:[a-z]{2}_)?/(.+)$`)

// capture is a Wayback Machine capture URL, parsed.
type capture struct {
	raw string     // the same capture in raw id_ form: the original bytes, without the toolbar
	at  *time.Time // from a full 14-digit timestamp, else nil
}

// waybackCapture recognises a capture URL on one of the configured Wayback hosts.
func (r *runner) waybackCapture(rawURL string) (capture, bool) {
	u, err := url.Parse(rawURL)
	if err != nil || !r.isWaybackHost(u.Host) {
		return capture{}, false
	}
	m := waybackPath.FindStringSubmatch(u.EscapedPath())
	if m == nil {
		return capture{}, false
	}
	raw := u.Scheme + "://" + u.Host + "/web/" + m[1] + "id_/" + m[2]
	if u.RawQuery != "" {
		raw += "?" + u.RawQuery
	}
	return capture{raw: raw, at: parseTimestamp(m[1])}, true
}

func (r *runner) isWaybackHost(host string) bool {
	host = strings.ToLower(host)
	for _, h := range r.opts.WaybackHosts {
		if strings.EqualFold(h, host) || strings.EqualFold(h, strings.TrimSuffix(host, ":443")) {
			return true
		}
	}
	return false
}

// isBareWayback reports whether arg is a capture URL typed without its scheme
// ("web.archive.org/web/2018…/https://…"); it is only asked for paths that do not exist.
func (r *runner) isBareWayback(arg string) bool {
	for _, h := range r.opts.WaybackHosts {
		if len(arg) > len(h)+5 && strings.EqualFold(arg[:len(h)], h) && arg[len(h):len(h)+5] == "/web/" {
			return true
		}
	}
	return false
}

// captureTime is when the archive captured a page: its Memento-Datetime header, else the
// timestamp of the URL it redirected to, else the one the user gave.
func captureTime(res *fetched, c capture) *time.Time {
	if t := httpTime(res.header, "Memento-Datetime"); t != nil {
		return t
	}
	if u, err := url.Parse(res.finalURL); err == nil {
		if m := waybackPath.FindStringSubmatch(u.EscapedPath()); m != nil {
			if t := parseTimestamp(m[1]); t != nil {
				return t
			}
		}
	}
	return c.at
}

// parseTimestamp reads a 14-digit Wayback timestamp (UTC); anything else is nil.
func parseTimestamp(ts string) *time.Time {
	if len(ts) != 14 {
		return nil
	}
	t, err := time.Parse("20060102150405", ts)
	if err != nil {
		return nil
	}
	return &t
}

package source

import (
	"bytes"
	"regexp"
	"time"
)

// Pieces of a page saved from Wayback Machine playback.
var (
	// The toolbar, inserted after <body>.
	waybackToolbar = regexp.MustCompile(`(?s)<!--\s*BEGIN WAYBACK TOOLBAR INSERT\s*-->.*?<!--\s*END WAYBACK TOOLBAR INSERT\s*-->`)

	scriptElement = regexp.MustCompile(`(?is)<script\b[^>]*>.*?</script\s*>`)
	linkElement   = regexp.MustCompile(`(?i)<link\b[^>]*>`)
	srcOrHref     = regexp.MustCompile(`(?i)\s(?:src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)
	comment       = regexp.MustCompile(`(?s)<!--.*?-->`)

	// Scripts and style sheets the archive injects into <head>, by their address: its static
	// files, on its own host ("/_static/…", "/static/js/analytics.js" in older captures) or
	// on web-static.archive.org, and archive.org's analytics.
	waybackAsset = regexp.MustCompile(`(?i)^\s*(?:(?:https?:)?//(?:web-static\.archive\.org/|web\.archive\.org/_?static/|archive\.org/includes/)|/_static/|/static/(?:js/(?:analytics|wbhack|ait-client|playback|disclaim|graph-calc|auto-complete|timestamp|toolbar)|css/(?:banner|iconochive)))`)
	// Inline scripts the archive injects, by what they call.
	waybackInline = regexp.MustCompile(`__wm\.|archive_analytics|\bwombat\b|WB_wombat|_wb_wombat|RufflePlayer|sWayBackCGI|wbhack`)
	// Comments the archive adds: the include markers, the "FILE ARCHIVED ON" notice and the
	// playback timings after </html>.
	waybackComment = regexp.MustCompile(`(?i)wayback|FILE ARCHIVED ON|playback timings|INTERNET ARCHIVE`)

	// Attributes that hold addresses, and their values.
	urlAttribute = regexp.MustCompile(`(?i)(\s(?:href|src|content|action|srcset|poster|data-src|background|style|cite|formaction|data)\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)`)
	// A rewritten address's archive prefix, where an address starts: https://web.archive.org/web/<ts>/,
	// //web.archive.org/web/<ts>im_/ or /web/<ts>cs_/ before the original URL.
	archivePrefix = regexp.MustCompile(`(^|["'\s,(])(?:(?:(?:https?:)?//(?:web|wayback)\.archive\.org)?/web/\d{1,14}(?:[a-z]{2}_)?/)+`)
	// CSS url(…) in <style> blocks, rewritten the same way.
	cssURL = regexp.MustCompile(`(?i)(url\(\s*["']?)(?:(?:(?:https?:)?//(?:web|wayback)\.archive\.org)?/web/\d{1,14}(?:[a-z]{2}_)?/)+`)

	// Capture time: the notice after </html>, in its current and its old (14-digit) form.
	archivedOn      = regexp.MustCompile(`FILE ARCHIVED ON (\d{1,2}:\d{2}:\d{2} [A-Z][a-z]{2} \d{1,2}, \d{4})`)
	archivedOnStamp = regexp.MustCompile(`FILE ARCHIVED ON (\d{14})\b`)
	// … else the timestamp of the rewritten canonical link or og:url, or of the replay script.
	canonicalTag = regexp.MustCompile(`(?is)<(?:link|meta)\b[^>]*(?:\bcanonical\b|og:url)[^>]*>`)
	tagTimestamp = regexp.MustCompile(`/web/(\d{14})(?:[a-z]{2}_)?/`)
	wombatInit   = regexp.MustCompile(`__wm\.wombat\(\s*"[^"]*"\s*,\s*"(\d{14})"`)
)

const maxCleanPasses = 8

var webPath = []byte("/web/")

// waybackMarkers are strings only the Wayback Machine's playback puts in a page, each with
// the index of a byte that is rare in HTML. Every page read is searched for them, and a
// search skips ahead to the next place its first byte occurs: the '_' of __wm and the 's'
// of sWayBackCGI occur thousands of times in a script-heavy page, so those are looked for
// from their '(' and 'W' (which made the check 3x cheaper on the Wix page).
var waybackMarkers = []struct {
	text   []byte
	anchor int
}{
	{[]byte("BEGIN WAYBACK TOOLBAR INSERT"), 0},
	{[]byte("End Wayback Rewrite JS Include"), 0},
	{[]byte("FILE ARCHIVED ON"), 0},
	{[]byte("__wm.init("), 9},
	{[]byte("__wm.wombat("), 11},
	{[]byte("sWayBackCGI"), 1},
}

func isWaybackPage(page []byte) bool {
	for _, m := range waybackMarkers {
		if containsFrom(page, m.text, m.anchor) {
			return true
		}
	}
	return false
}

// containsFrom is bytes.Contains(page, s), searching for the byte s[anchor] first.
func containsFrom(page, s []byte, anchor int) bool {
	c := s[anchor]
	for i := anchor; i < len(page); {
		j := bytes.IndexByte(page[i:], c)
		if j < 0 {
			return false
		}
		if start := i + j - anchor; bytes.HasPrefix(page[start:], s) {
			return true
		}
		i += j + 1
	}
	return false
}

// CleanWayback restores a page saved from the Wayback Machine's playback to the page the
// archive captured. It removes the toolbar (everything between <!-- BEGIN WAYBACK TOOLBAR
// INSERT --> and <!-- END WAYBACK TOOLBAR INSERT -->), the scripts and style sheets the
// archive injects (its /_static/ and web-static.archive.org files, __wm.init, wombat,
// archive_analytics), and its comments (the "FILE ARCHIVED ON … AND RETRIEVED FROM THE
// INTERNET ARCHIVE ON …" notice and the playback timings after </html>); and it maps the
// addresses the archive rewrote back to the originals in href, src, content, action, srcset
// and other URL attributes and in CSS url(…): https://web.archive.org/web/20180602123456/https://x/y,
// //web.archive.org/web/…, /web/20180602123456im_/https://x/y all become https://x/y, so the
// canonical link and og:url name the original page again.
//
// It edits the bytes with regular expressions rather than re-serialising the HTML, so the
// rest of the page is unchanged byte for byte. capturedAt is the capture time in UTC, from the
// "FILE ARCHIVED ON" notice, else from the timestamp in the rewritten canonical link or
// og:url, else nil. ok is false, and page is returned as is, when page shows no sign of
// Wayback playback (or nests the archive's pieces into one another implausibly deep). The
// result is never longer than page, and cleaning it again changes nothing.
func CleanWayback(page []byte) (cleaned []byte, capturedAt *time.Time, ok bool) {
	if !isWaybackPage(page) {
		return page, nil, false
	}
	// Removing one piece can join the text around it into another (a comment, say), so the
	// pass repeats until the page no longer changes. Real pages settle after one pass; a page
	// built to nest deeper is left as it is, which keeps the cost bounded and cleaning
	// idempotent.
	cleaned = page
	for range maxCleanPasses {
		if !isWaybackPage(cleaned) {
			return cleaned, waybackCaptureTime(page), true
		}
		next := cleanWaybackPass(cleaned)
		if bytes.Equal(next, cleaned) {
			return cleaned, waybackCaptureTime(page), true
		}
		cleaned = next
	}
	return page, nil, false
}

// cleanWaybackPass makes one pass of the edits CleanWayback describes.
func cleanWaybackPass(p []byte) []byte {
	p = deleteMatches(p, waybackToolbar, func([]byte) bool { return true })
	p = deleteMatches(p, scriptElement, func(el []byte) bool {
		open := el[:bytes.IndexByte(el, '>')+1]
		return isWaybackAsset(open) || waybackInline.Match(el[len(open):])
	})
	p = deleteMatches(p, linkElement, isWaybackAsset)
	p = deleteMatches(p, comment, waybackComment.Match)
	if !bytes.Contains(p, webPath) {
		return p
	}
	p = urlAttribute.ReplaceAllFunc(p, func(attr []byte) []byte {
		if !bytes.Contains(attr, webPath) {
			return attr
		}
		m := urlAttribute.FindSubmatchIndex(attr)
		value := archivePrefix.ReplaceAll(attr[m[4]:m[5]], []byte("$1"))
		return append(attr[:m[4]:m[4]], value...)
	})
	return cssURL.ReplaceAll(p, []byte("$1"))
}

// deleteMatches deletes the matches of re for which drop is true. A match that stands alone
// on its line takes the line with it, so no blank lines are left behind.
func deleteMatches(p []byte, re *regexp.Regexp, drop func([]byte) bool) []byte {
	var out []byte
	last, changed := 0, false
	for _, m := range re.FindAllIndex(p, -1) {
		start, end := m[0], m[1]
		if !drop(p[start:end]) {
			continue
		}
		lineStart := start
		for lineStart > last && (p[lineStart-1] == ' ' || p[lineStart-1] == '\t') {
			lineStart--
		}
		lineEnd := end
		for lineEnd < len(p) && (p[lineEnd] == ' ' || p[lineEnd] == '\t' || p[lineEnd] == '\r') {
			lineEnd++
		}
		if (lineStart == 0 || p[lineStart-1] == '\n') && lineStart >= last && lineEnd < len(p) && p[lineEnd] == '\n' {
			start, end = lineStart, lineEnd+1
		}
		out = append(out, p[last:start]...)
		last, changed = end, true
	}
	if !changed {
		return p
	}
	return append(out, p[last:]...)
}

// isWaybackAsset reports whether a start tag's src or href is one of the archive's files.
func isWaybackAsset(tag []byte) bool {
	m := srcOrHref.FindSubmatch(tag)
	if m == nil {
		return false
	}
	for _, v := range m[1:] {
		if v != nil {
			return waybackAsset.Match(v)
		}
	}
	return false
}

func waybackCaptureTime(page []byte) *time.Time {
	if m := archivedOn.FindSubmatch(page); m != nil {
		for _, layout := range []string{"15:04:05 Jan 02, 2006", "15:04:05 Jan 2, 2006"} {
			if t, err := time.Parse(layout, string(m[1])); err == nil {
				return &t
			}
		}
	}
	if m := archivedOnStamp.FindSubmatch(page); m != nil {
		if t := parseTimestamp(string(m[1])); t != nil {
			return t
		}
	}
	for _, tag := range canonicalTag.FindAll(page, -1) {
		if m := tagTimestamp.FindSubmatch(tag); m != nil {
			if t := parseTimestamp(string(m[1])); t != nil {
				return t
			}
		}
	}
	if m := wombatInit.FindSubmatch(page); m != nil {
		return parseTimestamp(string(m[1]))
	}
	return nil
}

package extract

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// pageMeta is what the page's head and structured data say about the article.
type pageMeta struct {
	canonicalURL string
	language     string
	headline     string
	siteName     string // og:site_name, which titles are often suffixed with
	published    *time.Time
	modified     *time.Time
	faq          []FAQEntry
}

// articleTypes are the schema.org types whose JSON-LD describes the article itself.
var articleTypes = map[string]bool{
	"Article": true, "BlogPosting": true, "NewsArticle": true, "Report": true,
	"TechArticle": true, "ScholarlyArticle": true, "WebPage": false,
}

func readMetadata(p *pageIndex) pageMeta {
	var m pageMeta
	ld := parseJSONLD(p.jsonLD)
	article := jsonLDArticle(ld)
	metaContent := func(property string) string {
		return strings.TrimSpace(attr(p.meta[property], "content"))
	}
	m.canonicalURL = canonicalURL(attr(p.base, "href"), strings.TrimSpace(attr(p.canonical, "href")), metaContent("og:url"), ldURL(article))
	m.language = firstNonEmpty(normalizeLang(attr(p.html, "lang")), normalizeLang(metaContent("og:locale")), normalizeLang(ldString(article, "inLanguage")))

	m.siteName = collapse(metaContent("og:site_name"))
	m.headline = withoutSiteName(collapse(firstNonEmpty(ldString(article, "headline"), metaContent("og:title"))), m.siteName)
	m.published = parseTimestamp(firstNonEmpty(ldString(article, "datePublished"), metaContent("article:published_time")))
	m.modified = parseTimestamp(firstNonEmpty(ldString(article, "dateModified"), metaContent("article:modified_time")))
	m.faq = jsonLDFAQ(ld)
	return m
}

// parseJSONLD decodes the page's JSON-LD scripts, in order, leaving out the broken ones
// (common on real pages; the others may still serve).
func parseJSONLD(scripts []*html.Node) []any {
	var out []any
	for _, s := range scripts {
		var v any
		if json.Unmarshal([]byte(textContent(s)), &v) == nil {
			out = append(out, v)
		}
	}
	return out
}

// jsonLDArticle returns the first JSON-LD object of an article type, looking inside
// arrays and @graph containers; nil when the page has none.
func jsonLDArticle(ld []any) map[string]any {
	for _, v := range ld {
		if found := findArticleObject(v); found != nil {
			return found
		}
	}
	return nil
}

func findArticleObject(v any) map[string]any {
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			if o := findArticleObject(e); o != nil {
				return o
			}
		}
	case map[string]any:
		if isArticleType(v["@type"]) {
			return v
		}
		if g, ok := v["@graph"]; ok {
			return findArticleObject(g)
		}
	}
	return nil
}

func isArticleType(t any) bool {
	switch t := t.(type) {
	case string:
		return articleTypes[t]
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok && articleTypes[s] {
				return true
			}
		}
	}
	return false
}

func ldString(o map[string]any, key string) string {
	switch v := o[key].(type) {
	case string:
		return strings.TrimSpace(v)
	case map[string]any: // {"@type": "Language", "name": "en"} and similar
		if s, ok := v["name"].(string); ok {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

func ldURL(o map[string]any) string {
	if u := ldString(o, "url"); u != "" {
		return u
	}
	switch v := o["mainEntityOfPage"].(type) {
	case string:
		return v
	case map[string]any:
		if s, ok := v["@id"].(string); ok {
			return s
		}
	}
	return ""
}

// canonicalURL is the first of the page's addresses for itself (the canonical link, og:url,
// JSON-LD url) that is absolute, a relative one resolved against the page's <base href>
// when that is absolute. A page saved by a browser or mirrored by wget --convert-links
// often has its canonical link made relative ("/post/x", "x.html") while og:url still names
// the page: the article is the one the live page is, not one named by its title. When no
// address is absolute, the first given is kept as written.
func canonicalURL(base string, candidates ...string) string {
	baseURL, err := url.Parse(strings.TrimSpace(base))
	if err != nil || !isAbsoluteWeb(baseURL) {
		baseURL = nil
	}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		u, err := url.Parse(c)
		if err != nil {
			continue
		}
		if isAbsoluteWeb(u) {
			return unreplay(c)
		}
		if baseURL != nil && u.Scheme == "" { // a relative reference: file: or mailto: is no address on the web
			return unreplay(baseURL.ResolveReference(u).String())
		}
	}
	return firstNonEmpty(candidates...)
}

// replayURL is an archive's replay address for a page: the archive's host and collection,
// the capture's timestamp (with pywb's or the Wayback Machine's flag, as in "mp_" or
// "id_"), then the original address: https://wayback.archive-it.org/10702/20180602123456/https://x/y.
var replayURL = regexp.MustCompile(`^https?://[^/?#]+(?:/[^/?#]+)*?/\d{8,14}(?:[a-z]{2}_)?/((?:https?:)?//[^/?#]+.*)$`)

// unreplay returns the original address of an archive's replay address, and any other
// address as it is. Pages replayed by pywb (Archive-It and other institutional archives)
// keep their canonical link rewritten to the replay address; taken as it is, it names
// another article than the live page, and every id made from it differs. (The Wayback
// Machine's rewriting is undone before extraction, with the rest of its playback: see
// source.CleanWayback.)
func unreplay(u string) string {
	// Nearly every address has no second address in it, and needs no regular expression.
	// ("/https://…" or, written without its scheme, "///…" where the timestamp's slash meets
	// the original's.)
	if !strings.Contains(u[min(len(u), len("http://x")):], "/http") && !strings.Contains(u, "///") {
		return u
	}
	m := replayURL.FindStringSubmatch(u)
	if m == nil {
		return u
	}
	if strings.HasPrefix(m[1], "//") {
		return "https:" + m[1]
	}
	return m[1]
}

// isAbsoluteWeb reports whether u names a host on the web: an http(s) address, or one
// written without its scheme ("//example.org/post").
func isAbsoluteWeb(u *url.URL) bool {
	return (u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "") && u.Host != ""
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// normalizeLang turns "en_US" or "EN-us" into the BCP 47 form "en-US".
func normalizeLang(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "_", "-")
	if s == "" {
		return ""
	}
	parts := strings.Split(s, "-")
	parts[0] = strings.ToLower(parts[0])
	for i := 1; i < len(parts); i++ {
		if len(parts[i]) == 2 {
			parts[i] = strings.ToUpper(parts[i])
		}
	}
	return strings.Join(parts, "-")
}

var timestampLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04",
}

// parseTimestamp reads an ISO 8601 time, returning it in UTC truncated to microseconds
// (the precision Parquet TIMESTAMP_MICROS and BigQuery keep); nil when s is not one. A
// bare date is not a timestamp.
func parseTimestamp(s string) *time.Time {
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC().Truncate(time.Microsecond)
			return &t
		}
	}
	return nil
}

var dateLayouts = []string{
	"January 2, 2006", "Jan 2, 2006", "2 January 2006", "2 Jan 2006", "January 2 2006", "2006-01-02",
}

// parseDate reads a calendar date as pages write it ("May 17, 2018", "17 May 2018",
// "2018-05-17") and returns midnight UTC of that day.
func parseDate(s string) *time.Time {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "."))
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return &t
		}
	}
	if t := parseTimestamp(s); t != nil {
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		return &d
	}
	return nil
}

// updatedPattern matches the "Updated: May 17, 2018" line Wix and many blogs show.
var updatedPattern = regexp.MustCompile(`^(?:Last\s+)?[Uu]pdated(?:\s+on)?:?\s*(.+)$`)

// updatedOn finds the visible "Updated:" date in the post: inside the <article> that holds
// the content, or the content itself, so that dates in other widgets are never taken. The
// first <p>, <span>, <div> or <time> in document order whose text is such a line and gives
// a date is taken.
func updatedOn(root *goquery.Selection) *time.Time {
	scope := root.Closest("article")
	if scope.Length() == 0 {
		scope = root
	}
	var found *time.Time
	var visit func(n *html.Node) bool // false stops the walk
	visit = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if found = updatedDate(c); found != nil || !visit(c) {
				return false
			}
		}
		return true
	}
	visit(scope.Nodes[0])
	return found
}

// updatedDate returns the date an "Updated:" line gives, when n is a <p>, <span>, <div> or
// <time> holding one; nil otherwise.
func updatedDate(n *html.Node) *time.Time {
	switch n.Data {
	case "p", "span", "div", "time":
	default:
		return nil
	}
	// Most elements are ruled out by their first letter, before their text (the whole
	// post's, for a wrapper) is gathered and collapsed.
	if r, ok := firstVisibleRune(n); !ok || r != 'L' && r != 'U' && r != 'u' && r != utf8.RuneError {
		return nil
	}
	m := updatedPattern.FindStringSubmatch(collapse(textContent(n)))
	if m == nil {
		return nil
	}
	var found *time.Time
	if dt, ok := goquery.NewDocumentFromNode(n).Find("time[datetime]").Attr("datetime"); ok {
		found = parseDate(dt)
	}
	if found == nil {
		found = parseDate(m[1])
	}
	return found
}

// title prefers the post's own heading over metadata, which sites often suffix with
// their name ("… | My Blog"). A hidden heading is not one a reader sees (see
// firstVisibleText) unless the page is read with its hidden text (withHidden: it shows
// itself once its scripts run); failing all else, it is still better than no title.
func title(doc *goquery.Document, page *pageIndex, root *goquery.Selection, meta pageMeta, withHidden bool) string {
	if page.postTitle != nil && (withHidden || !inHidden(page.postTitle)) {
		if t := collapse(textContent(page.postTitle)); t != "" {
			return t
		}
	}
	if t := firstVisibleText(root.Find("h1"), withHidden); t != "" {
		return t
	}
	if t := firstVisibleText(root.Closest("article").Find("h1"), withHidden); t != "" {
		return t
	}
	if meta.headline != "" {
		return meta.headline
	}
	if t := firstVisibleText(doc.Find("main h1, article h1"), withHidden); t != "" {
		return t
	}
	if t := withoutSiteName(collapse(doc.Find("title").First().Text()), meta.siteName); t != "" {
		return t
	}
	return firstVisibleText(root.Find("h1").AddSelection(doc.Find("main h1, article h1")), true)
}

// firstVisibleText is the collapsed text of the first of the elements that is not hidden
// (inHidden), or "": a hidden h1 (the site's name kept for search engines, the heading of
// a copy of the post for another screen) is not the title a reader sees. With withHidden,
// hidden ones count too.
func firstVisibleText(s *goquery.Selection, withHidden bool) string {
	for _, n := range s.Nodes {
		if withHidden || !inHidden(n) {
			return collapse(textContent(n))
		}
	}
	return ""
}

// titleSeparators stand between a page's title and its site's name in <title> and og:title.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " · ", " :: ", " » "}

// withoutSiteName drops the site's name from a title that carries it before or after a
// separator ("Understanding the Coalition against ISIS | Global Affairs Explained"), so a
// capture whose only title is <title> names the article as one with a heading does. Only
// the name the page gives as og:site_name is dropped: a title that merely contains a
// separator keeps it.
func withoutSiteName(title, site string) string {
	if site == "" {
		return title
	}
	for _, sep := range titleSeparators {
		if rest, ok := strings.CutSuffix(title, sep+site); ok && rest != "" {
			return rest
		}
		if rest, ok := strings.CutPrefix(title, site+sep); ok && rest != "" {
			return rest
		}
	}
	return title
}

package extract

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// knownContainers are the elements the common platforms put a post's body in, most specific
// first. They are signals, not rules: one is taken only when it holds most of the page's
// content text, so a theme that uses the class for something else (a teaser card, one block
// of several) does not mislead the choice.
var knownContainers = []struct {
	selector, name string
}{
	{`section[data-hook="post-description"]`, "Wix post body"},
	{`div[data-hook="post-content"]`, "Wix post content"},
	{`[itemprop="articleBody"]`, "schema.org articleBody"},
	{`.entry-content`, "WordPress entry content"},
	{`.gh-content`, "Ghost post content"},
	{`.post-content`, "post content"},
	{`.field--name-body`, "Drupal body field"},
	{`.node__content`, "Drupal node content"},
	{`.blog-item-content`, "Squarespace blog item content"},
	{`article.BlogItem`, "Squarespace blog item"},
	{`.sqs-block-content`, "Squarespace content block"},
	{`article section`, "section of an <article> (Medium-style)"},
	{`article`, "<article> element"},
	{`main`, "<main> element"},
	{`[role="main"]`, `role="main" element`},
}

var knownMatchers = func() []cascadia.Selector {
	ms := make([]cascadia.Selector, len(knownContainers))
	for i, k := range knownContainers {
		ms[i] = cascadia.MustCompile(k.selector)
	}
	return ms
}()

// Shares of the page's content text that a container must hold: a platform container
// is an exact signal and needs most of it (the rest is the title, a byline, an excerpt in
// the post's header); an unnamed element chosen by density alone needs nearly all of it,
// and the deepest such element is taken.
const (
	knownShare   = 0.6
	densityShare = 0.85
	// minVisibleShare is the least share of the page's text that must be visible for the
	// body to be chosen by visible text alone (see scorer); below it the page is scored
	// with its hidden text.
	minVisibleShare = 0.25
)

// contentRoot picks the element holding the article body: the one named by selector when
// given, else a platform or semantic container holding most of the page's text, else the
// deepest element holding nearly all of it. Page chrome (navigation, sidebars, widgets,
// comments, share bars, cookie banners, footers) never counts as text.
func contentRoot(doc *goquery.Document, page *pageIndex, sc *scorer, selector string) (*goquery.Selection, Container, error) {
	if selector != "" {
		s, err := safeFind(doc, selector)
		if err != nil {
			return nil, Container{}, err
		}
		if s.Length() == 0 {
			return nil, Container{}, fmt.Errorf("%w: --content-selector %q matches nothing", ErrNoContent, selector)
		}
		return s.First(), Container{Selector: selector, Reason: "--content-selector", Share: 1}, nil
	}
	if page.body == nil {
		return doc.Selection, Container{Selector: "document", Reason: "the page has no <body>"}, nil
	}
	body := page.body
	total := sc.score(body)
	if all := float64(sc.measure(body).all); total < all*minVisibleShare {
		// Nearly everything is hidden: the page shows itself once its scripts run. Its
		// hidden headings protect their ancestors too, so the verdicts are made again.
		sc.withHidden, total = true, all
	}
	if total == 0 {
		return doc.FindNodes(body), Container{Selector: "body", Reason: "no content text anywhere: whole body"}, nil
	}
	for i, m := range knownMatchers {
		for _, n := range doc.FindMatcher(m).Nodes {
			// A container inside a hidden element (the post again for another screen) is
			// scored on its own text, which total does not count: it is no candidate.
			if sc.hidden(n) {
				continue
			}
			if share := sc.score(n) / total; share >= knownShare {
				return doc.FindNodes(n), Container{
					Selector: describe(n),
					Reason:   fmt.Sprintf("%s (%s), %.0f%% of the page's text", knownContainers[i].name, knownContainers[i].selector, 100*share),
					Share:    share,
				}, nil
			}
		}
	}
	best, depth := body, 0
	var visit func(n *html.Node, d int)
	visit = func(n *html.Node, d int) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			// A block is a leaf of the choice: its inner elements are its own text.
			if c.Type != html.ElementNode || isScored(c.Data) || sc.score(c) < densityShare*total {
				continue
			}
			if d+1 > depth {
				best, depth = c, d+1
			}
			visit(c, d+1)
		}
	}
	visit(body, 0)
	share := sc.score(best) / total
	return doc.FindNodes(best), Container{
		Selector: describe(best),
		Reason:   fmt.Sprintf("densest element: the innermost holding %.0f%% of the page's text (link density %.2f)", 100*share, sc.linkDensity(best)),
		Share:    share,
	}, nil
}

// safeFind checks the selector first: goquery silently matches nothing for a malformed
// one, which would be reported as a page without content instead of a typo.
func safeFind(doc *goquery.Document, selector string) (*goquery.Selection, error) {
	m, err := cascadia.Compile(selector)
	if err != nil {
		return nil, fmt.Errorf("invalid content selector %q: %w", selector, err)
	}
	return doc.FindMatcher(m), nil
}

// scorer measures how much article text elements hold. An element's score is the length of
// the text of the blocks inside it that are not chrome, less the text of their links; a
// block that is mostly links (a menu item, a "related" card) scores nothing.
//
// Text no reader sees (isHidden) is left out of the score, so that a copy of the post kept
// hidden for another screen neither splits the page's text with the post nor is taken for
// it; the score with it (all) is kept too, for a page whose text is nearly all hidden (one
// that shows itself once its scripts have run), which is then scored with it.
type scorer struct {
	protected       map[*html.Node]bool // ancestors of the article itself, never chrome
	protectedHidden map[*html.Node]bool // those of hidden headings, never chrome for all
	nodes           map[*html.Node]scored
	classes         classVerdicts
	withHidden      bool // score counts hidden text: the page shows too little without it
}

// scored is what the scorer found out about one element.
type scored struct {
	score, all int32 // the text of its blocks, without and with the hidden ones (bytes: a page is far under 2 GiB)
	chrome     bool  // page furniture
	chromeAll  bool  // the same for all, where hidden headings protect their ancestors too
	hidden     bool
}

func newScorer(page *pageIndex) *scorer {
	return &scorer{protected: page.protected, protectedHidden: page.protectedHidden, nodes: make(map[*html.Node]scored, page.elements), classes: classVerdicts{}}
}

func (sc *scorer) score(n *html.Node) float64 {
	if sc.withHidden {
		return float64(sc.measure(n).all)
	}
	return float64(sc.measure(n).score)
}

// hidden reports whether the choice of the body leaves n out as hidden.
func (sc *scorer) hidden(n *html.Node) bool { return !sc.withHidden && inHidden(n) }

func (sc *scorer) measure(n *html.Node) scored {
	if n.Type != html.ElementNode && n.Type != html.DocumentNode {
		return scored{}
	}
	if s, ok := sc.nodes[n]; ok {
		return s
	}
	var s scored
	if n.Type == html.ElementNode {
		s.chrome, s.hidden = chromeOrHidden(n, sc.protected, sc.classes)
		s.chromeAll = s.chrome && !sc.protectedHidden[n]
	}
	switch {
	case s.chromeAll: // and so chrome
	case n.Type == html.ElementNode && isScored(n.Data):
		if t, l := textAndLinkLength(n); t > 0 && 2*l <= t {
			s.all = int32(min(t-l, math.MaxInt32))
		}
		if !s.chrome {
			s.score = s.all
		}
	default:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			m := sc.measure(c)
			if !s.chrome {
				s.score += m.score
			}
			s.all += m.all
		}
	}
	if s.hidden {
		s.score = 0
	}
	sc.nodes[n] = s
	return s
}

// isChrome reports whether n is chrome for the page being scored (chromeOrHidden), with
// the verdicts scoring already reached: removing chrome from the body asks again about most
// of the same elements.
func (sc *scorer) isChrome(n *html.Node) bool {
	chrome, _ := sc.verdicts(n)
	return chrome
}

// verdicts says whether n is chrome (as the page is being read: with its hidden text or
// not) and whether it is hidden, with the verdicts scoring already reached. Inside a
// block, where scoring does not go, they are made here, without the scores.
func (sc *scorer) verdicts(n *html.Node) (chrome, hidden bool) {
	s, ok := sc.nodes[n]
	if !ok {
		s.chrome, s.hidden = chromeOrHidden(n, sc.protected, sc.classes)
		s.chromeAll = s.chrome && !sc.protectedHidden[n]
	}
	if sc.withHidden {
		return s.chromeAll, s.hidden
	}
	return s.chrome, s.hidden
}

// linkDensity is the share of the text of the blocks under n, chrome left out, that is in
// links.
func (sc *scorer) linkDensity(n *html.Node) float64 {
	text, link := sc.textAndLinks(n)
	if text == 0 {
		return 0
	}
	return link / text
}

// textAndLinks sums the text and link lengths of the blocks under n that are not chrome.
func (sc *scorer) textAndLinks(n *html.Node) (text, link float64) {
	switch {
	case n.Type != html.ElementNode && n.Type != html.DocumentNode:
		return 0, 0
	case n.Type == html.ElementNode && sc.isChrome(n):
		return 0, 0
	case n.Type == html.ElementNode && isScored(n.Data):
		t, l := textAndLinkLength(n)
		return float64(t), float64(l)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t, l := sc.textAndLinks(c)
		text += t
		link += l
	}
	return text, link
}

// isScored reports whether an element's text counts as content: the block elements and
// table cells.
func isScored(tag string) bool {
	switch tag {
	case "h1", "h2", "h3", "h4", "h5", "h6", "p", "blockquote", "pre", "li", "dt", "dd",
		"figcaption", "summary", "td", "th", "caption":
		return true
	}
	return false
}

// textAndLinkLength returns the length of n's collapsed text and of the part inside links.
func textAndLinkLength(n *html.Node) (text, link int) {
	var all, inLinks collapsedLength
	var visit func(n *html.Node, inLink bool)
	visit = func(n *html.Node, inLink bool) {
		switch n.Type {
		case html.TextNode:
			all.add(n.Data)
			if inLink {
				inLinks.add(n.Data)
			}
			return
		case html.ElementNode:
			inLink = inLink || n.Data == "a"
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c, inLink)
		}
	}
	visit(n, false)
	return all.n, inLinks.n
}

// isChromeTag reports whether an element is never article text.
func isChromeTag(tag string) bool {
	switch tag {
	case "nav", "aside", "footer", "form", "button", "dialog", "select", "textarea", "input":
		return true
	}
	return false
}

// chromeRoles are ARIA landmark roles of page furniture.
var chromeRoles = map[string]bool{
	"navigation": true, "complementary": true, "contentinfo": true, "dialog": true,
	"alertdialog": true, "search": true, "banner": true,
}

// isChromeWord reports whether a part of a class or id name, split at "-", "_" and spaces
// ("entry-meta", "site_footer") and folded to lower case, names page furniture. It is a
// switch rather than a set: it is asked of every part of every name of the page.
func isChromeWord(part []byte) bool {
	switch string(part) {
	case "nav", "navbar", "navigation", "menu", "footer", "masthead", "ad", "ads", "meta", "tags",
		"tag", "print", "toolbar", "skip", "share", "sharing", "social", "byline", "dateline",
		"pagination", "pager", "breadcrumb", "breadcrumbs", "modal", "popup", "overlay",
		"related", "comment", "comments", "sidebar", "widget", "widgets", "cookie", "cookies",
		"consent", "gdpr", "newsletter", "subscribe", "subscription", "signup", "promo",
		"sponsor", "sponsored", "advert", "advertisement", "recent", "popular", "trending",
		"respond", "reply", "disqus", "author", "bio":
		return true
	}
	return false
}

// chromeFragments are distinctive enough to mark chrome inside a longer part
// ("jp-relatedposts", "commentlist", "sharedaddy", "cookiebanner"), in any case.
var chromeFragments = []string{
	"related", "comment", "sidebar", "sharedaddy", "sharing", "cookie", "newsletter",
	"subscribe", "breadcrumb", "advert", "sponsor", "widget", "recentpost", "recent-post",
	"social",
}

// chromeOrHidden reports whether an element is page furniture (chrome): by tag, ARIA
// role, Wix data-hook, or a class or id naming navigation, sidebars, widgets, comments,
// share bars, cookie banners, bylines and the like; elements that hold the article itself
// never are, and the verdicts on class attributes are remembered in classes. And, in the
// same pass over the attributes, whether it is hidden (isHidden). Hidden is not chrome: a
// hidden element inside the body (an answer collapsed in an accordion) is kept unless it
// repeats the visible text (bodyFilter); the choice of the body leaves it out (scorer).
func chromeOrHidden(n *html.Node, protected map[*html.Node]bool, classes classVerdicts) (chrome, hidden bool) {
	if protected[n] {
		return false, isHidden(n)
	}
	if isChromeTag(n.Data) {
		return true, false
	}
	if n.Data == "header" && (n.Parent == nil || n.Parent.Data != "article") {
		return true, false
	}
	var class, id string
	for _, a := range n.Attr {
		switch a.Key {
		case "role":
			if chromeRoles[strings.ToLower(a.Val)] {
				return true, false
			}
		case "hidden", "style", "aria-hidden":
			hidden = hidden || hides(n, a)
		case "data-hook":
			for _, w := range []string{"share", "comment", "recent-posts", "related"} {
				if strings.Contains(a.Val, w) {
					return true, false
				}
			}
		case "class":
			class = a.Val
		case "id":
			id = a.Val
		}
	}
	switch n.Data {
	case "html", "body", "main", "article":
		return false, hidden
	}
	return classes.chrome(class) || chromeNames(id), hidden
}

// isHidden reports whether an element is hidden from every reader, by the hidden attribute
// or an inline style, as Mozilla's Readability judges visibility. <html> and <body> never
// are: a page may hide itself until its scripts have run, and it is still the page.
func isHidden(n *html.Node) bool {
	for _, a := range n.Attr {
		if hides(n, a) {
			return true
		}
	}
	return false
}

// hides reports whether attribute a hides element n (see isHidden).
func hides(n *html.Node, a html.Attribute) bool {
	if n.Data == "html" || n.Data == "body" {
		return false
	}
	return a.Key == "hidden" || a.Key == "style" && hiddenByStyle(a.Val) || a.Key == "aria-hidden" && a.Val == "true"
}

// hiddenByStyle reports whether an inline style hides the element from every reader
// (display: none, visibility: hidden), as Mozilla's Readability judges visibility. A page
// laid out for several screens may carry a second copy of the article for another one,
// hidden this way; counted, each copy held half of the page's text and neither was taken
// as the body.
//
// It is asked of every element with a style attribute, several times, so it compares in
// place without lowering a copy of the style.
func hiddenByStyle(style string) bool {
	for style != "" {
		var decl string
		decl, style, _ = strings.Cut(style, ";")
		prop, val, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		prop, val = strings.TrimSpace(prop), strings.TrimSpace(val)
		if strings.EqualFold(prop, "display") && isKeyword(val, "none") ||
			strings.EqualFold(prop, "visibility") && isKeyword(val, "hidden") {
			return true
		}
	}
	return false
}

// isKeyword reports whether a declaration's value is the keyword kw, in any case, perhaps
// marked !important: "none-ish" or "nonexistent" is no value a browser takes, and hides
// nothing.
func isKeyword(val, kw string) bool {
	if len(val) < len(kw) || !strings.EqualFold(val[:len(kw)], kw) {
		return false
	}
	rest := strings.TrimSpace(val[len(kw):])
	return rest == "" || rest[0] == '!'
}

// classVerdicts remembers, for one page, which class attributes name chrome: pages repeat
// the same long class lists (ten names on every Wix paragraph) on hundreds of elements.
type classVerdicts map[string]bool

func (v classVerdicts) chrome(class string) bool {
	chrome, ok := v[class]
	if !ok {
		chrome = chromeNames(class)
		v[class] = chrome
	}
	return chrome
}

// chromeNames reports whether one of the space-separated names in a class or id attribute
// names chrome. It runs for most elements of the page, so it reads each name in place,
// folded into a buffer on the stack, instead of splitting it into new strings: with
// regular expressions, it cost three quarters of the whole pipeline's time.
func chromeNames(attr string) bool {
	for name := range strings.FieldsSeq(attr) {
		var buf [64]byte
		if chromeName(foldName(buf[:0], name)) {
			return true
		}
	}
	return false
}

// chromeName reports whether a name, folded to lower case, holds a chrome fragment or has
// a chrome word as one of its parts between "-" and "_".
func chromeName(name []byte) bool {
	for i, c := range name {
		for _, f := range fragmentsByFirstByte[c] {
			if len(name)-i >= len(f) && string(name[i:i+len(f)]) == f {
				return true
			}
		}
	}
	for start := 0; start < len(name); {
		end := start
		for end < len(name) && name[end] != '-' && name[end] != '_' {
			end++
		}
		if isChromeWord(name[start:end]) {
			return true
		}
		start = end + 1
	}
	return false
}

// fragmentsByFirstByte are the chromeFragments by their first byte: most bytes of a name
// start none.
var fragmentsByFirstByte = func() (index [256][]string) {
	for _, f := range chromeFragments {
		index[f[0]] = append(index[f[0]], f)
	}
	return index
}()

// foldName appends name to buf with every character that folds to an ASCII letter (in
// Unicode simple case folding, as a case-insensitive match does) replaced by the lower-case
// letter: "Sidebar", "SIDEBAR" and "ſidebar" (long s) become "sidebar". Other characters
// are copied as they are: their bytes, all above 0x7F, match nothing in the word lists.
func foldName(buf []byte, name string) []byte {
	for i := 0; i < len(name); {
		c := name[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(name[i:])
		switch r {
		case '\u212a': // Kelvin sign
			buf = append(buf, 'k')
		case '\u017f': // long s
			buf = append(buf, 's')
		default:
			buf = append(buf, name[i:i+w]...)
		}
		i += w
	}
	return buf
}

// describe names an element the way a CSS selector would: its tag, id or first classes,
// and a Wix data-hook.
func describe(n *html.Node) string {
	var sb strings.Builder
	sb.WriteString(n.Data)
	for _, a := range n.Attr {
		switch a.Key {
		case "id":
			if a.Val != "" && !strings.ContainsAny(a.Val, " \t") {
				sb.WriteString("#" + a.Val)
			}
		case "data-hook":
			fmt.Fprintf(&sb, "[data-hook=%q]", a.Val)
		}
	}
	for _, a := range n.Attr {
		if a.Key == "class" {
			for i, c := range strings.Fields(a.Val) {
				if i == 2 {
					break
				}
				sb.WriteString("." + c)
			}
		}
	}
	return sb.String()
}

// headerLead returns the lead a post's header gives outside its body, as Ghost and many
// themes write it (<header><h1>…</h1><p class="article-excerpt">…</p></header>): a
// paragraph of the <article> around the body, outside it, whose class names it an excerpt,
// lead, standfirst, dek or subtitle. "" when there is none.
func headerLead(root *goquery.Selection) string {
	art := root.Parent().Closest("article")
	if art.Length() == 0 {
		return ""
	}
	var lead string
	var visit func(n *html.Node) bool // false stops the walk
	visit = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || c == root.Nodes[0] {
				continue // the body's own paragraphs are not its lead
			}
			if c.Data == "p" && leadClass.MatchString(attr(c, "class")) {
				if t := collapse(textContent(c)); len(strings.Fields(t)) >= 5 {
					lead = t
					return false
				}
			}
			if !visit(c) {
				return false
			}
		}
		return true
	}
	visit(art.Nodes[0])
	return lead
}

var leadClass = regexp.MustCompile(`(?i)(excerpt|standfirst|\blead\b|\bdek\b|\bdeck\b|subtitle|subhead|intro)`)

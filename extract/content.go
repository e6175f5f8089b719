package extract

import (
	"fmt"
	"regexp"
	"strings"

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
)

// contentRoot picks the element holding the article body: the one named by selector when
// given, else a platform or semantic container holding most of the page's text, else the
// deepest element holding nearly all of it. Page chrome (navigation, sidebars, widgets,
// comments, share bars, cookie banners, footers) never counts as text.
func contentRoot(doc *goquery.Document, selector string) (*goquery.Selection, Container, error) {
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
	body := doc.Find("body").First()
	if body.Length() == 0 {
		return doc.Selection, Container{Selector: "document", Reason: "the page has no <body>"}, nil
	}
	sc := newScorer(doc)
	total := sc.score(body.Nodes[0])
	if total == 0 {
		return body, Container{Selector: "body", Reason: "no content text anywhere: whole body"}, nil
	}
	for i, m := range knownMatchers {
		for _, n := range doc.FindMatcher(m).Nodes {
			if share := sc.score(n) / total; share >= knownShare {
				return doc.FindNodes(n), Container{
					Selector: describe(n),
					Reason:   fmt.Sprintf("%s (%s), %.0f%% of the page's text", knownContainers[i].name, knownContainers[i].selector, 100*share),
					Share:    share,
				}, nil
			}
		}
	}
	best, depth := body.Nodes[0], 0
	var visit func(n *html.Node, d int)
	visit = func(n *html.Node, d int) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			// A block is a leaf of the choice: its inner elements are its own text.
			if c.Type != html.ElementNode || scoredTags[c.Data] || sc.score(c) < densityShare*total {
				continue
			}
			if d+1 > depth {
				best, depth = c, d+1
			}
			visit(c, d+1)
		}
	}
	visit(body.Nodes[0], 0)
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
type scorer struct {
	protected map[*html.Node]bool // ancestors of the article itself, never chrome
	scores    map[*html.Node]float64
	links     map[*html.Node]float64
	texts     map[*html.Node]float64
}

func newScorer(doc *goquery.Document) *scorer {
	return &scorer{protected: protectedNodes(doc), scores: map[*html.Node]float64{},
		links: map[*html.Node]float64{}, texts: map[*html.Node]float64{}}
}

func (sc *scorer) score(n *html.Node) float64 {
	if s, ok := sc.scores[n]; ok {
		return s
	}
	var s, text, link float64
	switch {
	case n.Type != html.ElementNode && n.Type != html.DocumentNode:
	case n.Type == html.ElementNode && isChrome(n, sc.protected):
	case n.Type == html.ElementNode && scoredTags[n.Data]:
		t, l := textAndLinkLength(n)
		text, link = float64(t), float64(l)
		if t > 0 && 2*l <= t {
			s = float64(t - l)
		}
	default:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			s += sc.score(c)
			text += sc.texts[c]
			link += sc.links[c]
		}
	}
	sc.scores[n], sc.texts[n], sc.links[n] = s, text, link
	return s
}

func (sc *scorer) linkDensity(n *html.Node) float64 {
	sc.score(n)
	if sc.texts[n] == 0 {
		return 0
	}
	return sc.links[n] / sc.texts[n]
}

// scoredTags are the elements whose text counts as content: the block elements and table
// cells.
var scoredTags = map[string]bool{
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "p": true,
	"blockquote": true, "pre": true, "li": true, "dt": true, "dd": true, "figcaption": true,
	"summary": true, "td": true, "th": true, "caption": true,
}

// textAndLinkLength returns the length of n's collapsed text and of the part inside links.
func textAndLinkLength(n *html.Node) (text, link int) {
	var all, inLinks strings.Builder
	var visit func(n *html.Node, inLink bool)
	visit = func(n *html.Node, inLink bool) {
		switch n.Type {
		case html.TextNode:
			all.WriteString(n.Data)
			if inLink {
				inLinks.WriteString(n.Data)
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
	return len(collapse(all.String())), len(collapse(inLinks.String()))
}

// protectedSelector matches the elements that make their ancestors part of the article.
// <article> is not one: comments and "related" cards are often articles too.
const protectedSelector = `main, h1, [itemprop="articleBody"], [role="main"]`

// protectedNodes are the elements that hold the article itself (<main>, the h1, an
// articleBody): a wrapper of the whole page with a class such as "has-sidebar" is not
// chrome.
func protectedNodes(doc *goquery.Document) map[*html.Node]bool {
	p := map[*html.Node]bool{}
	for _, n := range doc.Find(protectedSelector).Nodes {
		for a := n; a != nil && !p[a]; a = a.Parent {
			p[a] = true
		}
	}
	return p
}

// chromeTags are elements that are never article text.
var chromeTags = map[string]bool{
	"nav": true, "aside": true, "footer": true, "form": true, "button": true, "dialog": true,
	"select": true, "textarea": true, "input": true,
}

// chromeRoles are ARIA landmark roles of page furniture.
var chromeRoles = map[string]bool{
	"navigation": true, "complementary": true, "contentinfo": true, "dialog": true,
	"alertdialog": true, "search": true, "banner": true,
}

// chromeWords name page furniture in class and id attributes. Each is matched as a whole
// part of a name split at "-", "_" and spaces ("entry-meta", "site_footer").
var chromeWords = regexp.MustCompile(`(?i)^(nav|navbar|navigation|menu|footer|masthead|ad|ads|meta|tags|tag|print|toolbar|skip|share|sharing|social|byline|dateline|pagination|pager|breadcrumb|breadcrumbs|modal|popup|overlay|related|comment|comments|sidebar|widget|widgets|cookie|cookies|consent|gdpr|newsletter|subscribe|subscription|signup|promo|sponsor|sponsored|advert|advertisement|recent|popular|trending|respond|reply|disqus|author|bio)$`)

// chromeFragments are distinctive enough to mark chrome inside a longer part
// ("jp-relatedposts", "commentlist", "sharedaddy", "cookiebanner").
var chromeFragments = regexp.MustCompile(`(?i)(related|comment|sidebar|sharedaddy|sharing|cookie|newsletter|subscribe|breadcrumb|advert|sponsor|widget|recentpost|recent-post|social)`)

// isChrome reports whether an element is page furniture: by tag, ARIA role or hidden
// state, by a Wix data-hook, or by a class or id naming navigation, sidebars, widgets,
// comments, share bars, cookie banners, bylines and the like. Elements that hold the
// article itself never are.
func isChrome(n *html.Node, protected map[*html.Node]bool) bool {
	if protected[n] {
		return false
	}
	if chromeTags[n.Data] {
		return true
	}
	if n.Data == "header" && (n.Parent == nil || n.Parent.Data != "article") {
		return true
	}
	var class, id string
	for _, a := range n.Attr {
		switch a.Key {
		case "role":
			if chromeRoles[strings.ToLower(a.Val)] {
				return true
			}
		case "aria-hidden":
			if a.Val == "true" {
				return true
			}
		case "data-hook":
			for _, w := range []string{"share", "comment", "recent-posts", "related"} {
				if strings.Contains(a.Val, w) {
					return true
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
		return false
	}
	for _, name := range strings.Fields(class + " " + id) {
		if chromeFragments.MatchString(name) {
			return true
		}
		for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' }) {
			if chromeWords.MatchString(part) {
				return true
			}
		}
	}
	return false
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
	art.Find("p").EachWithBreak(func(_ int, p *goquery.Selection) bool {
		if contains(root.Nodes[0], p.Nodes[0]) {
			return true
		}
		class, _ := p.Attr("class")
		if leadClass.MatchString(class) {
			if t := collapse(p.Text()); len(strings.Fields(t)) >= 5 {
				lead = t
				return false
			}
		}
		return true
	})
	return lead
}

var leadClass = regexp.MustCompile(`(?i)(excerpt|standfirst|\blead\b|\bdek\b|\bdeck\b|subtitle|subhead|intro)`)

// contains reports whether n is inside (or is) root.
func contains(root, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == root {
			return true
		}
	}
	return false
}

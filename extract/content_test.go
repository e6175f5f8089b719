package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// para is a paragraph long enough to count as prose.
const para = "This paragraph is long enough to be article text and it says so plainly."

// TestContentFinding checks that the body is found on the markup of each common platform,
// and that its chrome (navigation, sidebars, related posts, comments, share bars, cookie
// banners, footers) is left out.
func TestContentFinding(t *testing.T) {
	tests := []struct {
		name, page string
		selector   string // the container expected
		reason     string // part of the reason given
	}{
		{"WordPress", `<html><body class="single has-sidebar"><div id="page" class="site"><header class="site-header"><nav>Home Blog</nav></header>
			<main id="main"><article class="post"><header class="entry-header"><h1 class="entry-title">T</h1><div class="entry-meta">Posted on 1 May by Ann</div></header>
			<div class="entry-content"><p>LEAD ` + para + `</p><h2>Q?</h2><p>` + para + `</p>
			<div class="sharedaddy"><h3>Share this:</h3><ul><li><a href="#">Facebook</a></li></ul></div>
			<div id="jp-relatedposts" class="jp-relatedposts"><h3>Related</h3><p>What is a related post? ` + para + `</p></div></div>
			<footer class="entry-footer">Tagged water</footer></article>
			<div id="comments" class="comments-area"><p>Is this a comment? ` + para + para + para + `</p></div></main>
			<aside id="secondary" class="widget-area"><section class="widget"><h2 class="widget-title">Recent Posts?</h2><p>` + para + para + `</p></section></aside>
			<div id="cookie-notice"><p>Can we use cookies? ` + para + `</p></div>
			<footer id="colophon"><p>` + para + `</p></footer></div></body></html>`,
			"div.entry-content", "WordPress entry content"},
		{"Ghost", `<html><body><header id="gh-head"><nav>Home</nav></header><main class="site-main"><article class="article post">
			<header class="article-header"><h1 class="article-title">T</h1><p class="article-excerpt">The excerpt that leads the post, in one sentence.</p></header>
			<section class="gh-content gh-canvas"><h2>Q?</h2><p>` + para + `</p><p>` + para + `</p></section></article></main>
			<aside class="read-more-wrap"><article class="post-card"><h2>What else?</h2><p>` + para + `</p></article></aside></body></html>`,
			"section.gh-content.gh-canvas", "Ghost post content"},
		{"Squarespace 7.0", `<html><body><div id="canvas"><header id="header"><nav>Journal</nav></header><section id="page"><main id="content" class="main-content">
			<article class="BlogItem hentry"><h1 class="entry-title">T</h1><div class="entry-content">
			<div class="sqs-layout"><div class="sqs-block html-block"><div class="sqs-block-content"><p>LEAD ` + para + `</p><h3>Q?</h3><p>` + para + `</p></div></div>
			<div class="sqs-block html-block"><div class="sqs-block-content"><h3>R?</h3><p>` + para + `</p><p>` + para + `</p></div></div></div></div></article>
			</main></section></div></body></html>`,
			"div.entry-content", "WordPress entry content"},
		{"Squarespace 7.1", `<html><body><main id="page"><article class="sections"><section class="page-section"><article class="entry hentry">
			<div class="blog-item-title"><h1 class="entry-title">T</h1></div><div class="blog-item-content e-content">
			<div class="sqs-block"><div class="sqs-block-content"><p>LEAD ` + para + `</p><h3>Q?</h3><p>` + para + `</p></div></div>
			<div class="sqs-block"><div class="sqs-block-content"><h3>R?</h3><p>` + para + `</p><p>` + para + `</p></div></div></div>
			<div class="blog-item-comments"><p>` + para + `</p></div></article></section></article></main></body></html>`,
			"div.blog-item-content.e-content", "Squarespace blog item content"},
		{"Drupal", `<html><body><div class="layout-container"><header role="banner"><nav role="navigation">Menu</nav></header>
			<main role="main"><article class="node node--type-article"><h1>T</h1><div class="node__content">
			<div class="field field--name-body"><p>LEAD ` + para + `</p><h2>Q?</h2><p>` + para + `</p></div>
			<div class="field field--name-field-tags"><a href="/t">Water</a></div></div></article></main>
			<aside class="layout-sidebar-second" role="complementary"><h2>Related pages?</h2><p>` + para + `</p></aside>
			<footer role="contentinfo">` + para + `</footer></div></body></html>`,
			"div.field.field--name-body", "Drupal body field"},
		{"Medium-style", `<html><body><div class="metabar"><a href="/">Pub</a></div><article><div><section><div><h1>T</h1>
			<p>LEAD ` + para + `</p><h2>Q?</h2><p>` + para + `</p></div></section></div></article>
			<div class="post-footer"><p>More from the author? ` + para + `</p></div></body></html>`,
			"section", "section of an <article>"},
		{"plain HTML by density", `<html><body><div class="topbar"><a href="/">Home</a> <a href="/a">About</a></div>
			<div class="container"><h1>T</h1><p>LEAD ` + para + `</p><p><strong>Q?</strong></p><p>` + para + `</p></div>
			<div class="footer-links"><p><a href="/next">Next: what else?</a></p></div></body></html>`,
			"div.container", "densest element"},
		{"semantic main", `<html><body><nav>Home</nav><main><h1>T</h1><p>LEAD ` + para + `</p><h2>Q?</h2><p>` + para + `</p></main><footer>` + para + `</footer></body></html>`,
			"main", "<main> element"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ExtractBytes([]byte(tt.page), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if a.Container.Selector != tt.selector || !strings.Contains(a.Container.Reason, tt.reason) {
				t.Errorf("container %q (%s), want %q (%s)", a.Container.Selector, a.Container.Reason, tt.selector, tt.reason)
			}
			if a.Title != "T" {
				t.Errorf("title %q, want T", a.Title)
			}
			all := a.Standfirst
			for _, b := range a.Blocks {
				all += "\n" + b.Text
				if strings.HasPrefix(b.Text, "LEAD") {
					t.Errorf("the lead stayed a block: %q", b.Text)
				}
			}
			if !strings.HasPrefix(a.Standfirst, "LEAD") && !strings.HasPrefix(a.Standfirst, "The excerpt") {
				t.Errorf("standfirst %q, want the lead", a.Standfirst)
			}
			for _, chrome := range []string{"Share this", "Related", "comment", "Recent Posts", "cookies", "Tagged", "More from", "Next:", "Posted on", "Menu", "What else"} {
				if strings.Contains(all, chrome) {
					t.Errorf("chrome %q leaked into the article:\n%s", chrome, all)
				}
			}
		})
	}
}

func TestHeaderLeadIsTheStandfirst(t *testing.T) {
	page := `<html><body><article class="post"><header><h1>T</h1><p class="article-excerpt">The excerpt leads the post in one sentence.</p></header>
		<section class="gh-content"><p>First body paragraph. ` + para + `</p><h2>Q?</h2><p>` + para + `</p></section></article></body></html>`
	a, err := ExtractBytes([]byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Standfirst != "The excerpt leads the post in one sentence." || !strings.HasPrefix(a.Blocks[0].Text, "First body paragraph.") {
		t.Errorf("standfirst %q, first block %q", a.Standfirst, a.Blocks[0].Text)
	}
}

// TestBlockForms checks the blocks of the markups questions and bodies come in.
func TestBlockForms(t *testing.T) {
	page := `<html><body><article><h1>T</h1><p>` + para + `</p>
		<p><strong>What is it?</strong></p><p><b>Half</b> bold.</p><p>Q: Who pays?</p><p>A: The producers.</p>
		<dl><dt>How long?</dt><dd><p>Two years.</p><p>Or three.</p></dd></dl>
		<details><summary>Why now?</summary>Loose text <em>here</em>.<p>Then a paragraph.</p></details>
		<table><caption>Bodies</caption><thead><tr><th>Name</th><th>Abbreviation</th></tr></thead>
		<tbody><tr><td>Audit Committee</td><td>AC</td></tr><tr><td>Panel</td><td></td></tr></tbody></table>
		<table><tr><td><p>Layout one.</p><p>Layout two.</p></td></tr></table>
		<p>The hall is 50 m<sup>2</sup> and cases rose<sup>3</sup>.</p></article></body></html>`
	a, err := ExtractBytes([]byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range a.Blocks {
		s := string(b.Kind) + ":" + b.Text
		if b.Strong {
			s += " [strong]"
		}
		if b.Scope != 0 {
			s += " [scope " + string(rune('0'+b.Scope)) + "]"
		}
		if b.Header {
			s += " [header]"
		}
		if b.Cells != nil {
			s += " " + strings.Join(b.Cells, "/")
		}
		got = append(got, s)
	}
	want := []string{
		"paragraph:What is it? [strong]",
		"paragraph:Half bold.",
		"paragraph:Q: Who pays?",
		"paragraph:A: The producers.",
		"term:How long? [scope 1]",
		"definition:Two years. Or three. [scope 1]",
		"summary:Why now? [scope 2]",
		"paragraph:Loose text here. [scope 2]",
		"paragraph:Then a paragraph. [scope 2]",
		"caption:Bodies",
		"table_row:Name | Abbreviation [header] Name/Abbreviation",
		"table_row:Audit Committee | AC Audit Committee/AC",
		"table_row:Panel Panel/",
		"paragraph:Layout one.",
		"paragraph:Layout two.",
		"paragraph:The hall is 50 m² and cases rose[3].",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("blocks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	questions := map[string]string{}
	for _, b := range a.Blocks {
		if q, ok := b.Question(); ok {
			questions[b.Text] = q
		}
	}
	wantQ := map[string]string{"What is it?": "What is it?", "Q: Who pays?": "Who pays?", "How long?": "How long?", "Why now?": "Why now?"}
	if len(questions) != len(wantQ) {
		t.Errorf("questions %q, want %q", questions, wantQ)
	}
	for k, v := range wantQ {
		if questions[k] != v {
			t.Errorf("question of %q = %q, want %q", k, questions[k], v)
		}
	}
}

func TestQuestionForms(t *testing.T) {
	tests := []struct {
		b    Block
		want string
	}{
		{Block{Kind: KindHeading, Level: 2, Text: "What is it?"}, "What is it?"},
		{Block{Kind: KindHeading, Level: 4, Text: "Is it “safe?”"}, "Is it “safe?”"},
		{Block{Kind: KindHeading, Level: 5, Text: "Too deep?"}, ""},
		{Block{Kind: KindHeading, Level: 2, Text: "Coalition in facts"}, ""},
		{Block{Kind: KindParagraph, Text: "Why does it matter? Because.", Strong: true}, ""},
		{Block{Kind: KindParagraph, Text: "Why does it matter?"}, ""},
		{Block{Kind: KindParagraph, Text: "Why does it matter?", Strong: true}, "Why does it matter?"},
		{Block{Kind: KindParagraph, Text: "Question: How much?"}, "How much?"},
		{Block{Kind: KindParagraph, Text: "Q. How much?"}, "How much?"},
		{Block{Kind: KindParagraph, Text: "Quality: high."}, ""},
		{Block{Kind: KindListItem, Text: "Q: Not in a list?"}, ""},
		{Block{Kind: KindTerm, Text: "Audit Committee (AC)"}, ""},
		{Block{Kind: KindSummary, Text: "Show sources"}, ""},
	}
	for _, tt := range tests {
		got, ok := tt.b.Question()
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%+v.Question() = %q, %v; want %q", tt.b, got, ok, tt.want)
		}
	}
	for in, want := range map[string]string{"A: Yes.": "Yes.", "Answer: No.": "No.", "A new plan.": "A new plan.", "A:": "A:"} {
		if got := TrimAnswerPrefix(in); got != want {
			t.Errorf("TrimAnswerPrefix(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJSONLDFAQ(t *testing.T) {
	page := `<html><head><script type="application/ld+json">{"@graph":[{"@type":"WebPage","mainEntity":{"@type":"FAQPage","mainEntity":[
		{"@type":"Question","name":"What is <b>it</b>?","acceptedAnswer":{"@type":"Answer","text":"<p>One.</p><ul><li>Two &amp; three.</li></ul>"}},
		{"@type":"Question","name":"Why?","suggestedAnswer":[{"@type":"Answer","text":"Plain text."}]},
		{"@type":"Question","name":""},
		{"@type":"Thing","name":"Not a question"}]}}]}</script></head>
		<body><article><h1>T</h1><p>` + para + `</p></article></body></html>`
	a, err := ExtractBytes([]byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []FAQEntry{{"What is it?", []string{"One.", "Two & three."}}, {"Why?", []string{"Plain text."}}}
	if len(a.FAQ) != len(want) {
		t.Fatalf("FAQ = %+v, want %+v", a.FAQ, want)
	}
	for i := range want {
		if a.FAQ[i].Question != want[i].Question || strings.Join(a.FAQ[i].Answer, "|") != strings.Join(want[i].Answer, "|") {
			t.Errorf("FAQ[%d] = %+v, want %+v", i, a.FAQ[i], want[i])
		}
	}
}

// TestExplainerPages extracts every explainer written for the tests without error and
// with its JSON-LD, lead and title.
func TestExplainerPages(t *testing.T) {
	pages, _ := filepath.Glob(filepath.Join("..", "testdata", "explainers", "*.html"))
	if len(pages) < 5 {
		t.Fatalf("%d explainer pages, want at least 5", len(pages))
	}
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(b); n < 3<<10 || n > 15<<10 {
			t.Errorf("%s is %d bytes, want 3–15 KB", filepath.Base(p), n)
		}
		a, err := ExtractBytes(b, Options{})
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(p), err)
			continue
		}
		if a.Title == "" || a.Standfirst == "" || a.CanonicalURL == "" || a.Container.Share < 0.6 {
			t.Errorf("%s: title %q, standfirst %q, url %q, container %+v", filepath.Base(p), a.Title, a.Standfirst, a.CanonicalURL, a.Container)
		}
	}
}

// TestChromeNames checks class and id names against the chrome word lists in every letter
// case, Unicode case folding included (the long s folds to s, the Kelvin sign to k).
func TestChromeNames(t *testing.T) {
	for _, tt := range []struct {
		attr   string
		chrome bool
	}{
		{"entry-meta", true}, {"site_footer", true}, {"SIDEBAR", true}, {"Widget-Area", true},
		{"jp-relatedposts", true}, {"commentlist", true}, {"sharedaddy", true}, {"CookieBanner", true},
		{"recent-post-card", true}, {"ſidebar", true}, {"\u212aomments", false}, {"ſkip-link", true},
		{"x\u212a-menu", true}, {"entry-content", false}, {"has-sidebar-layout", true}, {"adventure", false},
		{"ad", true}, {"blog-post-text-font public-DraftStyleDefault-ltr", false}, {"mm8Nw _1j-51 roLFQ", false},
		{"metadata", false}, {"post-meta byline", true}, {"", false}, {"  \t ", false}, {"navigation\u00a0x", true},
	} {
		if got := chromeNames(tt.attr); got != tt.chrome {
			t.Errorf("chromeNames(%q) = %v, want %v", tt.attr, got, tt.chrome)
		}
	}
}

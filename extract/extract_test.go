package extract

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func readPage(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "article", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The article's questions, in order, exactly as written.
var wantQuestions = []string{
	"What is the task of the international coalition to defeat ISIS?",
	"What is the role of the Coalition in Iraq and Syria?",
	"How does the Coalition work?",
	"What steps need to be taken in the liberated areas of Iraq?",
	"And in Syria?",
	"Is the Coalition highly committed to fighting propaganda?",
	"What about the affiliates of ISIS?",
	"How is the Coalition after the increasing tensions in the region after the US withdrawal of the Iran nuclear deal on May 8th, 2018?",
}

func TestExtractRenderings(t *testing.T) {
	published := time.Date(2018, 5, 15, 10, 24, 0, 0, time.UTC)
	tests := []struct {
		page      string
		published *time.Time
	}{
		{"wix.html", &published},
		{"semantic.html", nil},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			a, err := ExtractBytes(readPage(t, tt.page), Options{})
			if err != nil {
				t.Fatal(err)
			}
			check := func(field, got, want string) {
				t.Helper()
				if got != want {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
			check("Title", a.Title, "Understanding the Coalition against ISIS")
			check("Standfirst", a.Standfirst, "How many people have been liberated since 2014? What are the main steps to follow in Iraq and Syria? The key questions to understand the fight against ISIS.")
			check("CanonicalURL", a.CanonicalURL, "https://blog.example.org/post/understanding-the-coalition-against-isis")
			check("Language", a.Language, "en")
			if a.UpdatedOn == nil || !a.UpdatedOn.Equal(time.Date(2018, 5, 17, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("UpdatedOn = %v, want 2018-05-17", a.UpdatedOn)
			}
			if (a.PublishedAt == nil) != (tt.published == nil) || a.PublishedAt != nil && !a.PublishedAt.Equal(*tt.published) {
				t.Errorf("PublishedAt = %v, want %v", a.PublishedAt, tt.published)
			}

			var headings, items, captions []string
			for _, b := range a.Blocks {
				switch b.Kind {
				case KindHeading:
					headings = append(headings, b.Text)
				case KindListItem:
					items = append(items, b.Text)
				case KindCaption:
					captions = append(captions, b.Text)
				}
			}
			wantHeadings := append(append([]string{}, wantQuestions...), "Coalition in facts")
			check("headings", strings.Join(headings, "\n"), strings.Join(wantHeadings, "\n"))
			check("captions", strings.Join(captions, "\n"), "Opening remarks at the Global Coalition to defeat ISIS, 2018")
			if len(items) != 9 {
				t.Errorf("%d list items, want 4 working groups and 5 facts: %q", len(items), items)
			}
			check("first fact item", items[4], "9.000 troops from 23 countries are supporting efforts to defeat ISIS in Iraq and Syria.")
			last := a.Blocks[len(a.Blocks)-1]
			check("last block", last.Text, "More information available here.")

			all := a.Title + a.Standfirst
			for _, b := range a.Blocks {
				all += "\n" + b.Text
			}
			for _, chromeText := range []string{"top of page", "bottom of page", "Recent Posts", "Write a comment", "What is next for Syria?", "window.", "Proudly created", "views"} {
				if strings.Contains(all, chromeText) {
					t.Errorf("page chrome %q leaked into the article", chromeText)
				}
			}
		})
	}
}

func TestExtractRejects(t *testing.T) {
	tests := []struct {
		name string
		page string
		opts Options
		want error
	}{
		{"empty", "", Options{}, ErrEmpty},
		{"only white space", " \n\t ", Options{}, ErrEmpty},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", Options{}, ErrBinary},
		{"gzip", "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", Options{}, ErrBinary},
		{"plain text", "Just some words, no markup at all.", Options{}, ErrNotHTML},
		{"truncated", "<!doctype html><html><head><title>T</title></head><body><article><h1>Title</h1><p>Some text that was cut off in the mi", Options{}, ErrTruncated},
		{"chrome only", "<html><body><nav><a href=/>Home</a></nav><footer>© 2018</footer></body></html>", Options{}, ErrNoContent},
		{"title but no prose", "<html><body><article><h1>Title</h1><p>Short.</p></article></body></html>", Options{}, ErrNoContent},
		{"selector matches nothing", "<html><body><article><h1>T</h1><p>one two three four five six seven eight</p><h2>Q?</h2><p>one two three four five six seven eight</p></article></body></html>", Options{ContentSelector: "div.nope"}, ErrNoContent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ExtractBytes([]byte(tt.page), tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestExtractBadSelector(t *testing.T) {
	_, err := ExtractBytes(readPage(t, "semantic.html"), Options{ContentSelector: "div[["})
	if err == nil || !strings.Contains(err.Error(), "invalid content selector") {
		t.Fatalf("error = %v, want an invalid selector error", err)
	}
}

func TestExtractContentSelector(t *testing.T) {
	a, err := ExtractBytes(readPage(t, "wix.html"), Options{ContentSelector: `div[data-hook="post-content"]`})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Blocks) < 20 {
		t.Errorf("%d blocks with an explicit selector, want the whole body", len(a.Blocks))
	}
}

func TestWindows1252(t *testing.T) {
	page := []byte("<html><head><meta charset=\"windows-1252\"><title>T</title></head><body><article><h1>Caf\xe9 \x93news\x94</h1>" +
		"<p>ISIS\x92s oil output has been reduced by more than 10.000 barrels a day.</p><h2>Why?</h2><p>Because it is a long enough answer here.</p></article></body></html>")
	a, err := ExtractBytes(page, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Café “news”" || !strings.HasPrefix(a.Standfirst, "ISIS’s oil") {
		t.Errorf("decoded title %q, standfirst %q", a.Title, a.Standfirst)
	}
}

func TestCollapse(t *testing.T) {
	tests := map[string]string{
		"  a \n\t b  ":            "a b",
		"a\u00a0\u00a0b":          "a b",
		"a\u200bb":                "ab",
		"Coali\u00adtion":         "Coalition",
		"10.\u00ad000 a\u2060day": "10.000 aday",
		"\u00ad a \u00ad":         "a",
		"ISIS’s  ‘quoted’ text":   "ISIS’s ‘quoted’ text",
		"":                        "",
	}
	for in, want := range tests {
		if got := collapse(in); got != want {
			t.Errorf("collapse(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeLang(t *testing.T) {
	for in, want := range map[string]string{"en": "en", "en_US": "en-US", "EN-gb": "en-GB", "": "", "zh-Hant-TW": "zh-Hant-TW"} {
		if got := normalizeLang(in); got != want {
			t.Errorf("normalizeLang(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCollapsedLength checks that measuring text in pieces gives the length of collapse
// of the whole, and that isCollapsed says when collapse changes nothing.
func TestCollapsedLength(t *testing.T) {
	pieces := []string{"", " ", "  ", "a", "ab c", "\t\n", "\u00a0", "\u200b", "é", "–", "\u2009x", "x\u202f", "\ufeff", "\xff", "\xe2\x80", "\xa6", "\u2007", "\u00ad", "x\u2060", "\r\f", "Updated: May 17, 2018"}
	for _, a := range pieces {
		for _, b := range pieces {
			for _, c := range pieces {
				var l collapsedLength
				l.add(a)
				l.add(b)
				l.add(c)
				s := a + b + c
				if valid := utf8.ValidString(a) && utf8.ValidString(b) && utf8.ValidString(c); valid && l.n != len(collapseCopy(s)) {
					t.Errorf("collapsedLength of %q, %q, %q = %d, want %d", a, b, c, l.n, len(collapseCopy(s)))
				}
				if isCollapsed(s) && collapseCopy(s) != s {
					t.Errorf("isCollapsed(%q) = true, but collapse gives %q", s, collapseCopy(s))
				}
			}
		}
	}
}

// TestCanonicalURL checks which of the page's addresses for itself names the article: a
// relative canonical link is resolved against <base href>, and gives way to an absolute
// og:url or JSON-LD url when there is no base to resolve it against.
func TestCanonicalURL(t *testing.T) {
	const live = "https://blog.example.org/post/x"
	tests := []struct {
		name, head, want string
	}{
		{"absolute canonical", `<link rel="canonical" href="` + live + `"><meta property="og:url" content="https://other.example/y">`, live},
		{"relative to <base>", `<base href="https://blog.example.org/post/">` + `<link rel="canonical" href="/post/x">`, live},
		{"file name relative to <base>", `<base href="https://blog.example.org/post/index.html"><link rel="canonical" href="x">`, live},
		{"converted by wget, og:url kept", `<link rel="canonical" href="x.html"><meta property="og:url" content="` + live + `">`, live},
		{"saved file URL, og:url kept", `<link rel="canonical" href="file:///home/me/x.html"><meta property="og:url" content="` + live + `">`, live},
		{"relative, JSON-LD url", `<link rel="canonical" href="/post/x"><script type="application/ld+json">{"@type":"BlogPosting","url":"` + live + `"}</script>`, live},
		{"scheme-relative stays", `<link rel="canonical" href="//blog.example.org/post/x"><meta property="og:url" content="https://other.example/y">`, "//blog.example.org/post/x"},
		{"saved file URL beside a base, og:url kept", `<base href="https://blog.example.org/post/"><link rel="canonical" href="file:///home/me/x.html"><meta property="og:url" content="` + live + `">`, live},
		{"relative base is no base", `<base href="/post/"><link rel="canonical" href="x"><meta property="og:url" content="` + live + `">`, live},
		{"nothing absolute: as written", `<link rel="canonical" href="/post/x">`, "/post/x"},
		// A page replayed by pywb keeps its canonical link rewritten to the replay address.
		{"pywb replay (Archive-It)", `<link rel="canonical" href="https://wayback.archive-it.org/10702/20180602123456/` + live + `">`, live},
		{"pywb replay with a flag", `<link rel="canonical" href="https://webarchive.example.ac.uk/wayback/archive/20180602123456mp_/` + live + `">`, live},
		{"replay relative to <base>", `<base href="https://wayback.archive-it.org/10702/20180602123456/https://blog.example.org/post/"><link rel="canonical" href="x">`, live},
		{"replay of an address written without its scheme", `<link rel="canonical" href="https://archive.example.org/coll/20180602123456///blog.example.org/post/x">`, live},
		{"a date in an ordinary path stays", `<link rel="canonical" href="https://blog.example.org/2018/06/02/x">`, "https://blog.example.org/2018/06/02/x"},
		{"a long number before a path stays", `<link rel="canonical" href="https://blog.example.org/20180602/x">`, "https://blog.example.org/20180602/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := "<html><head>" + tt.head + "</head><body><article><h1>T</h1><p>" + strings.Repeat("word ", 12) + "</p><h2>Q?</h2><p>" + strings.Repeat("word ", 12) + "</p></article></body></html>"
			a, err := ExtractBytes([]byte(page), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if a.CanonicalURL != tt.want {
				t.Errorf("CanonicalURL = %q, want %q", a.CanonicalURL, tt.want)
			}
		})
	}
}

// TestHiddenIsNotContent checks that what no reader sees does not count when choosing the
// body: a copy of the post hidden by the hidden attribute or an inline style beside it (its
// h1 does not make it part of the article) is left out, while a page that hides its whole
// body, or a wrapper of the whole post, until its scripts run is still read.
func TestHiddenIsNotContent(t *testing.T) {
	post := "<h1>T</h1><p>" + strings.Repeat("seen ", 12) + "</p><h2>Q?</h2><p>" + strings.Repeat("answer ", 12) + "</p>"
	copyOf := "<h1>T</h1><p>" + strings.Repeat("unseen ", 12) + "</p><h2>Hidden Q?</h2><p>" + strings.Repeat("unseen ", 12) + "</p>"
	tests := []struct {
		name, body string
		hidden     bool // whether the copy must be left out
	}{
		{"hidden attribute", "<article>" + post + "</article><section hidden><article>" + copyOf + "</article></section>", true},
		{"display none", "<article>" + post + "</article><div style=\"display:none\"><article>" + copyOf + "</article></div>", true},
		{"display none, spaced, upper case, important", "<article>" + post + "</article><div style=\"color: red; DISPLAY : None !important\">" + copyOf + "</div>", true},
		{"visibility hidden", "<article>" + post + "</article><div style=\"visibility:hidden\">" + copyOf + "</div>", true},
		// The hidden copy first: a container inside it is no candidate for the body.
		{"hidden copy first, both articles", "<div hidden><article>" + copyOf + "</article></div><article>" + post + "</article>", true},
		{"hidden copy first, platform container", "<div style=\"display:none\"><div class=\"entry-content\">" + copyOf + "</div></div><main><div class=\"entry-content\">" + post + "</div></main>", true},
		{"a property named like it", "<article>" + post + "<div style=\"--display:none; max-display: none\"><p>" + strings.Repeat("unseen ", 3) + "</p></div></article>", false},
		{"visible", "<article>" + post + "<div style=\"display:block\"><p>" + strings.Repeat("unseen ", 3) + "</p></div></article>", false},
		{"a value beginning like it", "<article>" + post + "<div style=\"display: none-ish; visibility: hiddenx\"><p>" + strings.Repeat("unseen ", 3) + "</p></div></article>", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ExtractBytes([]byte("<html><body>"+tt.body+"</body></html>"), Options{})
			if err != nil {
				t.Fatal(err)
			}
			var text strings.Builder
			text.WriteString(a.Standfirst + "\n")
			for _, b := range a.Blocks {
				text.WriteString(b.Text + "\n")
			}
			if got := strings.Contains(text.String(), "unseen"); got == tt.hidden {
				t.Errorf("hidden text extracted: %v, want %v; blocks:\n%s", got, !tt.hidden, text.String())
			}
			if !strings.Contains(text.String(), "seen seen") {
				t.Errorf("the visible post is missing:\n%s", text.String())
			}
		})
	}
	for _, page := range []string{
		`<html><body style="display:none">` + "<article>" + post + "</article></body></html>",
		`<html hidden><body hidden>` + "<article>" + post + "</article></body></html>",
		// The whole post in a wrapper that scripts reveal: read, hidden or not.
		`<html><body><div style="visibility:hidden"><article>` + post + "</article></div><footer><p>© 2018</p></footer></body></html>",
		`<html><body><nav><a href="/">Home</a></nav><div hidden><main>` + post + "</main></div></body></html>",
	} {
		a, err := ExtractBytes([]byte(page), Options{})
		if err != nil || len(a.Blocks) == 0 {
			t.Errorf("%s: %v, %d blocks; want the post", page[:40], err, len(a.Blocks))
		}
	}
}

// TestTitleWithoutSiteName checks that a title taken from <title> or og:title loses the
// site's name the page gives as og:site_name, and nothing else.
func TestTitleWithoutSiteName(t *testing.T) {
	const body = "<body><div><p>" + "Some words of the post, more than a few of them. " + "</p><h2>Q?</h2><p>Answer words, several of them here.</p></div></body>"
	site := `<meta property="og:site_name" content="Global Affairs Explained">`
	tests := []struct {
		name, head, want string
	}{
		{"suffix in <title>", site + "<title>Understanding the Coalition | Global Affairs Explained</title>", "Understanding the Coalition"},
		{"prefix in <title>", site + "<title>Global Affairs Explained – Understanding the Coalition</title>", "Understanding the Coalition"},
		{"suffix in og:title", site + `<meta property="og:title" content="Understanding the Coalition - Global Affairs Explained">`, "Understanding the Coalition"},
		{"no site name given", "<title>Understanding the Coalition | Global Affairs Explained</title>", "Understanding the Coalition | Global Affairs Explained"},
		{"another name after the bar", site + "<title>Iraq | Syria</title>", "Iraq | Syria"},
		{"the site name alone", site + "<title>Global Affairs Explained</title>", "Global Affairs Explained"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ExtractBytes([]byte("<html><head>"+tt.head+"</head>"+body+"</html>"), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != tt.want {
				t.Errorf("Title = %q, want %q", a.Title, tt.want)
			}
		})
	}
}

// TestHiddenHeadingIsNoTitle checks that a hidden h1 (a site name kept for search engines,
// the heading of a hidden copy of the post) is not taken as the title.
func TestHiddenHeadingIsNoTitle(t *testing.T) {
	body := "<p>" + strings.Repeat("seen ", 12) + "</p><h2>Q?</h2><p>" + strings.Repeat("answer ", 12) + "</p>"
	for _, page := range []string{
		`<main><h1 style="display:none">Site name</h1><h1>The post</h1>` + body + `</main>`,
		`<main><div class="mobile" hidden><h1>Site name</h1></div><article><h1>The post</h1>` + body + `</article><p>` + strings.Repeat("more ", 40) + `</p></main>`,
	} {
		a, err := ExtractBytes([]byte("<html><body>"+page+"</body></html>"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if a.Title != "The post" {
			t.Errorf("Title = %q, want %q (container %v)", a.Title, "The post", a.Container)
		}
	}
}

// TestCollapsedAnswersAreRead: hidden is not chrome. An FAQ plugin ships its answers
// collapsed (display: none until the question is clicked, or hidden="until-found"); inside
// the body they are the answers, and only the choice of the body leaves hidden text out.
func TestCollapsedAnswersAreRead(t *testing.T) {
	page := `<html><body><article><h1>Questions</h1><p>Some words before the questions, more than a few of them.</p>` +
		`<h2>Who pays?</h2><div class="faq-answer" style="display:none"><p>The city pays 40 percent of the cost.</p></div>` +
		`<h2>When does it start?</h2><div hidden="until-found"><p>Work starts in the spring of 2019.</p></div>` +
		`<h2>Who builds it?</h2><div class="panel" aria-hidden="true" style="display:none"><p>A company from the region builds it.</p></div>` +
		`</article></body></html>`
	a, err := ExtractBytes([]byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, b := range a.Blocks {
		text.WriteString(b.Text + "\n")
	}
	for _, want := range []string{"The city pays 40 percent of the cost.", "Work starts in the spring of 2019.", "A company from the region builds it."} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("answer %q left out; blocks:\n%s", want, text.String())
		}
	}
}

// TestHiddenCopyFirst: a hidden copy of the post before the visible one is not the body.
func TestHiddenCopyFirst(t *testing.T) {
	post := "<h1>T</h1><p>" + strings.Repeat("seen ", 12) + "</p><h2>Q?</h2><p>" + strings.Repeat("answer ", 12) + "</p>"
	copyOf := "<h1>T</h1><p>" + strings.Repeat("unseen ", 12) + "</p><h2>Q?</h2><p>" + strings.Repeat("unseen ", 12) + "</p>"
	a, err := ExtractBytes([]byte("<html><body><div hidden><article>"+copyOf+"</article></div><article>"+post+"</article></body></html>"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Standfirst, "seen seen") || a.Container.Share > 1 {
		t.Errorf("standfirst %q, container %+v: want the visible post", a.Standfirst, a.Container)
	}
}

// TestHiddenSiteNameBelowMetadata: a hidden h1, the only one in the body, gives way to the
// post's headline in its metadata or <title>; it is the title only of a page that is
// nearly all hidden until its scripts run.
func TestHiddenSiteNameBelowMetadata(t *testing.T) {
	body := `<main><h1 style="display:none">Site name</h1><p>` + strings.Repeat("seen ", 12) + `</p><h2>Q?</h2><p>` + strings.Repeat("answer ", 12) + `</p></main>`
	for _, head := range []string{
		`<script type="application/ld+json">{"@context":"https://schema.org","@type":"BlogPosting","headline":"The post"}</script>`,
		`<title>The post</title>`,
	} {
		a, err := ExtractBytes([]byte("<html><head>"+head+"</head><body>"+body+"</body></html>"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if a.Title != "The post" {
			t.Errorf("with %s: Title = %q, want %q", head, a.Title, "The post")
		}
	}
	// The whole post hidden until its scripts run: its h1 is its title, not <title>'s text.
	a, err := ExtractBytes([]byte(`<html><head><title>The post | Blog</title></head><body><div hidden><main><h1>The post</h1><p>`+strings.Repeat("seen ", 12)+`</p><h2>Q?</h2><p>`+strings.Repeat("answer ", 12)+`</p></main></div></body></html>`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "The post" {
		t.Errorf("page hidden until its scripts run: Title = %q, want %q", a.Title, "The post")
	}
}

// TestHiddenCopiesInsideTheBody: a copy of the post hidden inside the element chosen as
// the body (beside the visible post in one wrapper) is left out, as is a hidden h1, while
// hidden text that is not on the page otherwise stays; with four hidden copies and one
// visible post (the page then read with its hidden text), the post is read once.
func TestHiddenCopiesInsideTheBody(t *testing.T) {
	post := "<h1>T</h1><p>" + strings.Repeat("The visible post says this. ", 10) + "</p><h2>Q?</h2><p>" + strings.Repeat("An answer to it. ", 10) + "</p>"
	for _, tt := range []struct {
		name, page string
		blocks     int
	}{
		{"one copy", "<main><div>" + post + "</div><div hidden>" + post + "</div></main>", 3},
		{"four copies", "<main><div>" + post + "</div>" + strings.Repeat("<div style=\"display:none\">"+post+"</div>", 4) + "</main>", 3},
		{"a hidden site name", "<main><h1 hidden>Site</h1><div>" + post + "</div></main>", 3},
	} {
		a, err := ExtractBytes([]byte("<html><body>"+tt.page+"</body></html>"), Options{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if n := len(a.Blocks) + len(a.Standfirst)/max(1, len(a.Standfirst)); n != tt.blocks {
			t.Errorf("%s: %d blocks and standfirst %q, want %d: %+v", tt.name, len(a.Blocks), a.Standfirst, tt.blocks, a.Blocks)
		}
	}
}

// TestCharset: whether an HTTP Content-Type decides how a page's bytes are decoded, which
// is what makes two inputs with the same bytes two pages (a run's exact duplicates).
func TestCharset(t *testing.T) {
	latin := []byte("<html><body><p>Caf\xe9</p></body></html>")
	declared := []byte(`<html><head><meta charset="utf-8"></head><body><p>Café</p></body></html>`)
	bom := append([]byte("\xef\xbb\xbf"), latin[:10]...)
	for _, c := range []struct {
		page        []byte
		contentType string
		name        string
		byHeader    bool
	}{
		{latin, "", "windows-1252", false},
		{latin, "text/html", "windows-1252", false},
		{latin, "text/html; charset=windows-1252", "windows-1252", false},
		{latin, "text/html; charset=ISO-8859-1", "windows-1252", false}, // the same encoding by another label
		{latin, "text/html; charset=utf-8", "utf-8", true},
		{declared, "text/html; charset=utf-8", "utf-8", false},
		{declared, "text/html; charset=windows-1252", "windows-1252", true}, // the header wins over <meta>
		{bom, "text/html; charset=windows-1252", "utf-8", false},            // the byte order mark wins
		{latin, "text/html; charset=no-such-charset", "windows-1252", false},
	} {
		name, byHeader := Charset(c.page, c.contentType)
		if name != c.name || byHeader != c.byHeader {
			t.Errorf("Charset(%.20q, %q) = %q, %v; want %q, %v", c.page, c.contentType, name, byHeader, c.name, c.byHeader)
		}
	}
}

package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// jsonLDFAQ returns the questions of the FAQPage objects in the page's decoded JSON-LD
// (schema.org FAQPage: mainEntity is a list of Question objects, each with a name and an
// acceptedAnswer whose text may hold HTML), in order. Questions without a name are left
// out; one without an answer has no paragraphs.
func jsonLDFAQ(ld []any) []FAQEntry {
	var out []FAQEntry
	for _, v := range ld {
		for _, page := range findTyped(v, "FAQPage", 0) {
			for _, q := range asList(page["mainEntity"]) {
				obj, ok := q.(map[string]any)
				if !ok || !hasType(obj["@type"], "Question") {
					continue
				}
				question := collapse(htmlText(ldText(obj["name"])))
				if question == "" {
					continue
				}
				var answer any
				for _, key := range []string{"acceptedAnswer", "suggestedAnswer"} {
					if a := asList(obj[key]); len(a) > 0 {
						answer = a[0]
						break
					}
				}
				entry := FAQEntry{Question: question}
				if a, ok := answer.(map[string]any); ok {
					entry.Answer = htmlParagraphs(ldText(a["text"]))
				}
				out = append(out, entry)
			}
		}
	}
	return out
}

// findTyped returns the JSON-LD objects of type t in v, looking inside arrays, @graph
// containers and the values of other objects (a WebPage's mainEntity).
func findTyped(v any, t string, depth int) []map[string]any {
	if depth > 8 {
		return nil
	}
	var out []map[string]any
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			out = append(out, findTyped(e, t, depth+1)...)
		}
	case map[string]any:
		if hasType(v["@type"], t) {
			return append(out, v)
		}
		for _, key := range []string{"@graph", "mainEntity", "hasPart"} {
			if e, ok := v[key]; ok {
				out = append(out, findTyped(e, t, depth+1)...)
			}
		}
	}
	return out
}

func hasType(v any, t string) bool {
	switch v := v.(type) {
	case string:
		return v == t
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok && s == t {
				return true
			}
		}
	}
	return false
}

func asList(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	}
	return []any{v}
}

// ldText reads a JSON-LD text value: a string, or the first string of a list.
func ldText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok {
				return s
			}
		}
	}
	return ""
}

// htmlText is the visible text of an HTML fragment.
func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	var sb strings.Builder
	for _, p := range htmlParagraphs(s) {
		if sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(p)
	}
	return sb.String()
}

// htmlParagraphs splits an HTML fragment (an FAQPage answer) into the texts of its block
// elements, or returns its whole text as one paragraph when it has none.
func htmlParagraphs(s string) []string {
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		if t := collapse(s); t != "" {
			return []string{t}
		}
		return nil
	}
	w := &walker{}
	var loose []byte
	var out []string
	flush := func() {
		if t := collapse(string(loose)); t != "" {
			out = append(out, t)
		}
		loose = loose[:0]
	}
	for _, n := range nodes {
		if n.Type == html.TextNode || n.Type == html.ElementNode && inlineTags[n.Data] {
			loose = appendText(loose, n)
			continue
		}
		flush()
		w.blocks = w.blocks[:0]
		w.walk(n)
		if len(w.blocks) == 0 {
			loose = appendText(loose, n)
			flush()
		}
		for _, b := range w.blocks {
			if b.Text != "" {
				out = append(out, b.Text)
			}
		}
	}
	flush()
	return out
}

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/articleetl/articleetl/pipeline"
	"github.com/articleetl/articleetl/schemas"
)

// qualityPages are the pages whose hand-made expectations (testdata/explainers/<name>
// .expected.json) TestQuality scores the extraction against: the two renderings of the
// seed article and the explainers written for the tests, one per common markup.
var qualityPages = []string{
	"wix", "semantic", "wordpress-water", "plain-climate-finance", "drupal-dl-vaccine",
	"jsonld-faq-wastewater", "ghost-refugees", "squarespace-flood",
}

// heldOutPages were written, with their expectations, after the extractor was tuned on
// the pages above. Their first score, before any change, was facts precision 0.767 and
// recall 0.676 (Q&A pairs and bodies 1.000); the general errors they showed (temperatures,
// "three out of four", "aged over 75", superlatives before a noun, "a third lower") were
// then fixed, so they are no longer unseen. TestQuality reports them apart.
var heldOutPages = []string{"heldout-joomla-heat", "heldout-hugo-bees"}

// qualityFloors are the lowest precision and recall TestQuality accepts per record kind,
// set just under what the extractor achieves; raise them when it gets better.
var qualityFloors = map[string]floor{
	"qa_pairs":       {0.99, 0.99},
	"working_groups": {0.99, 0.99},
	"facts":          {0.98, 0.98},
}

// heldOutFloors are the floors for the held-out pages.
var heldOutFloors = map[string]floor{
	"qa_pairs":       {0.99, 0.99},
	"working_groups": {0.99, 0.99},
	"facts":          {0.95, 0.85},
}

type floor struct{ precision, recall float64 }

// expectation is what a careful human extracts from a page.
type expectation struct {
	Page    string `json:"page"`
	QAPairs []struct {
		Question        string  `json:"question"`
		QuestionContext *string `json:"question_context"`
	} `json:"qa_pairs"`
	WorkingGroups []struct {
		Name         string  `json:"name"`
		Abbreviation *string `json:"abbreviation"`
		BodyType     *string `json:"body_type"`
	} `json:"working_groups"`
	Facts []struct {
		Raw   string  `json:"raw"`
		Value float64 `json:"value"`
		Unit  string  `json:"unit"`
	} `json:"facts"`
}

// score counts the records of one kind.
type score struct{ expected, extracted, matched int }

func (s score) precision() float64 { return ratio(s.matched, s.extracted) }
func (s score) recall() float64    { return ratio(s.matched, s.expected) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// matchKeys pairs expected with extracted keys as multisets and returns how many match,
// with the keys left over on each side.
func matchKeys(expected, extracted []string) (matched int, missed, extra []string) {
	left := map[string]int{}
	for _, k := range extracted {
		left[k]++
	}
	for _, k := range expected {
		if left[k] > 0 {
			left[k]--
			matched++
		} else {
			missed = append(missed, k)
		}
	}
	for _, k := range extracted {
		if left[k] > 0 {
			left[k]--
			extra = append(extra, k)
		}
	}
	return matched, missed, extra
}

func factKey(raw string, value float64, unit string) string {
	// Values are compared to 12 significant digits: 100/3 written by hand matches.
	return fmt.Sprintf("%s | %.12g | %s", raw, value, unit)
}

func strOrNull(s *string) string {
	if s == nil {
		return "null"
	}
	return *s
}

// TestQuality extracts every quality page and computes precision and recall per record
// kind against the hand-made expectations: Q&A pairs match by question text, named bodies
// by name (their abbreviation and body_type must then agree), facts by raw text, value and
// unit. It prints a table for the pages the rules were tuned on, one for the held-out
// pages and one for all; run with -v to see them and every miss.
func TestQuality(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	tuned := scorePages(t, qualityPages)
	heldOut := scorePages(t, heldOutPages)
	all := map[string]*score{}
	for _, kind := range qualityKinds {
		a, b := tuned[kind], heldOut[kind]
		all[kind] = &score{a.expected + b.expected, a.extracted + b.extracted, a.matched + b.matched}
	}
	var out strings.Builder
	for _, set := range []struct {
		name   string
		scores map[string]*score
		floors map[string]floor
	}{
		{fmt.Sprintf("tuned pages (%d)", len(qualityPages)), tuned, qualityFloors},
		{fmt.Sprintf("held-out pages (%d)", len(heldOutPages)), heldOut, heldOutFloors},
		{fmt.Sprintf("all pages (%d)", len(qualityPages)+len(heldOutPages)), all, nil},
	} {
		fmt.Fprintf(&out, "\n%s\n%-15s %8s %9s %7s %9s %6s\n", set.name, "kind", "expected", "extracted", "matched", "precision", "recall")
		for _, kind := range qualityKinds {
			s := set.scores[kind]
			fmt.Fprintf(&out, "%-15s %8d %9d %7d %9.3f %6.3f\n", kind, s.expected, s.extracted, s.matched, s.precision(), s.recall())
			if f, ok := set.floors[kind]; ok && (s.precision() < f.precision || s.recall() < f.recall) {
				t.Errorf("%s, %s: precision %.3f, recall %.3f, below the floor (%.2f, %.2f)", set.name, kind, s.precision(), s.recall(), f.precision, f.recall)
			}
		}
	}
	t.Log(out.String())
}

var qualityKinds = []string{"qa_pairs", "working_groups", "facts"}

// scorePages scores the extraction of the named pages against their expectations.
func scorePages(t *testing.T, pages []string) map[string]*score {
	t.Helper()
	totals := map[string]*score{"qa_pairs": {}, "working_groups": {}, "facts": {}}
	for _, name := range pages {
		b, err := os.ReadFile(filepath.Join("testdata", "explainers", name+".expected.json"))
		if err != nil {
			t.Fatal(err)
		}
		var exp expectation
		if err := json.Unmarshal(b, &exp); err != nil {
			t.Fatalf("%s.expected.json: %v", name, err)
		}
		page, err := os.ReadFile(exp.Page)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := pipeline.Process(pipeline.Input{Source: exp.Page, Data: page}, pipeline.Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		check := func(kind string, expected, extracted []string) {
			m, missed, extra := matchKeys(expected, extracted)
			s := totals[kind]
			s.expected += len(expected)
			s.extracted += len(extracted)
			s.matched += m
			for _, k := range missed {
				t.Logf("%s: %s missed: %s", name, kind, k)
			}
			for _, k := range extra {
				t.Logf("%s: %s not expected: %s", name, kind, k)
			}
		}

		var wantQ, gotQ []string
		for _, q := range exp.QAPairs {
			wantQ = append(wantQ, q.Question)
		}
		for _, q := range recs.QAPairs {
			gotQ = append(gotQ, q.Question)
		}
		check("qa_pairs", wantQ, gotQ)

		var wantB, gotB []string
		byName := map[string]schemas.WorkingGroup{}
		for _, g := range recs.WorkingGroups {
			gotB = append(gotB, strings.ToLower(g.Name))
			byName[strings.ToLower(g.Name)] = g
		}
		for _, g := range exp.WorkingGroups {
			wantB = append(wantB, strings.ToLower(g.Name))
			if got, ok := byName[strings.ToLower(g.Name)]; ok {
				if strOrNull(got.Abbreviation) != strOrNull(g.Abbreviation) || strOrNull(got.BodyType) != strOrNull(g.BodyType) {
					t.Errorf("%s: body %q is (%s, %s), want (%s, %s)", name, g.Name,
						strOrNull(got.Abbreviation), strOrNull(got.BodyType), strOrNull(g.Abbreviation), strOrNull(g.BodyType))
				}
			}
		}
		check("working_groups", wantB, gotB)

		var wantF, gotF []string
		for _, f := range exp.Facts {
			wantF = append(wantF, factKey(f.Raw, f.Value, f.Unit))
		}
		for _, f := range recs.Facts {
			gotF = append(gotF, factKey(f.Raw, f.Value, f.Unit))
		}
		check("facts", wantF, gotF)
	}
	return totals
}

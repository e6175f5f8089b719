package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestInspect runs inspect on pages of different platforms and checks the key lines of
// the outline.
func TestInspect(t *testing.T) {
	explainer := func(name string) string { return filepath.Join("..", "..", "testdata", "explainers", name) }
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"wix page", []string{pageWix}, []string{
			"Title:      Understanding the Coalition against ISIS\n",
			"URL:        https://blog.example.org/post/understanding-the-coalition-against-isis\n",
			"Published:  2018-05-15T10:24:00Z\n",
			"Updated:    2018-05-17\n",
			"Content:    section[data-hook=\"post-description\"]",
			"Chosen by:  Wix post body (section[data-hook=\"post-description\"])",
			"Numbers:    dot-thousands digit grouping\n",
			"Blocks (31):\n",
			"  lead       p       How many people have been liberated since 2014?",
			"  caption    caption Opening remarks at the Global Coalition to defeat ISIS, 2018\n",
			"  question   h2      And in Syria?\n",
			"  section    h2      Coalition in facts\n",
			"  list item  li      43.000 names on Interpol database.\n",
			"Q&A pairs (8):\n",
			"   5. And in Syria?\n      continues: What steps need to be taken in the liberated areas of Iraq?\n",
			"Named bodies (4):\n",
			"   1. Counter-Finance Working Group (CIFG WG) [working_group]: disrupting ISIS’s revenues",
			"Facts (18):\n",
			"   5. 107600 km2  raw \"107.600km2\", area, in Syria, Iraq\n",
			"   8. 10000 barrels_per_day  raw \"10.000\", rate, more than\n",
		}},
		{"embedded snapshot", nil, []string{"Title:      Understanding the Coalition against ISIS\n", "Facts (18):\n"}},
		{"ghost page", []string{explainer("ghost-refugees.html")}, []string{
			"Content:    section.gh-content.gh-canvas\n",
			"Chosen by:  Ghost post content (.gh-content)",
			"Numbers:    comma-thousands digit grouping\n",
			"  lead       p       More than a year after war broke out in Sudan",
			"  question   p/b     Q: How many people have crossed into Chad?\n",
			"  question   summary What do the camps need most?\n",
			"   2. And into South Sudan?\n      continues: How many people have crossed into Chad?\n",
			"   1. Refugee Coordination Forum (RCF) [forum]: brings together 60 agencies, meets every Monday\n",
			"   3. 2000 people_per_week  raw \"2,000 and 3,000\", rate, at least\n",
		}},
		{"JSON-LD FAQPage page", []string{explainer("jsonld-faq-wastewater.html")}, []string{
			"   5. When do the new rules apply?\n      from: JSON-LD FAQPage\n",
			"   3. Joint Research Centre (JRC) [-]: Develops the methods for measuring micropollutants.\n",
		}},
		{"content selector", []string{"--content-selector", "div.entry-content > ul", explainer("wordpress-water.html")}, []string{
			"Chosen by:  --content-selector\n",
			"Q&A pairs (0):\n",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", append([]string{"inspect"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, want := range tt.want {
				if !strings.Contains(stdout, want) {
					t.Errorf("output lacks %q\n%s", want, stdout)
				}
			}
		})
	}
}

func TestInspectUsage(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"two inputs", []string{"inspect", pageWix, pageMay}, exitUsage, "inspect takes at most one INPUT, got 2"},
		{"bad selector", []string{"inspect", "--content-selector", "div[[", pageWix}, exitUsage, "--content-selector \"div[[\""},
		{"no article", []string{"inspect", "--content-selector", "div.nope", pageWix}, exitFailed, "no article content found"},
		{"missing file", []string{"inspect", filepath.Join(t.TempDir(), "none.html")}, exitFailed, "none.html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.stderr)
			}
		})
	}
}

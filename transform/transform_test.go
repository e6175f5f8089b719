package transform

import (
	"reflect"
	"strings"
	"testing"

	"github.com/articleetl/articleetl/extract"
)

func TestElliptical(t *testing.T) {
	tests := map[string]bool{
		"And in Syria?":                      true,
		"What about the affiliates of ISIS?": false, // a question of its own
		"What about Iraq?":                   true,
		"And what about the private sector?": true,
		"How about schools?":                 true,
		"But who pays for it in the end?":    true,
		"Why now?":                           true,
		"How much?":                          true,
		"What next?":                         true,
		"Who pays?":                          false,
		"Who is eligible?":                   false,
		"What is PFAS?":                      false,
		"What changes for towns?":            false,
		"How does the Coalition work?":       false,
		"Is the Coalition highly committed to fighting?":               false,
		"And what happens to the money after the scheme ends in 2049?": false, // more than eight words
		"": false,
	}
	for q, want := range tests {
		if got := Elliptical(q); got != want {
			t.Errorf("Elliptical(%q) = %v, want %v", q, got, want)
		}
	}
}

func TestBodyType(t *testing.T) {
	tests := map[string]string{
		"Counter-Finance Working Group":                   "working_group",
		"Water Resilience Task Force":                     "task_force",
		"Drought Response Committee":                      "committee",
		"Joint Committee on Vaccination and Immunisation": "committee",
		"Intergovernmental Panel on Climate Change":       "panel",
		"European Commission":                             "commission",
		"Council of the European Union":                   "council",
		"Adaptation Fund Board":                           "board",
		"Eastbrook Customer Forum":                        "forum",
		"Global Health Network":                           "network",
		"School Age Immunisation Team":                    "team",
		"Urban Wastewater Expert Group":                   "group",
		"European Medicines Agency":                       "agency",
		"Financial Intelligence Unit":                     "unit",
		"Funding Facility for Stabilization":              "",
		"Joint Research Centre":                           "",
		"Green Climate Fund":                              "",
		"":                                                "",
	}
	for name, want := range tests {
		if got := BodyType(name); got != want {
			t.Errorf("BodyType(%q) = %q, want %q", name, got, want)
		}
	}
}

// article extracts a page written for a test.
func article(t *testing.T, body string) *extract.Article {
	t.Helper()
	page := `<html><head><link rel="canonical" href="https://example.org/p">` + jsonLD + `</head><body><article><h1>Title</h1>` + body + `</article></body></html>`
	jsonLD = ""
	a, err := extract.ExtractBytes([]byte(page), extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

var jsonLD string

const prose = "This is a sentence long enough to be read as the article's own prose."

type qa struct{ question, context, answer string }

func TestQAForms(t *testing.T) {
	tests := []struct {
		name  string
		json  string
		body  string
		want  []qa
		roles []Role
	}{
		{"headings, and a question mark in the lead and in an answer", "",
			`<p>Why read this? ` + prose + `</p><h2>What is it?</h2><p>It is this. Why? Because.</p><h2>Facts</h2><p>` + prose + `</p>` +
				`<h3>And in Syria?</h3><p>The same.</p><h5>Too deep?</h5><p>No.</p>`,
			[]qa{{"What is it?", "", "It is this. Why? Because."}, {"And in Syria?", "What is it?", "The same."}},
			[]Role{RoleQuestion, RoleAnswer, RoleSection, RoleText, RoleQuestion, RoleAnswer, RoleSection, RoleText}},
		{"bold paragraphs", "",
			`<p>` + prose + `</p><p><strong>Who pays?</strong></p><p>The state.</p><p><b>Why now?</b></p><ul><li>Floods.</li></ul><p>Sources: the council.</p>`,
			[]qa{{"Who pays?", "", "The state."}, {"Why now?", "Who pays?", "Floods."}},
			[]Role{RoleQuestion, RoleAnswer, RoleQuestion, RoleAnswer, RoleText}},
		{"Q: and A: paragraphs", "",
			`<p>` + prose + `</p><p>Q: How many?</p><p>A: Twelve.</p><p>More on that.</p><p>Question: And adults?</p><p>Answer: None.</p>`,
			[]qa{{"How many?", "", "Twelve.\nMore on that."}, {"And adults?", "How many?", "None."}},
			[]Role{RoleQuestion, RoleAnswer, RoleAnswer, RoleQuestion, RoleAnswer}},
		{"definition list", "",
			`<p>` + prose + `</p><dl><dt>What is HPV?</dt><dd>A virus.</dd><dt>Who gets it?</dt><dd>Most people.</dd><dd>Often.</dd></dl><p>Closing words.</p>`,
			[]qa{{"What is HPV?", "", "A virus."}, {"Who gets it?", "", "Most people.\nOften."}},
			[]Role{RoleQuestion, RoleAnswer, RoleQuestion, RoleAnswer, RoleAnswer, RoleText}},
		{"details and summary", "",
			`<p>` + prose + `</p><details><summary>What does it cost?</summary>Loose answer.<p>And more.</p></details><details><summary>Show sources</summary><p>A list.</p></details><p>After.</p>`,
			[]qa{{"What does it cost?", "", "Loose answer.\nAnd more."}},
			[]Role{RoleQuestion, RoleAnswer, RoleAnswer, RoleText, RoleText, RoleText}},
		{"JSON-LD FAQPage adds only what the body does not ask",
			`<script type="application/ld+json">{"@type":"FAQPage","mainEntity":[{"@type":"Question","name":"What’s new?","acceptedAnswer":{"@type":"Answer","text":"Everything."}},{"@type":"Question","name":"When does it apply?","acceptedAnswer":{"@type":"Answer","text":"<p>From <b>2027</b>.</p><p>In stages.</p>"}}]}</script>`,
			`<p>` + prose + `</p><h2>What's new?</h2><p>All of it.</p>`,
			[]qa{{"What's new?", "", "All of it."}, {"When does it apply?", "", "From 2027.\nIn stages."}},
			[]Role{RoleQuestion, RoleAnswer}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jsonLD = tt.json
			a := article(t, tt.body)
			an := Analyze(a, Source{Name: "test"})
			var got []qa
			for _, q := range an.Records.QAPairs {
				c := ""
				if q.QuestionContext != nil {
					c = *q.QuestionContext
				}
				got = append(got, qa{q.Question, c, q.Answer})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Q&A pairs:\n got %q\nwant %q", got, tt.want)
			}
			if !reflect.DeepEqual(an.Roles, tt.roles) {
				t.Errorf("roles %q, want %q", an.Roles, tt.roles)
			}
		})
	}
}

type body struct{ name, abbr, bodyType, desc, question string }

func TestNamedBodies(t *testing.T) {
	tests := []struct {
		name, body string
		want       []body
	}{
		{"list items", `<p>` + prose + `</p><h2>Who?</h2><ul>
			<li>Counter-Finance Working Group (CIFG WG): disrupting revenues.</li>
			<li>Technology Executive Committee (TEC) – looks at technology.</li>
			<li>Audit Committee: checks the accounts.</li>
			<li>Community Flood Panel (CFP)</li>
			<li>Reservoirs: three of them.</li>
			<li>Funding Facility for Stabilization (FFS): pays.</li></ul>`,
			[]body{
				{"Counter-Finance Working Group", "CIFG WG", "working_group", "disrupting revenues.", "Who?"},
				{"Technology Executive Committee", "TEC", "committee", "looks at technology.", "Who?"},
				{"Audit Committee", "", "committee", "checks the accounts.", "Who?"},
				{"Community Flood Panel", "CFP", "panel", "", "Who?"},
			}},
		{"definition list", `<p>` + prose + `</p><dl><dt>Joint Committee on Vaccination and Immunisation (JCVI)</dt><dd>Advises ministers.</dd>
			<dt>Aquifer</dt><dd>Rock that holds water.</dd><dt>Immunisation Board</dt><dd>Checks uptake.</dd></dl>`,
			[]body{
				{"Joint Committee on Vaccination and Immunisation", "JCVI", "committee", "Advises ministers.", ""},
				{"Immunisation Board", "", "board", "Checks uptake.", ""},
			}},
		{"table", `<p>` + prose + `</p><table><tr><th>Body</th><th>Acronym</th><th>Role</th></tr>
			<tr><td>European Commission</td><td></td><td>Adopts rules.</td></tr>
			<tr><td>Joint Research Centre (JRC)</td><td></td><td>Measures.</td></tr>
			<tr><td>the member states</td><td></td><td>Comply.</td></tr></table>
			<table><tr><th>Year</th><th>Doses</th></tr><tr><td>Audit Committee</td><td>12</td></tr></table>`,
			[]body{
				{"European Commission", "", "commission", "Adopts rules.", ""},
				{"Joint Research Centre", "JRC", "", "Measures.", ""},
			}},
		{"running prose", `<p>` + prose + `</p><h2>Who plans?</h2><p>Since 2019 the Water Resilience Task Force (WRTF), which brings together engineers, has planned for dry years; the Drought Response Committee (DRC), which meets weekly, decides on restrictions. ` +
			`The Intergovernmental Panel on Climate Change (IPCC) and the Audit Committee (AC) both report. UNHCR’s Emergency Response Team (ERT) deployed fast. ` +
			`It relies on the UN Development Program’s Funding Facility for Stabilization (FFS) and on Resolution 2254 (2014). The work of the Audit Committee (AC) goes on.</p>`,
			[]body{
				{"Water Resilience Task Force", "WRTF", "task_force", "brings together engineers, has planned for dry years", "Who plans?"},
				{"Drought Response Committee", "DRC", "committee", "meets weekly, decides on restrictions", "Who plans?"},
				{"Intergovernmental Panel on Climate Change", "IPCC", "panel", "The Intergovernmental Panel on Climate Change (IPCC) and the Audit Committee (AC) both report.", "Who plans?"},
				{"Audit Committee", "AC", "committee", "both report", "Who plans?"},
				{"Emergency Response Team", "ERT", "team", "deployed fast", "Who plans?"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			an := Analyze(article(t, tt.body), Source{Name: "test"})
			questions := map[string]string{}
			for _, q := range an.Records.QAPairs {
				questions[q.QAID] = q.Question
			}
			var got []body
			for _, g := range an.Records.WorkingGroups {
				b := body{name: g.Name, desc: g.Description}
				if g.Abbreviation != nil {
					b.abbr = *g.Abbreviation
				}
				if g.BodyType != nil {
					b.bodyType = *g.BodyType
				}
				if g.QAID != nil {
					b.question = questions[*g.QAID]
				}
				got = append(got, b)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("bodies:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestFactsOfNewBlocks checks that facts are read from table cells (with the row as their
// sentence), from FAQ answers and not from questions.
func TestFactsOfNewBlocks(t *testing.T) {
	jsonLD = `<script type="application/ld+json">{"@type":"FAQPage","mainEntity":[{"@type":"Question","name":"How much?","acceptedAnswer":{"@type":"Answer","text":"About €3.8 billion a year."}}]}</script>`
	a := article(t, `<p>`+prose+`</p><h2>How many of the 40 sites?</h2><table><tr><th>Site</th><th>Share</th></tr><tr><td>North</td><td>45%</td></tr></table>`)
	var got []string
	for _, f := range Transform(a, Source{}).Facts {
		got = append(got, f.Raw+" @ "+f.Sentence)
	}
	want := "45% @ North | 45%\n€3.8 billion @ About €3.8 billion a year."
	if strings.Join(got, "\n") != want {
		t.Errorf("facts:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}

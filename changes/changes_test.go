package changes

import (
	"fmt"
	"strings"
	"testing"

	"github.com/articleetl/articleetl/schemas"
)

// snapshot builds a small article snapshot; edit tweaks it.
func snapshot(id string, edit func(r *schemas.Records)) *schemas.Records {
	r := &schemas.Records{
		Document: schemas.Document{DocID: "d", SnapshotID: id, Title: "T", Standfirst: ptr("Lead.")},
		QAPairs: []schemas.QAPair{
			{QAID: "q1", Question: "What?", Answer: "This."},
			{QAID: "q2", Question: "And in Syria?", Answer: "That."},
		},
		WorkingGroups: []schemas.WorkingGroup{{WGID: "g1", Name: "Finance Working Group", Abbreviation: ptr("F WG"), Description: "money"}},
		Facts: []schemas.Fact{
			{FactID: "f1", Raw: "9.000", Value: 9000, Unit: "troops", Kind: "count", Sentence: "9.000 troops."},
			{FactID: "f2", Raw: "4 million", Value: 4e6, Unit: "people", Kind: "count", Sentence: "4 million people.", QAID: ptr("q2")},
		},
	}
	if edit != nil {
		edit(r)
	}
	return r
}

func summary(cs []schemas.Change) string {
	var lines []string
	for _, c := range cs {
		s := c.ChangeType + " " + c.TableName + " " + c.RecordID
		if c.Field != nil {
			old, new := "null", "null"
			if c.OldValue != nil {
				old = *c.OldValue
			}
			if c.NewValue != nil {
				new = *c.NewValue
			}
			s += " " + *c.Field + " " + old + "->" + new
		}
		lines = append(lines, s)
	}
	return strings.Join(lines, "\n")
}

func TestBetween(t *testing.T) {
	tests := []struct {
		name string
		edit func(r *schemas.Records)
		want string
	}{
		{"identical content", nil, ""},
		{"a fact's value", func(r *schemas.Records) { r.Facts[0].Value, r.Facts[0].Raw = 8500, "8.500" },
			"modified facts f1 value 9000->8500"},
		{"an edited answer", func(r *schemas.Records) { r.QAPairs[0].Answer = "This, now." },
			"modified qa_pairs q1 answer This.->This, now."},
		{"a question removed with its facts", func(r *schemas.Records) { r.QAPairs = r.QAPairs[:1]; r.Facts = r.Facts[:1] },
			"removed qa_pairs q2\nremoved facts f2"},
		{"an added fact and a new comparator", func(r *schemas.Records) {
			r.Facts[0].Comparator = ptr("more_than")
			r.Facts = append(r.Facts, schemas.Fact{FactID: "f3", Raw: "23", Value: 23, Unit: "countries", Kind: "count"})
		}, "modified facts f1 comparator null->more_than\nadded facts f3"},
		{"document fields", func(r *schemas.Records) {
			d := schemas.NewDate(2018, 6, 2)
			r.Document.UpdatedOn = &d
			r.Document.Standfirst = nil
		},
			"modified documents d standfirst Lead.->null\nmodified documents d updated_on null->2018-06-02"},
		{"a group's description", func(r *schemas.Records) { r.WorkingGroups[0].Description = "finance" },
			"modified working_groups g1 description money->finance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, new := snapshot("s1", nil), snapshot("s2", tt.edit)
			cs := Between(old, new)
			if got := summary(cs); got != tt.want {
				t.Errorf("changes:\n%s\nwant:\n%s", got, tt.want)
			}
			seen := map[string]bool{}
			for i, c := range cs {
				if c.Ordinal != int32(i+1) || c.FromSnapshotID != "s1" || c.ToSnapshotID != "s2" || c.SnapshotID != "s2" || c.RecordText == "" || seen[c.ChangeID] {
					t.Errorf("change %d malformed or repeated: %+v", i, c)
				}
				seen[c.ChangeID] = true
			}
		})
	}
}

func ExampleBetween() {
	old := &schemas.Records{
		Document: schemas.Document{DocID: "d", SnapshotID: "may", Title: "T"},
		Facts:    []schemas.Fact{{FactID: "f1", Raw: "9.000", Value: 9000, Unit: "troops", Kind: "count", Sentence: "9.000 troops from 23 countries."}},
	}
	new := &schemas.Records{
		Document: schemas.Document{DocID: "d", SnapshotID: "june", Title: "T"},
		Facts:    []schemas.Fact{{FactID: "f1", Raw: "8.500", Value: 8500, Unit: "troops", Kind: "count", Sentence: "8.500 troops from 23 countries."}},
	}
	for _, c := range Between(old, new) {
		fmt.Println(c.ChangeType, c.TableName, *c.Field, *c.OldValue, "->", *c.NewValue)
		fmt.Println(c.RecordText)
	}
	// Output:
	// modified facts value 9000 -> 8500
	// 8.500 troops: 8.500 troops from 23 countries.
}

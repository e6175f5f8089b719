// Package changes computes what changed between two snapshots of one article: records
// added, removed or modified, each change carrying enough text to be read on its own.
//
// Records are matched by their ids, which are derived from content that identifies them
// (a question's text, a group's name, a fact's place, unit and location) and not from
// the values that may be edited, so an edited answer or a new figure is one modified
// change rather than a removal and an addition.
package changes

import (
	"strconv"

	"github.com/articleetl/articleetl/schemas"
)

// The change types.
const (
	Added    = "added"
	Removed  = "removed"
	Modified = "modified"
)

// field is one compared field of a record: its name and its value as text (nil = null).
type field struct {
	name  string
	value *string
}

// record is the comparable view of one row of any table.
type record struct {
	id     string
	text   string // main text, for reading a change on its own
	fields []field
}

// Between returns the changes from old to new, in a stable order: document fields, then
// Q&A pairs, working groups and facts, each in the new snapshot's order with removed
// records after. Both must be snapshots of the same article.
func Between(old, new *schemas.Records) []schemas.Change {
	b := builder{old: old, new: new}
	b.diff(schemas.Documents.Name, []record{documentRecord(&old.Document)}, []record{documentRecord(&new.Document)})
	b.diff(schemas.QAPairs.Name, mapRecords(old.QAPairs, qaRecord), mapRecords(new.QAPairs, qaRecord))
	b.diff(schemas.WorkingGroups.Name, mapRecords(old.WorkingGroups, groupRecord), mapRecords(new.WorkingGroups, groupRecord))
	b.diff(schemas.Facts.Name, mapRecords(old.Facts, factRecord), mapRecords(new.Facts, factRecord))
	return b.out
}

type builder struct {
	old, new *schemas.Records
	out      []schemas.Change
}

func (b *builder) diff(table string, olds, news []record) {
	oldByID := make(map[string]record, len(olds))
	for _, r := range olds {
		oldByID[r.id] = r
	}
	newIDs := make(map[string]bool, len(news))
	for _, n := range news {
		newIDs[n.id] = true
		o, ok := oldByID[n.id]
		if !ok {
			b.add(table, Added, n, nil, nil, nil)
			continue
		}
		for i, f := range n.fields {
			if !equal(o.fields[i].value, f.value) {
				b.add(table, Modified, n, &f.name, o.fields[i].value, f.value)
			}
		}
	}
	for _, o := range olds {
		if !newIDs[o.id] {
			b.add(table, Removed, o, nil, nil, nil)
		}
	}
}

func (b *builder) add(table, changeType string, r record, field, oldValue, newValue *string) {
	from, to := b.old.Document.SnapshotID, b.new.Document.SnapshotID
	name := ""
	if field != nil {
		name = *field
	}
	b.out = append(b.out, schemas.Change{
		SchemaVersion:  schemas.Changes.Version,
		DocID:          b.new.Document.DocID,
		SnapshotID:     to,
		ChangeID:       id16(from, to, table, r.id, name),
		Ordinal:        int32(len(b.out) + 1),
		FromSnapshotID: from,
		ToSnapshotID:   to,
		FromCapturedAt: b.old.Document.CapturedAt,
		ToCapturedAt:   b.new.Document.CapturedAt,
		ChangeType:     changeType,
		TableName:      table,
		RecordID:       r.id,
		Field:          field,
		OldValue:       oldValue,
		NewValue:       newValue,
		RecordText:     r.text,
	})
}

// documentRecord compares the document fields that make up its snapshot id (with the
// blocks, which the other tables cover): two captures of the same snapshot never differ.
// Source, bytes, capture time and page metadata such as published_at vary between
// renderings of the same content and are not changes of the article.
func documentRecord(d *schemas.Document) record {
	var updated *string
	if d.UpdatedOn != nil {
		updated = ptr(d.UpdatedOn.String())
	}
	return record{id: d.DocID, text: d.Title, fields: []field{
		{"title", ptr(d.Title)},
		{"standfirst", d.Standfirst},
		{"updated_on", updated},
	}}
}

func qaRecord(q *schemas.QAPair) record {
	return record{id: q.QAID, text: q.Question, fields: []field{
		{"answer", ptr(q.Answer)},
		{"section", q.Section},
	}}
}

func groupRecord(g *schemas.WorkingGroup) record {
	return record{id: g.WGID, text: g.Name, fields: []field{
		{"abbreviation", g.Abbreviation},
		{"description", ptr(g.Description)},
	}}
}

// factRecord compares what a fact states (value, unit, qualifier, place); its raw text and
// sentence follow from those and are shown in the record text instead of as changes.
func factRecord(f *schemas.Fact) record {
	return record{id: f.FactID, text: f.Raw + " " + f.Unit + ": " + f.Sentence, fields: []field{
		{"value", ptr(strconv.FormatFloat(f.Value, 'f', -1, 64))},
		{"unit", ptr(f.Unit)},
		{"kind", ptr(f.Kind)},
		{"comparator", f.Comparator},
		{"location", f.Location},
	}}
}

func mapRecords[T any](rows []T, view func(*T) record) []record {
	out := make([]record, len(rows))
	for i := range rows {
		out[i] = view(&rows[i])
	}
	return out
}

func equal(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func ptr(s string) *string { return &s }

var id16 = schemas.HashID

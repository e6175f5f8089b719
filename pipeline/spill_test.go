package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/articleetl/articleetl/internal/corpus"
	"github.com/articleetl/articleetl/schemas"
)

// filled returns Records with every field set, pointers and lists included, and values
// that depend on seed, so that a decoder reading one snapshot's bytes as another's, or
// missing a type definition, is caught.
func filled(seed int) *schemas.Records {
	var r schemas.Records
	fill(reflect.ValueOf(&r).Elem(), seed)
	return &r
}

func fill(v reflect.Value, seed int) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2018, 5, 17, 1, 2, 3, seed*1000, time.UTC)))
			return
		}
		for i := range v.NumField() {
			fill(v.Field(i), seed+i)
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), seed)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), seed*10+i)
		}
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", seed))
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(int64(seed))
	case reflect.Float64:
		v.SetFloat(float64(seed) + 0.5)
	case reflect.Bool:
		v.SetBool(seed%2 == 1)
	default:
		panic("fill: no value for " + v.Type().String())
	}
}

// TestSpillRoundTrip checks that snapshots read back, in any order and more than once,
// equal what was kept.
func TestSpillRoundTrip(t *testing.T) {
	s, err := newSpill("articleetl-test-")
	if err != nil {
		t.Fatal(err)
	}
	defer s.remove()
	if _, err := os.Stat(s.f.Name()); runtime.GOOS != "windows" && !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the spill file still has a name (%v): a killed run would leave it behind", err)
	}
	var kept []*schemas.Records
	for i := range 4 {
		r := filled(i + 1)
		r.Document.SnapshotID = fmt.Sprintf("%016d", i)
		if i == 2 {
			r.QAPairs, r.Document.CapturedAt = nil, nil // empty and nil parts too
		}
		if i == 3 {
			// Pointers to zero values are not nulls: a page dated 1970-01-01 (a CMS's
			// epoch), an empty section heading, the zero time, a value of -0.
			var zero time.Time
			date, empty := schemas.Date(0), ""
			r.Document.UpdatedOn, r.Document.Standfirst, r.Document.PublishedAt = &date, &empty, &zero
			r.Facts[0].Section, r.Facts[0].Value = &empty, math.Copysign(0, -1)
			r.QAPairs[0].AnswerParagraphs = []string{"", "b"}
		}
		if err := s.put(r, i%2 == 0); err != nil {
			t.Fatal(err)
		}
		kept = append(kept, r)
	}
	for _, i := range []int{3, 0, 2, 1, 0, 3} {
		got, err := s.get(kept[i].Document.SnapshotID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, kept[i]) || math.Signbit(got.Facts[0].Value) != math.Signbit(kept[i].Facts[0].Value) {
			t.Errorf("snapshot %d read back as\n%+v\nwant\n%+v", i, got, kept[i])
		}
	}
	for i, r := range kept {
		if got, want := s.isNew(r.Document.SnapshotID), i%2 == 0; got != want {
			t.Errorf("snapshot %d: isNew = %v, want %v", i, got, want)
		}
	}
	if err := s.put(kept[1], true); err != nil { // kept again, now as new (a merge's replay)
		t.Fatal(err)
	}
	if err := s.put(kept[0], false); err != nil { // kept again: still new
		t.Fatal(err)
	}
	if !s.isNew(kept[1].Document.SnapshotID) || !s.isNew(kept[0].Document.SnapshotID) || s.isNew("missing") {
		t.Error("isNew after keeping snapshots again: a mark was lost or made up")
	}
	if _, err := s.get("missing"); err == nil {
		t.Error("reading a snapshot never kept: no error")
	}
}

// BenchmarkSpill keeps a snapshot of the article and reads it back.
func BenchmarkSpill(b *testing.B) {
	recs, err := Process(Input{Source: "article.html", Data: corpus.Page(0)}, Options{})
	if err != nil {
		b.Fatal(err)
	}
	s, err := newSpill("articleetl-bench-")
	if err != nil {
		b.Fatal(err)
	}
	defer s.remove()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		recs.Document.SnapshotID = fmt.Sprintf("%016x", i)
		if err := s.put(&recs, true); err != nil {
			b.Fatal(err)
		}
		if _, err := s.get(recs.Document.SnapshotID); err != nil {
			b.Fatal(err)
		}
	}
}

package load

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/articleetl/articleetl/schemas"
)

// encodingJSON is what the JSONL writer must write for v: encoding/json's line, without
// the newline.
func encodingJSON(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// wantFloat is what the JSONL writer must write for x: encoding/json's number, with ".0"
// after a whole number that encoding/json writes without a fraction or an exponent.
func wantFloat(t *testing.T, x float64) []byte {
	t.Helper()
	b := encodingJSON(t, x)
	if !bytes.ContainsAny(b, ".e") {
		b = append(b, ".0"...)
	}
	return b
}

// wantRow is what the JSONL writer must write for a row: encoding/json's line, with each
// float64 field spelled as wantFloat spells it.
func wantRow[T any](t *testing.T, row *T) []byte {
	t.Helper()
	want := encodingJSON(t, row)
	v := reflect.ValueOf(row).Elem()
	for i := range v.NumField() {
		if v.Field(i).Kind() != reflect.Float64 {
			continue
		}
		key := `"` + v.Type().Field(i).Tag.Get("json") + `":`
		x := v.Field(i).Float()
		old := append([]byte(key), encodingJSON(t, x)...)
		if bytes.Count(want, old) != 1 {
			t.Fatalf("%s: %s is not once in %s", v.Type(), old, want)
		}
		want = bytes.Replace(want, old, append([]byte(key), wantFloat(t, x)...), 1)
	}
	return want
}

// awkwardStrings are strings every escaping rule applies to.
var awkwardStrings = []string{
	"", "plain", `quote " and \ backslash`, "<b>&amp;</b>", "tab\tnew\nline\rcr\bbs\fff", "\x00\x01\x1f\x7f",
	"é ’ – —", "\u2028\u2029", "\xff", "a\xe2\x80b", "\xed\xa0\x80", "\U0001F600", "9.000 troops",
}

// randomRow fills every field of a record type at random, nil pointers and lists included.
func randomRow[T any](rng *rand.Rand) T {
	var row T
	v := reflect.ValueOf(&row).Elem()
	for i := range v.NumField() {
		fillRandom(rng, v.Field(i))
	}
	return row
}

func fillRandom(rng *rand.Rand, f reflect.Value) {
	switch f.Kind() {
	case reflect.String:
		s := awkwardStrings[rng.IntN(len(awkwardStrings))]
		if rng.IntN(2) == 0 {
			s += awkwardStrings[rng.IntN(len(awkwardStrings))]
		}
		f.SetString(s)
	case reflect.Int32:
		f.SetInt(int64(rng.Int32()) - math.MaxInt32/2)
	case reflect.Float64:
		floats := []float64{0, math.Copysign(0, -1), 1, 3.2e6, 107600, 0.1, 1e-7, 1.5e-6, 1e21, 9.99e20, 123456789.125, -4.5, math.MaxFloat64, math.SmallestNonzeroFloat64}
		x := floats[rng.IntN(len(floats))]
		if rng.IntN(2) == 0 {
			x = -x / 3
		}
		f.SetFloat(x)
	case reflect.Slice:
		if rng.IntN(4) == 0 {
			return // nil
		}
		s := reflect.MakeSlice(f.Type(), rng.IntN(3), 3)
		for i := range s.Len() {
			fillRandom(rng, s.Index(i))
		}
		f.Set(s)
	case reflect.Pointer:
		if rng.IntN(3) == 0 {
			return // nil
		}
		p := reflect.New(f.Type().Elem())
		switch p.Interface().(type) {
		case *time.Time:
			p.Elem().Set(reflect.ValueOf(time.Unix(rng.Int64N(4e9), rng.Int64N(1e9)).UTC()))
		case *schemas.Date:
			p.Elem().SetInt(int64(rng.IntN(40000)))
		default:
			fillRandom(rng, p.Elem())
		}
		f.Set(p)
	}
}

func checkRows[T any](t *testing.T, rng *rand.Rand) {
	t.Helper()
	enc := newRowEncoder[T]()
	if enc.fields == nil {
		t.Fatalf("%T rows are handed to encoding/json whole", *new(T))
	}
	for range 2000 {
		row := randomRow[T](rng)
		got, err := enc.appendRow(nil, &row)
		if err != nil {
			t.Fatal(err)
		}
		if want := wantRow(t, &row); !bytes.Equal(got, want) {
			t.Fatalf("row %+v:\ngot  %s\nwant %s", row, got, want)
		}
	}
}

// TestRowEncoder checks the JSONL of every table against encoding/json, byte for byte, but
// for whole floats, which keep a fraction.
func TestRowEncoder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	checkRows[schemas.Document](t, rng)
	checkRows[schemas.QAPair](t, rng)
	checkRows[schemas.WorkingGroup](t, rng)
	checkRows[schemas.Fact](t, rng)
	checkRows[schemas.Change](t, rng)
	checkRows[schemas.InputError](t, rng)
}

// TestRowEncoderFallback checks that rows encoding/json treats specially are left to it.
func TestRowEncoderFallback(t *testing.T) {
	type embedded struct{ A string }
	type special struct {
		embedded
		B   string `json:"b,omitempty"`
		C   int    `json:"-"`
		d   string
		E   bool `json:"e"`
		Err float64
	}
	enc := newRowEncoder[special]()
	if enc.fields != nil {
		t.Fatal("a row with embedded, optioned and untagged fields was not handed to encoding/json")
	}
	row := special{embedded: embedded{A: "<a>"}, C: 3, d: "x", E: true, Err: 2}
	got, err := enc.appendRow(nil, &row)
	if err != nil {
		t.Fatal(err)
	}
	if want := encodingJSON(t, &row); !bytes.Equal(got, want) {
		t.Fatalf("got %s, want %s", got, want)
	}
	nan := schemas.Fact{Value: math.NaN()}
	if _, err := newRowEncoder[schemas.Fact]().appendRow(nil, &nan); err == nil {
		t.Fatal("NaN written")
	}
}

func FuzzJSONString(f *testing.F) {
	for _, s := range awkwardStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := appendJSONString(nil, s), encodingJSON(t, s); !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}

func FuzzJSONFloat(f *testing.F) {
	for _, x := range []float64{0, 1, 3.2e6, 1e-7, 1e21, 0.1} {
		f.Add(math.Float64bits(x))
	}
	f.Fuzz(func(t *testing.T, bits uint64) {
		x := math.Float64frombits(bits)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		got, err := appendJSONFloat(nil, reflect.ValueOf(x))
		if err != nil {
			t.Fatal(err)
		}
		if want := wantFloat(t, x); !bytes.Equal(got, want) {
			t.Fatalf("%v: got %s, want %s", x, got, want)
		}
	})
}

// TestJSONFloatKeepsFraction checks that a DOUBLE reads as a floating-point number however
// whole it is, so that a reader inferring types from a sample of rows does not take the
// column for an integer one.
func TestJSONFloatKeepsFraction(t *testing.T) {
	for _, tt := range []struct {
		x    float64
		want string
	}{
		{0, "0.0"}, {math.Copysign(0, -1), "-0.0"}, {75, "75.0"}, {-4, "-4.0"}, {3.2e6, "3200000.0"},
		{1800000000, "1800000000.0"}, {0.73, "0.73"}, {2.4, "2.4"}, {1e20, "100000000000000000000.0"},
		{1e21, "1e+21"}, {1e-7, "1e-7"},
	} {
		x, want := tt.x, tt.want
		got, err := appendJSONFloat(nil, reflect.ValueOf(x))
		if err != nil || string(got) != want {
			t.Errorf("%v: got %s (%v), want %s", x, got, err, want)
		}
		var back float64
		if err := json.Unmarshal(got, &back); err != nil || back != x || math.Signbit(back) != math.Signbit(x) {
			t.Errorf("%s reads back as %v (%v), want %v", got, back, err, x)
		}
	}
}

package quantity

import (
	"math"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func FuzzFacts(f *testing.F) {
	for _, tt := range factsTests {
		f.Add(tt.sentence, uint8(tt.g))
	}
	for _, tt := range articleTests {
		f.Add(tt.sentence, uint8(dot))
	}
	f.Fuzz(func(t *testing.T, sentence string, g uint8) {
		for _, fact := range Facts(sentence, Grouping(g%3)) {
			if fact.Start < 0 || fact.Start >= fact.End || fact.End > len(sentence) {
				t.Fatalf("fact %+v has offsets outside %q", fact, sentence)
			}
			if fact.Raw != sentence[fact.Start:fact.End] {
				t.Fatalf("Raw %q but sentence[%d:%d] is %q", fact.Raw, fact.Start, fact.End, sentence[fact.Start:fact.End])
			}
			if math.IsInf(fact.Value, 0) || math.IsNaN(fact.Value) {
				t.Fatalf("fact %+v has value %v", fact, fact.Value)
			}
			if fact.Unit == "" || !validKinds[fact.Kind] {
				t.Fatalf("fact %+v has no unit or an unknown kind", fact)
			}
			switch fact.Comparator {
			case "", MoreThan, AtLeast, LessThan, AtMost, About:
			default:
				t.Fatalf("fact %+v has an unknown comparator", fact)
			}
		}
	})
}

// FuzzMayStateFacts checks that the quick look Facts takes first never passes over a
// sentence that states a fact.
func FuzzMayStateFacts(f *testing.F) {
	for _, tt := range factsTests {
		f.Add(tt.sentence)
	}
	for _, tt := range articleTests {
		f.Add(tt.sentence)
	}
	f.Add("A Quarter of them, an Hundred, a dozen, a-million, an\u00a0MILLION, a\tthird, FİVE, thİrteen")
	f.Fuzz(func(t *testing.T, sentence string) {
		if mayStateFacts(sentence) {
			return
		}
		var sc Scanner
		for g := range 3 {
			if facts := sc.read(sentence, Grouping(g)); facts != nil {
				t.Fatalf("%q was passed over, but states %+v", sentence, facts)
			}
		}
	})
}

func FuzzSplitSentences(f *testing.F) {
	for _, tt := range articleTests {
		f.Add(tt.sentence + " " + tt.sentence)
	}
	f.Add("Coalition in facts\n\n· 9.000 troops.\n• 4 million people (2.7 in Iraq. 1.4 in Syria). Done")
	f.Add("The U.S. Army (see Fig. 2.) sent 3.2 million... then \"stop.\" Next?! (Yes.) no")
	f.Fuzz(func(t *testing.T, text string) {
		prev := 0
		for _, s := range SplitSentences(text) {
			if s.Start < prev || s.Start >= s.End || s.End > len(text) {
				t.Fatalf("span %+v out of order or bounds (previous end %d, len %d)", s, prev, len(text))
			}
			if s.Text != text[s.Start:s.End] {
				t.Fatalf("span text %q but text[%d:%d] is %q", s.Text, s.Start, s.End, text[s.Start:s.End])
			}
			if gap := text[prev:s.Start]; !onlySpaceAndBullets(gap) {
				t.Fatalf("text %q between spans is not white space or bullets", gap)
			}
			r, _ := utf8.DecodeLastRuneInString(s.Text)
			if unicode.IsSpace(r) {
				t.Fatalf("span %q is not trimmed", s.Text)
			}
			prev = s.End
		}
		if rest := text[prev:]; !onlySpaceAndBullets(rest) {
			t.Fatalf("text %q after the last span is not white space or bullets", rest)
		}
	})
}

// validKinds are the kinds the facts schema documents.
var validKinds = map[string]bool{
	"count": true, "currency": true, "percent": true, "area": true, "rate": true,
	"length": true, "mass": true, "volume": true, "duration": true, "ratio": true, "temperature": true,
}

func onlySpaceAndBullets(s string) bool {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || isBullet(r) }) == ""
}

// FuzzDetectGrouping checks that the lines DetectGrouping skips could not have voted: it
// must agree with counting the votes of every number on every line.
func FuzzDetectGrouping(f *testing.F) {
	for _, tt := range articleTests {
		f.Add(tt.sentence + "\n" + tt.sentence)
	}
	f.Add("in 2014\n136.000 members, 9.000 troops\n79 members\n3,5%\n")
	f.Add("10 000,5 tonnes\n1.234,5\n68/262,500\nv1.200")
	f.Add("a rise of 3,5%")  // a decimal comma alone decides
	f.Add("2,450 km²\n1999") // so does a comma before three digits
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := DetectGrouping(text), groupingFromEveryLine(text); got != want {
			t.Fatalf("DetectGrouping(%q) = %v, but the votes of every number give %v", text, got, want)
		}
	})
}

// groupingFromEveryLine is DetectGrouping without its skipping of lines.
func groupingFromEveryLine(text string) Grouping {
	var sc Scanner
	dot, comma := 0, 0
	for line := range strings.Lines(text) {
		d, c := sc.lineVotes(line)
		dot, comma = dot+d, comma+c
	}
	return verdict(dot, comma)
}

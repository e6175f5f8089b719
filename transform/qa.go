package transform

import (
	"strings"
	"unicode"
)

// continuationOpeners start a question that follows on from the one before ("And in
// Syria?", "What about Iraq?"), with the most words such a question has: a conjunction
// carries a longer fragment ("And what happens to the levy after that?") than "What
// about X?", which with a long X asks a question of its own ("What about the affiliates
// of ISIS?").
var continuationOpeners = []struct {
	prefix   string
	maxWords int
}{
	{"and what about ", 8}, {"but what about ", 8}, {"and how about ", 8},
	{"what about ", 4}, {"how about ", 4}, {"what of ", 4},
	{"and ", 8}, {"but ", 8}, {"or ", 8}, {"so ", 8},
}

// auxiliaries are the verbs whose presence makes a short question a clause of its own
// ("Who is eligible?"), not a fragment ("Why now?", "How much?").
var auxiliaries = map[string]bool{
	"is": true, "are": true, "was": true, "were": true, "be": true, "been": true, "am": true,
	"do": true, "does": true, "did": true, "can": true, "could": true, "will": true,
	"would": true, "should": true, "shall": true, "may": true, "might": true, "must": true,
	"has": true, "have": true, "had": true, "isn't": true, "aren't": true, "doesn't": true,
	"don't": true, "won't": true, "can't": true, "what's": true, "who's": true, "how's": true,
	"where's": true, "it's": true,
}

var plainApostrophes = strings.NewReplacer("’", "'")

// Elliptical reports whether a question leans on the one before it for its meaning:
//   - it opens with a conjunction ("And …", "But …") and has at most eight words ("And in
//     Syria?"), or with "What about …", "How about …", "What of …" and has at most four
//     ("What about Iraq?"; "What about the affiliates of ISIS?" stands on its own);
//   - or it is a fragment of at most three words without a verb: "Why now?", "How much?",
//     "What next?". A word after the first that is an auxiliary, a modal or a copula, or
//     that ends in "s" or "ed" the way a verb does, makes a clause that stands on its own:
//     "Who pays?", "Who is eligible?", "What changed?".
func Elliptical(question string) bool {
	words := strings.Fields(plainApostrophes.Replace(strings.ToLower(question)))
	if len(words) == 0 {
		return false
	}
	lower := strings.Join(words, " ")
	for _, opener := range continuationOpeners {
		if strings.HasPrefix(lower, opener.prefix) {
			return len(words) <= opener.maxWords
		}
	}
	if len(words) > 3 {
		return false
	}
	for i, w := range words {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
		if auxiliaries[w] || i > 0 && (strings.HasSuffix(w, "s") || strings.HasSuffix(w, "ed")) {
			return false
		}
	}
	return true
}

package extract

import (
	"regexp"
	"strings"
)

// questionPrefix matches the "Q:" or "Question:" a plain FAQ writes before a question.
var questionPrefix = regexp.MustCompile(`^(?i:q|question)\s*[:.]\s+`)

// Question reports whether the block asks a question in one of the ways pages mark one,
// and returns the question's text:
//   - a heading of level 2 to 4 ending in "?";
//   - a paragraph whose whole text is bold and ends in "?";
//   - a paragraph starting "Q:" or "Question:" (the prefix is not part of the text);
//   - a <dt> or a <summary> ending in "?".
//
// A question mark anywhere else (inside an answer paragraph, a list item, a caption) does
// not make a question.
func (b Block) Question() (string, bool) {
	switch b.Kind {
	case KindHeading:
		if b.Level >= 2 && b.Level <= 4 && EndsWithQuestionMark(b.Text) {
			return b.Text, true
		}
	case KindParagraph:
		// Only "Q" or "q" starts the prefix (no other character folds to q): the
		// expression is run on the few paragraphs that begin so.
		if b.Text != "" && b.Text[0]|0x20 == 'q' {
			if loc := questionPrefix.FindStringIndex(b.Text); loc != nil && loc[1] < len(b.Text) {
				return b.Text[loc[1]:], true
			}
		}
		if b.Strong && EndsWithQuestionMark(b.Text) {
			return b.Text, true
		}
	case KindTerm, KindSummary:
		if EndsWithQuestionMark(b.Text) {
			return b.Text, true
		}
	}
	return "", false
}

// EndsWithQuestionMark reports whether text ends in "?", allowing closing quotes and
// brackets after it.
func EndsWithQuestionMark(text string) bool {
	return strings.HasSuffix(strings.TrimRight(text, " \"'’”»)"), "?")
}

// answerPrefix matches the "A:" or "Answer:" a plain FAQ writes before an answer.
var answerPrefix = regexp.MustCompile(`^(?i:a|answer)\s*:\s+`)

// TrimAnswerPrefix removes a leading "A:" or "Answer:" from an answer paragraph.
func TrimAnswerPrefix(text string) string {
	if text == "" || text[0]|0x20 != 'a' {
		return text // only "A" or "a" starts the prefix: no other character folds to a
	}
	if loc := answerPrefix.FindStringIndex(text); loc != nil && loc[1] < len(text) {
		return text[loc[1]:]
	}
	return text
}

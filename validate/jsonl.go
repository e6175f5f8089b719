package validate

import (
	"bufio"
	"bytes"
	"fmt"
	"io"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// checkJSONL streams one JSONL file line by line, checks each line as a row, and returns the
// number of lines (ok is false when the file could not be read to the end).
func (c *checker) checkJSONL(fc *fileCheck, r io.Reader) (lines int64, ok bool) {
	file, idx := fc.Path, fc.idx
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, err := br.ReadBytes('\n')
		if len(line) == 0 && err == io.EOF {
			return lines, true
		}
		if err != nil && err != io.EOF {
			c.add(Problem{File: file, Row: int(lines) + 1, Reason: "reading: " + err.Error()})
			idx.setIncomplete()
			return lines, false
		}
		lines++
		c.checkLine(fc, int(lines), bytes.TrimSpace(line))
		if err == io.EOF {
			return lines, true
		}
	}
}

func (c *checker) checkLine(fc *fileCheck, n int, line []byte) {
	file, idx := fc.Path, fc.idx
	if len(line) == 0 {
		c.add(Problem{File: file, Row: n, Reason: "empty line, want one JSON object"})
		return
	}
	// jsonschema.UnmarshalJSON keeps numbers as json.Number, so 1.0 and 1 stay apart and
	// "integer" is checked on the text written, and rejects anything after the object.
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(line))
	if err != nil {
		c.add(Problem{File: file, Row: n, Reason: "not valid JSON: " + err.Error()})
		idx.setIncomplete()
		return
	}
	obj, isObj := v.(map[string]any)
	if !isObj {
		c.add(Problem{File: file, Row: n, Reason: fmt.Sprintf("a JSON %s, want one JSON object", jsonKind(v))})
		idx.setIncomplete()
		return
	}
	c.checkRow(fc, n, obj, true)
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	}
	return "number"
}

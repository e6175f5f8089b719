package load

import (
	"bufio"
	"encoding/json"
	"io"
)

// jsonlWriter streams rows as newline-delimited JSON, the form BigQuery, DuckDB and pandas
// load directly: one object per line, no enclosing array, HTML characters left unescaped.
type jsonlWriter[T any] struct {
	buf *bufio.Writer
	enc *json.Encoder
}

func newJSONLWriter[T any](out io.Writer) *jsonlWriter[T] {
	buf := bufio.NewWriterSize(out, 64<<10)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	return &jsonlWriter[T]{buf: buf, enc: enc}
}

func (j *jsonlWriter[T]) Write(rows []T) error {
	for i := range rows {
		if err := j.enc.Encode(&rows[i]); err != nil {
			return err
		}
	}
	return nil
}

func (j *jsonlWriter[T]) Close() error { return j.buf.Flush() }

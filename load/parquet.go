package load

import (
	"encoding/json"
	"io"

	"github.com/parquet-go/parquet-go"

	"github.com/articleetl/articleetl/schemas"
)

// MetadataKey is the Parquet key-value metadata key under which every file carries a JSON
// object naming its table and schema version, following the one-namespaced-key convention
// of pandas and GeoParquet. DuckDB shows it with parquet_kv_metadata().
const MetadataKey = "articleetl"

// FileMetadata is the JSON value stored under MetadataKey.
type FileMetadata struct {
	Table         string `json:"table"`
	SchemaVersion string `json:"schema_version"`
}

// unboundedColumns hold free text: prose, sentences, titles and questions. Their min/max
// are useless for filtering (nobody prunes row groups on the alphabetical range of the
// answers) and cost their length twice in the column chunk metadata, and again in the
// column index. Identifiers, enumerations, numbers, dates and short labels (unit, kind,
// section, location, source, URLs) keep their bounds: warehouses prune on those. Each
// entry is the full path of a leaf column, as parquet-go matches them: a list's values are
// in <name>.list.element.
var unboundedColumns = [][]string{
	{"title"},                                // documents
	{"standfirst"},                           // documents
	{"question"},                             // qa_pairs
	{"question_context"},                     // qa_pairs
	{"answer"},                               // qa_pairs
	{"answer_paragraphs", "list", "element"}, // qa_pairs
	{"description"},                          // working_groups
	{"raw"},                                  // facts
	{"sentence"},                             // facts
	{"old_value"},                            // changes
	{"new_value"},                            // changes
	{"record_text"},                          // changes
	{"reason"},                               // errors
}

// rowsPerGroup bounds a row group so that memory stays flat however many rows a run writes.
const rowsPerGroup = 1 << 16

// pageBufferSize is the size of the buffer parquet-go keeps for each column before it
// encodes a page. Every column of every open writer has one (75 columns across the six
// tables), and at the default of 256 KiB they were the largest part of the writers' fixed
// memory. At 32 KiB (8,192 dictionary indexes) the five content writers hold about 2 MB
// less, for files within 0.5% of the same size (measured on the generated corpora); most
// column chunks still have one page.
const pageBufferSize = 32 << 10

// parquetOptions are the writer settings every reader we target accepts: v1 data pages
// (Snowflake and older Spark cannot fully read v2), zstd, statistics on.
func parquetOptions(table schemas.Table, toolVersion string) []parquet.WriterOption {
	meta, _ := json.Marshal(FileMetadata{Table: table.Name, SchemaVersion: table.Version})
	opts := []parquet.WriterOption{
		// zstd, with one small encoder for the whole process (parquetZstd, zstd.go).
		parquet.Compression(parquetZstd),
		// parquet-go's default for strings is DELTA_LENGTH_BYTE_ARRAY, which older pyarrow
		// cannot read; columns tagged dict keep dictionary encoding.
		parquet.DefaultEncodingFor(parquet.ByteArray, &parquet.Plain),
		parquet.DataPageVersion(1),
		// Page-header statistics repeat what the column chunk statistics hold for a chunk
		// of one page, and what the column index holds for a chunk of several; the chunk
		// statistics (min, max, null count) stay, and are what Spark, DuckDB and
		// warehouses prune row groups with.
		parquet.DataPageStatistics(false),
		parquet.PageBufferSize(pageBufferSize),
		parquet.MaxRowsPerRowGroup(rowsPerGroup),
		parquet.KeyValueMetadata(MetadataKey, string(meta)),
		parquet.CreatedBy("articleetl", toolVersion, "parquet-go"),
	}
	// SkipPageBounds takes one column path per call: given several names at once it reads
	// them as the segments of a single nested path, which matches no column.
	for _, path := range unboundedColumns {
		opts = append(opts, parquet.SkipPageBounds(path...))
	}
	return opts
}

// rowGroupBytes bounds a row group by what parquet-go's Size reports for it: the encoded
// pages, the dictionaries' values and the buffered dictionary indexes. The writer holds
// two to three times that (each dictionary also keeps a hash table and a copy of every
// distinct value, and buffers grow by doubling), all of it until the row group is
// flushed, so this bound is what keeps a writer's memory flat over a long run. It used to
// be 4 MiB, which this repetitive data never reached: every table was one row group and
// the writers' memory grew with the run. Measured on the generated corpora (100 and 2,000
// snapshots plus 5% duplicates, bench/benchtool): the live heap the five content writers
// hold at their largest (zstd encoder aside), Parquet size against zstd JSONL, and peak
// RSS of `articleetl run --workers 2` (medians of 5):
//
//	bound    writers' heap       Parquet / zstd JSONL   peak RSS
//	         100 / 2,000         100 / 2,000            100 / 2,000
//	4 MiB    1.3 / 10.2 MB       1.12 / 0.71            31 / 62 MB
//	512 KiB  1.3 / 7.6 MB        1.12 / 0.73            33 / 56 MB
//	384 KiB  1.3 / 7.3 MB        1.12 / 0.77
//	256 KiB  1.3 / 4.3 MB        1.12 / 0.80            32 / 53 MB
//	192 KiB  1.3 / 3.9 MB        1.12 / 0.85
//	128 KiB  1.8 / 3.2 MB        1.23 / 0.94            34 / 50 MB
//
// 256 KiB is the knee: below it each row group repeats its dictionaries for little memory
// saved (128 KiB: 1 MB less, files 18% larger, and 100 snapshots no longer fit in one
// row group). Most of what still grows from 100 to 2,000 snapshots is not held by the
// writers: with JSON Lines alone peak RSS goes from 27 to 39 MB.
const rowGroupBytes = 256 << 10

// parquetWriter streams rows of one table into a Parquet file.
type parquetWriter[T any] struct {
	w       *parquet.GenericWriter[T]
	flushed int64 // Size after the last flushed row group
}

func newParquetWriter[T any](out io.Writer, table schemas.Table, toolVersion string) *parquetWriter[T] {
	return &parquetWriter[T]{w: parquet.NewGenericWriter[T](out, parquetOptions(table, toolVersion)...)}
}

func (p *parquetWriter[T]) Write(rows []T) (err error) {
	defer recoverPanic("writing parquet", &err)
	if _, err = p.w.Write(rows); err != nil {
		return err
	}
	if p.w.Size()-p.flushed > rowGroupBytes {
		if err = p.w.Flush(); err != nil {
			return err
		}
		p.flushed = p.w.Size()
	}
	return nil
}

func (p *parquetWriter[T]) Close() (err error) {
	defer recoverPanic("closing parquet", &err)
	return p.w.Close()
}

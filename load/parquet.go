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


// longTextColumns hold prose: their min/max bounds are useless for filtering and large.
var longTextColumns = []string{"standfirst", "answer", "answer_paragraphs", "description", "sentence", "old_value", "new_value", "record_text", "reason"}

// rowsPerGroup bounds a row group so that memory stays flat however many rows a run writes.
const rowsPerGroup = 1 << 16

// parquetOptions are the writer settings every reader we target accepts: v1 data pages
// (Snowflake and older Spark cannot fully read v2), zstd, statistics on.
func parquetOptions(table schemas.Table, toolVersion string) []parquet.WriterOption {
	meta, _ := json.Marshal(FileMetadata{Table: table.Name, SchemaVersion: table.Version})
	return []parquet.WriterOption{
		// zstd at the better level (parquetZstd): files are written once and read many
		// times, and the better level costs little on pages this size.
		parquet.Compression(parquetZstd),
		// parquet-go's default for strings is DELTA_LENGTH_BYTE_ARRAY, which older pyarrow
		// cannot read; columns tagged dict keep dictionary encoding.
		parquet.DefaultEncodingFor(parquet.ByteArray, &parquet.Plain),
		parquet.DataPageVersion(1),
		// Page-header statistics repeat what the column index holds; long text columns get no
		// min/max at all (nobody filters on an answer's bounds, and they would be stored
		// several times over). Together these keep Parquet smaller than zstd-compressed JSONL.
		parquet.DataPageStatistics(false),
		parquet.SkipPageBounds(longTextColumns...),
		parquet.MaxRowsPerRowGroup(rowsPerGroup),
		parquet.KeyValueMetadata(MetadataKey, string(meta)),
		parquet.CreatedBy("articleetl", toolVersion, "parquet-go"),
	}
}

// rowGroupBytes bounds the uncompressed size of the row group a writer holds in memory:
// a row count alone would let a table of long answers buffer tens of megabytes.
const rowGroupBytes = 4 << 20

// parquetWriter streams rows of one table into a Parquet file.
type parquetWriter[T any] struct {
	w       *parquet.GenericWriter[T]
	flushed int64 // file size after the last flushed row group
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

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

// rowsPerGroup bounds a row group so that memory stays flat however many rows a run writes.
const rowsPerGroup = 1 << 16

// parquetOptions are the writer settings every reader we target accepts: v1 data pages
// (Snowflake and older Spark cannot fully read v2), zstd, statistics on.
func parquetOptions(table schemas.Table, toolVersion string) []parquet.WriterOption {
	meta, _ := json.Marshal(FileMetadata{Table: table.Name, SchemaVersion: table.Version})
	return []parquet.WriterOption{
		parquet.Compression(&parquet.Zstd),
		// parquet-go's default for strings is DELTA_LENGTH_BYTE_ARRAY, which older pyarrow
		// cannot read; columns tagged dict keep dictionary encoding.
		parquet.DefaultEncodingFor(parquet.ByteArray, &parquet.Plain),
		parquet.DataPageVersion(1),
		parquet.DataPageStatistics(true),
		parquet.MaxRowsPerRowGroup(rowsPerGroup),
		parquet.KeyValueMetadata(MetadataKey, string(meta)),
		parquet.CreatedBy("articleetl", toolVersion, "parquet-go"),
	}
}

// parquetWriter streams rows of one table into a Parquet file.
type parquetWriter[T any] struct {
	w *parquet.GenericWriter[T]
}

func newParquetWriter[T any](out io.Writer, table schemas.Table, toolVersion string) *parquetWriter[T] {
	return &parquetWriter[T]{w: parquet.NewGenericWriter[T](out, parquetOptions(table, toolVersion)...)}
}

func (p *parquetWriter[T]) Write(rows []T) (err error) {
	defer recoverPanic("writing parquet", &err)
	_, err = p.w.Write(rows)
	return err
}

func (p *parquetWriter[T]) Close() (err error) {
	defer recoverPanic("closing parquet", &err)
	return p.w.Close()
}

package load

import (
	"sync"

	kzstd "github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go/compress/zstd"
)

// zstdCodec is parquet-go's zstd codec with one encoder kept for the life of the process
// instead of parquet-go's pool of them. The pool is a sync.Pool, which every garbage
// collection empties, and an encoder allocates megabytes of match tables and history when
// it is built: a run of 200 pages built them again and again (about 20 MB of allocation),
// and each rebuild during a row group flush showed as a 16–25 MB jump in live heap.
//
// Because the one encoder is live for the whole run, its size counts twice in the peak
// memory of a long run (the garbage collector lets the heap grow to twice what is live),
// so it is built small:
//
//   - the default level rather than the better one: its match tables are 1 MB rather than
//     4 MB, for Parquet files 1–1.5% larger (measured on the generated corpora: 1.12×
//     rather than 1.11× the zstd JSONL at 100 snapshots, 0.80× rather than 0.79× at
//     2,000) and a peak RSS 8–9 MB lower at 2,000 snapshots;
//   - a 256 KiB window with WithLowerEncoderMem, so the history buffer is 384 KiB rather
//     than 2 MiB. A page is rarely larger (pageBufferSize, rowGroupBytes), and the files
//     of the generated corpora are byte for byte those written with a 1 MiB window.
//
// The encoder holds 2.0 MB once it has compressed a page, against 6.8 MB at the better
// level with a 1 MiB window.
type zstdCodec struct {
	zstd.Codec // String, CompressionCodec and Decode
	once       sync.Once
	enc        *kzstd.Encoder
}

// zstdWindow is the encoder's window (see zstdCodec).
const zstdWindow = 256 << 10

// Encode compresses src into dst. EncodeAll may be called from several goroutines at
// once; with an encoder concurrency of 1 they take turns.
func (c *zstdCodec) Encode(dst, src []byte) ([]byte, error) {
	c.once.Do(func() {
		var err error
		c.enc, err = kzstd.NewWriter(nil,
			kzstd.WithEncoderConcurrency(1),
			kzstd.WithEncoderLevel(c.Level),
			kzstd.WithZeroFrames(true),
			kzstd.WithEncoderCRC(false),
			kzstd.WithWindowSize(zstdWindow),
			kzstd.WithLowerEncoderMem(true),
		)
		if err != nil {
			panic(err) // only for invalid options, which these are not
		}
	})
	return c.enc.EncodeAll(src, dst[:0]), nil
}

var parquetZstd = &zstdCodec{Codec: zstd.Codec{Level: zstd.SpeedDefault}}

package load

import (
	"sync"

	kzstd "github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go/compress/zstd"
)

// zstdCodec is parquet-go's zstd codec at the better level, with one encoder kept for
// the life of the process instead of parquet-go's pool of them. The pool is a sync.Pool,
// which every garbage collection empties, and an encoder at this level allocates several
// megabytes of match tables and history when it is built: a run of 200 pages built them
// again and again (about 20 MB of allocation), and each rebuild during a row group flush
// showed as a 16–25 MB jump in live heap. The encoder is built with the options
// parquet-go uses, so the compressed bytes are the same.
type zstdCodec struct {
	zstd.Codec // String, CompressionCodec and Decode
	once       sync.Once
	enc        *kzstd.Encoder
}

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
			kzstd.WithWindowSize(1<<20),
		)
		if err != nil {
			panic(err) // only for invalid options, which these are not
		}
	})
	return c.enc.EncodeAll(src, dst[:0]), nil
}

var parquetZstd = &zstdCodec{Codec: zstd.Codec{Level: zstd.SpeedBetterCompression}}

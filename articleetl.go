// Package articleetl holds what the whole tool shares: its version and the article snapshot
// built into the binary. The pipeline lives in the extract, transform, load and schemas
// packages; the command line in cmd/articleetl.
package articleetl

import _ "embed"

// Version is the version of the articleetl tool, written into manifests and Parquet files.
const Version = "0.2.1"

// SnapshotName is the source name of the embedded snapshot in outputs.
const SnapshotName = "embedded:understanding-the-coalition-against-isis-2018-05-17.html"

// Snapshot is the Wix rendering of "Understanding the Coalition against ISIS" (updated
// May 17, 2018) that `articleetl run` processes when given no input.
//
//go:embed testdata/article/wix.html
var Snapshot []byte

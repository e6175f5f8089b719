// Package schemas holds the record types articleetl writes and their versioned contracts.
//
// The Go structs in records.go are the single source of truth: their `parquet` tags define
// the Parquet columns, their `json` tags the JSONL field names, and their `doc` tags the
// column descriptions used in JSON Schema, the README column reference and (later) data
// package descriptors. The JSON Schema file of every released version of every table is
// kept under schemas/<version>/<table>.schema.json and embedded in the binary; a test
// regenerates the schema of the current structs and fails when it differs from the file
// of the declared version, so a record type cannot change without its version changing.
package schemas

// Package load writes records as a dataset: one Parquet and one newline-delimited JSON file
// per table, and a manifest describing the run. Files are written into a staging directory
// beside the output and renamed into place only when every file is complete, so a failed or
// interrupted run leaves the output directory as it was.
package load

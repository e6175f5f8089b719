package validate

import (
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/schemas"
)

// checkManifest checks the manifest itself and returns its tables in the order their files
// are to be checked (articleetl's tables in schemas.Tables() order, so referenced tables come
// first, then unknown ones), and the set of paths it lists.
func (c *checker) checkManifest(m *load.Manifest) ([]*tableCheck, map[string]bool) {
	manifestProblem := func(field, format string, args ...any) {
		c.add(Problem{File: load.ManifestName, Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	listed := map[string]bool{}
	byName := map[string]*tableCheck{}
	var unknown []*tableCheck
	for i, mt := range m.Tables {
		field := fmt.Sprintf("tables[%d]", i)
		if byName[mt.Name] != nil {
			manifestProblem(field+".name", "table %s is listed twice", mt.Name)
			for _, f := range mt.Files {
				listed[f.Path] = true
			}
			continue
		}
		tc := &tableCheck{name: mt.Name, version: mt.SchemaVersion}
		byName[mt.Name] = tc
		var tableSchema *versionSchema
		if t, err := schemas.Lookup(mt.Name); err != nil {
			manifestProblem(field+".name", "%v", err)
			unknown = append(unknown, tc)
		} else {
			tc.table = t
			if tableSchema, err = c.schemaFor(mt.Name, mt.SchemaVersion); err != nil {
				manifestProblem(field+".schema_version", "%v", err)
			}
		}
		rows := map[string]int64{}
		for j, f := range mt.Files {
			ff := fmt.Sprintf("%s.files[%d]", field, j)
			if !fs.ValidPath(f.Path) || f.Path == "." || strings.Contains(f.Path, `\`) {
				manifestProblem(ff+".path", "%q is not a relative path with forward slashes inside the directory", f.Path)
				continue
			}
			if listed[f.Path] {
				manifestProblem(ff+".path", "%s is listed twice", f.Path)
				continue
			}
			listed[f.Path] = true
			switch load.Format(f.Format) {
			case load.FormatJSONL, load.FormatParquet:
				if path.Ext(f.Path) != "."+f.Format {
					manifestProblem(ff+".path", "%s does not end in .%s, its format", f.Path, f.Format)
				}
				rows[f.Format] += f.Rows
			default:
				manifestProblem(ff+".format", "unknown format %q (formats: parquet, jsonl)", f.Format)
			}
			fc := &fileCheck{ManifestFile: f, table: tc, version: mt.SchemaVersion, schema: tableSchema}
			// A file keeps the version it was written with: in the partitioned layout a
			// table's older parts can be of an earlier minor version than the table.
			if f.SchemaVersion != "" && f.SchemaVersion != mt.SchemaVersion && tc.table.Name != "" {
				var err error
				fc.version = f.SchemaVersion
				if fc.schema, err = c.schemaFor(mt.Name, f.SchemaVersion); err != nil {
					manifestProblem(ff+".schema_version", "%v", err)
				} else if reason := versionWithin(f.SchemaVersion, mt.SchemaVersion); reason != "" {
					manifestProblem(ff+".schema_version", "%s", reason)
				}
			}
			tc.files = append(tc.files, fc)
		}
		for _, format := range slices.Sorted(maps.Keys(rows)) {
			if rows[format] != mt.Rows {
				manifestProblem(field+".rows", "table %s has %d rows, but its %s files list %d", mt.Name, mt.Rows, format, rows[format])
			}
		}
	}
	var tables []*tableCheck
	for _, t := range schemas.Tables() {
		if tc := byName[t.Name]; tc != nil {
			tables = append(tables, tc)
		}
	}
	// Only documents is required: every other table refers to it. Which other tables a
	// dataset has depends on the version that wrote it (changes and errors came after 1.0.0);
	// a table's files left out of the manifest are reported as unlisted, and a table that
	// is wholly absent as the counts and references into it that fail.
	if byName[schemas.Documents.Name] == nil {
		manifestProblem("tables", "table %s is missing", schemas.Documents.Name)
	}
	return append(tables, unknown...), listed
}

// versionWithin says what is wrong with a file's schema version inside a table of another
// version, or "": a table's files must share its major version (a reader of the table
// could not read a removed, renamed or retyped column) and not be newer than it.
func versionWithin(file, table string) string {
	fileMajor, _, _, errF := schemas.ParseVersion(file)
	tableMajor, _, _, errT := schemas.ParseVersion(table)
	switch {
	case errF != nil || errT != nil:
		return ""
	case fileMajor != tableMajor:
		return fmt.Sprintf("file version %s has another major version than its table's %s", file, table)
	case schemas.CompareVersions(file, table) > 0:
		return fmt.Sprintf("file version %s is newer than its table's %s", file, table)
	}
	return ""
}

package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/schemas"
)

// existingDataset is what a run needs to know of the dataset it appends to.
type existingDataset struct {
	dir          string
	manifest     *load.Manifest
	captures     []snapshotAt // its document rows, in order, as the timeline holds them
	bases        *baseRows
	bySHA        map[shaKey]*schemas.Document // bases by content hash, for exact duplicates
	snapshots    []string
	documentKeys []load.DocumentKey
	errorKeys    []load.ErrorKey
	changeIDs    map[string]bool
}

// openExisting reads the dataset in cfg.Out, if any, and checks that this run may write
// there: appends go to partitioned datasets of the same major schema versions, plain
// runs never overwrite a partitioned dataset.
func openExisting(cfg Config) (*existingDataset, error) {
	e := &existingDataset{dir: cfg.Out, changeIDs: map[string]bool{}, bases: newBaseRows(), bySHA: map[shaKey]*schemas.Document{}}
	m, err := load.ReadManifest(cfg.Out)
	if errors.Is(err, fs.ErrNotExist) {
		return e, nil
	}
	if err != nil {
		return nil, err
	}
	switch {
	case !cfg.Append && m.Layout == load.LayoutPartitioned:
		return nil, fmt.Errorf("%s holds an appendable dataset: add to it with --append, or write to another --out", cfg.Out)
	case !cfg.Append:
		return e, nil // a flat run replaces the previous flat run's files
	case m.Layout != load.LayoutPartitioned:
		return nil, fmt.Errorf("%s holds a dataset written without --append: appendable datasets need their own directory", cfg.Out)
	}
	if err := checkMajorVersions(cfg.Out, m); err != nil {
		return nil, err
	}
	if err := load.CheckFiles(cfg.Out, m); err != nil {
		return nil, fmt.Errorf("%w (check it with articleetl validate; nothing was appended)", err)
	}
	e.manifest = m
	// The few inputs whose Content-Type decided how their bytes were decoded are known to
	// exact duplicates by their bytes and that charset (dupKey), as in the run that read
	// them; the manifest records it with the input.
	charsets := map[load.DocumentKey]string{}
	for _, in := range m.Inputs {
		if in.Charset != "" && in.Status != load.StatusFailed {
			charsets[load.DocumentKeyOf(&schemas.Document{SnapshotID: in.SnapshotID, Source: in.Source, CapturedAt: in.CapturedAt})] = in.Charset
		}
	}
	seen := map[string]bool{}
	err = load.ReadRows(cfg.Out, m, schemas.Documents.Name, func(d *schemas.Document) error {
		base := e.bases.of(d)
		e.captures = append(e.captures, snapshotAt{doc: base, at: d.CapturedAt, seq: len(e.captures)})
		key := load.DocumentKeyOf(d)
		if sum, ok := parseSHA(d.ContentSHA256); ok {
			e.bySHA[keyOf(sum, charsets[key])] = base
		}
		e.documentKeys = append(e.documentKeys, key)
		if !seen[d.SnapshotID] {
			seen[d.SnapshotID] = true
			e.snapshots = append(e.snapshots, d.SnapshotID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = load.ReadRows(cfg.Out, m, schemas.Errors.Name, func(row *schemas.InputError) error {
		e.errorKeys = append(e.errorKeys, load.ErrorKeyOf(row))
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = load.ReadRows(cfg.Out, m, schemas.Changes.Name, func(c *schemas.Change) error {
		e.changeIDs[c.ChangeID] = true
		return nil
	})
	return e, err
}

// checkMajorVersions refuses to append to a dataset whose tables have another major schema
// version than this articleetl writes.
func checkMajorVersions(dir string, m *load.Manifest) error {
	for _, mt := range m.Tables {
		t, err := schemas.Lookup(mt.Name)
		if err != nil {
			return fmt.Errorf("%s: %w", dir, err)
		}
		have, _, _, err := schemas.ParseVersion(mt.SchemaVersion)
		if err != nil {
			return fmt.Errorf("%s: table %s: %w", dir, mt.Name, err)
		}
		want, _, _, _ := schemas.ParseVersion(t.Version)
		if have != want {
			return fmt.Errorf("%s: table %s has schema %s and this articleetl writes %s: a different major version cannot be appended to; write to a new directory",
				dir, mt.Name, mt.SchemaVersion, t.Version)
		}
		// A file written by a newer articleetl, at a version this one has no schema for,
		// could not be described in the data package: refused now, not after every input
		// has been processed ("no JSON Schema for table ...").
		for _, f := range append([]load.ManifestFile{{SchemaVersion: mt.SchemaVersion}}, mt.Files...) {
			if _, err := schemas.ReleasedJSONSchema(mt.Name, f.SchemaVersion); err != nil {
				return fmt.Errorf("%s: table %s has schema %s, which this articleetl (writing %s) does not know: append with the newer articleetl that wrote it",
					dir, mt.Name, f.SchemaVersion, t.Version)
			}
		}
	}
	return nil
}

// appendFormats returns the formats an append to the dataset m writes: the ones it holds.
// Each format's tree holds every row, so a part in one format only would leave the other
// tree short of rows (and the manifest's row counts wrong for it); another set of formats
// than the dataset's is refused unless the formats were not asked for.
func appendFormats(cfg Config, m *load.Manifest) ([]load.Format, error) {
	var have []load.Format
	for _, f := range []load.Format{load.FormatParquet, load.FormatJSONL} {
		for _, t := range m.Tables {
			if slices.ContainsFunc(t.Files, func(mf load.ManifestFile) bool { return mf.Format == string(f) }) {
				have = append(have, f)
				break
			}
		}
	}
	if len(have) == 0 {
		return cfg.Formats, nil
	}
	if cfg.FormatsFromDataset {
		return have, nil
	}
	same := len(have) == len(cfg.Formats)
	for _, f := range cfg.Formats {
		same = same && slices.Contains(have, f)
	}
	if !same {
		return nil, fmt.Errorf("%s holds %s files and this run writes %s: an append writes the formats the dataset has (give --format %s, or no --format)",
			cfg.Out, joinFormats(have, " and "), joinFormats(cfg.Formats, " and "), joinFormats(have, ","))
	}
	return cfg.Formats, nil
}

func joinFormats(fs []load.Format, sep string) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = string(f)
	}
	return strings.Join(s, sep)
}

// records reads the records of the given snapshots from the existing dataset.
func (e *existingDataset) records(ids map[string]bool) (map[string]*schemas.Records, error) {
	out := map[string]*schemas.Records{}
	if len(ids) == 0 || e.manifest == nil {
		return out, nil
	}
	get := func(id string) *schemas.Records {
		if out[id] == nil {
			out[id] = &schemas.Records{}
		}
		return out[id]
	}
	err := readSnapshotRows(e.dir, e.manifest, func(id string) *schemas.Records {
		if !ids[id] {
			return nil
		}
		return get(id)
	})
	for id := range ids {
		get(id) // a snapshot with no records at all is still a snapshot
	}
	return out, err
}

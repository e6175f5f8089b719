package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/schemas"
	"github.com/articleetl/articleetl/source"
)

// shardInput is one input of a sharded run, as a shard's manifest lists it. A merge holds
// one for every input of every shard until it has replayed them all, so it holds no more
// than the replay needs: the input's document row is its base (baseRows, shared by the
// captures of one version) and the source, capture time and hash of the input itself,
// which complete it. Holding the manifest entry and the whole row cost about 1.2 KB an
// input (TestMergeMemoryPerCapture), more than the run that wrote the shard.
type shardInput struct {
	seq     int
	source  string
	origin  string // as the shard's manifest gives it ("" when it names none)
	sha     string // hex, as the manifest gives it ("" for an input that could not be read)
	charset string // as the manifest gives it: the charset that decided the decoding, if one did
	at      *time.Time
	dir     string
	doc     *schemas.Document   // the base row, for inputs that gave records
	err     *schemas.InputError // for failed inputs: the row of its key (one for an input failed twice)
	reason  string              // for failed inputs: why, as the shard's manifest gives it for this one
}

// document returns the input's documents row.
func (in *shardInput) document() schemas.Document {
	return inputRow(in.doc, in.source, in.at, in.sha)
}

// Merge combines the flat outputs of the shards of one run (run with --shard i/n on the
// same arguments) into one flat dataset in cfg.Out, equal table for table to what a single
// run over all inputs writes: inputs are replayed in their original order, a snapshot seen
// by several shards is written once, and changes are computed over the whole timeline.
// Each shard's records are read one shard at a time and kept on disk until written.
func Merge(ctx context.Context, shardDirs []string, cfg Config) (Result, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler) // records are not even formatted
	}
	manifests, err := readShardManifests(shardDirs)
	if err != nil {
		return Result{}, err
	}
	if outInfo, err := os.Stat(cfg.Out); err == nil {
		for _, dir := range shardDirs {
			if info, err := os.Stat(dir); err == nil && os.SameFile(outInfo, info) {
				// Committing the merge there would replace the shard's files by the
				// merged tables: the shard would be gone.
				return Result{}, fmt.Errorf("--out %s is shard %s: merge into another directory", cfg.Out, dir)
			}
		}
	}
	if m, err := load.ReadManifest(cfg.Out); err == nil && m.Layout == load.LayoutPartitioned {
		return Result{}, fmt.Errorf("%s holds an appendable dataset: merge into another --out", cfg.Out)
	}
	existing, err := openExisting(Config{Out: cfg.Out})
	if err != nil {
		return Result{}, err
	}
	ds, err := load.Create(cfg.Out, load.Options{Formats: cfg.Formats, ToolVersion: cfg.ToolVersion, Layout: load.LayoutFlat})
	if err != nil {
		return Result{}, err
	}
	r := newRunner(cfg, ds, existing)
	if r.spill, err = newSpill("articleetl-merge-"); err != nil {
		ds.Abort()
		return Result{}, err
	}
	defer r.spill.remove()

	started := time.Now().UTC()
	inputs, err := r.readShards(ctx, shardDirs, manifests)
	if err == nil {
		err = r.replay(ctx, inputs)
	}
	if err == nil {
		err = r.writeChanges(ctx)
	}
	if err != nil {
		ds.Abort()
		return r.res, err
	}
	for _, t := range schemas.Tables() {
		r.res.Rows[t.Name] = ds.Rows(t.Name)
	}
	m := load.Manifest{Tool: "articleetl", ToolVersion: cfg.ToolVersion, StartedAt: started, FinishedAt: time.Now().UTC(),
		InputsNamed: manifests[0].InputsNamed, ArgumentsSHA256: manifests[0].ArgumentsSHA256}
	m.Host, _ = os.Hostname()
	if err := ds.Commit(m); err != nil {
		return r.res, fmt.Errorf("writing %s: %w", cfg.Out, err)
	}
	return r.res, nil
}

// readShardManifests reads the manifests of the shard directories and checks that they
// are the shards of one run, each once: the same n in every "i/n", every i from 0 to n-1,
// the same articleetl version and this articleetl's schema versions, the same arguments
// and options (arguments_sha256) and the same count of inputs named. An output written
// without --shard is the one shard 0/1. readShards then checks that every input named is
// in exactly one shard.
func readShardManifests(dirs []string) ([]*load.Manifest, error) {
	manifests := make([]*load.Manifest, len(dirs))
	byIndex := map[int]string{}
	var first Shard
	var version string
	for k, dir := range dirs {
		m, err := load.ReadManifest(dir)
		if err != nil {
			return nil, fmt.Errorf("shard %s: %w", dir, err)
		}
		if m.Layout != load.LayoutFlat {
			return nil, fmt.Errorf("shard %s: only flat shard outputs can be merged (run shards without --append)", dir)
		}
		if err := checkSameVersions(dir, m); err != nil {
			return nil, err
		}
		sh := Shard{Count: 1}
		if m.Shard != "" {
			if sh, err = ParseShard(m.Shard); err != nil {
				return nil, fmt.Errorf("shard %s: its manifest's %w", dir, err)
			}
		}
		if k == 0 {
			first, version = sh, m.ToolVersion
		}
		switch {
		case m.ToolVersion != version:
			return nil, fmt.Errorf("shard %s was written by articleetl %s and shard %s by %s: merge the shards of one run, made with one version", dir, m.ToolVersion, dirs[0], version)
		case sh.Count != first.Count:
			return nil, fmt.Errorf("shard %s is %s and shard %s is %s: merge the shards of one run", dir, shardName(sh), dirs[0], shardName(first))
		case byIndex[sh.Index] == dir:
			return nil, fmt.Errorf("shard %s is given twice", dir)
		case byIndex[sh.Index] != "":
			return nil, fmt.Errorf("shards %s and %s are both %s: give each shard once", byIndex[sh.Index], dir, shardName(sh))
		case m.ArgumentsSHA256 == "": // inputs_named is written with it, and may be 0
			return nil, fmt.Errorf("shard %s: its manifest does not record the run's inputs (written before merge checked them): run the shards again with this articleetl", dir)
		case k > 0 && m.ArgumentsSHA256 != manifests[0].ArgumentsSHA256:
			return nil, fmt.Errorf("shard %s and shard %s were run on other arguments or options (the inputs, --content-selector, --max-input-size or --timeout): merge the shards of one run", dir, dirs[0])
		case k > 0 && m.InputsNamed != manifests[0].InputsNamed:
			return nil, fmt.Errorf("shard %s counted %d inputs and shard %s %d: the shards read their inputs differently (a directory or a URL gave them other inputs)", dir, m.InputsNamed, dirs[0], manifests[0].InputsNamed)
		}
		byIndex[sh.Index] = dir
		m.Inputs = nil // readShards reads them again, a shard at a time: all at once cost the merge 250 B a capture
		manifests[k] = m
	}
	if n := first.Count - len(byIndex); n > 0 {
		// Named up to a few: a run may have millions of shards, and the error is one line.
		const named = 5
		var some []string
		for i := 0; len(some) < min(n, named); i++ {
			if byIndex[i] == "" {
				some = append(some, fmt.Sprintf("%d/%d", i, first.Count))
			}
		}
		switch {
		case n == 1:
			return nil, fmt.Errorf("shard %s is missing: merge all %d shards of the run", some[0], first.Count)
		case n > named:
			return nil, fmt.Errorf("%d shards are missing (%s and %d more): merge all %d shards of the run", n, strings.Join(some, ", "), n-named, first.Count)
		}
		return nil, fmt.Errorf("shards %s are missing: merge all %d shards of the run", strings.Join(some, ", "), first.Count)
	}
	return manifests, nil
}

// checkSameVersions refuses a shard whose tables have other schema versions than this
// articleetl writes: the merged manifest declares this articleetl's versions, and the rows
// copied from the shards carry theirs, so they must be the same (validate checks them).
func checkSameVersions(dir string, m *load.Manifest) error {
	for _, mt := range m.Tables {
		t, err := schemas.Lookup(mt.Name)
		if err != nil {
			return fmt.Errorf("shard %s: %w", dir, err)
		}
		if mt.SchemaVersion != t.Version {
			return fmt.Errorf("shard %s: table %s has schema %s and this articleetl writes %s: merge with the articleetl that wrote the shards",
				dir, mt.Name, mt.SchemaVersion, t.Version)
		}
	}
	return nil
}

// shardName is a shard as its manifest names it, or "an unsharded run".
func shardName(s Shard) string {
	if s.Count <= 1 {
		return "an unsharded run"
	}
	return s.String()
}

// readShards lists every shard's inputs and moves its records to the spill file.
func (r *runner) readShards(ctx context.Context, dirs []string, manifests []*load.Manifest) ([]shardInput, error) {
	var all []shardInput
	for k, dir := range dirs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m, err := load.ReadManifest(dir)
		if err != nil {
			return nil, fmt.Errorf("shard %s: %w", dir, err)
		}
		if m.Shard != manifests[k].Shard || m.ArgumentsSHA256 != manifests[k].ArgumentsSHA256 {
			return nil, fmt.Errorf("shard %s: its manifest changed during the merge", dir)
		}
		docs := map[load.DocumentKey]*schemas.Document{} // bases by the key of their rows
		if err := load.ReadRows(dir, m, schemas.Documents.Name, func(d *schemas.Document) error {
			docs[load.DocumentKeyOf(d)] = r.bases.of(d)
			return nil
		}); err != nil {
			return nil, err
		}
		var errs []schemas.InputError
		if err := load.ReadRows(dir, m, schemas.Errors.Name, func(e *schemas.InputError) error {
			errs = append(errs, *e)
			return nil
		}); err != nil {
			return nil, err
		}
		rows := newErrorRows(errs)
		for _, in := range m.Inputs {
			si := shardInput{seq: in.Seq, source: in.Source, origin: in.Origin, sha: in.SHA256, charset: in.Charset, at: in.CapturedAt, dir: dir, reason: in.Error}
			if in.Status == load.StatusFailed {
				if si.err = rows.of(in.Source, in.Origin); si.err == nil {
					return nil, fmt.Errorf("shard %s: failed input %s has no row in the errors table", dir, in.Source)
				}
			} else {
				key := load.DocumentKeyOf(&schemas.Document{SnapshotID: in.SnapshotID, Source: in.Source, CapturedAt: in.CapturedAt})
				if si.doc = docs[key]; si.doc == nil {
					return nil, fmt.Errorf("shard %s: input %s has no documents row", dir, in.Source)
				}
			}
			all = append(all, si)
		}
		if err := r.spillShard(dir, m, docs); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(all, func(a, b shardInput) int { return cmp.Compare(a.seq, b.seq) })
	for i := 1; i < len(all); i++ {
		if a, b := &all[i-1], &all[i]; a.seq == b.seq {
			return nil, fmt.Errorf("input %d (%s) is in shards %s and %s: were they run on the same arguments?", b.seq, b.source, a.dir, b.dir)
		}
	}
	// Every input the arguments named is in exactly one shard.
	named := manifests[0].InputsNamed
	for i := range named {
		if i >= len(all) || all[i].seq != i {
			return nil, fmt.Errorf("input %d of the %d the run named is in no shard: were the shards run on the same inputs?", i, named)
		}
	}
	if len(all) > named {
		return nil, fmt.Errorf("shard %s lists input %d, but the run named %d inputs (inputs_named in its manifest): a manifest does not match the run", all[named].dir, all[named].seq, named)
	}
	return all, nil
}

// spillShard writes each snapshot of a shard to the spill file, unless another shard
// already did: records of the same snapshot are the same whichever shard extracted them.
func (r *runner) spillShard(dir string, m *load.Manifest, docs map[load.DocumentKey]*schemas.Document) error {
	bySnap := map[string]*schemas.Records{}
	for _, d := range docs {
		if r.spill.has(d.SnapshotID) {
			continue
		}
		if bySnap[d.SnapshotID] == nil {
			bySnap[d.SnapshotID] = &schemas.Records{Document: *d}
		}
	}
	get := func(id string) *schemas.Records { return bySnap[id] }
	err := readSnapshotRows(dir, m, get)
	if err != nil {
		return err
	}
	for _, recs := range bySnap {
		if err := r.spill.put(recs, false); err != nil {
			return err
		}
	}
	return nil
}

// readSnapshotRows adds a dataset's Q&A pairs, working groups and facts to the records
// get returns for their snapshot; rows of snapshots get returns nil for are skipped.
func readSnapshotRows(dir string, m *load.Manifest, get func(snapshotID string) *schemas.Records) error {
	if err := load.ReadRows(dir, m, schemas.QAPairs.Name, func(q *schemas.QAPair) error {
		if rec := get(q.SnapshotID); rec != nil {
			rec.QAPairs = append(rec.QAPairs, *q)
		}
		return nil
	}); err != nil {
		return err
	}
	if err := load.ReadRows(dir, m, schemas.WorkingGroups.Name, func(g *schemas.WorkingGroup) error {
		if rec := get(g.SnapshotID); rec != nil {
			rec.WorkingGroups = append(rec.WorkingGroups, *g)
		}
		return nil
	}); err != nil {
		return err
	}
	return load.ReadRows(dir, m, schemas.Facts.Name, func(f *schemas.Fact) error {
		if rec := get(f.SnapshotID); rec != nil {
			rec.Facts = append(rec.Facts, *f)
		}
		return nil
	})
}

// replay consumes the shards' inputs in their original order, as a single run would.
func (r *runner) replay(ctx context.Context, inputs []shardInput) error {
	written := map[string]bool{}
	for i, in := range inputs {
		if err := ctx.Err(); err != nil {
			return err // interrupted: nothing is committed
		}
		j := &job{seq: in.seq, order: i, sha: in.sha, charset: in.charset, item: source.Item{Source: in.source, Origin: in.origin}}
		sum, _ := parseSHA(in.sha)
		j.key = keyOf(sum, in.charset)
		if in.err != nil {
			j.errRow = in.err
			j.item.Origin = deref(in.err.Origin)
			j.err = &InputError{Source: in.source, Err: errors.New(in.reason)}
			r.cfg.KeepGoing = true // the shard kept going; so does its merge
		} else {
			j.recs = schemas.Records{Document: in.document()}
			if !written[in.doc.SnapshotID] {
				recs, err := r.unspill(in.doc.SnapshotID)
				if err != nil {
					return err
				}
				recs.Document = j.recs.Document
				j.recs = *recs
				written[in.doc.SnapshotID] = true
			}
		}
		if err := r.consume(j); err != nil {
			return err
		}
	}
	if testHookReplayed != nil {
		testHookReplayed()
		runtime.KeepAlive(inputs) // what a merge holds at its largest, for the test to see
	}
	return nil
}

// errorRows finds a shard's error row for each of its failed inputs, by the errors table's
// key (the input and its origin, which the manifest records too). A dataset keeps one row
// per key, so an input that failed twice has one row for both.
type errorRows map[load.ErrorKey]*schemas.InputError

func newErrorRows(rows []schemas.InputError) errorRows {
	e := errorRows{}
	for i := range rows {
		e[load.ErrorKeyOf(&rows[i])] = &rows[i]
	}
	return e
}

// of returns the row of the failed input source, from origin, or nil.
func (e errorRows) of(source, origin string) *schemas.InputError {
	return e[load.ErrorKey{Source: source, Origin: origin}]
}

// testHookReplayed, when set by a test, is called when a merge has replayed every input.
var testHookReplayed func()

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/schemas"
	"github.com/articleetl/articleetl/source"
)

// Config is everything a run needs besides its input arguments.
type Config struct {
	Out     string
	Formats []load.Format
	Append  bool // add to a partitioned dataset instead of replacing a flat one
	// FormatsFromDataset makes an append write the formats the dataset already holds
	// (Formats is then used only for a new dataset): the --format flag was not given.
	FormatsFromDataset bool
	Workers            int  // inputs processed at once; <= 0 means one per CPU
	KeepGoing          bool // record failed inputs and go on, instead of stopping at the first
	Options            Options
	Source             source.Options
	ToolVersion        string
	Logger             *slog.Logger // nil: no logs
	// Progress, if set, is called after each input with the number done so far.
	Progress func(done int)
	// Embedded is processed when args is empty.
	Embedded *Input
	// Shard selects the part of the inputs this run processes; the zero value is all.
	Shard Shard
}

// Result summarises a run.
type Result struct {
	Inputs       int
	Failed       int
	Duplicates   int // inputs whose bytes or content were already in the dataset
	NewSnapshots int
	Rows         map[string]int64 // rows written per table by this run
	Unchanged    bool             // an append that found nothing new: the directory is untouched
}

// ErrFailedInputs is returned (wrapped) by a --keep-going run in which some inputs failed;
// the dataset was still written.
var ErrFailedInputs = errors.New("inputs failed")

// Run reads every input, writes the dataset and returns what it did. Without KeepGoing the
// first failed input stops the run and leaves the output directory as it was; so does a
// cancelled ctx (SIGINT). Outputs are identical whatever the number of workers: results are
// written in input order.
func Run(ctx context.Context, args []string, cfg Config) (Result, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler) // records are not even formatted
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.Append {
		// One append at a time: two would each add their part to the dataset they read and
		// the last manifest renamed would drop the other's parts, left unlisted in DIR.
		release, err := load.LockOutput(cfg.Out)
		if err != nil {
			return Result{}, err
		}
		defer release()
	}
	existing, err := openExisting(cfg)
	if err != nil {
		return Result{}, err
	}
	if existing.manifest != nil {
		if cfg.Formats, err = appendFormats(cfg, existing.manifest); err != nil {
			return Result{}, err
		}
	}
	layout := load.LayoutFlat
	if cfg.Append {
		layout = load.LayoutPartitioned
	}
	ds, err := load.Create(cfg.Out, load.Options{Formats: cfg.Formats, ToolVersion: cfg.ToolVersion, Layout: layout, Existing: existing.manifest, Suffix: cfg.Shard.Suffix()})
	if err != nil {
		return Result{}, err
	}
	r := newRunner(cfg, ds, existing)
	ds.Seen(existing.snapshots, existing.documentKeys, existing.errorKeys)
	r.stream.on = len(existing.captures) == 0 && !testHookNoStreaming
	if r.spill, err = newSpill("articleetl-snapshots-"); err != nil {
		ds.Abort()
		return Result{}, err
	}
	defer r.spill.remove()

	started := time.Now().UTC()
	if err := r.process(ctx, args); err != nil {
		ds.Abort()
		return r.res, err
	}
	if err := r.writeChanges(ctx); err != nil {
		ds.Abort()
		return r.res, err
	}
	for _, t := range schemas.Tables() {
		r.res.Rows[t.Name] = ds.Rows(t.Name)
	}
	if cfg.Append && existing.manifest != nil && ds.Empty() {
		ds.Abort() // nothing new: not a byte of the dataset changes
		r.res.Unchanged = true
		if r.res.Failed > 0 { // inputs that failed before, and again
			return r.res, fmt.Errorf("%d of %d %w (already listed in the errors table)", r.res.Failed, r.res.Inputs, ErrFailedInputs)
		}
		return r.res, nil
	}
	finished := time.Now().UTC()
	m := load.Manifest{Tool: "articleetl", ToolVersion: cfg.ToolVersion, StartedAt: started, FinishedAt: finished, Shard: cfg.Shard.String()}
	if !cfg.Append {
		m.InputsNamed, m.ArgumentsSHA256 = r.named, argumentsSHA256(args, cfg)
	}
	m.Host, _ = os.Hostname()
	if x := cfg.Source.WARCIndex; x != nil {
		m.WARCIndex = &load.IndexRef{Path: x.Path(), SHA256: x.SHA256()}
	}
	if cfg.Append {
		m.Runs = []load.Run{{ToolVersion: cfg.ToolVersion, StartedAt: started, FinishedAt: finished, Inputs: r.res.Inputs, Failed: r.res.Failed}}
	}
	if err := ds.Commit(m); err != nil {
		return r.res, fmt.Errorf("writing %s: %w", cfg.Out, err)
	}
	if r.res.Failed > 0 {
		return r.res, fmt.Errorf("%d of %d %w (listed in the errors table)", r.res.Failed, r.res.Inputs, ErrFailedInputs)
	}
	return r.res, nil
}

// runner holds the state of one run.
//
// What it keeps grows with the inputs, so it is kept small: per input, a capture on the
// timeline (a pointer, a capture time and a position) and, for each distinct content, the
// input's hash. The document rows themselves are written as they come and kept only as
// bases, one per version of the article (see base).
type runner struct {
	cfg      Config
	ds       *load.Dataset
	existing *existingDataset
	res      Result
	timeline []snapshotAt
	bySHA    map[shaKey]*schemas.Document // the base document row of the input with this key (job.key), for exact duplicates
	badSHA   map[shaKey]error             // why inputs with this key failed
	bases    *baseRows
	spill    *spillFile   // new snapshots' records, kept for diffs
	stream   changeStream // changes written as snapshots are consumed
	named    int          // inputs the arguments named, all shards' (set when produce returns)
}

func newRunner(cfg Config, ds *load.Dataset, existing *existingDataset) *runner {
	return &runner{cfg: cfg, ds: ds, existing: existing, res: Result{Rows: map[string]int64{}},
		bySHA: existing.bySHA, badSHA: map[shaKey]error{}, bases: existing.bases}
}

// job is one input on its way through the workers.
type job struct {
	seq   int // position among all inputs the arguments name, in every shard
	order int // position among the inputs this run processes, for writing in order
	item  source.Item
	sha   string // hex, "" when the input could not be read
	key   shaKey // what makes exact duplicates (dupKey): the bytes' SHA-256, in most cases
	// charset is the charset key holds, when the Content-Type decided the decoding (dupKey)
	charset string
	dup     bool // same key as an earlier input: not parsed again
	recs    schemas.Records
	err     error
	// errRow, when set, is the errors-table row of a failed input as an earlier run (a
	// shard being merged) wrote it.
	errRow *schemas.InputError
}

func (r *runner) process(ctx context.Context, args []string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan *job, r.cfg.Workers)
	done := make(chan *job, r.cfg.Workers)

	claims := newClaims(r.bySHA)
	var produceErr error
	produced := make(chan struct{})
	go func() {
		defer close(produced)
		defer close(jobs)
		produceErr = r.produce(ctx, args, jobs)
	}()
	var wg sync.WaitGroup
	for range r.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if j.item.Err == nil {
					j.item.Clean()
					sum := sha256.Sum256(j.item.Data)
					j.sha = hex.EncodeToString(sum[:])
					j.key, j.charset = dupKey(sum, j.item.Data, j.item.ContentType)
					if testHookBeforeClaim != nil {
						testHookBeforeClaim(j.order)
					}
					if j.dup = claims.claim(j.key, j.order); !j.dup {
						j.recs, j.err = Process(Input{Source: j.item.Source, Data: j.item.Data, ContentType: j.item.ContentType, CapturedAt: j.item.CapturedAt, ContentSHA256: j.sha}, r.cfg.Options)
					}
				}
				j.item.Data = nil // no page is kept after it is processed
				select {
				case done <- j:
				case <-ctx.Done(): // the consumer has stopped waiting
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	// Results are consumed in input order, whatever order the workers finish in.
	pending := map[int]*job{}
	next := 0
	var firstErr error
	for {
		var j *job
		select {
		case j = <-done:
		case <-ctx.Done():
			// Cancelled (a signal, or a failure below): stop waiting rather than drain. The
			// reader is given a moment to return, so that it removes what it made (the
			// copy of a downloaded WARC or of standard input); it may be blocked in the
			// operating system, though, opening a FIFO or reading a pipe nobody writes to,
			// and would hold the run until that returns. Then it and the workers are left
			// to finish or block: nothing they do reaches the dataset, which only this
			// goroutine writes.
			select {
			case <-produced:
			case <-time.After(readerGrace):
			}
			if firstErr != nil {
				return firstErr
			}
			return ctx.Err()
		}
		if j == nil {
			break // done is closed: every input is through
		}
		pending[j.order] = j
		for pending[next] != nil {
			j := pending[next]
			delete(pending, next)
			next++
			if !j.dup && j.sha != "" && r.consumedSHA(j.key) {
				// Parsed while an earlier input with the same bytes was still in flight
				// (see claims): the earlier one is the original, as in a run with one
				// worker, and this one a duplicate of it.
				j.dup, j.recs, j.err = true, schemas.Records{}, nil
			}
			if firstErr == nil {
				if err := r.consume(j); err != nil {
					firstErr = err
					cancel()
				}
			}
		}
	}
	if firstErr != nil {
		return firstErr
	}
	if produceErr != nil {
		return produceErr
	}
	return ctx.Err()
}

// argumentsSHA256 hashes a run's arguments and the options that decide what its tables
// hold: which element is the content, the page size limit and the fetch timeout (which
// inputs fail). Workers, formats, a WARC index and the memory target change nothing in
// the tables and are left out, so that shards run with other such settings still merge.
func argumentsSHA256(args []string, cfg Config) string {
	h := sha256.New()
	for _, a := range args {
		fmt.Fprintf(h, "%q\n", a)
	}
	fmt.Fprintf(h, "content-selector=%q\nmax-input-size=%d\ntimeout=%s\n",
		cfg.Options.ContentSelector, cfg.Source.MaxBytes, cfg.Source.Timeout)
	return hex.EncodeToString(h.Sum(nil))
}

// readerGrace is how long a cancelled run waits for its reader to return.
const readerGrace = 2 * time.Second

// produce expands the arguments into jobs. Reading is all it does: cleaning, hashing and
// recognising duplicates happen on the workers, so that one worker's worth of work is not
// left to this goroutine, which every input passes through. A shard reads only its own
// plain files (source.Options Wanted): every shard used to read every file in full before
// skipping the others' inputs. (A WARC is read through by every shard, record by record,
// since it can only be read in order, unless the run has its index: Config.Source
// WARCIndex, with which a shard seeks to its own records.)
//
// Reading on the workers instead was tried: with two of them it made no difference to
// the time of a run, and with one it was 7% slower (the reads no longer overlap with
// parsing).
func (r *runner) produce(ctx context.Context, args []string, jobs chan<- *job) error {
	seq, order := 0, 0
	defer func() { r.named = seq }()
	send := func(item source.Item) error {
		j := &job{seq: seq, order: order, item: item}
		seq++
		if !r.cfg.Shard.Has(item) {
			return nil // another shard's input, handed on unread (source.Options Wanted)
		}
		order++
		select {
		case jobs <- j:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if len(args) == 0 && r.cfg.Embedded != nil {
		return send(source.Item{Source: r.cfg.Embedded.Source, Data: r.cfg.Embedded.Data})
	}
	opts := r.cfg.Source
	opts.DeferCleaning = true
	if r.cfg.Shard.Count > 1 {
		opts.Wanted = r.cfg.Shard.Has
	}
	return source.Each(ctx, args, opts, send)
}

// consumedSHA reports whether an input with this key (job.key) has been consumed.
func (r *runner) consumedSHA(sha shaKey) bool {
	if _, ok := r.bySHA[sha]; ok {
		return true
	}
	_, ok := r.badSHA[sha]
	return ok
}

// consume records one finished input, in input order.
func (r *runner) consume(j *job) error {
	r.res.Inputs++
	defer func() {
		if r.cfg.Progress != nil {
			r.cfg.Progress(r.res.Inputs)
		}
	}()
	if j.dup {
		base := r.bySHA[j.key]
		if base == nil { // the same bytes failed before
			return r.fail(j, &InputError{Source: j.item.Source, Err: r.badSHA[j.key]})
		}
		j.recs = schemas.Records{Document: inputRow(base, j.item.Source, j.item.CapturedAt, j.sha)}
	}
	if err := r.inputError(j); err != nil {
		if j.sha != "" {
			var ie *InputError
			if errors.As(err, &ie) {
				r.badSHA[j.key] = ie.Err
			} else {
				r.badSHA[j.key] = err
			}
		}
		return r.fail(j, err)
	}
	isNew, err := r.ds.Add(j.recs)
	if err != nil {
		return err
	}
	doc := &j.recs.Document
	base := r.bases.of(doc)
	if j.sha != "" {
		if _, seen := r.bySHA[j.key]; !seen {
			r.bySHA[j.key] = base
		}
	}
	status := load.StatusOK
	if !isNew {
		status = load.StatusDuplicate
		r.res.Duplicates++
	} else {
		r.res.NewSnapshots++
		if err := r.spillRecords(&j.recs); err != nil {
			return err
		}
	}
	r.timeline = append(r.timeline, snapshotAt{doc: base, at: doc.CapturedAt, seq: len(r.existing.captures) + j.seq})
	var content *schemas.Records
	if isNew {
		content = &j.recs
	}
	if err := r.streamChanges(content); err != nil {
		return err
	}
	if err := r.ds.AddInput(load.InputStatus{Seq: j.seq, Source: doc.Source, Origin: j.item.Origin, SHA256: doc.ContentSHA256, Status: status, SnapshotID: doc.SnapshotID, CapturedAt: doc.CapturedAt, Charset: j.charset}); err != nil {
		return err
	}
	r.cfg.Logger.Info("input done", "source", doc.Source, "snapshot_id", doc.SnapshotID, "status", status,
		"qa_pairs", len(j.recs.QAPairs), "facts", len(j.recs.Facts))
	return nil
}

func (r *runner) inputError(j *job) error {
	if j.item.Err != nil {
		return &InputError{Source: j.item.Source, Err: j.item.Err}
	}
	return j.err
}

// fail records a failed input, or stops the run when not keeping going.
func (r *runner) fail(j *job, err error) error {
	r.cfg.Logger.Error("input failed", "source", j.item.Source, "origin", j.item.Origin, "error", err)
	if !r.cfg.KeepGoing {
		// Named by its source and, for a WARC record, where it is (file@offset): a crawl
		// holds many captures of one address.
		var ie *InputError
		if !errors.As(err, &ie) {
			return &InputError{Source: j.item.Source, Origin: j.item.Origin, Err: err}
		}
		if ie.Origin == "" {
			located := *ie
			located.Origin = j.item.Origin
			return &located
		}
		return err
	}
	r.res.Failed++
	reason := err.Error()
	var ie *InputError
	if errors.As(err, &ie) {
		reason = ie.Err.Error()
	}
	stage := "extract"
	if j.item.Err != nil {
		stage = "read"
	}
	row := schemas.InputError{
		SchemaVersion: schemas.Errors.Version,
		Source:        j.item.Source,
		Origin:        nonEmpty(j.item.Origin),
		ContentSHA256: nonEmpty(j.sha),
		CapturedAt:    j.item.CapturedAt,
		Stage:         stage,
		Reason:        reason,
	}
	if j.errRow != nil {
		row = *j.errRow
	}
	if err := r.ds.AddInput(load.InputStatus{Seq: j.seq, Source: j.item.Source, Origin: j.item.Origin, SHA256: j.sha, Status: load.StatusFailed, Error: reason, Charset: j.charset}); err != nil {
		return err
	}
	return r.ds.AddErrors([]schemas.InputError{row})
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

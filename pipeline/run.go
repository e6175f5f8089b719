package pipeline

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/articleetl/articleetl/changes"
	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/schemas"
	"github.com/articleetl/articleetl/source"
)

// Config is everything a run needs besides its input arguments.
type Config struct {
	Out         string
	Formats     []load.Format
	Append      bool // add to a partitioned dataset instead of replacing a flat one
	Workers     int  // inputs processed at once; <= 0 means one per CPU
	KeepGoing   bool // record failed inputs and go on, instead of stopping at the first
	Options     Options
	Source      source.Options
	ToolVersion string
	Logger      *slog.Logger // nil: no logs
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
	existing, err := openExisting(cfg)
	if err != nil {
		return Result{}, err
	}
	layout := load.LayoutFlat
	if cfg.Append {
		layout = load.LayoutPartitioned
	}
	ds, err := load.Create(cfg.Out, load.Options{Formats: cfg.Formats, ToolVersion: cfg.ToolVersion, Layout: layout, Existing: existing.manifest, Suffix: cfg.Shard.Suffix()})
	if err != nil {
		return Result{}, err
	}
	r := &runner{cfg: cfg, ds: ds, existing: existing, res: Result{Rows: map[string]int64{}},
		bySHA: map[string]*schemas.Document{}, badSHA: map[string]error{}, newSnaps: map[string]bool{}}
	ds.Seen(existing.snapshots, existing.documentKeys)
	r.stream.on = len(existing.documents) == 0 && !testHookNoStreaming
	for _, d := range existing.documents {
		r.bySHA[d.ContentSHA256] = d
	}
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
	if err := r.writeChanges(); err != nil {
		ds.Abort()
		return r.res, err
	}
	for _, t := range schemas.Tables() {
		r.res.Rows[t.Name] = ds.Rows(t.Name)
	}
	if cfg.Append && existing.manifest != nil && ds.Empty() {
		ds.Abort() // nothing new: not a byte of the dataset changes
		r.res.Unchanged = true
		return r.res, nil
	}
	finished := time.Now().UTC()
	m := load.Manifest{Tool: "articleetl", ToolVersion: cfg.ToolVersion, StartedAt: started, FinishedAt: finished, Inputs: r.inputs, Shard: cfg.Shard.String()}
	m.Host, _ = os.Hostname()
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
type runner struct {
	cfg      Config
	ds       *load.Dataset
	existing *existingDataset
	res      Result
	inputs   []load.InputStatus
	timeline []snapshotAt
	bySHA    map[string]*schemas.Document // documents by input bytes, for exact duplicates
	badSHA   map[string]error             // why inputs with these bytes failed
	newSnaps map[string]bool              // snapshots first written by this run
	spill    *spillFile                   // new snapshots' records, kept for diffs
	stream   changeStream                 // changes written as snapshots are consumed
	prevDoc  *schemas.Document            // the last document row kept, for shareStrings
}

// job is one input on its way through the workers.
type job struct {
	seq   int // position among all inputs the arguments name, in every shard
	order int // position among the inputs this run processes, for writing in order
	item  source.Item
	sha   string
	dup   bool // same bytes as an earlier input: not parsed again
	recs  schemas.Records
	err   error
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
	go func() {
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
					if testHookBeforeClaim != nil {
						testHookBeforeClaim(j.order)
					}
					if j.dup = claims.claim(j.sha, j.order); !j.dup {
						j.recs, j.err = Process(Input{Source: j.item.Source, Data: j.item.Data, ContentType: j.item.ContentType, CapturedAt: j.item.CapturedAt, ContentSHA256: j.sha}, r.cfg.Options)
					}
				}
				j.item.Data = nil // no page is kept after it is processed
				done <- j
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	// Results are consumed in input order, whatever order the workers finish in.
	pending := map[int]*job{}
	next := 0
	var firstErr error
	for j := range done {
		pending[j.order] = j
		for pending[next] != nil {
			j := pending[next]
			delete(pending, next)
			next++
			if !j.dup && j.sha != "" && r.consumedSHA(j.sha) {
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

// produce expands the arguments into jobs. Reading is all it does: cleaning, hashing and
// recognising duplicates happen on the workers, so that one worker's worth of work is not
// left to this goroutine, which every input passes through.
func (r *runner) produce(ctx context.Context, args []string, jobs chan<- *job) error {
	seq, order := 0, 0
	send := func(item source.Item) error {
		j := &job{seq: seq, order: order, item: item}
		seq++
		if !r.cfg.Shard.Has(item) {
			return nil // another shard's input: skipped before any parsing
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
	return source.Each(ctx, args, opts, send)
}

// consumedSHA reports whether an input with these bytes has been consumed.
func (r *runner) consumedSHA(sha string) bool {
	if _, ok := r.bySHA[sha]; ok {
		return true
	}
	_, ok := r.badSHA[sha]
	return ok
}

// testHookBeforeClaim, when set by a test, runs on a worker before it claims an input's
// hash, to delay some inputs so that later copies of them are hashed first.
var testHookBeforeClaim func(order int)

// claims lets workers recognise exact duplicates before parsing them. The first input (in
// input order) with given bytes must be the one parsed, so that the output does not depend
// on which worker is faster: a worker skips a page only when an earlier input has claimed
// its hash, and a page whose claim is held by a later input is parsed anyway (a rare waste:
// both must be in flight at once). Which of two parsed copies counts is settled in input
// order by the consumer.
type claims struct {
	mu    sync.Mutex
	first map[string]int // lowest input order seen with each hash; -1 for the dataset's own
}

func newClaims(existing map[string]*schemas.Document) *claims {
	c := &claims{first: make(map[string]int, len(existing))}
	for sha := range existing {
		c.first[sha] = -1
	}
	return c
}

// claim records that input order has bytes hashing to sha and reports whether an earlier
// input already had them.
func (c *claims) claim(sha string, order int) (dup bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if first, ok := c.first[sha]; ok && first < order {
		return true
	}
	c.first[sha] = order
	return false
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
		prev := r.bySHA[j.sha]
		if prev == nil { // the same bytes failed before
			return r.fail(j, &InputError{Source: j.item.Source, Err: r.badSHA[j.sha]})
		}
		doc := *prev
		doc.Source, doc.CapturedAt = j.item.Source, j.item.CapturedAt
		j.recs = schemas.Records{Document: doc}
	}
	if err := r.inputError(j); err != nil {
		if j.sha != "" {
			var ie *InputError
			if errors.As(err, &ie) {
				r.badSHA[j.sha] = ie.Err
			} else {
				r.badSHA[j.sha] = err
			}
		}
		return r.fail(j, err)
	}
	isNew, err := r.ds.Add(j.recs)
	if err != nil {
		return err
	}
	doc := j.recs.Document
	r.shareStrings(&doc)
	if _, ok := r.bySHA[doc.ContentSHA256]; !ok {
		r.bySHA[doc.ContentSHA256] = &doc
	}
	status := load.StatusOK
	if !isNew {
		status = load.StatusDuplicate
		r.res.Duplicates++
	} else {
		r.res.NewSnapshots++
		r.newSnaps[doc.SnapshotID] = true
		if err := r.spillRecords(&j.recs); err != nil {
			return err
		}
	}
	r.timeline = append(r.timeline, snapshotAt{doc: &doc, seq: len(r.existing.documents) + j.seq})
	var content *schemas.Records
	if isNew {
		content = &j.recs
	}
	if err := r.streamChanges(content); err != nil {
		return err
	}
	r.inputs = append(r.inputs, load.InputStatus{Seq: j.seq, Source: doc.Source, SHA256: doc.ContentSHA256, Status: status, SnapshotID: doc.SnapshotID, CapturedAt: doc.CapturedAt})
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
		var ie *InputError
		if !errors.As(err, &ie) {
			err = &InputError{Source: j.item.Source, Err: err}
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
	r.inputs = append(r.inputs, load.InputStatus{Seq: j.seq, Source: j.item.Source, SHA256: j.sha, Status: load.StatusFailed, Error: reason})
	return r.ds.AddErrors([]schemas.InputError{row})
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// shareStrings makes doc use the previous document's copies of the strings it has in
// common with it. Every input's document row is kept until the end of the run (for the
// timeline and for exact duplicates), and consecutive captures of an article mostly repeat
// its title, standfirst and URL, which extraction allocates afresh for every page: sharing
// them is most of what a run holds per input.
func (r *runner) shareStrings(doc *schemas.Document) {
	prev := r.prevDoc
	r.prevDoc = doc
	if prev == nil || prev.DocID != doc.DocID {
		return
	}
	share := func(s *string, p string) {
		if *s == p {
			*s = p
		}
	}
	sharePtr := func(s **string, p *string) {
		if *s != nil && p != nil && **s == *p {
			*s = p
		}
	}
	doc.DocID = prev.DocID
	share(&doc.Title, prev.Title)
	share(&doc.SchemaVersion, prev.SchemaVersion)
	share(&doc.ExtractorVersion, prev.ExtractorVersion)
	sharePtr(&doc.Standfirst, prev.Standfirst)
	sharePtr(&doc.CanonicalURL, prev.CanonicalURL)
	sharePtr(&doc.Language, prev.Language)
}

// snapshotAt is one document row on an article's timeline.
type snapshotAt struct {
	doc *schemas.Document // shared with bySHA for the first input with its bytes
	seq int               // input order, for ties
}

// timeKey orders snapshots by capture time, then by the date the page says it was
// updated; a capture without a time (a plain file) falls back to that date.
func timeKey(d *schemas.Document) (time.Time, bool) {
	switch {
	case d.CapturedAt != nil:
		return *d.CapturedAt, true
	case d.UpdatedOn != nil:
		return d.UpdatedOn.Time(), true
	}
	return time.Time{}, false
}

func compareSnapshots(a, b snapshotAt) int {
	ta, oka := timeKey(a.doc)
	tb, okb := timeKey(b.doc)
	if oka != okb {
		if oka {
			return -1
		}
		return 1
	}
	if c := ta.Compare(tb); c != 0 {
		return c
	}
	ua, ub := int32(-1<<31), int32(-1<<31)
	if a.doc.UpdatedOn != nil {
		ua = int32(*a.doc.UpdatedOn)
	}
	if b.doc.UpdatedOn != nil {
		ub = int32(*b.doc.UpdatedOn)
	}
	return cmp.Or(cmp.Compare(ua, ub), cmp.Compare(a.seq, b.seq))
}

// changeStream computes changes as snapshots are consumed, instead of after all of them,
// in the usual case: a new dataset (not an append) of one article whose captures arrive in
// time order, as a WARC's or a dated series of files' do. Each capture is compared with the
// one before it, whose snapshot's records are still in memory (or, for a return to an
// earlier version, read back from the spill file), and the end of the run has no diffing
// left to do, which was most of its time and its memory peak. The rows are those
// writeChanges would write, in the same order. A capture that arrives out of time order is
// still fine when it lands next to a capture of the same snapshot with the same capture
// time (an exact copy of a dated file given again later): the rows do not change. At the
// first input that breaks the pattern otherwise (a second article, any other capture out
// of order), the rows written so far are dropped and writeChanges computes them all at the
// end from the spill file, which keeps every new snapshot for that reason.
type changeStream struct {
	on   bool
	line []int            // indexes in runner.timeline, in time order (compareSnapshots)
	recs *schemas.Records // the records of the latest capture's snapshot
	seen map[uint64]bool  // change ids written (16 hex digits: 64 bits, held as such)
}

// streamChanges takes the capture just appended to r.timeline; content is its snapshot's
// records when they are at hand (a snapshot new in this run), else nil.
func (r *runner) streamChanges(content *schemas.Records) error {
	s := &r.stream
	if !s.on {
		return nil
	}
	i := len(r.timeline) - 1
	snap := r.timeline[i]
	if len(s.line) == 0 {
		if content == nil {
			return r.stopStreaming()
		}
		s.line, s.recs, s.seen = []int{i}, content, map[uint64]bool{}
		return nil
	}
	last := r.timeline[s.line[len(s.line)-1]]
	if snap.doc.DocID != last.doc.DocID {
		return r.stopStreaming()
	}
	if compareSnapshots(last, snap) > 0 {
		pos, _ := slices.BinarySearchFunc(s.line, snap, func(k int, t snapshotAt) int { return compareSnapshots(r.timeline[k], t) })
		next := r.timeline[s.line[pos]]
		if !sameCapture(next, snap) && (pos == 0 || !sameCapture(r.timeline[s.line[pos-1]], snap)) {
			return r.stopStreaming()
		}
		s.line = slices.Insert(s.line, pos, i)
		return nil
	}
	s.line = append(s.line, i)
	if snap.doc.SnapshotID == last.doc.SnapshotID {
		return nil // the same content captured again: the next pair starts from this capture
	}
	if content == nil {
		var err error
		if content, err = r.unspill(snap.doc.SnapshotID); err != nil {
			return err
		}
	}
	from, to := *s.recs, *content
	from.Document, to.Document = *last.doc, *snap.doc // the captures compared, for their times
	var rows []schemas.Change
	for _, c := range changes.Between(&from, &to) {
		id, err := strconv.ParseUint(c.ChangeID, 16, 64)
		if err != nil {
			return fmt.Errorf("change id %q: %w", c.ChangeID, err)
		}
		if !s.seen[id] {
			s.seen[id] = true
			rows = append(rows, c)
		}
	}
	s.recs = content
	return r.ds.AddChanges(rows)
}

// sameCapture reports whether two captures are of the same snapshot at the same time:
// wherever one stands on the timeline, the other could stand instead without changing a
// row of the changes table.
func sameCapture(a, b snapshotAt) bool {
	if a.doc.SnapshotID != b.doc.SnapshotID || (a.doc.CapturedAt == nil) != (b.doc.CapturedAt == nil) {
		return false
	}
	return a.doc.CapturedAt == nil || a.doc.CapturedAt.Equal(*b.doc.CapturedAt)
}

// Test hooks: testHookNoStreaming makes every run compute its changes at the end, and
// testHookStreamed, when set, is told whether a run's changes were streamed.
var (
	testHookNoStreaming bool
	testHookStreamed    func(bool)
)

// stopStreaming leaves the changes to writeChanges, forgetting the rows written so far.
func (r *runner) stopStreaming() error {
	r.stream = changeStream{}
	return r.ds.ResetTable(schemas.Changes.Name)
}

// writeChanges diffs consecutive distinct snapshots of each article. When appending, only
// the pairs that involve a snapshot new in this run are written: pairs between earlier
// snapshots are already in the dataset.
func (r *runner) writeChanges() error {
	if testHookStreamed != nil {
		testHookStreamed(r.stream.on)
	}
	if r.stream.on {
		return nil // written as the snapshots came
	}
	byDoc := map[string][]snapshotAt{}
	var docs []string
	for i, d := range r.existing.documents {
		if _, ok := byDoc[d.DocID]; !ok {
			docs = append(docs, d.DocID)
		}
		byDoc[d.DocID] = append(byDoc[d.DocID], snapshotAt{doc: d, seq: i})
	}
	for _, s := range r.timeline {
		if _, ok := byDoc[s.doc.DocID]; !ok {
			docs = append(docs, s.doc.DocID)
		}
		byDoc[s.doc.DocID] = append(byDoc[s.doc.DocID], s)
	}
	var pairs []snapshotPair
	needOld := map[string]bool{}
	for _, id := range docs {
		line := byDoc[id]
		slices.SortStableFunc(line, compareSnapshots)
		for i := 1; i < len(line); i++ {
			from, to := *line[i-1].doc, *line[i].doc
			if from.SnapshotID == to.SnapshotID || !(r.newSnaps[from.SnapshotID] || r.newSnaps[to.SnapshotID]) {
				continue
			}
			pairs = append(pairs, snapshotPair{from, to})
			for _, d := range []schemas.Document{from, to} {
				if !r.newSnaps[d.SnapshotID] {
					needOld[d.SnapshotID] = true
				}
			}
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	old, err := r.existing.records(needOld)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	return r.diffPairs(pairs, old, func(cs []schemas.Change) error {
		var rows []schemas.Change
		for _, c := range cs {
			if !seen[c.ChangeID] && !r.existing.changeIDs[c.ChangeID] {
				seen[c.ChangeID] = true
				rows = append(rows, c)
			}
		}
		return r.ds.AddChanges(rows)
	})
}

// snapshotPair is two consecutive snapshots on an article's timeline.
type snapshotPair struct{ from, to schemas.Document }

// diffsPerBatch bounds how many pairs' changes are held at once.
const diffsPerBatch = 64

// diffPairs computes the changes of each pair and hands them to write in pair order. It
// is the last thing a run does before writing its files, and reading snapshots back and
// comparing them is CPU work, so the pairs are shared among the workers: each batch of
// pairs is cut into one contiguous run per worker, so that a worker reads a snapshot back
// once for the pair it ends and the next one it starts.
func (r *runner) diffPairs(pairs []snapshotPair, old map[string]*schemas.Records, write func([]schemas.Change) error) error {
	workers := max(1, min(r.cfg.Workers, len(pairs)))
	readers := make([]*spillReader, workers)
	for i := range readers {
		var err error
		if readers[i], err = r.spill.reader(); err != nil {
			return err
		}
	}
	out := make([][]schemas.Change, diffsPerBatch*workers)
	errs := make([]error, workers)
	for start := 0; start < len(pairs); start += len(out) {
		batch := pairs[start:min(start+len(out), len(pairs))]
		per := (len(batch) + workers - 1) / workers
		var wg sync.WaitGroup
		for w := range workers {
			lo, hi := min(w*per, len(batch)), min((w+1)*per, len(batch))
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[w] = r.diffRun(readers[w], batch[lo:hi], old, out[lo:hi])
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		for i := range batch {
			if err := write(out[i]); err != nil {
				return err
			}
			out[i] = nil
		}
	}
	return nil
}

// diffRun computes the changes of consecutive pairs into out, keeping the last snapshot
// read so that a timeline's middle snapshots are read once.
func (r *runner) diffRun(rd *spillReader, pairs []snapshotPair, old map[string]*schemas.Records, out [][]schemas.Change) error {
	var lastID string
	var last *schemas.Records
	get := func(doc schemas.Document) (*schemas.Records, error) {
		if doc.SnapshotID != lastID || last == nil {
			recs, err := r.snapshotRecords(rd, doc, old)
			if err != nil {
				return nil, err
			}
			lastID, last = doc.SnapshotID, recs
		}
		recs := *last
		recs.Document = doc // the capture compared, for the capture times in a change
		return &recs, nil
	}
	for i, p := range pairs {
		a, err := get(p.from)
		if err != nil {
			return err
		}
		b, err := get(p.to)
		if err != nil {
			return err
		}
		out[i] = changes.Between(a, b)
	}
	return nil
}

// snapshotRecords returns a snapshot's records, read back from the spill file for a
// snapshot new in this run.
func (r *runner) snapshotRecords(rd *spillReader, doc schemas.Document, old map[string]*schemas.Records) (*schemas.Records, error) {
	if r.newSnaps[doc.SnapshotID] {
		return rd.get(doc.SnapshotID)
	}
	if recs := old[doc.SnapshotID]; recs != nil {
		return recs, nil
	}
	return nil, fmt.Errorf("snapshot %s is listed in documents but has no records", doc.SnapshotID)
}

package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/articleetl/articleetl/changes"
	"github.com/articleetl/articleetl/schemas"
)

// snapshotAt is one capture on an article's timeline.
type snapshotAt struct {
	doc *schemas.Document // the capture's base row (baseRows), shared with other captures
	at  *time.Time        // the capture time, nil for a plain file
	seq int               // input order, for ties
}

// document returns the capture's row as far as changes need it: the base with the capture
// time (source and content hash, which no change reads, are left empty).
func (s snapshotAt) document() schemas.Document {
	d := *s.doc
	d.CapturedAt = s.at
	return d
}

// timeKey orders snapshots by capture time, then by the date the page says it was
// updated; a capture without a time (a plain file) falls back to that date.
func timeKey(s snapshotAt) (time.Time, bool) {
	switch {
	case s.at != nil:
		return *s.at, true
	case s.doc.UpdatedOn != nil:
		return s.doc.UpdatedOn.Time(), true
	}
	return time.Time{}, false
}

func compareSnapshots(a, b snapshotAt) int {
	ta, oka := timeKey(a)
	tb, okb := timeKey(b)
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
	// pairs holds the pairs of snapshots already compared. A change id is a hash of the
	// pair's two snapshot ids, the table, the record id and the field, so a pair that comes
	// again (captures going A, B, A, B) gives only ids already written, no other pair can
	// give them (barring a 64-bit hash collision), and within one pair they are distinct
	// (record ids are unique within a snapshot's table: the transform numbers repeats).
	// Keeping the pairs, one entry per snapshot, therefore drops the same rows as keeping
	// every change id written, as writeChanges does, which took four entries per snapshot.
	pairs map[[2]uint64]bool
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
		s.line, s.recs, s.pairs = []int{i}, content, map[[2]uint64]bool{}
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
	s.recs = content
	pair, err := snapshotPairKey(last.doc.SnapshotID, snap.doc.SnapshotID)
	if err != nil {
		return err
	}
	if s.pairs[pair] {
		return nil
	}
	s.pairs[pair] = true
	from.Document, to.Document = last.document(), snap.document() // the captures compared, for their times
	return r.ds.AddChanges(changes.Between(&from, &to))
}

// snapshotPairKey holds two snapshot ids (16 hex digits each) as numbers.
func snapshotPairKey(from, to string) ([2]uint64, error) {
	var k [2]uint64
	for i, id := range []string{from, to} {
		n, err := strconv.ParseUint(id, 16, 64)
		if err != nil {
			return k, fmt.Errorf("snapshot id %q: %w", id, err)
		}
		k[i] = n
	}
	return k, nil
}

// sameCapture reports whether two captures are of the same snapshot at the same time:
// wherever one stands on the timeline, the other could stand instead without changing a
// row of the changes table.
func sameCapture(a, b snapshotAt) bool {
	if a.doc.SnapshotID != b.doc.SnapshotID || (a.at == nil) != (b.at == nil) {
		return false
	}
	return a.at == nil || a.at.Equal(*b.at)
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
func (r *runner) writeChanges(ctx context.Context) error {
	if testHookStreamed != nil {
		testHookStreamed(r.stream.on)
	}
	if r.stream.on {
		return nil // written as the snapshots came
	}
	byDoc := map[string][]snapshotAt{}
	var docs []string
	for _, c := range r.existing.captures {
		if _, ok := byDoc[c.doc.DocID]; !ok {
			docs = append(docs, c.doc.DocID)
		}
		byDoc[c.doc.DocID] = append(byDoc[c.doc.DocID], c)
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
			from, to := line[i-1].document(), line[i].document()
			if from.SnapshotID == to.SnapshotID || !(r.spill.isNew(from.SnapshotID) || r.spill.isNew(to.SnapshotID)) {
				continue
			}
			pairs = append(pairs, snapshotPair{from, to})
			for _, d := range []schemas.Document{from, to} {
				if !r.spill.isNew(d.SnapshotID) {
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
	return r.diffPairs(ctx, pairs, old, func(cs []schemas.Change) error {
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
func (r *runner) diffPairs(ctx context.Context, pairs []snapshotPair, old map[string]*schemas.Records, write func([]schemas.Change) error) error {
	workers := max(1, min(r.cfg.Workers, len(pairs)))
	readers := make([]*spillReader, workers)
	for i := range readers {
		readers[i] = r.spill.reader()
	}
	out := make([][]schemas.Change, diffsPerBatch*workers)
	errs := make([]error, workers)
	for start := 0; start < len(pairs); start += len(out) {
		if err := ctx.Err(); err != nil {
			return err // interrupted: nothing is committed
		}
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
	if r.spill.isNew(doc.SnapshotID) {
		return rd.get(doc.SnapshotID)
	}
	if recs := old[doc.SnapshotID]; recs != nil {
		return recs, nil
	}
	return nil, fmt.Errorf("snapshot %s is listed in documents but has no records", doc.SnapshotID)
}

package pipeline

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/articleetl/articleetl/source"
)

// Shard is part Index (0-based) of Count parts of the inputs, as a Kubernetes Indexed Job's
// JOB_COMPLETION_INDEX counts. The zero value (Count 0) is the whole input.
type Shard struct {
	Index, Count int
}

// ParseShard reads "i/n", e.g. "0/3".
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	index, err1 := strconv.Atoi(i)
	count, err2 := strconv.Atoi(n)
	if !ok || !digits(i) || !digits(n) || err1 != nil || err2 != nil || count < 1 || index >= count {
		return Shard{}, fmt.Errorf("shard %q: want i/n with 0 <= i < n, e.g. 0/3", s)
	}
	return Shard{Index: index, Count: count}, nil
}

// digits reports whether s is a non-empty run of ASCII digits: Atoi would also take a sign
// ("+1/3"), which no job index has.
func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// Has reports whether an input belongs to this shard. It hashes the input's name (its
// WARC file and offset when it is in one, else its source as the arguments name it), so
// every shard of a run agrees on the split without talking to the others, whatever order
// the inputs arrive in. A URL's origin, the address a redirect led to, is not its name:
// it depends on the response each shard's fetch got (a session id in the redirect, a
// failure), and shards that disagree would each leave the input to another.
func (s Shard) Has(item source.Item) bool {
	if s.Count <= 1 {
		return true
	}
	name := item.Source
	if item.InWARC {
		name = item.Origin
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	return int(h.Sum64()%uint64(s.Count)) == s.Index
}

// String is "i/n", or "" for the whole input.
func (s Shard) String() string {
	if s.Count <= 1 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// Suffix names a shard's output files: "shard-0-of-3", or "" for the whole input.
func (s Shard) Suffix() string {
	if s.Count <= 1 {
		return ""
	}
	return fmt.Sprintf("shard-%d-of-%d", s.Index, s.Count)
}

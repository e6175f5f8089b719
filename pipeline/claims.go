package pipeline

import (
	"sync"

	"github.com/articleetl/articleetl/schemas"
)

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
	first map[shaKey]int // lowest input order seen with each hash; -1 for the dataset's own
}

func newClaims(existing map[shaKey]*schemas.Document) *claims {
	c := &claims{first: make(map[shaKey]int, len(existing))}
	for sha := range existing {
		c.first[sha] = -1
	}
	return c
}

// claim records that input order has bytes hashing to sha and reports whether an earlier
// input already had them.
func (c *claims) claim(sha shaKey, order int) (dup bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if first, ok := c.first[sha]; ok && first < order {
		return true
	}
	c.first[sha] = order
	return false
}

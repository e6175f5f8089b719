package pipeline

import (
	"fmt"
	"testing"

	"github.com/articleetl/articleetl/source"
)

// TestShardNamesAnInputByWhatTheArgumentsSay checks what Shard.Has hashes: a URL input by
// the URL given, whatever address a redirect led each shard's fetch to or whether the
// fetch failed (shards that disagreed each left the input to another, and a merge lost
// it), and a WARC record by its place in the file, so that the records of one target URI
// spread over the shards.
func TestShardNamesAnInputByWhatTheArgumentsSay(t *testing.T) {
	count := 3
	owner := func(it source.Item) int {
		for i := range count {
			if (Shard{Index: i, Count: count}).Has(it) {
				return i
			}
		}
		t.Fatalf("no shard has %+v", it)
		return -1
	}
	spread := map[int]bool{}
	for k := range 30 {
		url := fmt.Sprintf("https://example.org/r%d", k)
		want := owner(source.Item{Source: url})
		for _, it := range []source.Item{
			{Source: url, Origin: url + "/landed?session=1"},
			{Source: url, Origin: url + "/landed?session=2"},
			{Source: url, Origin: "https://web.archive.org/web/2018id_/" + url, Err: fmt.Errorf("503")},
		} {
			if got := owner(it); got != want {
				t.Errorf("%s from %s is in shard %d, the URL alone in %d", url, it.Origin, got, want)
			}
		}
		spread[owner(source.Item{Source: "https://example.org/post", Origin: fmt.Sprintf("crawl.warc.gz@%d", 1000*k), InWARC: true})] = true
	}
	if len(spread) != count {
		t.Errorf("30 WARC records of one target URI went to shards %v, want all %d", spread, count)
	}
}

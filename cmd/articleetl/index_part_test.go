package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestIndexPartOfNothingFails: `index --out F ARGS` where ARGS name no WARC file exits 1
// with the reason ("no WARC file to index (x: no such file)"). Each `index --part --shard
// i/n` over the same ARGS must too: it first exited 0, writing an empty part without even
// the warning, so the parts Job completed with /data/captures not there and the join
// failed naming only the parts.
func TestIndexPartOfNothingFails(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "captures")
	for _, shard := range []string{"0/2", "1/2"} {
		code, _, stderr := runCLI(t, "", "index", "--part", "--shard", shard, "--out", filepath.Join(dir, "part-"+shard[:1]), missing)
		if code != 1 || !strings.Contains(stderr, "no WARC file to index ("+missing+": no such file)") {
			t.Errorf("index --part --shard %s over a missing argument: exit %d, stderr %q; want exit 1 as index without --part gives, with the reason", shard, code, stderr)
		}
	}
}

package deploy

import (
	"os"
	"strings"
	"testing"
)

// TestIndexedJobMatchesTheCLI keeps the manifest honest about the flags it passes: every
// flag must exist in `articleetl run --help` (checked against the command's source, since
// this test cannot run kubectl), and the shard count must agree with completions.
func TestIndexedJobMatchesTheCLI(t *testing.T) {
	job, err := os.ReadFile("indexed-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("../cmd/articleetl/cmd_run.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, flag := range []string{"keep-going", "quiet", "log-format", "shard", "out"} {
		if !strings.Contains(string(job), "--"+flag) || !strings.Contains(string(src), `Name: "`+flag+`"`) {
			t.Errorf("flag --%s: in manifest %v, in CLI %v", flag, strings.Contains(string(job), "--"+flag), strings.Contains(string(src), `Name: "`+flag+`"`))
		}
	}
	for _, want := range []string{"completionMode: Indexed", "completions: 3", "parallelism: 3", "--shard=$(JOB_COMPLETION_INDEX)/3",
		"name: GOMEMLIMIT", "resourceFieldRef: {resource: limits.memory}", "limits: {memory: "} {
		if !strings.Contains(string(job), want) {
			t.Errorf("manifest lacks %q", want)
		}
	}
}

// TestIndexJobMatchesTheCLI checks the index Job against the index command's flags, and that
// the shards' commented --warc-index names the file it writes, from the same argument.
func TestIndexJobMatchesTheCLI(t *testing.T) {
	job, err := os.ReadFile("index-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("../cmd/articleetl/cmd_index.go")
	if err != nil {
		t.Fatal(err)
	}
	shards, err := os.ReadFile("indexed-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), `Name:      "index"`) || !strings.Contains(string(src), `Name: "out"`) {
		t.Error("the index command or its --out flag is gone from the CLI")
	}
	for _, want := range []string{"- index", "--out=/data/captures.idx", "- /data/captures\n", "name: GOMEMLIMIT"} {
		if !strings.Contains(string(job), want) {
			t.Errorf("index Job lacks %q", want)
		}
	}
	for _, want := range []string{"--warc-index=/data/captures.idx", "- /data/captures "} {
		if !strings.Contains(string(shards), want) {
			t.Errorf("indexed-job.yaml lacks %q, which the index Job's output needs", want)
		}
	}
}

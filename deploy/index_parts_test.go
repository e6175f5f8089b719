package deploy

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestIndexJoinJobAfterFewerParts runs the two Jobs' command lines (the kubelet's $(VAR)
// expansion, /data moved to a temporary directory) with the real articleetl, as an
// operator does after lowering PARTS: an earlier run of the parts Job with 8 parts left
// part-0 to part-7. When every PARTS wrote to one directory, the join Job's part-* picked
// up the stale parts and refused on every retry; the parts now go to an of-PARTS
// directory. The join must write the index of the whole crawl, byte for byte.
func TestIndexJoinJobAfterFewerParts(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "articleetl"), "../cmd/articleetl")
	if out, err := build.CombinedOutput(); err != nil {
		t.Skipf("cannot build articleetl: %v\n%s", err, out)
	}
	captures := filepath.Join(tmp, "data", "captures")
	if err := os.MkdirAll(captures, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		writeWARC(t, filepath.Join(captures, fmt.Sprintf("crawl-%02d.warc", i)), i)
	}
	articleetl := func(args ...string) (int, string) {
		if args[0] == "articleetl" {
			args[0] = filepath.Join(bin, "articleetl")
		}
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); cmd.ProcessState == nil {
			t.Fatalf("%q: %v", args, err)
		}
		return cmd.ProcessState.ExitCode(), stderr.String()
	}
	moved := func(s string) string { return strings.ReplaceAll(s, "/data/", tmp+"/data/") }

	parts, join := readFile(t, "index-parts-job.yaml"), readFile(t, "index-join-job.yaml")
	n := intField(t, parts, "completions")
	if n >= 8 {
		t.Skipf("PARTS %d: the earlier run here has 8", n)
	}
	// The earlier run, with PARTS 8.
	for i := range 8 {
		if code, stderr := articleetl("articleetl", "index", "-q", "--part", fmt.Sprintf("--shard=%d/8", i),
			"--out="+moved(fmt.Sprintf("/data/index-parts/of-8/part-%d", i)), moved("/data/captures")); code != 0 {
			t.Fatalf("earlier part %d/8: exit %d: %s", i, code, stderr)
		}
	}
	// This run: the parts Job as the manifest has it.
	args := containerList(t, parts, "args")
	for i := range n {
		argv := []string{"articleetl"}
		for _, a := range args {
			argv = append(argv, moved(kubeletExpand(a, map[string]string{"JOB_COMPLETION_INDEX": fmt.Sprint(i)})))
		}
		if code, stderr := articleetl(argv...); code != 0 {
			t.Fatalf("part %d/%d: exit %d: %s", i, n, code, stderr)
		}
	}
	// The join Job.
	if !strings.Contains(join, `command: ["/bin/sh", "-c"]`) {
		t.Fatal(`index-join-job.yaml: want command: ["/bin/sh", "-c"]`)
	}
	command, jargs := []string{"/bin/sh", "-c"}, containerList(t, join, "args")
	var argv []string
	for _, a := range append(command, jargs...) {
		argv = append(argv, moved(kubeletExpand(a, nil)))
	}
	if code, stderr := articleetl(argv...); code != 0 {
		t.Errorf("the join Job after a run with PARTS %d over one with 8: exit %d: %s", n, code, stderr)
	}
	// What it must write: the index of the whole crawl.
	if code, stderr := articleetl("articleetl", "index", "-q", "--out="+filepath.Join(tmp, "whole.idx"), moved("/data/captures")); code != 0 {
		t.Fatalf("whole index: exit %d: %s", code, stderr)
	}
	want, _ := os.ReadFile(filepath.Join(tmp, "whole.idx"))
	got, _ := os.ReadFile(moved("/data/captures.idx"))
	if !bytes.Equal(got, want) {
		t.Errorf("the join Job wrote %d bytes, not the whole index's %d", len(got), len(want))
	}
}

// writeWARC writes a plain WARC file of one HTML response.
func writeWARC(t *testing.T, path string, i int) {
	t.Helper()
	body := fmt.Sprintf("<html><head><title>Page %d</title></head><body><p>Page %d.</p></body></html>", i, i)
	http := "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
	rec := fmt.Sprintf("WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-%012d>\r\n"+
		"WARC-Date: 2020-01-01T00:00:00Z\r\nWARC-Target-URI: https://example.org/%d\r\n"+
		"Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n", i, i, len(http), http)
	if err := os.WriteFile(path, []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
}

package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// runShFunctions runs script in bash after run.sh's functions (sample, median, interleave,
// set_commands) and returns its output. The commands they time are stand-ins in the work
// directory dir: benchtool and articleetl exit with $FAKE_EXIT.
func runShFunctions(t *testing.T, runs int, dir, script string) (string, error) {
	t.Helper()
	for _, tool := range []string{"bash", "/usr/bin/time"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s: %v", tool, err)
		}
	}
	src, err := os.ReadFile("run.sh")
	if err != nil {
		t.Fatal(err)
	}
	from := strings.Index(string(src), "\nsample() {")
	to := strings.Index(string(src), "\necho \"machine:")
	if from < 0 || to < from {
		t.Fatal("run.sh: sample() … set_commands not found before the first echo")
	}
	work := filepath.Join(t.TempDir(), dir)
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tool := range []string{"benchtool", "articleetl"} {
		if err := os.WriteFile(filepath.Join(work, tool), []byte("#!/bin/sh\nexit \"${FAKE_EXIT:-0}\"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("bash", "-c", "set -euo pipefail\n"+string(src[from:to])+"\n"+script)
	cmd.Env = append(os.Environ(), "work="+work, "corpus="+filepath.Join(work, "corpus"), "target=1", "WORKERS=1",
		"RUNS="+strconv.Itoa(runs))
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestRunShMedians: the figures run.sh prints are medians of the samples, for an even
// number of runs too (the mean of the middle two, not the lower one).
func TestRunShMedians(t *testing.T) {
	out, err := runShFunctions(t, 4, "work", `printf '4 40 0.4\n1 10 0.1\n3 30 0.3\n2 20 0.2\n' >"$work/x.samples"; median x
printf '3 30 0.3\n1 10 0.1\n2 20 0.2\n' >"$work/y.samples"; median y`)
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if want := "2.5 25 0.25\n2 20 0.2\n"; out != want {
		t.Errorf("medians %q, want %q", out, want)
	}
}

// TestRunShCommandsRun: every command is timed, through a work directory (from TMPDIR)
// whose name may hold a space, and a run that exits 1 (failed inputs) gives a sample of
// figures like any other, although GNU time writes a line about its exit status first.
func TestRunShCommandsRun(t *testing.T) {
	for _, c := range []struct{ name, dir, exit string }{
		{"a work directory whose name holds a space", "bench work", "0"},
		{"runs that exit 1", "work", "1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := runShFunctions(t, 3, c.dir, `FAKE_EXIT=`+c.exit+`; export FAKE_EXIT; set_commands
interleave base run warc
for n in base run warc; do wc -l <"$work/$n.samples"; read -r t m c < <(median $n); awk -v t="$t" -v m="$m" -v c="$c" 'BEGIN{exit !(t+0 == t && m+0 == m && m > 0 && c+0 == c)}' || echo "not figures: $t $m $c"; done`)
			if err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if want := "3\n3\n3\n"; out != want {
				t.Errorf("%q, want three samples of figures for each command", out)
			}
		})
	}
}

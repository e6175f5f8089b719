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
printf '3 30 0.3\n1 10 0.1\n2 20 0.2\n' >"$work/y.samples"; median y
printf '9 123456 9\n100 123460 100\n10 123457 10\n11 123458 11\n' >"$work/z.samples"; median z`)
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	// z: sorted as numbers, not as text (9 < 10 < 100), and a peak RSS in kB printed in
	// full, not to %g's six digits.
	if want := "2.5 25 0.25\n2 20 0.2\n10.5 123457.5 10.5\n"; out != want {
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

// TestRunShSample: a sample is GNU time's elapsed seconds, peak RSS and CPU seconds (user
// plus system), read from the last line of its output (after the line about an exit status
// of 1); each run starts without the last one's output directory; a run that fails
// otherwise stops the script with its status and shows what it wrote to stderr. A stand-in
// for /usr/bin/time (a bash function of that name) gives figures that tell user and
// system time apart.
func TestRunShSample(t *testing.T) {
	out, err := runShFunctions(t, 1, "work", `/usr/bin/time() {
  local format=$2 file=$4 code=0; shift 4
  "$@" || code=$?
  format=${format//%e/1.50}; format=${format//%M/2048}; format=${format//%U/0.25}; format=${format//%S/0.50}
  { [ $code -eq 0 ] || echo "Command exited with non-zero status $code"; echo "$format"; } >"$file"
  return $code
}
mkdir "$work/out"
sample x sh -c '[ ! -e "$1" ] || exit 3' _ "$work/out"
sample x sh -c 'exit 1'
cat "$work/x.samples"
(sample x sh -c 'echo failed >&2; exit 2') || echo "exit $?"`)
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if want := "1.50 2048 0.75\n1.50 2048 0.75\nfailed\nexit 2\n"; out != want {
		t.Errorf("%q, want %q", out, want)
	}
}

// TestRunShInterleave: the commands take turns, every other round in the opposite order;
// each call starts their samples afresh (run.sh calls it once for every corpus size with
// the same names); and the caller's variables keep their values.
func TestRunShInterleave(t *testing.T) {
	out, err := runShFunctions(t, 3, "bench work", `for c in a b c; do set_command $c sh -c 'echo "$1" >>"$2"' _ $c "$work/order"; done
n=kept round=kept i=kept
interleave a b c
interleave a b c
tr '\n' ' ' <"$work/order"; echo
wc -l <"$work/a.samples"
echo "$n $round $i"`)
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if want := "a b c c b a a b c a b c c b a a b c \n3\nkept kept kept\n"; out != want {
		t.Errorf("%q, want %q", out, want)
	}
}

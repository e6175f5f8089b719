//go:build unix

package main

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/articleetl/articleetl/internal/corpus"
)

// TestSignalLeavesOutputAsItWas sends SIGINT and SIGTERM to a real run halfway through a
// corpus and checks the exit status (128 plus the signal's number, as shells report), the
// one-line message, that the dataset already in the output directory is byte for byte as
// it was, and that no staging directory is left beside it.
//
// The run cannot finish before the signal (runFixture.startRun).
func TestSignalLeavesOutputAsItWas(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	f := newRunFixture(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd, logs := f.startRun(t)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			rest, _ := io.ReadAll(logs)
			err := cmd.Wait()
			// Ended by the signal itself once it has cleaned up, so that a shell loop
			// stops too; a shell reports it as 128 plus the signal's number.
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("exit: %v, want the signal", err)
			}
			if ws := exit.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != sig {
				t.Fatalf("exit: %v, want ended by %v", err, sig)
			}
			lines := strings.Split(strings.TrimSpace(string(rest)), "\n")
			name := map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}[sig]
			if last := lines[len(lines)-1]; last != "articleetl: interrupted by "+name+": stopped, and no output file was changed" {
				t.Errorf("last line of stderr: %q", last)
			}
			f.checkUnchanged(t)
			if entries, _ := os.ReadDir(f.parent); len(entries) != 1 {
				t.Errorf("left beside the output: %v", entries)
			}
		})
	}
}

// runFixture is the command built, a corpus of 400 pages, and an output directory that
// holds a dataset already.
type runFixture struct {
	bin, in, parent, out string
	paths                []string
	before               string // dirDigest of out
}

func newRunFixture(t *testing.T) *runFixture {
	t.Helper()
	f := &runFixture{bin: buildBinary(t), in: filepath.Join(t.TempDir(), "corpus"), parent: t.TempDir()}
	var err error
	if f.paths, err = corpus.WriteDir(f.in, 400, 0); err != nil {
		t.Fatal(err)
	}
	f.out = filepath.Join(f.parent, "data")
	if err := exec.Command(f.bin, "run", "--quiet", "--out", f.out, f.paths[0], f.paths[1]).Run(); err != nil {
		t.Fatalf("first run: %v", err)
	}
	f.before = dirDigest(t, f.out)
	return f
}

// startRun starts a run over the corpus into the output, with env added to its
// environment, and returns once it has finished five inputs, with the rest of its log.
// It cannot finish before the caller has read that log: it logs a JSON line per input to
// a pipe, and 400 inputs log more than a pipe holds (64 KiB on Linux).
func (f *runFixture) startRun(t *testing.T, env ...string) (*exec.Cmd, *bufio.Reader) {
	t.Helper()
	return f.start(t, exec.Command(f.bin, f.runArgs()...), env...)
}

func (f *runFixture) runArgs() []string {
	return []string{"run", "--quiet", "--log-format", "json", "--workers", "1", "--out", f.out, f.in}
}

// start is startRun for a command given whole (a shell that starts the run).
func (f *runFixture) start(t *testing.T, cmd *exec.Cmd, env ...string) (*exec.Cmd, *bufio.Reader) {
	t.Helper()
	cmd.Env = append(os.Environ(), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	logs := bufio.NewReader(stderr)
	waitInputs(t, logs, 5, "run ended early")
	return cmd, logs
}

// waitInputs reads a run's JSON log until n more inputs are done, failing with why if the
// log ends first.
func waitInputs(t *testing.T, logs *bufio.Reader, n int, why string) {
	t.Helper()
	for done := 0; done < n; {
		line, err := logs.ReadString('\n')
		if err != nil {
			t.Fatalf("%s: %v", why, err)
		}
		if strings.Contains(line, `"input done"`) {
			done++
		}
	}
}

// checkUnchanged fails unless the output directory is byte for byte as it was.
func (f *runFixture) checkUnchanged(t *testing.T) {
	t.Helper()
	if after := dirDigest(t, f.out); after != f.before {
		t.Errorf("the output directory changed:\nbefore %s\nafter  %s", f.before, after)
	}
}

// TestIgnoredSignalStaysIgnored: a run started with SIGINT ignored, as a shell starts a
// background job, goes on through a SIGINT (Ctrl-C at the terminal is not for it), and
// stops at SIGTERM.
func TestIgnoredSignalStaysIgnored(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	f := newRunFixture(t)
	sh := exec.Command("sh", append([]string{"-c", `trap "" INT; exec "$0" "$@"`, f.bin}, f.runArgs()...)...)
	cmd, logs := f.start(t, sh)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	waitInputs(t, logs, 5, "the run stopped at an ignored SIGINT") // still going
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, logs)
	var exit *exec.ExitError
	if err := cmd.Wait(); !errors.As(err, &exit) || !exit.Sys().(syscall.WaitStatus).Signaled() || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGTERM {
		t.Fatalf("exit: %v, want ended by SIGTERM", err)
	}
	f.checkUnchanged(t)
}

// TestSignalAfterTheWorkIsDone: a signal that arrives once a command has done its work
// does not turn its own result into "interrupted". A --keep-going run with a failed input
// has written its dataset and exits 1 for the failure; it must not claim that nothing was
// written.
func TestSignalAfterTheWorkIsDone(t *testing.T) {
	in := t.TempDir()
	b, err := os.ReadFile(pageMay)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(in, "a.html"), b, 0o644)
	os.WriteFile(filepath.Join(in, "b.html"), nil, 0o644) // fails: empty
	var stderr signalOnWrite
	code := run([]string{"articleetl", "run", "--keep-going", "--out", filepath.Join(t.TempDir(), "out"), in}, strings.NewReader(""), io.Discard, &stderr)
	if !stderr.sent {
		t.Fatalf("the run printed no summary: %s", stderr.String())
	}
	if code != exitFailed || strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("exit %d, stderr %q; want 1 and the failure", code, stderr.String())
	}
}

// signalOnWrite sends this process SIGINT when the summary of a finished run is written
// to it, and gives the signal time to be handled before the command returns.
type signalOnWrite struct {
	strings.Builder
	sent bool
}

func (w *signalOnWrite) Write(p []byte) (int, error) {
	if !w.sent && strings.Contains(string(p), "articleetl: wrote") {
		w.sent = true
		syscall.Kill(os.Getpid(), syscall.SIGINT)
		time.Sleep(200 * time.Millisecond)
	}
	return w.Builder.Write(p)
}

// TestKilledRunIsCleanedUp kills a run with SIGKILL, which it cannot catch (the OOM killer
// does the same), halfway through: the output directory is as it was, its staging
// directory is left, and nothing is left in the temporary directory (the spill file has
// no name). The next run into the same output removes the killed run's staging directory.
func TestKilledRunIsCleanedUp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	f := newRunFixture(t)
	tmp := t.TempDir()
	cmd, logs := f.startRun(t, "TMPDIR="+tmp)
	cmd.Process.Kill()
	io.Copy(io.Discard, logs)
	cmd.Wait()
	f.checkUnchanged(t)
	staging, _ := filepath.Glob(filepath.Join(f.parent, ".data.staging-*"))
	if len(staging) != 1 {
		t.Fatalf("staging directories after the kill: %v, want the killed run's", staging)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left in the temporary directory: %v", left)
	}

	if out, err := exec.Command(f.bin, "run", "--quiet", "--out", f.out, f.paths[1]).CombinedOutput(); err != nil {
		t.Fatalf("run after the kill: %v: %s", err, out)
	}
	if _, err := os.Stat(staging[0]); !os.IsNotExist(err) {
		t.Errorf("the killed run's staging directory is still there (%v)", err)
	}
	if entries, _ := os.ReadDir(f.parent); len(entries) != 1 {
		t.Errorf("beside the output: %v", entries)
	}
}

// dirDigest lists a directory's files with the SHA-256 of each, in name order.
func dirDigest(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var list []string
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		list = append(list, fmt.Sprintf("%s:%x", e.Name(), sum[:6]))
	}
	sort.Strings(list)
	return strings.Join(list, " ")
}

// TestSignalWhileInputBlocks interrupts runs whose only input never comes: standard input
// a pipe nobody writes to, and a FIFO nobody opens for writing. The reading goroutine is
// blocked in the operating system, where no cancellation reaches it; one signal must still
// end the run at once, with the usual message and nothing written beside the output.
func TestSignalWhileInputBlocks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	fifo := filepath.Join(t.TempDir(), "page.html")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	for _, tt := range []struct {
		name  string
		input string
	}{
		{"stdin", "-"},
		{"fifo", fifo},
	} {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			cmd := exec.Command(bin, "run", "--quiet", "--out", filepath.Join(parent, "data"), tt.input)
			stdin, err := cmd.StdinPipe() // held open, never written
			if err != nil {
				t.Fatal(err)
			}
			defer stdin.Close()
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			ended := make(chan error, 1)
			go func() { ended <- cmd.Wait() }()
			time.Sleep(300 * time.Millisecond) // blocked on its input by now
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			var werr error
			select {
			case werr = <-ended:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("still running 10 s after SIGINT; stderr: %q", stderr.String())
			}
			var exit *exec.ExitError
			if !errors.As(werr, &exit) || !exit.Sys().(syscall.WaitStatus).Signaled() || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGINT {
				t.Errorf("exit: %v, want ended by SIGINT", werr)
			}
			if msg := stderr.String(); msg != "articleetl: interrupted by SIGINT: stopped, and no output file was changed\n" {
				t.Errorf("stderr: %q", msg)
			}
			if entries, _ := os.ReadDir(parent); len(entries) != 0 {
				t.Errorf("left beside the output: %v", entries)
			}
		})
	}
}

// TestRepeatedSignalIsOne sends this process SIGTERM twice, 50 ms apart, as timeout(1)
// can deliver one request (to the process, then to its process group), while a command
// would be cleaning up: the copy must be taken for the same request, not end the process
// (which, here, would end the test binary). That a signal after the window ends the process
// at once is Go's default once signal.Stop has run, and is not tested here.
func TestRepeatedSignalIsOne(t *testing.T) {
	ctx, interrupted, stop := interruptible()
	defer stop()
	for range 2 {
		if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the first SIGTERM did not cancel the context")
	}
	if sig := interrupted(); sig != syscall.SIGTERM {
		t.Errorf("interrupted() = %v, want SIGTERM", sig)
	}
}

// TestSignalAfterTheWindowEndsTheProcess: once repeatWindow has passed since the first
// signal, the next one has its default effect, so that a second Ctrl-C ends a command that
// is slow to stop. The signals go to a child process (this test binary again), which the
// second one must end.
func TestSignalAfterTheWindowEndsTheProcess(t *testing.T) {
	if os.Getenv("ARTICLEETL_TEST_SECOND_SIGNAL") == "1" {
		ctx, _, stop := interruptible()
		defer stop()
		syscall.Kill(os.Getpid(), syscall.SIGTERM)
		select {
		case <-ctx.Done():
			fmt.Println("cancelled by the first signal")
		case <-time.After(5 * time.Second):
			os.Exit(3)
		}
		time.Sleep(2 * repeatWindow)
		syscall.Kill(os.Getpid(), syscall.SIGTERM)
		time.Sleep(5 * time.Second)
		fmt.Println("still running after the second signal")
		os.Exit(0)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSignalAfterTheWindowEndsTheProcess$")
	cmd.Env = append(os.Environ(), "ARTICLEETL_TEST_SECOND_SIGNAL=1")
	out, err := cmd.Output()
	if !strings.Contains(string(out), "cancelled by the first signal") {
		t.Fatalf("the first SIGTERM did not cancel the child's context: %v, output %q", err, out)
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || !exit.Sys().(syscall.WaitStatus).Signaled() || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGTERM {
		t.Errorf("child: %v, output %q; want it ended by the second SIGTERM", err, out)
	}
}

// TestSignalExit checks the exit status a command stopped by a signal reports: 128 plus
// the signal's number, as shells give it and --help documents (130, 143).
func TestSignalExit(t *testing.T) {
	for _, tt := range []struct {
		sig  os.Signal
		name string
		code int
	}{
		{os.Interrupt, "SIGINT", 130},
		{syscall.SIGTERM, "SIGTERM", 143},
	} {
		if name, code := signalExit(tt.sig); name != tt.name || code != tt.code {
			t.Errorf("signalExit(%v) = %s, %d; want %s, %d", tt.sig, name, code, tt.name, tt.code)
		}
	}
}

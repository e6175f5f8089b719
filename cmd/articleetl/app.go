package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/articleetl/articleetl"
	"github.com/articleetl/articleetl/load"
)

// Exit codes, decided in one place (exitCode).
const (
	exitOK     = 0
	exitFailed = 1 // an input failed, or (diff) the inputs differ
	exitUsage  = 2 // bad flags or arguments
)

// usageError marks a mistake in how the command was called.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// exitError carries an exit code chosen by a command, with an optional message.
type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}
func (e exitError) Unwrap() error { return e.err }

// exitCodes is the EXIT STATUS part of a command's help; failed says what status 1 means
// for that command. It is for the commands that write a dataset, renaming its files into
// place one by one (run, merge); exitCodesOneFile is for the others.
func exitCodes(failed string) string {
	return exitCodesOneFile(failed) + " (or, for a\n" +
		"             second signal during the final renames, wholly the new one)"
}

// exitCodesOneFile is exitCodes for a command whose output is one file, renamed into place
// at once, or none.
func exitCodesOneFile(failed string) string {
	return "EXIT STATUS:\n" +
		"   0  success\n" +
		"   1  " + failed + "\n" +
		"   2  bad usage: unknown command, flag or argument\n" +
		"   130, 143  interrupted by SIGINT or SIGTERM: the output is as it was"
}

// helpExitCodes is the EXIT STATUS of run and of the whole command.
var helpExitCodes = exitCodes("an input failed (nothing was written unless --keep-going, which writes the rest),\n      or the output directory was refused or could not be written (nothing was written)")

// run is the whole command line, with its streams as parameters so tests run it in-process.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	code, _ := execute(args, stdin, stdout, stderr)
	return code
}

// execute is run, also returning the signal that stopped the command, if one did.
func execute(args []string, stdin io.Reader, stdout, stderr io.Writer) (int, os.Signal) {
	ctx, interrupted, stop := interruptible()
	defer stop()
	app := newApp(stdin, stdout, stderr)
	err := app.RunContext(ctx, args)
	if sig := interrupted(); sig != nil && errors.Is(err, context.Canceled) {
		// The command stopped because of the signal: say so, rather than the "context
		// canceled" it ends with. A command that finished first, or failed for a reason
		// of its own, reports its own result.
		name, code := signalExit(sig)
		fmt.Fprintf(stderr, "articleetl: interrupted by %s: stopped, and no output file was changed\n", name)
		return code, sig
	}
	return exitCode(err, stderr), nil
}

// exitBySignal ends the process by sig, with its default effect, after a command it
// interrupted has cleaned up: a shell that runs articleetl in a loop stops at Ctrl-C only
// if the child was ended by the signal, not if it exited with 130 (and $? is 130 either
// way). Where a process cannot signal itself, it exits with code.
func exitBySignal(sig os.Signal, code int) {
	signal.Reset(sig)
	if p, err := os.FindProcess(os.Getpid()); err == nil && p.Signal(sig) == nil {
		time.Sleep(time.Second) // delivery is asynchronous; the process ends during this
	}
	os.Exit(code)
}

// interruptible returns a context that the first SIGINT or SIGTERM cancels, a function
// that reports which signal that was (nil before one arrives), and a stop function. A
// second signal within repeatWindow of the first is the same request and is ignored:
// timeout(1) signals the process and then its process group, and a terminal's Ctrl-C
// reaches every process of the foreground group, so one request often arrives twice.
// After that a further signal ends a command that is slow to stop at once, as the default
// action would, but not while a dataset's files are being renamed into place: it waits
// for those renames to finish (load.HoldCommits), so that the output directory is wholly
// as it was or wholly new. The hidden staging directory beside it may be left behind
// (the next run into it removes it).
func interruptible() (context.Context, func() os.Signal, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 1)
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		// A signal the parent set to be ignored stays ignored: a shell starts background
		// jobs with SIGINT ignored so that Ctrl-C at the terminal leaves them running.
		if !signal.Ignored(sig) {
			signal.Notify(ch, sig)
		}
	}
	var got atomic.Value // os.Signal
	stopped := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			got.Store(sig)
			cancel()
		case <-stopped:
			return
		}
		repeats := time.NewTimer(repeatWindow)
		defer repeats.Stop()
		for {
			select {
			case <-ch: // the same request, delivered again
			case <-repeats.C:
				select {
				case sig := <-ch:
					load.HoldCommits() // never released: the process ends
					_, code := signalExit(sig)
					exitBySignal(sig, code)
				case <-stopped:
				}
				return
			case <-stopped:
				return
			}
		}
	}()
	interrupted := func() os.Signal {
		sig, _ := got.Load().(os.Signal)
		return sig
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			signal.Stop(ch)
			close(stopped)
			cancel()
		})
	}
	return ctx, interrupted, stop
}

// repeatWindow is how long after a first signal a second one is taken for a copy of it.
const repeatWindow = time.Second

// signalExit names a signal and gives the exit status shells use for a process it ended:
// 128 plus its number (130 for SIGINT, 143 for SIGTERM).
func signalExit(sig os.Signal) (string, int) {
	switch sig {
	case os.Interrupt:
		return "SIGINT", 128 + int(syscall.SIGINT)
	case syscall.SIGTERM:
		return "SIGTERM", 128 + int(syscall.SIGTERM)
	}
	return sig.String(), exitFailed
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *cli.App {
	commands := []*cli.Command{runCommand(), diffCommand(), mergeCommand(), indexCommand(), validateCommand(), inspectCommand(), schemaCommand(), versionCommand()}
	for _, c := range commands {
		c.OnUsageError = onUsageError
	}
	return &cli.App{
		Name:    "articleetl",
		Usage:   "turn question-and-answer explainer articles (HTML) into typed Parquet and JSONL tables",
		Version: articleetl.Version,
		Description: "articleetl extracts an article's metadata, Q&A pairs, working groups and numeric facts\n" +
			"and writes them as versioned, warehouse-ready tables.\n\n" +
			"Example:\n   articleetl run                       # the article snapshot built into the binary\n" +
			"   articleetl run --out data page.html  # a saved page\n\n" + helpExitCodes,
		Reader:         stdin,
		Writer:         stdout,
		ErrWriter:      stderr,
		HideVersion:    false,
		ExitErrHandler: func(*cli.Context, error) {}, // run decides exit codes, not urfave/cli
		OnUsageError:   onUsageError,
		Commands:       commands,
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usagef("unknown command %q (see articleetl --help)", c.Args().First())
			}
			return cli.ShowAppHelp(c)
		},
	}
}

func onUsageError(_ *cli.Context, err error, _ bool) error { return usageError{err} }

// exitCode prints err (one line) and maps it to the process exit status.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var ee exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "articleetl:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "articleetl:", err)
	var ue usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitFailed
}

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the tool, extractor and schema versions",
		Action: func(c *cli.Context) error {
			return printVersion(c.App.Writer)
		},
	}
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/articleetl/articleetl"
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

const helpExitCodes = `EXIT STATUS:
   0  success
   1  an input failed (nothing was written unless --keep-going)
   2  bad usage: unknown command, flag or argument`

// run is the whole command line, with its streams as parameters so tests run it in-process.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	app := newApp(stdin, stdout, stderr)
	return exitCode(app.RunContext(ctx, args), stderr)
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *cli.App {
	commands := []*cli.Command{runCommand(), diffCommand(), mergeCommand(), validateCommand(), inspectCommand(), schemaCommand(), versionCommand()}
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

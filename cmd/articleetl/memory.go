package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/articleetl/articleetl/internal/gctarget"
)

// defaultMemoryTarget is the heap a run may grow to before the garbage collector runs
// (gctarget has why): about 100 MB of peak RSS for any number of pages.
const defaultMemoryTarget = "64MiB"

// memoryTargetFlag is the flag of the commands that process many pages.
func memoryTargetFlag() cli.Flag {
	return &cli.StringFlag{Name: "memory-target", EnvVars: []string{"ARTICLEETL_MEMORY_TARGET"}, Value: defaultMemoryTarget,
		Usage: "heap `SIZE` the run may grow to before collecting garbage: more is faster, less uses less memory; 0 for Go's default (collect at twice the live heap, or as GOGC says) (example: --memory-target 128MiB)"}
}

// tuneGC applies --memory-target for the command (gctarget) and returns the function that
// restores the collector's setting after it. A GOGC in the environment is the user's
// choice and is kept, unless --memory-target (or ARTICLEETL_MEMORY_TARGET) is given too.
func tuneGC(c *cli.Context) (restore func(), err error) {
	target, err := parseSizeOrZero(c.String("memory-target")) // 0: Go's default
	if err != nil {
		return nil, usageError{fmt.Errorf("--memory-target: %w", err)}
	}
	if os.Getenv("GOGC") != "" && !c.IsSet("memory-target") {
		return func() {}, nil
	}
	return gctarget.Set(target), nil
}

package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/articleetl/articleetl"
	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/pipeline"
)

func mergeCommand() *cli.Command {
	return &cli.Command{
		Name:      "merge",
		Usage:     "combine the outputs of a sharded run into one dataset",
		ArgsUsage: "SHARD_DIR...",
		Description: "Reads the output directories of the shards of one run (articleetl run --shard i/n, same\n" +
			"arguments in every shard) and writes one flat dataset to --out, table for table the same\n" +
			"bytes a single run over all inputs writes: inputs in their original order, snapshots seen\n" +
			"by several shards written once, changes computed over the whole timeline.\n\n" +
			"Examples:\n" +
			"   articleetl run --shard 0/2 --out s0 captures/ && articleetl run --shard 1/2 --out s1 captures/\n" +
			"   articleetl merge --out data s0 s1\n\n" + exitCodes("a shard could not be merged (nothing was written); inputs the shards\n      failed on, listed in the errors table, leave the status at 0"),
		Flags: append(outputFlags(),
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no summary line (example: --quiet)"},
			memoryTargetFlag(),
		),
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usagef("merge needs at least one SHARD_DIR")
			}
			formats, err := load.ParseFormats(c.String("format"))
			if err != nil {
				return usageError{err}
			}
			restoreGC, err := tuneGC(c)
			if err != nil {
				return err
			}
			defer restoreGC()
			cfg := pipeline.Config{Out: c.String("out"), Formats: formats, ToolVersion: articleetl.Version}
			res, err := pipeline.Merge(c.Context, c.Args().Slice(), cfg)
			if err != nil {
				return err
			}
			if !c.Bool("quiet") {
				fmt.Fprintln(c.App.ErrWriter, summary(res, cfg.Out))
			}
			return nil
		},
	}
}

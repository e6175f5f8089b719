package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/articleetl/articleetl/pipeline"
	"github.com/articleetl/articleetl/source"
)

func indexCommand() *cli.Command {
	return &cli.Command{
		Name:      "index",
		Usage:     "index the records of WARC files, for shards that read only their own",
		ArgsUsage: "INPUT... | --join PART...",
		Description: "Reads the WARC files that INPUT names (files, directories, glob patterns; not standard\n" +
			"input or URLs) once and writes to --out which of their records give a page, where each\n" +
			"starts, and which record each revisit resolves to. A sharded run given the index\n" +
			"(run --shard i/n --warc-index FILE, same INPUTs, same --max-input-size) then reads only its\n" +
			"own records, seeking to them, instead of decompressing every record of every WARC in\n" +
			"every shard. The index is written to a temporary file beside FILE and renamed into place.\n\n" +
			"A large crawl can be indexed in parts, on several machines at once: --part indexes its\n" +
			"INPUTs each as if it were alone, and --join makes the index from the parts alone (no WARC\n" +
			"file is read), given in the order the run reads their files. The joined index is the one\n" +
			"INPUTs indexed together would give.\n\n" +
			"Examples:\n" +
			"   articleetl index --out crawl.idx crawl/\n" +
			"   articleetl run --shard 0/16 --warc-index crawl.idx --out shard-0 crawl/\n" +
			"   articleetl index --part --out a.part crawl/a.warc.gz   # and b.part, ... elsewhere\n" +
			"   articleetl index --join --out crawl.idx a.part b.part\n" +
			"   articleetl index --part --shard 0/4 --out 0.part crawl/   # 1/4 to 3/4 on other machines\n" +
			"   articleetl index --join --out crawl.idx 0.part 1.part 2.part 3.part\n\n" + exitCodesOneFile("an input could not be indexed, or FILE not written (no index is left at FILE)"),
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "index `FILE` to write (example: --out crawl.idx)"},
			&cli.StringFlag{Name: "max-input-size", Value: "20MiB", Usage: "the run's largest page accepted: the index is valid for runs with the same (example: --max-input-size 64MiB)"},
			&cli.BoolFlag{Name: "part", Usage: "write a part of an index, to be joined with the others' (example: --part)"},
			&cli.StringFlag{Name: "shard", Usage: "with --part: index only part `I/N` of the WARC files, the I-th (0-based) of N runs of consecutive files holding about equal bytes, in the order a run reads them; --join puts such parts in order (example: --shard 0/4)"},
			&cli.BoolFlag{Name: "join", Usage: "the arguments are parts (--part), in the order the run reads their files: write their index (example: --join)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no summary line (example: --quiet)"},
		},
		Action: func(c *cli.Context) error {
			if c.String("out") == "" {
				return usagef("index needs --out FILE, the index to write")
			}
			if c.NArg() == 0 {
				return usagef("index needs at least one INPUT")
			}
			if c.Bool("part") && c.Bool("join") {
				return usagef("index takes --part or --join, not both")
			}
			maxBytes, err := parseSize(c.String("max-input-size"))
			if err != nil {
				return usageError{fmt.Errorf("--max-input-size: %w", err)}
			}
			out := c.String("out")
			if err := source.MayReplaceWARCIndex(out); err != nil {
				return fmt.Errorf("--out: %w", err)
			}
			var part source.PartOf
			if s := c.String("shard"); s != "" {
				if !c.Bool("part") {
					return usagef("index takes --shard only with --part: the parts of an index are written by shards")
				}
				sh, err := pipeline.ParseShard(s)
				if err != nil {
					return usageError{err}
				}
				part = source.PartOf{Index: sh.Index, Count: sh.Count}
			}
			if c.Bool("join") && c.IsSet("max-input-size") {
				return usagef("index --join takes the page size limit from its parts, not --max-input-size")
			}
			stats, err := writeIndex(c, out, source.Options{MaxBytes: maxBytes}, part)
			if err != nil {
				return err
			}
			for _, u := range stats.Unreadable {
				fmt.Fprintf(c.App.ErrWriter, "articleetl: warning: %s (a run over these inputs reports it too)\n", u)
			}
			if !c.Bool("quiet") {
				what, as := "indexed", ""
				switch {
				case c.Bool("part") && part.Count > 1:
					as = fmt.Sprintf(" as part %d/%d", part.Index, part.Count)
				case c.Bool("part"):
					as = " as a part"
				case c.Bool("join"):
					what = "joined the parts of"
				}
				fmt.Fprintf(c.App.ErrWriter, "articleetl: %s %d WARC files%s (%d pages, %d of them revisits; %d files to be read through) to %s\n",
					what, stats.Files, as, stats.Items, stats.Revisits, stats.Scan, out)
			}
			return nil
		},
	}
}

// writeIndex writes the index to a temporary file beside out and renames it into place,
// so that a failed or interrupted run leaves no index, or the one there was, at out.
func writeIndex(c *cli.Context, out string, opts source.Options, part source.PartOf) (stats source.IndexStats, err error) {
	// The directory is made as run makes its --out: parts go to one per crawl.
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return stats, fmt.Errorf("writing the index: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-*")
	if err != nil {
		return stats, fmt.Errorf("writing the index: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	switch {
	case c.Bool("join"):
		stats, err = source.JoinWARCIndex(c.Context, c.Args().Slice(), f)
	case c.Bool("part"):
		stats, err = source.WriteWARCIndexPart(c.Context, c.Args().Slice(), opts, part, f)
	default:
		stats, err = source.WriteWARCIndex(c.Context, c.Args().Slice(), opts, f)
	}
	if err != nil {
		return stats, err
	}
	if stats.Files == 0 && part.Count <= 1 { // a part of n may have no file: more parts than files
		return stats, source.NoWARCFileError(c.Args().Slice(), stats.Unreadable)
	}
	// CreateTemp makes the file private (0600); an index is shared like the datasets.
	if err = f.Chmod(0o644); err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = f.Close()
	}
	if err == nil {
		err = os.Rename(f.Name(), out)
	}
	if err != nil {
		return stats, fmt.Errorf("writing the index %s: %w", out, err)
	}
	return stats, nil
}

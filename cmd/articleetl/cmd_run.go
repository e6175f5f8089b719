package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/articleetl/articleetl"
	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/pipeline"
	"github.com/articleetl/articleetl/schemas"
	"github.com/articleetl/articleetl/source"
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "extract articles and write the tables",
		ArgsUsage: "[INPUT...]",
		Description: "Reads each INPUT and writes, for each table, DIR/<table>.parquet and DIR/<table>.jsonl,\n" +
			"plus DIR/manifest.json and DIR/datapackage.json. With no INPUT it processes the article\n" +
			"snapshot built into the binary. An INPUT is an HTML file, a directory (searched for .html,\n" +
			".htm, .warc and .warc.gz files), a glob pattern, - for standard input, an http(s) URL\n" +
			"(a Wayback Machine URL is fetched in its raw id_ form) or a WARC file. Files are staged\n" +
			"beside DIR and renamed into place only when the run succeeds, so a failed or interrupted\n" +
			"run leaves DIR as it was.\n\n" +
			"With --append, DIR is an appendable dataset (DIR/parquet/<table>/part-*.parquet,\n" +
			"DIR/jsonl/<table>/part-*.jsonl): new snapshots are added as new parts, nothing already\n" +
			"there is rewritten or duplicated, and running the same inputs again changes no byte.\n\n" +
			"Examples:\n" +
			"   articleetl run\n" +
			"   articleetl run --out data --format parquet saved-page.html\n" +
			"   articleetl run --append --out archive crawl.warc.gz 'captures/*.html'\n" +
			"   articleetl run --keep-going --workers 4 --log-format json https://web.archive.org/web/20180602123456/https://example.org/post\n" +
			"   curl -s https://example.org/post | articleetl run -\n\n" + helpExitCodes,
		Flags: append(outputFlags(),
			&cli.BoolFlag{Name: "append", Usage: "add new snapshots to the appendable dataset in DIR (example: --append --out archive)"},
			&cli.IntFlag{Name: "workers", Aliases: []string{"j"}, Value: runtime.NumCPU(), Usage: "inputs processed at once; the output is the same for any value (example: --workers 4)"},
			&cli.BoolFlag{Name: "keep-going", Aliases: []string{"k"}, Usage: "write what succeeded and list failed inputs in the errors table and manifest; exit 1 if any failed (example: --keep-going)"},
			&cli.DurationFlag{Name: "timeout", Value: 30 * time.Second, Usage: "per-request timeout for URL inputs (example: --timeout 10s)"},
			&cli.StringFlag{Name: "max-input-size", Value: "20MiB", Usage: "largest page accepted, from a file, URL or WARC record (example: --max-input-size 64MiB)"},
			&cli.StringFlag{Name: "shard", EnvVars: []string{"ARTICLEETL_SHARD"}, Usage: "process only part `I/N` of the inputs (0-based; chosen by a hash of each input's name), naming outputs <table>.shard-I-of-N.<format>; combine with merge (example: --shard 0/3)"},
			memoryTargetFlag(),
			&cli.StringFlag{Name: "warc-index", EnvVars: []string{"ARTICLEETL_WARC_INDEX"}, Usage: "read the WARC files through their index `FILE` (articleetl index): a shard seeks to its own records instead of reading every record (example: --warc-index crawl.idx)"},
			&cli.StringFlag{Name: "content-selector", Usage: "CSS `SELECTOR` of the element holding the article body, for pages the built-in choice gets wrong (example: --content-selector 'div.post-body')"},
			&cli.StringFlag{Name: "log-format", Value: "none", Usage: "per-input logs on stderr: none, text or json (example: --log-format json)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar and no summary line (example: --quiet)"},
		),
		Action: runAction,
	}
}

// outputFlags are the flags of every command that writes a dataset.
func outputFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "out", Usage: "output `DIR` (example: --out data)"},
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "parquet,jsonl", Usage: "comma-separated output `FORMATS`: parquet, jsonl (example: --format parquet)"},
	}
}

func runAction(c *cli.Context) error {
	formats, err := load.ParseFormats(c.String("format"))
	if err != nil {
		return usageError{err}
	}
	maxBytes, err := parseSize(c.String("max-input-size"))
	if err != nil {
		return usageError{fmt.Errorf("--max-input-size: %w", err)}
	}
	logger, err := newLogger(c.String("log-format"), c.App.ErrWriter)
	if err != nil {
		return usageError{err}
	}
	restoreGC, err := tuneGC(c)
	if err != nil {
		return err
	}
	defer restoreGC()
	var shard pipeline.Shard
	if s := c.String("shard"); s != "" {
		if shard, err = pipeline.ParseShard(s); err != nil {
			if env, ok := os.LookupEnv("ARTICLEETL_SHARD"); ok && env == s {
				err = fmt.Errorf("ARTICLEETL_SHARD: %w", err) // a Job's setting, not the command line's
			}
			return usageError{err}
		}
		if c.Bool("append") {
			return usagef("--shard writes flat shard outputs for merge; it does not go with --append")
		}
	}
	if c.Int("workers") < 1 {
		return usagef("--workers must be at least 1, got %d", c.Int("workers"))
	}
	if err := checkTimeout(c); err != nil {
		return err
	}
	if err := checkSelector(c.String("content-selector")); err != nil {
		return err
	}
	var index *source.WARCIndex
	if p := c.String("warc-index"); p != "" {
		if index, err = source.OpenWARCIndex(p); err != nil {
			return err
		}
	}
	cfg := pipeline.Config{
		Out:     c.String("out"),
		Formats: formats,
		Append:  c.Bool("append"),
		// An append without --format writes what the dataset holds.
		FormatsFromDataset: c.Bool("append") && !c.IsSet("format"),
		Workers:            c.Int("workers"),
		KeepGoing:          c.Bool("keep-going"),
		Options:            pipeline.Options{ContentSelector: c.String("content-selector")},
		Source:             source.Options{Stdin: c.App.Reader, Timeout: c.Duration("timeout"), MaxBytes: maxBytes, Version: articleetl.Version, WARCIndex: index},
		ToolVersion:        articleetl.Version,
		Logger:             logger,
		Embedded:           &pipeline.Input{Source: articleetl.SnapshotName, Data: articleetl.Snapshot},
		Shard:              shard,
	}
	if bar := newProgressBar(c.App.ErrWriter, c.Bool("quiet"), countPages(c.Args().Slice())); bar != nil {
		cfg.Progress = func(int) { bar.Add(1) }
		defer bar.Finish()
	}
	res, err := pipeline.Run(c.Context, c.Args().Slice(), cfg)
	if err != nil && !errors.Is(err, pipeline.ErrFailedInputs) {
		return err
	}
	if !c.Bool("quiet") {
		fmt.Fprintln(c.App.ErrWriter, summary(res, cfg.Out))
	}
	if err != nil {
		return exitError{code: exitFailed, err: err}
	}
	return nil
}

// summary is the one line printed at the end of a run.
func summary(res pipeline.Result, dir string) string {
	if res.Unchanged {
		return fmt.Sprintf("articleetl: nothing new in %d inputs; %s unchanged", res.Inputs, dir)
	}
	var parts []string
	for _, t := range schemas.Tables() {
		parts = append(parts, fmt.Sprintf("%d %s", res.Rows[t.Name], t.Name))
	}
	return fmt.Sprintf("articleetl: wrote %d tables (%s) to %s", len(parts), strings.Join(parts, ", "), dir)
}

// newProgressBar shows inputs done and the rate, and the time left when the number of
// pages is known (total >= 0), only when stderr is a terminal.
func newProgressBar(w io.Writer, quiet bool, total int) *progressbar.ProgressBar {
	f, ok := w.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return progressbar.NewOptions(total,
		progressbar.OptionSetPredictTime(total >= 0),
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("inputs"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("inputs"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

// countPages counts the pages the arguments name when that is cheap to know: files,
// directories and globs of HTML files. A WARC, URL or standard input makes it unknown (-1):
// their pages are only counted by reading them.
func countPages(args []string) int {
	if len(args) == 0 {
		return 1
	}
	n := 0
	isPage := func(p string) bool {
		ext := strings.ToLower(filepath.Ext(p))
		return ext == ".html" || ext == ".htm"
	}
	for _, arg := range args {
		if arg == "-" || strings.Contains(arg, "://") || strings.Contains(strings.ToLower(arg), ".warc") {
			return -1
		}
		matches := []string{arg}
		if _, err := os.Stat(arg); err != nil {
			matches, _ = filepath.Glob(arg)
		}
		for _, m := range matches {
			filepath.WalkDir(m, func(p string, d fs.DirEntry, err error) error {
				switch {
				case err != nil:
					return nil
				case !d.IsDir() && strings.Contains(strings.ToLower(d.Name()), ".warc"):
					n = -1 << 30 // a WARC below: unknown
				case !d.IsDir() && (isPage(p) || p == m):
					n++
				}
				return nil
			})
		}
	}
	return max(n, -1)
}

func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "none", "":
		return nil, nil
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("unknown --log-format %q (none, text, json)", format)
}

// checkTimeout refuses a --timeout that is not positive: every request would time out at
// once.
func checkTimeout(c *cli.Context) error {
	if d := c.Duration("timeout"); d <= 0 {
		return usagef("--timeout must be more than 0, got %s", d)
	}
	return nil
}

// parseSize reads a size as go-humanize does: "20MiB", "20 mib" and "20Mi" are 20×2^20
// bytes, "64MB" and "64M" 64×10^6, "1.5GiB" a fraction of a unit, "1000" bytes. Anything
// else (a sign, a word it does not know, a comma, zero, more than maxSize) is refused,
// never read as some other number: go-humanize drops commas as thousands separators, so
// "1,5MiB" would be 15 MiB where a decimal comma meant 1.5.
func parseSize(s string) (int64, error) {
	n, err := parseSizeOrZero(s)
	if err == nil && n == 0 {
		err = fmt.Errorf("%q is not a size such as 20MiB", s)
	}
	return n, err
}

// parseSizeOrZero is parseSize taking a zero size ("0", "0MiB") too.
func parseSizeOrZero(s string) (int64, error) {
	n, err := humanize.ParseBytes(strings.TrimSpace(s))
	switch {
	case err != nil || strings.Contains(s, ","):
		return 0, fmt.Errorf("%q is not a size such as 20MiB", s)
	case n > maxSize:
		return 0, fmt.Errorf("%q is more than the 1 TiB this articleetl takes", s)
	}
	return int64(n), nil
}

// maxSize bounds the sizes parseSize takes, far above any page or heap this tool meets, so
// that sums with them cannot overflow (source.Options.MaxBytes has the same bound).
const maxSize = 1 << 40

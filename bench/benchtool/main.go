// Command benchtool supports bench/run.sh: it generates the corpus, runs the goquery-only
// baseline the pipeline is compared with, and compares Parquet sizes with zstd-compressed
// JSONL, and with the smallest Parquet files the same rows could be written as.
//
//	benchtool gen -n 2000 -dups 100 -dir corpus -warc corpus.warc.gz
//	benchtool parse -workers 2 corpus
//	benchtool sizes out
//	benchtool floor out
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/PuerkitoBio/goquery"
	"github.com/klauspost/compress/zstd"

	"github.com/articleetl/articleetl/internal/corpus"
	"github.com/articleetl/articleetl/internal/gctarget"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchtool gen|parse|sizes|floor ...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "parse":
		err = parse(os.Args[2:])
	case "sizes":
		err = sizes(os.Args[2:])
	case "floor":
		err = floor(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtool:", err)
		os.Exit(1)
	}
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	n := fs.Int("n", 100, "distinct snapshots")
	dups := fs.Int("dups", 0, "exact duplicates added after them")
	dir := fs.String("dir", "", "write HTML files here")
	warc := fs.String("warc", "", "write one WARC here")
	fs.Parse(args)
	if *dir == "" && *warc == "" {
		return errors.New("gen: give -dir DIR for HTML files, -warc FILE for a WARC, or both")
	}
	if *dir != "" {
		if _, err := corpus.WriteDir(*dir, *n, *dups); err != nil {
			return err
		}
	}
	if *warc != "" {
		return corpus.WriteWARC(*warc, *n, *dups)
	}
	return nil
}

// parse is the baseline: read every .html file under a directory and parse it with goquery,
// nothing else, on as many workers as the pipeline gets.
func parse(args []string) error {
	fs := flag.NewFlagSet("parse", flag.ExitOnError)
	workers := fs.Int("workers", 1, "files parsed at once")
	target := fs.Int64("memory-target", 0, "heap bytes to grow to between collections, as articleetl run --memory-target (0: Go's default)")
	fs.Parse(args)
	defer gctarget.Set(*target)()
	files, err := filepath.Glob(filepath.Join(fs.Arg(0), "*.html"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	jobs := make(chan string)
	var wg sync.WaitGroup
	errs := make(chan error, *workers)
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range jobs {
				b, err := os.ReadFile(f)
				if err == nil {
					_, err = goquery.NewDocumentFromReader(bytes.NewReader(b))
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for _, f := range files {
		jobs <- f
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	fmt.Println(len(files), "files parsed")
	return nil
}

// sizes prints, per table, the Parquet file size and the size of its JSONL compressed with
// zstd at the default level.
func sizes(args []string) error {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return errors.New("usage: benchtool sizes DIR (the output of articleetl run with both formats)")
	}
	dir := args[0]
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if len(files) == 0 {
		return fmt.Errorf("sizes: no JSON Lines tables in %s", dir)
	}
	sort.Strings(files)
	enc, _ := zstd.NewWriter(nil)
	var pqTotal, zTotal int64
	for _, f := range files {
		table := filepath.Base(f[:len(f)-len(".jsonl")])
		j, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		fi, err := os.Stat(filepath.Join(dir, table+".parquet"))
		if err != nil {
			return err
		}
		z := int64(len(enc.EncodeAll(j, nil)))
		pqTotal += fi.Size()
		zTotal += z
		fmt.Printf("%-15s parquet %9d B  jsonl %10d B  jsonl.zst %9d B  parquet/jsonl.zst %.2f\n", table, fi.Size(), len(j), z, ratio(fi.Size(), z))
	}
	fmt.Printf("%-15s parquet %9d B  %24s  jsonl.zst %9d B  parquet/jsonl.zst %.2f\n", "total", pqTotal, "", zTotal, ratio(pqTotal, zTotal))
	return nil
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

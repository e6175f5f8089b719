package source

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// stdin reads the argument "-": a WARC (its first bytes "WARC/", plain or gzip) record by
// record, as a file, anything else as one page.
func (r *runner) stdin() error {
	if r.opts.Stdin == nil {
		return r.fail("-", "", ErrNoStdin)
	}
	br := bufio.NewReaderSize(r.opts.Stdin, warcSniffSize)
	if looksLikeWARC(br) {
		return r.spooledWARC("-", br)
	}
	data, err := readLimited(br, r.opts.MaxBytes)
	if err != nil {
		return r.fail("-", "", err)
	}
	return r.emit(Item{Source: "-", Data: data})
}

// path reads an argument that is not "-" or a URL: a file, a directory or a glob pattern.
// An existing path is taken literally even when its name holds glob characters.
func (r *runner) path(arg string) error {
	info, err := os.Stat(arg)
	switch {
	case err == nil && info.IsDir():
		return r.dir(arg)
	case err == nil:
		return r.file(arg)
	case errors.Is(err, fs.ErrNotExist) && strings.ContainsAny(arg, "*?["):
		return r.glob(arg)
	case errors.Is(err, fs.ErrNotExist) && r.isBareWayback(arg):
		return r.fetch(arg, "https://"+arg)
	case r.opts.WARCIndex.has(arg):
		// A WARC file of the index that cannot be found now fails in its place, so that
		// the files after it are still where the index has them.
		return r.warc(arg)
	}
	return r.fail(arg, "", pathError(err))
}

// glob expands a pattern; each match is read like an argument of its own.
func (r *runner) glob(pattern string) error {
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return r.fail(pattern, "", errors.New("bad glob pattern"))
	}
	if len(matches) == 0 {
		return r.fail(pattern, "", ErrNoMatch)
	}
	slices.Sort(matches)
	for _, m := range matches {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		info, err := os.Stat(m)
		switch {
		case err != nil:
			err = r.fail(m, "", pathError(err))
		case info.IsDir():
			err = r.dir(m)
		default:
			err = r.file(m)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// dir reads every page and WARC file under root, sorted by path. Symbolic links to
// directories are not followed. A directory that cannot be listed is an Item with Err.
func (r *runner) dir(root string) error {
	var paths []string
	type failure struct {
		path string
		err  error
	}
	var failures []failure
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			failures = append(failures, failure{p, pathError(err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && keepInDir(p) {
			paths = append(paths, p)
		}
		return nil
	})
	for _, f := range failures {
		if err := r.fail(f.path, "", f.err); err != nil {
			return err
		}
	}
	if len(paths) == 0 {
		if len(failures) > 0 {
			return nil
		}
		return r.fail(root, "", ErrEmptyDir)
	}
	slices.Sort(paths)
	for _, p := range paths {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		if err := r.file(p); err != nil {
			return err
		}
	}
	return nil
}

// keepInDir reports whether a file found in a directory is read.
func keepInDir(p string) bool {
	lower := strings.ToLower(p)
	for _, ext := range []string{".html", ".htm", ".warc", ".warc.gz"} {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return false
}

// isWARC reports whether a file is read as a WARC, by its name.
func isWARC(p string) bool {
	lower := strings.ToLower(p)
	return strings.HasSuffix(lower, ".warc") || strings.HasSuffix(lower, ".warc.gz")
}

// file reads one file: a WARC record by record, anything else as one page.
func (r *runner) file(p string) error {
	if isWARC(p) {
		return r.warc(p)
	}
	if it := (Item{Source: p}); r.unwanted(it) {
		return r.emit(it)
	}
	data, err := readFile(p, r.opts.MaxBytes)
	if err != nil {
		return r.fail(p, "", err)
	}
	return r.emit(Item{Source: p, Data: data})
}

func readFile(p string, limit int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, pathError(err)
	}
	defer f.Close()
	var size int64
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		if info.Size() > limit {
			return nil, &TooLargeError{Limit: limit}
		}
		size = info.Size()
	}
	data, err := readLimitedSized(f, limit, size)
	if err != nil {
		return nil, pathError(err)
	}
	return data, nil
}

// readLimited reads all of rd, failing with *TooLargeError past limit bytes. On another
// error it returns what it read before it, for callers that accept a partial page.
func readLimited(rd io.Reader, limit int64) ([]byte, error) {
	return readLimitedSized(rd, limit, 0)
}

// readLimitedSized is readLimited for a reader expected to hold size bytes (a regular
// file's size, 0 when unknown): the buffer is allocated once at that size, where growing
// it from nothing copied every page about twice and allocated twice its size.
func readLimitedSized(rd io.Reader, limit, size int64) ([]byte, error) {
	if size <= 0 || size > limit {
		data, err := io.ReadAll(io.LimitReader(rd, limit+1))
		if int64(len(data)) > limit {
			return nil, &TooLargeError{Limit: limit}
		}
		return data, err
	}
	// One byte more than expected, so that a file which grew since it was measured is
	// noticed (and read to the end, through the limit check) rather than cut short.
	data := make([]byte, 0, size+1)
	for {
		n, err := rd.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return data, err
		}
		if len(data) == cap(data) {
			rest, err := readLimited(rd, limit-int64(len(data)))
			if err != nil {
				var tl *TooLargeError
				if errors.As(err, &tl) {
					return nil, &TooLargeError{Limit: limit}
				}
				return append(data, rest...), err
			}
			return append(data, rest...), nil
		}
	}
}

package load

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/parquet-go/parquet-go"
)

// ReadRows streams every row of a table of the dataset in dir, as listed in its manifest,
// calling fn for each. It reads the JSONL files when the dataset has them (cheaper to
// decode row by row), else the Parquet files. Rows written with an earlier minor schema
// version read fine: columns they lack stay zero or nil.
func ReadRows[T any](dir string, m *Manifest, table string, fn func(*T) error) error {
	mt := m.Table(table)
	if mt == nil {
		return nil
	}
	format := string(FormatParquet)
	for _, f := range mt.Files {
		if f.Format == string(FormatJSONL) {
			format = f.Format
		}
	}
	for _, f := range mt.Files {
		if f.Format != format {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		var err error
		if format == string(FormatJSONL) {
			err = readJSONL(p, fn)
		} else {
			err = readParquet(p, fn)
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", p, err)
		}
	}
	return nil
}

func readJSONL[T any](path string, fn func(*T) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 64<<10))
	for line := 1; ; line++ {
		var row T
		if err := dec.Decode(&row); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("row %d: %w", line, err)
		}
		if err := fn(&row); err != nil {
			return err
		}
	}
}

func readParquet[T any](path string, fn func(*T) error) (err error) {
	defer recoverPanic("reading parquet", &err)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := parquet.NewGenericReader[T](f)
	defer r.Close()
	buf := make([]T, 256)
	for {
		n, err := r.Read(buf)
		for i := range n {
			if ferr := fn(&buf[i]); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

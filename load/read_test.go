package load

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/articleetl/articleetl/schemas"
)

// TestReadRowsChecksFixity changes a byte of a table file, in a dataset with JSON Lines
// (read as they are decoded) and in one with Parquet alone (hashed before it is read), and
// checks that ReadRows reports the file as differing from its manifest entry; unchanged
// files read as before.
func TestReadRowsChecksFixity(t *testing.T) {
	for _, tt := range []struct {
		formats []Format
		file    string
		change  func(b []byte) []byte
	}{
		// A letter of a question: the file still reads, but is not the one recorded.
		{[]Format{FormatParquet, FormatJSONL}, "qa_pairs.jsonl", func(b []byte) []byte { b[len(b)-20] ^= 0x01; return b }},
		// Cut short: the last row no longer decodes, and the file's fixity says why.
		{[]Format{FormatParquet, FormatJSONL}, "qa_pairs.jsonl", func(b []byte) []byte { return b[:len(b)-5] }},
		// A byte of the first page, and a file cut short (its size alone tells).
		{[]Format{FormatParquet}, "qa_pairs.parquet", func(b []byte) []byte { b[30] ^= 0x01; return b }},
		{[]Format{FormatParquet}, "qa_pairs.parquet", func(b []byte) []byte { return b[:len(b)-1] }},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		writeDataset(t, dir, Options{Formats: tt.formats, ToolVersion: "test"}, fixture())
		m, err := ReadManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		read := func() (int, error) {
			n := 0
			err := ReadRows(dir, m, schemas.QAPairs.Name, func(*schemas.QAPair) error { n++; return nil })
			return n, err
		}
		if n, err := read(); err != nil || n != wantRows["qa_pairs"] {
			t.Fatalf("%s unchanged: %d rows, %v", tt.file, n, err)
		}
		path := filepath.Join(dir, tt.file)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, tt.change(b), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := read(); !errors.Is(err, ErrFixity) {
			t.Errorf("%s changed: %v, want ErrFixity", tt.file, err)
		}
	}
}

// TestCheckFiles checks what an append checks of the files it does not read: each listed
// file present with its recorded size, and no table file the manifest does not list.
func TestCheckFiles(t *testing.T) {
	for _, tt := range []struct {
		name   string
		change func(t *testing.T, dir string)
		want   string // "" for no error
	}{
		{"unchanged", func(*testing.T, string) {}, ""},
		{"another file beside the tables", func(t *testing.T, dir string) { write(t, dir, "notes.txt", "x") }, ""},
		{"a listed file deleted", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "facts.parquet")) }, "facts.parquet: the file differs from what the manifest records: it is listed in manifest.json but missing"},
		{"a listed file cut short", func(t *testing.T, dir string) {
			b, _ := os.ReadFile(filepath.Join(dir, "facts.parquet"))
			write(t, dir, "facts.parquet", string(b[:len(b)-1]))
		}, "facts.parquet: the file differs from what the manifest records: "},
		{"an unlisted part", func(t *testing.T, dir string) { write(t, dir, "part-zzz.parquet", "PAR1") }, "part-zzz.parquet: a table file manifest.json does not list"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			writeDataset(t, dir, Options{Formats: []Format{FormatParquet, FormatJSONL}, ToolVersion: "test"}, fixture())
			m, err := ReadManifest(dir)
			if err != nil {
				t.Fatal(err)
			}
			tt.change(t, dir)
			err = CheckFiles(dir, m)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("CheckFiles: %v, want %q", err, tt.want)
			}
		})
	}
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReadRowsStopsAtCallbackError: an error from fn stops the reading and is what ReadRows
// returns, whether it reads JSON Lines (row by row) or Parquet (in batches).
func TestReadRowsStopsAtCallbackError(t *testing.T) {
	stop := errors.New("stop here")
	for _, formats := range [][]Format{{FormatParquet, FormatJSONL}, {FormatParquet}} {
		dir := filepath.Join(t.TempDir(), "out")
		writeDataset(t, dir, Options{Formats: formats, ToolVersion: "test"}, fixture())
		m, err := ReadManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		err = ReadRows(dir, m, schemas.QAPairs.Name, func(*schemas.QAPair) error {
			n++
			if n == 2 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || n != 2 {
			t.Errorf("%v: ReadRows read %d rows and returned %v, want it to stop at the 2nd with fn's error", formats, n, err)
		}
	}
}

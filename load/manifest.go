package load

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// ManifestName is the file, in the output directory, that describes the run.
const ManifestName = "manifest.json"

// Manifest describes one run and every file it wrote. Run-time facts (times, host) live
// here and never in the table files, which stay byte-identical between runs.
type Manifest struct {
	Tool        string    `json:"tool"`
	ToolVersion string    `json:"tool_version"`
	StartedAt   time.Time `json:"started_at"`
	FinishedAt  time.Time `json:"finished_at"`
	Host        string    `json:"host,omitempty"`
	Layout      string    `json:"layout"`          // LayoutFlat or LayoutPartitioned
	Shard       string    `json:"shard,omitempty"` // "i/n" for one shard of a sharded run
	// InputsNamed is how many inputs the run's arguments named, in every shard (a shard
	// lists only its own), and ArgumentsSHA256 a hash of those arguments and of the options
	// that shape the tables: together they let a merge check that its shards are the
	// parts of one run. Both are set for flat outputs (runs and merges), not for appends.
	InputsNamed     int    `json:"inputs_named,omitempty"`
	ArgumentsSHA256 string `json:"arguments_sha256,omitempty"`
	// WARCIndex is the WARC index the run read its WARC files through (run --warc-index),
	// nil when it read them through: the tables are the same either way, so it is a fact
	// of the run for provenance, like the host.
	WARCIndex *IndexRef       `json:"warc_index,omitempty"`
	Tables    []ManifestTable `json:"tables"`
	Inputs    []InputStatus   `json:"inputs"`
	Runs      []Run           `json:"runs,omitempty"`
}

// IndexRef names a file a run read besides its inputs: its path as given and its SHA-256.
type IndexRef struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// Run records one run that added to a partitioned dataset.
type Run struct {
	ToolVersion string    `json:"tool_version"`
	StartedAt   time.Time `json:"started_at"`
	FinishedAt  time.Time `json:"finished_at"`
	Inputs      int       `json:"inputs"`
	Failed      int       `json:"failed"`
}

// Table returns the manifest entry of a table, or nil.
func (m *Manifest) Table(name string) *ManifestTable {
	for i := range m.Tables {
		if m.Tables[i].Name == name {
			return &m.Tables[i]
		}
	}
	return nil
}

// ManifestTable lists a table's schema version and files.
type ManifestTable struct {
	Name          string         `json:"name"`
	SchemaVersion string         `json:"schema_version"`
	Rows          int64          `json:"rows"`
	Files         []ManifestFile `json:"files"`
}

// ManifestFile is the fixity record of one file: what archivists check a copy against.
type ManifestFile struct {
	Path          string `json:"path"` // relative to the output directory, with forward slashes
	Format        string `json:"format"`
	SchemaVersion string `json:"schema_version"` // the table's schema version this file was written with
	Rows          int64  `json:"rows"`
	Bytes         int64  `json:"bytes"`
	SHA256        string `json:"sha256"`
}

// Input statuses.
const (
	StatusOK        = "ok"
	StatusDuplicate = "duplicate" // same content as an earlier input: its document row only
	StatusFailed    = "failed"
)

// InputStatus records what became of one input.
type InputStatus struct {
	Seq        int        `json:"seq"` // position among the inputs the run's arguments name
	Source     string     `json:"source"`
	Origin     string     `json:"origin,omitempty"` // as the errors table's origin: "crawl.warc.gz@1234", a redirect's URL
	SHA256     string     `json:"sha256,omitempty"`
	Status     string     `json:"status"`
	SnapshotID string     `json:"snapshot_id,omitempty"`
	CapturedAt *time.Time `json:"captured_at,omitempty"`
	Error      string     `json:"error,omitempty"`
	// Charset is the character encoding the input's HTTP Content-Type named, when it
	// decided how the bytes were decoded (without it they would have been decoded
	// otherwise); "" for nearly every input. With SHA256 it is what makes a later input
	// an exact duplicate of this one.
	Charset string `json:"charset,omitempty"`
}

// ReadManifest reads the manifest of an output directory.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s/%s: %w", dir, ManifestName, err)
	}
	return &m, nil
}

// writeManifest writes m as indented JSON with a final newline, byte for byte what
// json.MarshalIndent(m, "", "  ") gives, but with the inputs, one entry per input of every
// run, written one at a time: marshalled whole, a manifest of a few hundred thousand inputs
// took three times its size in memory at the end of the run, on top of everything the run
// still held. more, if not nil, holds inputs to list after m.Inputs: those a dataset kept
// on disk as the run went (Dataset.AddInput).
func writeManifest(w io.Writer, m *Manifest, more *inputList) error {
	spooled := 0
	if more != nil {
		spooled = more.n
	}
	head := *m
	if len(m.Inputs)+spooled > 0 {
		head.Inputs = []InputStatus{} // marshals as "inputs": [], where the entries go
	}
	b, err := json.MarshalIndent(&head, "", "  ")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if len(m.Inputs)+spooled > 0 {
		// Keys are not escaped and values are, so this is the field's own key (Runs,
		// later, has "inputs" with a number).
		const empty = "\n  \"inputs\": []"
		at := bytes.Index(b, []byte(empty))
		if at < 0 {
			return fmt.Errorf("writing the manifest: no inputs field in %q", b)
		}
		bw.Write(b[:at+len(empty)-1]) // up to and including the [
		var ew entryWriter
		for i := range m.Inputs {
			if err := ew.write(bw, &m.Inputs[i], i == 0); err != nil {
				return err
			}
		}
		if spooled > 0 {
			if len(m.Inputs) > 0 {
				bw.WriteByte(',')
			}
			if err := more.copyTo(bw); err != nil {
				return err
			}
		}
		bw.WriteString("\n  ]")
		b = b[at+len(empty):]
	}
	bw.Write(b)
	bw.WriteByte('\n')
	return bw.Flush()
}

// entryWriter writes inputs as entries of the manifest's list, indented as MarshalIndent
// indents them there, reusing its buffers (MarshalIndent allocates afresh for each).
type entryWriter struct {
	buf bytes.Buffer
	enc *json.Encoder
}

func (e *entryWriter) write(w *bufio.Writer, in *InputStatus, first bool) error {
	if e.enc == nil {
		e.enc = json.NewEncoder(&e.buf)
		e.enc.SetIndent("    ", "  ")
	}
	e.buf.Reset()
	if err := e.enc.Encode(in); err != nil {
		return err
	}
	if !first {
		w.WriteByte(',')
	}
	w.WriteString("\n    ")
	_, err := w.Write(bytes.TrimSuffix(e.buf.Bytes(), []byte("\n")))
	return err
}

// inputList keeps the inputs a run adds for its manifest in a file until the manifest is
// written, each already as its entry there, so that a run does not hold one InputStatus
// per input in memory.
type inputList struct {
	path string
	f    *os.File
	w    *bufio.Writer
	ew   entryWriter
	n    int
}

func (l *inputList) add(in *InputStatus) error {
	if l.f == nil {
		f, err := os.Create(l.path)
		if err != nil {
			return fmt.Errorf("listing inputs: %w", err)
		}
		l.f, l.w = f, bufio.NewWriterSize(f, 32<<10)
	}
	if err := l.ew.write(l.w, in, l.n == 0); err != nil {
		return fmt.Errorf("listing inputs: %w", err)
	}
	l.n++
	return nil
}

// copyTo writes the entries kept, separated by commas, the first with none before it.
func (l *inputList) copyTo(w io.Writer) error {
	if err := l.w.Flush(); err != nil {
		return fmt.Errorf("listing inputs: %w", err)
	}
	if _, err := l.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("listing inputs: %w", err)
	}
	if _, err := io.Copy(w, l.f); err != nil {
		return fmt.Errorf("listing inputs: %w", err)
	}
	return nil
}

// close closes and removes the file.
func (l *inputList) close() {
	if l.f != nil {
		l.f.Close()
		os.Remove(l.path)
		l.f = nil
	}
}

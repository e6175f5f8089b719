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
	Tool        string          `json:"tool"`
	ToolVersion string          `json:"tool_version"`
	StartedAt   time.Time       `json:"started_at"`
	FinishedAt  time.Time       `json:"finished_at"`
	Host        string          `json:"host,omitempty"`
	Layout      string          `json:"layout"`          // LayoutFlat or LayoutPartitioned
	Shard       string          `json:"shard,omitempty"` // "i/n" for one shard of a sharded run
	Tables      []ManifestTable `json:"tables"`
	Inputs      []InputStatus   `json:"inputs"`
	Runs        []Run           `json:"runs,omitempty"`
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
	SHA256     string     `json:"sha256,omitempty"`
	Status     string     `json:"status"`
	SnapshotID string     `json:"snapshot_id,omitempty"`
	CapturedAt *time.Time `json:"captured_at,omitempty"`
	Error      string     `json:"error,omitempty"`
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

// WriteManifest writes m as indented JSON with a final newline, byte for byte what
// json.MarshalIndent(m, "", "  ") gives, but with the inputs, one entry per input of every
// run, written one at a time: marshalled whole, a manifest of a few hundred thousand inputs
// took three times its size in memory at the end of the run, on top of everything the run
// still held.
func WriteManifest(w io.Writer, m *Manifest) error {
	head := *m
	if len(m.Inputs) > 0 {
		head.Inputs = []InputStatus{} // marshals as "inputs": [], where the entries go
	}
	b, err := json.MarshalIndent(&head, "", "  ")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if len(m.Inputs) > 0 {
		// Keys are not escaped and values are, so this is the field's own key (Runs,
		// later, has "inputs" with a number).
		const empty = "\n  \"inputs\": []"
		at := bytes.Index(b, []byte(empty))
		if at < 0 {
			return fmt.Errorf("writing the manifest: no inputs field in %q", b)
		}
		bw.Write(b[:at+len(empty)-1]) // up to and including the [
		var entry bytes.Buffer
		enc := json.NewEncoder(&entry) // reuses its buffers, unlike MarshalIndent
		enc.SetIndent("    ", "  ")
		for i := range m.Inputs {
			entry.Reset()
			if err := enc.Encode(&m.Inputs[i]); err != nil {
				return err
			}
			if i > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString("\n    ")
			bw.Write(bytes.TrimSuffix(entry.Bytes(), []byte("\n")))
		}
		bw.WriteString("\n  ]")
		b = b[at+len(empty):]
	}
	bw.Write(b)
	bw.WriteByte('\n')
	return bw.Flush()
}

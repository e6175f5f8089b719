package load

import (
	"encoding/json"
	"fmt"
	"os"
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
	Tables      []ManifestTable `json:"tables"`
	Inputs      []InputStatus   `json:"inputs"`
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
	Path   string `json:"path"` // relative to the output directory, with forward slashes
	Format string `json:"format"`
	Rows   int64  `json:"rows"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Input statuses.
const (
	StatusOK        = "ok"
	StatusDuplicate = "duplicate" // same content as an earlier input: its document row only
	StatusFailed    = "failed"
)

// InputStatus records what became of one input.
type InputStatus struct {
	Source     string `json:"source"`
	SHA256     string `json:"sha256,omitempty"`
	Status     string `json:"status"`
	SnapshotID string `json:"snapshot_id,omitempty"`
	Error      string `json:"error,omitempty"`
}

// ReadManifest reads the manifest of an output directory.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(dir + "/" + ManifestName)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s/%s: %w", dir, ManifestName, err)
	}
	return &m, nil
}

package load

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// manifestWithInputs is a manifest with n inputs of every kind, and with the strings JSON
// escapes in sources and errors.
func manifestWithInputs(n int) *Manifest {
	at := time.Date(2018, 5, 17, 10, 30, 0, 123456000, time.UTC)
	m := &Manifest{Tool: "articleetl", ToolVersion: "1.2.3", StartedAt: at, FinishedAt: at.Add(time.Second),
		Host: "h", Layout: LayoutPartitioned, Shard: "0/3",
		Tables: []ManifestTable{{Name: "facts", SchemaVersion: "1.0.1", Rows: 18,
			Files: []ManifestFile{{Path: "parquet/facts/part-1.parquet", Format: "parquet", SchemaVersion: "1.0.1", Rows: 18, Bytes: 100, SHA256: "ab"}}}},
		Runs: []Run{{ToolVersion: "1.2.3", StartedAt: at, FinishedAt: at, Inputs: n, Failed: 1}},
	}
	for i := range n {
		in := InputStatus{Seq: i, Source: fmt.Sprintf("pages/<b>&%d\"\u2028.html", i), SHA256: fmt.Sprintf("%064x", i), Status: StatusOK, SnapshotID: fmt.Sprintf("%016x", i)}
		switch i % 3 {
		case 1:
			in.Status, in.CapturedAt = StatusDuplicate, &at
		case 2:
			in.Status, in.SHA256, in.SnapshotID, in.Error = StatusFailed, "", "", "parsing HTML: \"inputs\": []\n"
		}
		m.Inputs = append(m.Inputs, in)
	}
	return m
}

// TestWriteManifestIsMarshalIndent checks that the manifest written an input at a time is
// what marshalling it whole gave, byte for byte, with no inputs, one, and several.
func TestWriteManifestIsMarshalIndent(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7} {
		m := manifestWithInputs(n)
		want, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, '\n')
		var got bytes.Buffer
		if err := writeManifest(&got, m, nil); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%d inputs: written\n%s\nwant\n%s", n, got.Bytes(), want)
		}
	}
}

// BenchmarkWriteManifest writes the manifest of a run of 100,000 inputs.
func BenchmarkWriteManifest(b *testing.B) {
	m := manifestWithInputs(100_000)
	b.ReportAllocs()
	for b.Loop() {
		if err := writeManifest(io.Discard, m, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestManifestInputsFromDisk checks that inputs a dataset lists as it goes (AddInput) come
// out in the manifest after those the Manifest holds, in order, and that the file is what
// marshalling the whole manifest gives.
func TestManifestInputsFromDisk(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	ds, err := Create(dir, Options{Formats: []Format{FormatJSONL}, ToolVersion: "1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	all := manifestWithInputs(7).Inputs
	for _, in := range all[2:] {
		if err := ds.AddInput(in); err != nil {
			t.Fatal(err)
		}
	}
	if err := ds.Commit(Manifest{Tool: "articleetl", Inputs: all[:2]}); err != nil {
		t.Fatal(err)
	}
	written, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m.Inputs, all) {
		t.Errorf("inputs read back:\n%+v\nwant\n%+v", m.Inputs, all)
	}
	want, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if want = append(want, '\n'); !bytes.Equal(written, want) {
		t.Errorf("manifest written\n%s\nwant\n%s", written, want)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".out.staging-*")); len(left) > 0 {
		t.Errorf("staging left behind: %v", left)
	}
}

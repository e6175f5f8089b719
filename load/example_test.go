package load_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/schemas"
)

func ExampleCreate() {
	tmp, err := os.MkdirTemp("", "articleetl-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "out")

	ds, err := load.Create(dir, load.Options{
		Formats:     []load.Format{load.FormatParquet, load.FormatJSONL},
		ToolVersion: "0.1.0",
	})
	if err != nil {
		log.Fatal(err)
	}
	updated := schemas.NewDate(2018, time.May, 17)
	published := time.Date(2018, time.May, 17, 9, 30, 0, 0, time.UTC)
	isNew, err := ds.Add(schemas.Records{Document: schemas.Document{
		SchemaVersion:    schemas.Documents.Version,
		DocID:            "a1b2c3d4e5f60718",
		SnapshotID:       "1111aaaa2222bbbb",
		Source:           "article.html",
		Title:            "Q&A: <the coalition>",
		UpdatedOn:        &updated,
		PublishedAt:      &published,
		ContentSHA256:    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		ExtractorVersion: "0.1.0",
	}})
	if err != nil {
		ds.Abort()
		log.Fatal(err)
	}
	if err := ds.Commit(load.Manifest{Tool: "articleetl", ToolVersion: "0.1.0"}); err != nil {
		log.Fatal(err)
	}

	// Each line of a .jsonl file is one row: a JSON object keyed by column name.
	f, err := os.Open(filepath.Join(dir, "documents.jsonl"))
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	if !lines.Scan() {
		log.Fatal("documents.jsonl is empty")
	}
	var row map[string]json.RawMessage
	if err := json.Unmarshal(lines.Bytes(), &row); err != nil {
		log.Fatal(err)
	}
	fmt.Println("new snapshot:", isNew)
	for _, col := range []string{"doc_id", "title", "updated_on", "published_at", "canonical_url"} {
		fmt.Printf("%s: %s\n", col, row[col])
	}
	// Output:
	// new snapshot: true
	// doc_id: "a1b2c3d4e5f60718"
	// title: "Q&A: <the coalition>"
	// updated_on: "2018-05-17"
	// published_at: "2018-05-17T09:30:00Z"
	// canonical_url: null
}

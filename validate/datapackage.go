package validate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/articleetl/articleetl/load"
	"github.com/articleetl/articleetl/schemas"
)

// dataPackage is what validate reads of datapackage.json: each resource's file and fixity,
// which must be the manifest's.
type dataPackage struct {
	Resources []struct {
		Name   string `json:"name"`
		Path   any    `json:"path"` // a string; Frictionless also allows a list
		Format string `json:"format"`
		Bytes  *int64 `json:"bytes"`
		Hash   string `json:"hash"`
	} `json:"resources"`
}

// writesDataPackage reports whether the manifest is of a dataset whose writer also wrote
// datapackage.json and all of today's tables: the version that added the changes and errors
// tables and the appendable layout added the data package with them. Only the first
// release's datasets (four tables, no data package) are without.
func writesDataPackage(m *load.Manifest) bool {
	if m.Layout != "" {
		return true
	}
	for _, t := range m.Tables {
		if t.Name == schemas.Changes.Name || t.Name == schemas.Errors.Name {
			return true
		}
	}
	return false
}

// checkDataPackage checks datapackage.json against the manifest: one resource for each
// listed file, with its path, format, size and SHA-256, and no other. A dataset of the
// first release has none, and does not need one; any later dataset must have it, and every
// table.
func (c *checker) checkDataPackage(m *load.Manifest) {
	b, err := fs.ReadFile(c.root.FS(), load.DataPackageName)
	missing := errors.Is(err, fs.ErrNotExist)
	if !missing || writesDataPackage(m) {
		for _, t := range schemas.Tables() {
			if !tableNamed(m, t.Name) {
				c.add(Problem{File: load.ManifestName, Field: "tables", Reason: fmt.Sprintf("table %s is missing: every dataset since the first release's has every table", t.Name)})
			}
		}
	}
	switch {
	case missing && writesDataPackage(m):
		c.add(Problem{File: load.DataPackageName, Reason: "missing: every dataset since the first release's has one"})
		return
	case missing:
		return
	case err != nil:
		c.add(Problem{File: load.DataPackageName, Reason: "cannot read: " + unwrapPath(err).Error()})
		return
	}
	var dp dataPackage
	if err := json.Unmarshal(b, &dp); err != nil {
		c.add(Problem{File: load.DataPackageName, Reason: "not a data package: " + err.Error()})
		return
	}
	files := map[string]load.ManifestFile{}
	for _, t := range m.Tables {
		for _, f := range t.Files {
			files[f.Path] = f
		}
	}
	described := map[string]bool{}
	for i, r := range dp.Resources {
		field := fmt.Sprintf("resources[%d]", i)
		p, ok := r.Path.(string)
		if !ok {
			c.add(Problem{File: load.DataPackageName, Field: field + ".path", Reason: "not one file's path"})
			continue
		}
		f, ok := files[p]
		if !ok {
			c.add(Problem{File: load.DataPackageName, Field: field + ".path", Reason: fmt.Sprintf("%s is not a file %s lists", p, load.ManifestName)})
			continue
		}
		if described[p] {
			c.add(Problem{File: load.DataPackageName, Field: field + ".path", Reason: p + " is described twice"})
			continue
		}
		described[p] = true
		switch {
		case r.Format != f.Format:
			c.add(Problem{File: load.DataPackageName, Field: field + ".format", Reason: fmt.Sprintf("%s for %s, %s says %s", r.Format, p, load.ManifestName, f.Format)})
		case r.Bytes == nil || *r.Bytes != f.Bytes:
			c.add(Problem{File: load.DataPackageName, Field: field + ".bytes", Reason: fmt.Sprintf("%s for %s, %s says %d", bytesOf(r.Bytes), p, load.ManifestName, f.Bytes)})
		case !strings.EqualFold(r.Hash, "sha256:"+f.SHA256):
			c.add(Problem{File: load.DataPackageName, Field: field + ".hash", Reason: fmt.Sprintf("%q for %s, %s says sha256:%s", r.Hash, p, load.ManifestName, f.SHA256)})
		}
	}
	for _, t := range m.Tables {
		for _, f := range t.Files {
			if !described[f.Path] {
				c.add(Problem{File: load.DataPackageName, Field: "resources", Reason: fmt.Sprintf("no resource for %s, which %s lists", f.Path, load.ManifestName)})
			}
		}
	}
}

// tableNamed reports whether the manifest lists a table of that name (with files or not).
func tableNamed(m *load.Manifest, name string) bool {
	for _, t := range m.Tables {
		if t.Name == name {
			return true
		}
	}
	return false
}

func bytesOf(n *int64) string {
	if n == nil {
		return "no bytes"
	}
	return fmt.Sprint(*n)
}

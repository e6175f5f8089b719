package schemas

import (
	"fmt"
	"strings"
)

// Reference markers delimit the generated column reference inside README.md.
const (
	ReferenceBegin = "<!-- BEGIN GENERATED COLUMNS: go test ./schemas -update -->"
	ReferenceEnd   = "<!-- END GENERATED COLUMNS -->"
)

// MarkdownReference documents every table and column as Markdown, from the same struct
// tags that define the Parquet and JSON Schema, so the README cannot drift from the code.
func MarkdownReference() string {
	var sb strings.Builder
	for _, t := range Tables() {
		fmt.Fprintf(&sb, "#### `%s` (schema %s)\n\n%s Primary key: `%s`.\n\n", t.Name, t.Version, t.Description, strings.Join(t.PrimaryKey, "`, `"))
		sb.WriteString("| column | type | null | meaning |\n|---|---|---|---|\n")
		for _, c := range t.Columns() {
			null := ""
			if c.Nullable {
				null = "yes"
			}
			fmt.Fprintf(&sb, "| `%s` | %s | %s | %s |\n", c.Name, parquetTypeName(c.Type), null, strings.ReplaceAll(c.Description, "|", `\|`))
		}
		sb.WriteString("\n")
	}
	return sb.String()
}

// parquetTypeName is how a logical type appears in the Parquet files.
func parquetTypeName(t Type) string {
	return map[Type]string{
		TypeString:     "STRING",
		TypeInt32:      "INT32",
		TypeDouble:     "DOUBLE",
		TypeDate:       "DATE",
		TypeTimestamp:  "TIMESTAMP (µs, UTC)",
		TypeStringList: "LIST&lt;STRING&gt;",
	}[t]
}

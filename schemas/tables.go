package schemas

import (
	"embed"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
)

// Table describes one output table: its name, current schema version, row type and keys.
type Table struct {
	Name        string
	Version     string // semantic version of the table's schema written by this build
	Description string
	PrimaryKey  []string
	ForeignKeys []ForeignKey
	row         reflect.Type
}

// ForeignKey says that Fields of a table refer to Fields of another table.
type ForeignKey struct {
	Fields         []string
	Table          string
	ResourceFields []string
}

// Column is one column of a table as the row type declares it.
type Column struct {
	Name        string
	Type        Type
	Nullable    bool
	Description string
	Pattern     string   // regular expression a string value must match, or ""
	Enum        []string // the only values allowed, or nil
	Minimum     *int64   // smallest value of an integer column, or nil
}

// Type is a column's logical type, independent of the output format.
type Type string

// The logical types used by the tables.
const (
	TypeString     Type = "string"
	TypeInt32      Type = "int32"
	TypeDouble     Type = "double"
	TypeDate       Type = "date"
	TypeTimestamp  Type = "timestamp" // UTC, microsecond precision
	TypeStringList Type = "list<string>"
)

// The tables articleetl writes, in output order.
var (
	Documents = Table{
		Name: "documents", Version: "1.1.2", row: reflect.TypeFor[Document](),
		Description: "One row per input page: the article's metadata and how many records it gave.",
		PrimaryKey:  []string{"snapshot_id", "source", "captured_at"},
	}
	QAPairs = Table{
		Name: "qa_pairs", Version: "1.1.0", row: reflect.TypeFor[QAPair](),
		Description: "The questions the article asks, each with its answer.",
		PrimaryKey:  []string{"snapshot_id", "qa_id"},
	}
	WorkingGroups = Table{
		Name: "working_groups", Version: "1.1.0", row: reflect.TypeFor[WorkingGroup](),
		Description: "The named bodies the article lists: working groups, committees, task forces, commissions and the like.",
		PrimaryKey:  []string{"snapshot_id", "wg_id"},
		ForeignKeys: []ForeignKey{{Fields: []string{"snapshot_id", "qa_id"}, Table: "qa_pairs", ResourceFields: []string{"snapshot_id", "qa_id"}}},
	}
	Changes = Table{
		Name: "changes", Version: "1.0.0", row: reflect.TypeFor[Change](),
		Description: "What changed between consecutive snapshots of each article, ordered by capture time, then updated_on.",
		PrimaryKey:  []string{"change_id"},
	}
	Errors = Table{
		Name: "errors", Version: "1.0.0", row: reflect.TypeFor[InputError](),
		Description: "Inputs that failed in a --keep-going run, with the reason.",
		PrimaryKey:  []string{"source", "origin"},
	}
	Facts = Table{
		Name: "facts", Version: "1.0.1", row: reflect.TypeFor[Fact](),
		Description: "The numeric facts the article states, with value, unit, qualifier, location and source sentence.",
		PrimaryKey:  []string{"snapshot_id", "fact_id"},
		ForeignKeys: []ForeignKey{{Fields: []string{"snapshot_id", "qa_id"}, Table: "qa_pairs", ResourceFields: []string{"snapshot_id", "qa_id"}}},
	}
)

// Tables returns every table in output order.
func Tables() []Table {
	return []Table{Documents, QAPairs, WorkingGroups, Facts, Changes, Errors}
}

// Lookup returns the table with the given name.
func Lookup(name string) (Table, error) {
	for _, t := range Tables() {
		if t.Name == name {
			return t, nil
		}
	}
	names := make([]string, 0, 4)
	for _, t := range Tables() {
		names = append(names, t.Name)
	}
	return Table{}, fmt.Errorf("unknown table %q (tables: %s)", name, strings.Join(names, ", "))
}

// RowType returns the Go type of the table's rows.
func (t Table) RowType() reflect.Type { return t.row }

// Columns returns the table's columns in order, read from the row type's struct tags.
func (t Table) Columns() []Column {
	cols := make([]Column, 0, t.row.NumField())
	for f := range t.row.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		c := Column{Name: name, Description: f.Tag.Get("doc"), Pattern: f.Tag.Get("pattern")}
		c.Type, c.Nullable = logicalType(f.Type)
		if e := f.Tag.Get("enum"); e != "" {
			c.Enum = strings.Split(e, ",")
		}
		if m := f.Tag.Get("minimum"); m != "" {
			var v int64
			fmt.Sscan(m, &v)
			c.Minimum = &v
		}
		cols = append(cols, c)
	}
	return cols
}

// ColumnNames returns the names of the table's columns in order.
func (t Table) ColumnNames() []string {
	var names []string
	for _, c := range t.Columns() {
		names = append(names, c.Name)
	}
	return names
}

func logicalType(rt reflect.Type) (Type, bool) {
	nullable := rt.Kind() == reflect.Pointer
	if nullable {
		rt = rt.Elem()
	}
	switch {
	case rt == reflect.TypeFor[Date]():
		return TypeDate, nullable
	case rt == reflect.TypeFor[time.Time]():
		return TypeTimestamp, nullable
	case rt.Kind() == reflect.String:
		return TypeString, nullable
	case rt.Kind() == reflect.Int32:
		return TypeInt32, nullable
	case rt.Kind() == reflect.Float64:
		return TypeDouble, nullable
	case rt.Kind() == reflect.Slice && rt.Elem().Kind() == reflect.String:
		return TypeStringList, nullable
	}
	panic(fmt.Sprintf("schemas: no logical type for Go type %s", rt))
}

//go:embed */*.schema.json
var released embed.FS

// Versions returns the released schema versions of a table, oldest first.
func Versions(table string) []string {
	var vs []string
	dirs, _ := released.ReadDir(".")
	for _, d := range dirs {
		if _, err := released.Open(d.Name() + "/" + table + ".schema.json"); err == nil {
			vs = append(vs, d.Name())
		}
	}
	slices.SortFunc(vs, CompareVersions)
	return vs
}

// ReleasedJSONSchema returns the JSON Schema file of a table at a released version.
func ReleasedJSONSchema(table, version string) ([]byte, error) {
	b, err := released.ReadFile(version + "/" + table + ".schema.json")
	if err != nil {
		return nil, fmt.Errorf("no JSON Schema for table %s version %s", table, version)
	}
	return b, nil
}

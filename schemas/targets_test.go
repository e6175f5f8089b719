package schemas

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// targets are the generated load schemas, each with the suffix of its golden file.
var targets = []struct {
	suffix string
	render func(Table) ([]byte, error)
}{
	{"bigquery.json", Table.BigQuerySchema},
	{"duckdb.sql", func(t Table) ([]byte, error) { return []byte(t.DuckDBDDL()), nil }},
	{"postgres.sql", func(t Table) ([]byte, error) { return []byte(t.PostgresDDL()), nil }},
	{"parquet.txt", func(t Table) ([]byte, error) { return []byte(t.ParquetSchema() + "\n"), nil }},
}

// TestTargetsGolden compares every table's generated load schemas with
// testdata/targets/<table>.<target>; `go test ./schemas -update` rewrites them. Review the
// diff by eye: these files are what users paste into bq, duckdb and psql.
func TestTargetsGolden(t *testing.T) {
	for _, tab := range Tables() {
		for _, tg := range targets {
			t.Run(tab.Name+"."+tg.suffix, func(t *testing.T) {
				got, err := tg.render(tab)
				if err != nil {
					t.Fatal(err)
				}
				path := filepath.Join("testdata", "targets", tab.Name+"."+tg.suffix)
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v: run `go test ./schemas -update`", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s is out of date: run `go test ./schemas -update` and review the diff\n--- got\n%s", path, got)
				}
			})
		}
	}
}

func TestBigQuerySchemaListsEveryColumn(t *testing.T) {
	for _, tab := range Tables() {
		b, err := tab.BigQuerySchema()
		if err != nil {
			t.Fatal(err)
		}
		var fields []struct{ Name, Type, Mode, Description string }
		if err := json.Unmarshal(b, &fields); err != nil {
			t.Fatalf("%s: BigQuery schema is not JSON: %v", tab.Name, err)
		}
		cols := tab.Columns()
		if len(fields) != len(cols) {
			t.Fatalf("%s: %d BigQuery fields for %d columns", tab.Name, len(fields), len(cols))
		}
		for i, c := range cols {
			f := fields[i]
			wantMode := map[bool]string{true: "NULLABLE", false: "REQUIRED"}[c.Nullable]
			if c.Type == TypeStringList {
				wantMode = "REPEATED"
			}
			if f.Name != c.Name || f.Mode != wantMode || f.Type == "" || f.Description != c.Description {
				t.Errorf("%s field %d = %+v, want name %s, mode %s and the column's description", tab.Name, i, f, c.Name, wantMode)
			}
			if len(f.Description) > 1024 {
				t.Errorf("%s.%s: description of %d bytes exceeds BigQuery's 1024", tab.Name, c.Name, len(f.Description))
			}
		}
	}
}

func TestDDLDeclaresEveryColumn(t *testing.T) {
	for _, tab := range Tables() {
		for dialect, ddl := range map[string]string{"duckdb": tab.DuckDBDDL(), "postgres": tab.PostgresDDL()} {
			for _, c := range tab.Columns() {
				decl := "\n    " + sqlIdent(c.Name) + " "
				if !strings.Contains(ddl, decl) {
					t.Errorf("%s %s DDL does not declare column %s", dialect, tab.Name, c.Name)
				}
				if !strings.Contains(ddl, "COMMENT ON COLUMN "+tab.Name+"."+sqlIdent(c.Name)+" IS ") {
					t.Errorf("%s %s DDL has no comment on column %s", dialect, tab.Name, c.Name)
				}
			}
			key := "PRIMARY KEY (" + sqlIdents(tab.PrimaryKey) + ")"
			if tab.keyNullable() {
				key = "UNIQUE (" + sqlIdents(tab.PrimaryKey) + ")"
			}
			if !strings.Contains(ddl, "\n    "+key) {
				t.Errorf("%s %s DDL lacks %s", dialect, tab.Name, key)
			}
		}
	}
}

func TestSQLQuoting(t *testing.T) {
	tests := []struct{ in, ident, str string }{
		{"doc_id", "doc_id", "'doc_id'"},
		{"order", `"order"`, "'order'"},
		{"Title", `"Title"`, "'Title'"},
		{`it's "x"`, `"it's ""x"""`, `'it''s "x"'`},
		{`back\slash`, `"back\slash"`, `'back\slash'`},
	}
	for _, tt := range tests {
		if got := sqlIdent(tt.in); got != tt.ident {
			t.Errorf("sqlIdent(%q) = %s, want %s", tt.in, got, tt.ident)
		}
		if got := sqlString(tt.in); got != tt.str {
			t.Errorf("sqlString(%q) = %s, want %s", tt.in, got, tt.str)
		}
	}
}

// TestPostgresDDLExecutes runs the DDL of every table in a throwaway PostgreSQL cluster,
// reachable only through a Unix socket in a temporary directory, and checks the columns and
// comments the server reports. It is skipped when initdb, pg_ctl or psql is not installed.
func TestPostgresDDLExecutes(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL server")
	}
	for _, tool := range []string{"initdb", "pg_ctl", "psql"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed: not executing the PostgreSQL DDL", tool)
		}
	}
	pg := startPostgres(t)

	var ddl strings.Builder
	for _, tab := range Tables() {
		ddl.WriteString(tab.PostgresDDL())
	}
	ddlPath := filepath.Join(pg.dir, "ddl.sql")
	if err := os.WriteFile(ddlPath, []byte(ddl.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	pg.psql(t, "--single-transaction", "-f", ddlPath)

	out := pg.psql(t, "-At", "-F", "\t", "-c", `SELECT c.table_name, c.column_name, c.udt_name, c.is_nullable,
		coalesce(col_description(format('%I', c.table_name)::regclass, c.ordinal_position), '')
		FROM information_schema.columns c WHERE c.table_schema = 'public'
		ORDER BY c.table_name, c.ordinal_position`)
	got := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			t.Fatalf("unexpected psql line %q", line)
		}
		got[f[0]] = append(got[f[0]], strings.Join(f[1:], "|"))
	}
	udt := map[Type]string{TypeString: "text", TypeInt32: "int4", TypeDouble: "float8", TypeDate: "date", TypeTimestamp: "timestamptz", TypeStringList: "_text"}
	for _, tab := range Tables() {
		var want []string
		for _, c := range tab.Columns() {
			want = append(want, strings.Join([]string{c.Name, udt[c.Type], map[bool]string{true: "YES", false: "NO"}[c.Nullable], c.Description}, "|"))
		}
		if strings.Join(got[tab.Name], "\n") != strings.Join(want, "\n") {
			t.Errorf("PostgreSQL reports table %s as\n%s\nwant\n%s", tab.Name, strings.Join(got[tab.Name], "\n"), strings.Join(want, "\n"))
		}
	}

	// The CHECK constraints reject what the JSON Schema rejects.
	for _, bad := range []string{
		`INSERT INTO qa_pairs VALUES ('1.0.0', 'XYZ', '0123456789abcdef', '0123456789abcdef', 1, 'q', 'a', '{a}', NULL)`,
		`INSERT INTO qa_pairs VALUES ('1.0.0', '0123456789abcdef', '0123456789abcdef', '0123456789abcdef', 0, 'q', 'a', '{a}', NULL)`,
	} {
		if _, err := pg.run("-c", bad); err == nil || !strings.Contains(err.Error(), "violates check constraint") {
			t.Errorf("PostgreSQL: %s: error %v, want a check constraint violation", bad, err)
		}
	}
}

type postgres struct {
	dir  string
	cred *syscall.Credential
}

// startPostgres initialises and starts a cluster that listens on a Unix socket only and is
// stopped when the test ends. initdb refuses to run as root, so as root the server runs as
// the system's postgres user, or the test is skipped.
func startPostgres(t *testing.T) *postgres {
	t.Helper()
	dir, err := os.MkdirTemp("", "articleetl-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	pg := &postgres{dir: dir}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root and there is no postgres user to run the server as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		pg.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	if out, err := pg.command("initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	opts := fmt.Sprintf("-k %s -c listen_addresses='' -F", dir)
	if out, err := pg.command("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	t.Cleanup(func() { pg.command("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop").Run() })
	return pg
}

func (pg *postgres) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = pg.dir
	if pg.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: pg.cred}
	}
	return cmd
}

// run runs psql against the cluster, stopping at the first error.
func (pg *postgres) run(args ...string) (string, error) {
	base := []string{"-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", pg.dir, "-U", "postgres", "-d", "postgres"}
	var stderr bytes.Buffer
	cmd := pg.command("psql", append(base, args...)...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("psql: %w: %s", err, stderr.String())
	}
	return string(out), nil
}

func (pg *postgres) psql(t *testing.T, args ...string) string {
	t.Helper()
	out, err := pg.run(args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

package deploy

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestIndexedJobMatchesTheCLI keeps the manifest honest about the flags it passes: every
// flag must exist in `articleetl run --help` (checked against the command's source, since
// this test cannot run kubectl), and the shard count must agree with completions.
func TestIndexedJobMatchesTheCLI(t *testing.T) {
	job := readFile(t, "indexed-job.yaml")
	src := readFile(t, "../cmd/articleetl/cmd_run.go")
	for _, flag := range []string{"keep-going", "quiet", "log-format", "shard", "out", "workers"} {
		if !strings.Contains(job, "--"+flag) || !strings.Contains(src, `Name: "`+flag+`"`) {
			t.Errorf("flag --%s: in manifest %v, in CLI %v", flag, strings.Contains(job, "--"+flag), strings.Contains(src, `Name: "`+flag+`"`))
		}
	}
	for _, want := range []string{"completionMode: Indexed", "backoffLimitPerIndex:", "claimName: articleetl-data", "ReadWriteMany", "1.29"} {
		if !strings.Contains(job, want) {
			t.Errorf("manifest lacks %q", want)
		}
	}
	// SHARDS, in its three places.
	completions := intField(t, job, "completions")
	if p := intField(t, job, "parallelism"); p < 1 || p > completions {
		t.Errorf("parallelism %d, want 1 to completions (%d)", p, completions)
	}
	args := containerList(t, job, "args")
	if want := fmt.Sprintf("--shard=$(JOB_COMPLETION_INDEX)/%d", completions); !contains(args, want) {
		t.Errorf("args %q lack %q: --shard's N must be completions", args, want)
	}
	if !contains(args, "--out=/data/shards/shard-$(JOB_COMPLETION_INDEX)") {
		t.Errorf("args %q lack the shard's own --out, which merge-job.yaml's shard-* reads", args)
	}
}

// TestShardWorkersMatchTheCPURequest: without --workers a run starts one worker per core of
// the node (runtime.NumCPU), not per core the pod asked for.
func TestShardWorkersMatchTheCPURequest(t *testing.T) {
	job := readFile(t, "indexed-job.yaml")
	m := regexp.MustCompile(`requests: \{cpu: "?(\d+)"?`).FindStringSubmatch(job)
	if m == nil {
		t.Fatal(`no whole-core "requests: {cpu: N" in indexed-job.yaml`)
	}
	var workers []string
	args := containerList(t, job, "args")
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, "--workers="); ok {
			workers = append(workers, v)
		} else if (a == "--workers" || a == "-j") && i+1 < len(args) {
			workers = append(workers, args[i+1])
		}
	}
	if len(workers) != 1 || workers[0] != m[1] {
		t.Errorf("--workers %q, want exactly one, equal to the CPU request %s", workers, m[1])
	}
}

// TestGOMEMLIMITBelowTheLimit: a soft limit equal to the container's leaves nothing for
// what the Go runtime does not count, so the kernel kills before the collector works.
func TestGOMEMLIMITBelowTheLimit(t *testing.T) {
	for _, name := range []string{"indexed-job.yaml", "index-job.yaml", "merge-job.yaml"} {
		job := readFile(t, name)
		lim := regexp.MustCompile(`limits: \{memory: (\d+)(Mi|Gi)\}`).FindStringSubmatch(job)
		soft := regexp.MustCompile(`name: GOMEMLIMIT[^\n]*\n\s+value: "?(\d+)(MiB|GiB)"?\n`).FindStringSubmatch(job)
		if lim == nil || soft == nil {
			t.Errorf("%s: want limits: {memory: N(Mi|Gi)} and GOMEMLIMIT with a literal value N(MiB|GiB); limit %q, GOMEMLIMIT %q", name, lim, soft)
			continue
		}
		mib := func(n, unit string) int {
			v, _ := strconv.Atoi(n)
			if strings.HasPrefix(unit, "Gi") {
				v *= 1024
			}
			return v
		}
		l, s := mib(lim[1], lim[2]), mib(soft[1], soft[2])
		if s*100 > l*95 || s*100 < l*80 {
			t.Errorf("%s: GOMEMLIMIT %d MiB for a limit of %d MiB, want 80%% to 95%% of it", name, s, l)
		}
	}
}

// TestImageHasCACertificates: busybox has no CA bundle, without which https inputs fail
// with "x509: certificate signed by unknown authority".
func TestImageHasCACertificates(t *testing.T) {
	const bundle = "/etc/ssl/certs/ca-certificates.crt" // one of the paths Go's crypto/x509 reads
	stages := map[string]string{}                       // stage name -> image
	var final []string
	for _, line := range strings.Split(readFile(t, "Dockerfile"), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && strings.EqualFold(f[0], "FROM") {
			if len(f) == 4 && strings.EqualFold(f[2], "AS") {
				stages[f[3]] = f[1]
			}
			final = nil
			continue
		}
		final = append(final, line)
	}
	re := regexp.MustCompile(`^COPY --from=(\S+) ` + regexp.QuoteMeta(bundle) + ` ` + regexp.QuoteMeta(bundle) + `\s*$`)
	for _, line := range final {
		if m := re.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			if !strings.HasPrefix(stages[m[1]], "golang:") {
				t.Errorf("the CA bundle comes from stage %q (%q), not an official golang image, which has it", m[1], stages[m[1]])
			}
			return
		}
	}
	t.Errorf("the final stage of the Dockerfile does not COPY --from=<build stage> %s %s", bundle, bundle)
}

// TestShardCommandPassesCommittedFailures runs the shard container's command line as the
// kubelet would (its $(VAR) expansion, then /bin/sh) against a fake articleetl: exit 1
// from `run --keep-going` that committed the shard's output is success for the pod; exit 1
// that committed nothing, and any other status, is the pod's.
func TestShardCommandPassesCommittedFailures(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	job := readFile(t, "indexed-job.yaml")
	command, args := containerList(t, job, "command"), containerList(t, job, "args")
	if len(command) < 3 || command[0] != "/bin/sh" || command[1] != "-c" {
		t.Fatalf("command %q, want /bin/sh -c SCRIPT", command)
	}
	if kubeletExpand(command[2], nil) != command[2] {
		t.Fatal("the kubelet would change the script: it must hold no $( and no $$")
	}
	// busybox's test -nt compares whole seconds (dash's, run here, nanoseconds): a second
	// between the marker and the run keeps an attempt's manifest written in the marker's
	// second, just before, from passing for this run's.
	if touch, sleep, run := strings.Index(command[2], "touch "), strings.Index(command[2], "\nsleep 1\n"), strings.Index(command[2], `articleetl "$@"`); touch < 0 || sleep < touch || run < sleep {
		t.Error("the script does not touch the marker, sleep 1, then run articleetl")
	}
	if strings.Contains(command[2], "/data") {
		t.Error("the script names /data: it should take the output directory from --out")
	}
	env := map[string]string{"JOB_COMPLETION_INDEX": "1"}
	for _, a := range args {
		if strings.Contains(a, "JOB_COMPLETION_INDEX") && !strings.Contains(kubeletExpand(a, env), "shard-1") && !strings.Contains(kubeletExpand(a, env), "=1/") {
			t.Errorf("argument %q does not expand to shard 1's", a)
		}
	}

	const fake = `#!/bin/sh
out=
for a in "$@"; do case $a in --out=*) out=${a#--out=} ;; esac; done
printf '%s\n' "$@" > "$FAKE_ARGS"
case $FAKE in
commit1) mkdir -p "$out" && echo '{}' > "$out/manifest.json"; exit 1 ;;
commit0) mkdir -p "$out" && echo '{}' > "$out/manifest.json"; exit 0 ;;
fail1) exit 1 ;;
usage2) exit 2 ;;
term) trap 'exit 143' TERM; : > "$FAKE_READY"; while :; do sleep 0.05; done ;;
esac
exit 99
`
	cases := []struct {
		name, fake string
		previous   bool // an earlier attempt's output is there, committed just before
		want       int
	}{
		{"committed with failed inputs", "commit1", false, 0},
		{"committed with failed inputs over an earlier attempt", "commit1", true, 0},
		// The inputs' volume not mounted: refused before articleetl runs (a review found
		// the Job completing with an empty dataset whose one row said "no such file").
		{"no inputs mounted", "commit1", false, 1},
		{"failed, nothing committed", "fail1", false, 1},
		{"failed, nothing committed, an earlier attempt's output there", "fail1", true, 1},
		{"success", "commit0", false, 0},
		{"bad usage", "usage2", true, 2},
		{"SIGTERM", "term", false, 143},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tmp := t.TempDir()
			bin := filepath.Join(tmp, "bin")
			if err := os.Mkdir(bin, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(bin, "articleetl"), []byte(fake), 0o755); err != nil {
				t.Fatal(err)
			}
			var argv []string
			for _, a := range append(command[:len(command):len(command)], args...) {
				argv = append(argv, strings.ReplaceAll(kubeletExpand(a, env), "/data/", tmp+"/data/"))
			}
			out := filepath.Join(tmp, "data", "shards", "shard-1")
			mounted := c.name != "no inputs mounted"
			if mounted {
				if err := os.MkdirAll(filepath.Join(tmp, "data", "captures"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if c.previous {
				if err := os.MkdirAll(out, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(out, "manifest.json"), []byte("{}\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command(argv[0], argv[1:]...)
			cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "FAKE="+c.fake,
				"FAKE_ARGS="+filepath.Join(tmp, "args"), "FAKE_READY="+filepath.Join(tmp, "ready"), "JOB_COMPLETION_INDEX=1")
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if c.fake == "term" {
				for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
					if _, err := os.Stat(filepath.Join(tmp, "ready")); err == nil {
						break
					}
					if time.Now().After(deadline) {
						cmd.Process.Kill()
						t.Fatal("the fake articleetl never started")
					}
				}
				cmd.Process.Signal(syscall.SIGTERM) // as the kubelet does, to the container's PID 1: sh
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatal("the command did not end")
			}
			if got := cmd.ProcessState.ExitCode(); got != c.want {
				t.Errorf("exit status %d, want %d; stderr: %s", got, c.want, stderr.String())
			}
			got, err := os.ReadFile(filepath.Join(tmp, "args"))
			if !mounted {
				if err == nil || !strings.Contains(stderr.String(), "captures does not exist") {
					t.Errorf("articleetl ran (%v), or the script did not say why not: %s", err, stderr.String())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.Join(argv[4:], "\n") + "\n"; string(got) != want {
				t.Errorf("articleetl got the arguments\n%s\nwant\n%s", got, want)
			}
			if matches, _ := filepath.Glob(filepath.Join(tmp, "data", "shards", ".*")); len(matches) > 0 {
				t.Errorf("left behind: %q", matches)
			}
		})
	}
}

// TestIndexJobMatchesTheCLI checks the index Job against the index command's flags, and that
// the shards' commented --warc-index names the file it writes, from the same argument.
func TestIndexJobMatchesTheCLI(t *testing.T) {
	job := readFile(t, "index-job.yaml")
	src := readFile(t, "../cmd/articleetl/cmd_index.go")
	shards := readFile(t, "indexed-job.yaml")
	if !strings.Contains(src, `Name:      "index"`) || !strings.Contains(src, `Name: "out"`) {
		t.Error("the index command or its --out flag is gone from the CLI")
	}
	for _, want := range []string{"- index", "--out=/data/captures.idx", "- /data/captures\n", "name: GOMEMLIMIT"} {
		if !strings.Contains(job, want) {
			t.Errorf("index Job lacks %q", want)
		}
	}
	for _, want := range []string{"--warc-index=/data/captures.idx", "- /data/captures "} {
		if !strings.Contains(shards, want) {
			t.Errorf("indexed-job.yaml lacks %q, which the index Job's output needs", want)
		}
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// intField is the value of the first "key: N" line.
func intField(t *testing.T, doc, key string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^\s*` + key + `:\s*(\d+)`).FindStringSubmatch(doc)
	if m == nil {
		t.Fatalf("no %s: N", key)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// containerList reads the block sequence under the first "key:" line of doc, as the
// manifests write it (no YAML library in go.mod): plain items, whose " # comments" are
// dropped, double-quoted items, and literal blocks ("- |", clipped: one final newline).
// Comment lines between items are skipped.
func containerList(t *testing.T, doc, key string) []string {
	t.Helper()
	lines := strings.Split(doc, "\n")
	indent := func(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }
	start := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == key+":" {
			start = i
			break
		}
	}
	if start < 0 {
		t.Fatalf("no %q list", key)
	}
	var items []string
	base := indent(lines[start])
	for i := start + 1; i < len(lines); i++ {
		l := lines[i]
		s := strings.TrimSpace(l)
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if indent(l) <= base || !strings.HasPrefix(s, "- ") {
			break
		}
		v := strings.TrimSpace(s[2:])
		if v == "|" {
			dash, block, cut := indent(l), "", -1
			for i+1 < len(lines) && (strings.TrimSpace(lines[i+1]) == "" || indent(lines[i+1]) > dash) {
				i++
				if cut < 0 && strings.TrimSpace(lines[i]) != "" {
					cut = indent(lines[i])
				}
				if len(lines[i]) >= cut && cut >= 0 {
					block += lines[i][cut:]
				}
				block += "\n"
			}
			items = append(items, strings.TrimRight(block, "\n")+"\n")
			continue
		}
		if strings.HasPrefix(v, `"`) {
			u, err := strconv.QuotedPrefix(v)
			if err != nil {
				t.Fatalf("%s: %v", v, err)
			}
			v, _ = strconv.Unquote(u)
		} else if j := strings.Index(v, " #"); j >= 0 {
			v = strings.TrimSpace(v[:j])
		}
		items = append(items, v)
	}
	return items
}

// kubeletExpand is the kubelet's expansion of a container's command and args
// (k8s.io/kubernetes third_party/forked/golang/expansion): $(VAR) becomes VAR's value when
// the container defines VAR and is left as it is otherwise, and $$ becomes $.
func kubeletExpand(s string, env map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '(':
			j := strings.IndexByte(s[i+2:], ')')
			if j < 0 {
				b.WriteString("$(")
				i++
				continue
			}
			name := s[i+2 : i+2+j]
			if v, ok := env[name]; ok {
				b.WriteString(v)
			} else {
				b.WriteString("$(" + name + ")")
			}
			i += 2 + j
		default:
			b.WriteByte('$')
		}
	}
	return b.String()
}

// TestIndexPartsJobsMatchTheCLI checks the Jobs that index a crawl in parts and join them:
// the parts Job passes --part and --shard with its own completion index and count, writes
// the parts where the join Job reads them, and the join writes the index the shards read.
func TestIndexPartsJobsMatchTheCLI(t *testing.T) {
	parts, join := readFile(t, "index-parts-job.yaml"), readFile(t, "index-join-job.yaml")
	shards := readFile(t, "indexed-job.yaml")
	n := intField(t, parts, "completions")
	if p := intField(t, parts, "parallelism"); p > n {
		t.Errorf("parallelism %d above completions %d", p, n)
	}
	for _, want := range []string{"completionMode: Indexed", "- index\n", "- --part\n",
		fmt.Sprintf("- --shard=$(JOB_COMPLETION_INDEX)/%d ", n),
		fmt.Sprintf("- --out=/data/index-parts/of-%d/part-$(JOB_COMPLETION_INDEX) ", n), "- /data/captures\n", "name: GOMEMLIMIT"} {
		if !strings.Contains(parts, want) {
			t.Errorf("index-parts-job.yaml lacks %q", want)
		}
	}
	if want := fmt.Sprintf("articleetl index --join --out=/data/captures.idx /data/index-parts/of-%d/part-*", n); !strings.Contains(join, want) {
		t.Errorf("index-join-job.yaml lacks %q: the parts of this PARTS", want)
	}
	if !strings.Contains(shards, "--warc-index=/data/captures.idx") || !strings.Contains(shards, "- /data/captures ") {
		t.Error("indexed-job.yaml does not read the index the join writes, over the same argument")
	}
}

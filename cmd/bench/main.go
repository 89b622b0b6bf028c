// Command bench is `make bench`: how fast the app synthesizes against its
// TypeScript twin (bench/ts-twin, the same default stack written in
// TypeScript), and what make test's phases took. It builds the app once,
// checks that the twin still writes the same template, then times
// interleaved runs of each pair (ours, then the twin's, then the other way
// round) and prints medians, peak memory and the ratios with their
// targets. Figures, not assertions: the machines are shared and noisy.
//
// Usage: go run ./cmd/bench [-runs 7] [-scale-runs 3] [-quick]
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/classic-webtier/cdk-classic-webtier/internal/cdkcli"
)

func main() {
	runs := flag.Int("runs", 7, "interleaved runs of each synth figure")
	scaleRuns := flag.Int("scale-runs", 3, "interleaved runs of each scale figure (10 and 40 web tiers)")
	quick := flag.Bool("quick", false, "leave out the 40-tier figures")
	flag.Parse()
	b, err := setup()
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	defer os.RemoveAll(b.tmp)
	if err := b.run(os.Stdout, *runs, *scaleRuns, *quick); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// bench holds what every measurement needs.
type bench struct {
	root, twin, tmp string
	// context is cdk.json's context, as the CLI hands it to an app.
	context map[string]json.RawMessage
	// twinNote says whether the twin writes our default template.
	twinNote string
}

// runTimeout bounds one run: the 40-stack synth takes about 10 s.
const runTimeout = 3 * time.Minute

// sample is one timed run: wall seconds and the peak resident memory of
// the largest process of its tree, in MiB.
type sample struct {
	secs, mib float64
}

func setup() (*bench, error) {
	root, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(root, cdkcli.ProjectFile)); err != nil {
		return nil, fmt.Errorf("run make bench from the project root: %v", err)
	}
	project, err := cdkcli.ProjectContext(filepath.Join(root, cdkcli.ProjectFile))
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "bench")
	if err != nil {
		return nil, err
	}
	b := &bench{root: root, tmp: tmp, context: project, twin: filepath.Join(root, "bin", "ts-twin")}
	// The app as cdk.json builds it (make's rule), and the scale app.
	for _, build := range [][]string{{"make", "-s", "--no-print-directory", "bin/cdk-classic-webtier"}, {"go", "build", "-o", "bin/benchapp", "./cmd/benchapp"}} {
		if out, err := b.command(root, nil, build[0], build[1:]...).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("%s: %v\n%s", strings.Join(build, " "), err, out)
		}
	}
	if err := b.buildTwin(); err != nil {
		return nil, err
	}
	return b, nil
}

// buildTwin copies bench/ts-twin to bin/ts-twin, installs its pinned
// packages when its lock file changed, and compiles it with tsc.
func (b *bench) buildTwin() error {
	src := filepath.Join(b.root, "bench", "ts-twin")
	if err := os.MkdirAll(b.twin, 0o755); err != nil {
		return err
	}
	for _, f := range []string{"app.ts", "package.json", "package-lock.json", "tsconfig.json", "cdk.json"} {
		data, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(b.twin, f), data, 0o644); err != nil {
			return err
		}
	}
	lock, _ := os.ReadFile(filepath.Join(src, "package-lock.json"))
	stamp := filepath.Join(b.twin, "node_modules", ".lock")
	if installed, err := os.ReadFile(stamp); err != nil || !bytes.Equal(installed, lock) {
		fmt.Println("twin: npm ci (once per lock file)")
		if out, err := b.command(b.twin, nil, "npm", "ci", "--no-audit", "--no-fund").CombinedOutput(); err != nil {
			return fmt.Errorf("twin: npm ci: %v\n%s", err, out)
		}
		// Keeps Go's ./... out of the twin's packages, as for the project's.
		if err := os.WriteFile(filepath.Join(b.twin, "node_modules", "go.mod"), []byte("module ignore\n"), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(stamp, lock, 0o644); err != nil {
			return err
		}
	}
	if out, err := b.command(b.twin, nil, "npx", "tsc", "-p", ".").CombinedOutput(); err != nil {
		return fmt.Errorf("twin: tsc: %v\n%s", err, out)
	}
	return nil
}

// command is a process with the project's tools first on PATH and no AWS
// settings or credentials, so that both apps synthesize the same way.
func (b *bench) command(dir string, env []string, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	clean := []string{"PATH=" + filepath.Join(b.root, "node_modules", ".bin") + string(os.PathListSeparator) + os.Getenv("PATH"),
		"CDK_DISABLE_CLI_TELEMETRY=true", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "CDK_") && !strings.HasPrefix(kv, "PATH=") &&
			!strings.HasPrefix(kv, "TWIN_") && !strings.HasPrefix(kv, "BENCH_") {
			clean = append(clean, kv)
		}
	}
	cmd.Env = append(clean, env...)
	return cmd
}

// cli is `cdk synth` in dir (the project's or the twin's), as a user runs
// it; extra CLI words follow.
func (b *bench) cli(dir string, extra ...string) func(out string) *exec.Cmd {
	return func(out string) *exec.Cmd {
		return b.command(dir, nil, "cdk", append([]string{"synth", "-q", "--no-notices", "-o", out}, extra...)...)
	}
}

// app runs an app process alone, as the CLI would: the output directory
// and cdk.json's context (plus more) in the environment.
func (b *bench) app(dir string, env []string, more map[string]interface{}, name string, args ...string) func(out string) *exec.Cmd {
	ctx := map[string]interface{}{}
	for k, v := range b.context {
		ctx[k] = v
	}
	for k, v := range more {
		ctx[k] = v
	}
	raw, _ := json.Marshal(ctx)
	return func(out string) *exec.Cmd {
		return b.command(dir, append([]string{"CDK_OUTDIR=" + out, "CDK_CONTEXT_JSON=" + string(raw)}, env...), name, args...)
	}
}

// measure runs a command into a fresh output directory.
func (b *bench) measure(make func(out string) *exec.Cmd) (sample, error) {
	out, err := os.MkdirTemp(b.tmp, "out")
	if err != nil {
		return sample{}, err
	}
	defer os.RemoveAll(out)
	cmd := make(out)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	// A run that hangs (jsii's kernel once stopped answering here) ends
	// the bench with a clear error rather than waiting for ever; the
	// process group goes with it (the CLI's app and its Node kernel).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return sample{}, err
	}
	timer := time.AfterFunc(runTimeout, func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	err = cmd.Wait()
	secs := time.Since(start).Seconds()
	if !timer.Stop() {
		return sample{}, fmt.Errorf("%s: no end after %s; killed (run make bench again)", strings.Join(cmd.Args, " "), runTimeout)
	}
	if err != nil {
		return sample{}, fmt.Errorf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, tailOf(stderr.String(), 20))
	}
	// Linux reports the peak in KiB, of the largest process waited for.
	mib := 0.0
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		mib = float64(ru.Maxrss) / 1024
	}
	return sample{secs: secs, mib: mib}, nil
}

// pair measures ours and the twin's runs times, interleaved and in
// alternating order, and returns both sets.
func (b *bench) pair(runs int, ours, twin func(string) *exec.Cmd) (o, t []sample, err error) {
	both := []func(string) *exec.Cmd{ours, twin}
	for i := 0; i < runs; i++ {
		for j := 0; j < 2; j++ {
			which := (i + j) % 2
			s, err := b.measure(both[which])
			if err != nil {
				return nil, nil, err
			}
			if which == 0 {
				o = append(o, s)
			} else {
				t = append(t, s)
			}
		}
	}
	return o, t, nil
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func secs(ss []sample) float64 {
	xs := make([]float64, len(ss))
	for i, s := range ss {
		xs[i] = s.secs
	}
	return median(xs)
}

func mib(ss []sample) float64 {
	xs := make([]float64, len(ss))
	for i, s := range ss {
		xs[i] = s.mib
	}
	return median(xs)
}

func tailOf(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// row is one line of the table.
type row struct {
	figure     string
	ours, twin float64
	unit       string
	// max is the target ratio, 0 for none.
	max float64
}

func (r row) ratio() float64 {
	if r.twin == 0 {
		return 0
	}
	return r.ours / r.twin
}

func (b *bench) run(w io.Writer, runs, scaleRuns int, quick bool) error {
	if err := b.checkTwin(); err != nil {
		return err
	}
	fmt.Fprintf(w, "twin: %s\n", b.twinNote)
	node := filepath.Join(b.twin, "app.js")
	var rows []row
	add := func(figure, unit string, max, o, t float64) {
		rows = append(rows, row{figure: figure, ours: o, twin: t, unit: unit, max: max})
	}

	fmt.Fprintf(w, "cdk synth of the default app, %d interleaved runs each...\n", runs)
	o, t, err := b.pair(runs, b.cli(b.root), b.cli(b.twin))
	if err != nil {
		return err
	}
	add("cdk synth, as shipped (go build + app; node app.js)", "s", 1.05, secs(o), secs(t))
	add("peak memory of that synth", "MiB", 1.05, mib(o), mib(t))
	// Ours again, interleaved with ts-node's runs, as every pair is.
	o2, tsNode, err := b.pair(max(runs/2, 1), b.cli(b.root), b.cli(b.twin, "--app", "npx ts-node --prefer-ts-exts app.ts"))
	if err != nil {
		return err
	}
	add("cdk synth vs the twin under ts-node (cdk init's old default)", "s", 0.25, secs(o2), secs(tsNode))

	bin := filepath.Join(b.root, "bin", "cdk-classic-webtier")
	for _, nag := range []bool{true, false} {
		more := map[string]interface{}{"nag": nag}
		o, t, err := b.pair(runs, b.app(b.root, nil, more, bin), b.app(b.twin, nil, more, "node", node))
		if err != nil {
			return err
		}
		add(fmt.Sprintf("app alone, nag %s", onOff(nag)), "s", 0, secs(o), secs(t))
	}
	without := map[string]interface{}{"nag": true}
	o, t, err = b.pair(runs, b.app(b.root, []string{"CDK_VALIDATION=false"}, without, bin), b.app(b.twin, []string{"CDK_VALIDATION=false"}, without, "node", node))
	if err != nil {
		return err
	}
	add("app alone, without aws-cdk-lib's template validation", "s", 0, secs(o), secs(t))

	// Scale: the cost of each extra stack, and of each extra web tier in
	// one stack (past 12 tiers, over CloudFormation's 500 resources: the
	// limit check is off, as the twin's benchmark did). Without the
	// template validation, which refuses copies of one load balancer name
	// in one stack, and which costs both languages the same.
	benchapp := filepath.Join(b.root, "bin", "benchapp")
	ns := []int{10, 40}
	if quick {
		ns = ns[:1]
	}
	noLimit := map[string]interface{}{"@aws-cdk/core:stackResourceLimit": 0}
	base := map[string][2]float64{}
	for _, mode := range []string{"stacks", "one"} {
		for _, n := range append([]int{1}, ns...) {
			if n == 1 && mode == "one" {
				base[mode] = base["stacks"]
				continue
			}
			fmt.Fprintf(w, "%d web tiers (%s), %d runs each...\n", n, mode, scaleRuns)
			o, t, err := b.pair(scaleRuns,
				b.app(b.root, []string{fmt.Sprintf("BENCH_N=%d", n), "BENCH_MODE=" + mode, "CDK_VALIDATION=false"}, noLimit, benchapp),
				b.app(b.twin, []string{fmt.Sprintf("TWIN_N=%d", n), "TWIN_MODE=" + mode, "CDK_VALIDATION=false"}, noLimit, "node", node))
			if err != nil {
				return err
			}
			if n == 1 {
				base[mode] = [2]float64{secs(o), secs(t)}
				continue
			}
			what := "stack"
			if mode == "one" {
				what = "web tier in one stack"
			}
			per := func(total, one float64) float64 { return (total - one) / float64(n-1) }
			add(fmt.Sprintf("each extra %s (1 -> %d, no validation)", what, n), "s", 1.10, per(secs(o), base[mode][0]), per(secs(t), base[mode][1]))
		}
	}
	printTable(w, rows)
	printPhases(w, b.root)
	return nil
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// checkTwin synthesizes both apps (nag on, without version reporting) and
// compares the templates with sorted keys: only then do the ratios
// compare the same work.
func (b *bench) checkTwin() error {
	read := func(cmd func(string) *exec.Cmd) (interface{}, error) {
		out, err := os.MkdirTemp(b.tmp, "check")
		if err != nil {
			return nil, err
		}
		c := cmd(out)
		if output, err := c.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("%s: %v\n%s", strings.Join(c.Args, " "), err, tailOf(string(output), 20))
		}
		raw, err := os.ReadFile(filepath.Join(out, "ClassicWebTier.template.json"))
		if err != nil {
			return nil, err
		}
		var v interface{}
		return v, json.Unmarshal(raw, &v)
	}
	ours, err := read(b.cli(b.root, "--no-version-reporting"))
	if err != nil {
		return err
	}
	twin, err := read(b.cli(b.twin, "--no-version-reporting"))
	if err != nil {
		return err
	}
	diff := differingResources(ours, twin)
	if len(diff) == 0 {
		b.twinNote = "writes the same template as the default app (sorted keys, without CDKMetadata): the ratios compare the same work"
	} else {
		b.twinNote = fmt.Sprintf("NO LONGER writes the default app's template (%s differ): the ratios below do not compare the same work; update bench/ts-twin/app.ts as the app changed", strings.Join(diff, ", "))
	}
	return nil
}

// differingResources names the resources and outputs that differ between
// two templates (json.Marshal sorts the keys).
func differingResources(a, b interface{}) []string {
	section := func(t interface{}, name string) map[string]interface{} {
		m, _ := t.(map[string]interface{})
		s, _ := m[name].(map[string]interface{})
		return s
	}
	var out []string
	for _, name := range []string{"Resources", "Outputs", "Parameters", "Conditions", "Rules"} {
		x, y := section(a, name), section(b, name)
		keys := map[string]bool{}
		for k := range x {
			keys[k] = true
		}
		for k := range y {
			keys[k] = true
		}
		for k := range keys {
			if k == "CDKMetadata" {
				continue
			}
			jx, _ := json.Marshal(x[k])
			jy, _ := json.Marshal(y[k])
			if !bytes.Equal(jx, jy) {
				out = append(out, name+"."+k)
			}
		}
	}
	sort.Strings(out)
	return out
}

func printTable(w io.Writer, rows []row) {
	fmt.Fprintln(w)
	fmt.Fprintf(w, "| %-62s | %9s | %9s | %6s | %-8s |\n", "figure (medians)", "ours", "twin", "ratio", "target")
	fmt.Fprintf(w, "|%s|%s|%s|%s|%s|\n", strings.Repeat("-", 64), strings.Repeat("-", 11), strings.Repeat("-", 11), strings.Repeat("-", 8), strings.Repeat("-", 10))
	for _, r := range rows {
		target, verdict := "", ""
		if r.max > 0 {
			target, verdict = fmt.Sprintf("<= %.2f", r.max), "  met"
			if r.ratio() > r.max {
				verdict = "  NOT met"
			}
		}
		fmt.Fprintf(w, "| %-62s | %7.2f %-2s| %7.2f %-2s| %6.2f | %-8s |%s\n", r.figure, r.ours, unitShort(r.unit), r.twin, unitShort(r.unit), r.ratio(), target, verdict)
	}
}

func unitShort(u string) string {
	if u == "MiB" {
		return "M"
	}
	return u
}

// printPhases shows the seconds of make test's phases as the last make
// test wrote them (bin/phase-*.txt). The phase "test-phases" is the whole
// of gotest, scan and e2e, which make test runs side by side; without it
// (phases run one by one) the total is their sum.
func printPhases(w io.Writer, root string) {
	files, _ := filepath.Glob(filepath.Join(root, "bin", "phase-*.txt"))
	fmt.Fprintln(w)
	if len(files) == 0 {
		fmt.Fprintln(w, "make test phases: none recorded yet (run make test)")
		return
	}
	fmt.Fprintln(w, "make test phases, as the last runs recorded them:")
	sum, whole := 0.0, -1.0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		var phase string
		var s float64
		var when string
		if _, err := fmt.Sscanf(strings.TrimSpace(string(raw)), "%s %f %s", &phase, &s, &when); err != nil {
			continue
		}
		if phase == "test-phases" {
			whole = s
			continue
		}
		sum += s
		fmt.Fprintf(w, "  %-10s %6.1f s  (%s)\n", phase, s, when)
	}
	if whole >= 0 {
		fmt.Fprintf(w, "  %-10s %6.1f s  (the phases side by side; target: <= 150 s warm)\n", "make test", whole)
		return
	}
	fmt.Fprintf(w, "  %-10s %6.1f s  (target: <= 150 s warm)\n", "sum", sum)
}

//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// workspace is a scratch folder with the app built once and a cdk.json that
// runs it with the repository's feature flags, so that the CLI's lookup cache
// (cdk.context.json) and output stay out of the repository.
type workspace struct {
	// tools is the folder of make's runner, cdkrun (buildTools).
	dir, bin, tools string
	env             []string
}

// tools is make's runner (cdkrun: synth, deploy, destroy, verify), built once for every
// workspace.
var tools struct {
	once sync.Once
	// mu guards dir against removeTools during a build.
	mu  sync.Mutex
	dir string
	err error
}

// removeTools removes the tools' folder (about 30 MB), at the end of the
// tests or when they are interrupted.
func removeTools() {
	tools.mu.Lock()
	defer tools.mu.Unlock()
	if tools.dir != "" {
		os.RemoveAll(tools.dir)
		tools.dir = ""
	}
}

// buildTools builds the tools into a folder TestMain removes, and the app
// cdk.json runs with make's rule, as a user's synth does: make test builds
// it before its phases, and the test package runs the same rule, so it is
// linked once.
func buildTools(root string) (string, error) {
	tools.once.Do(func() {
		tools.mu.Lock()
		defer tools.mu.Unlock()
		app := exec.Command("make", "-s", "--no-print-directory", "bin/cdk-classic-webtier")
		app.Dir = root
		for _, kv := range os.Environ() {
			// Not the jobserver of a make that runs go test.
			if !strings.HasPrefix(kv, "MAKE") && !strings.HasPrefix(kv, "MFLAGS=") {
				app.Env = append(app.Env, kv)
			}
		}
		if out, err := app.CombinedOutput(); err != nil {
			tools.err = fmt.Errorf("make bin/cdk-classic-webtier: %v\n%s", err, out)
			return
		}
		if tools.dir, tools.err = os.MkdirTemp("", "e2e-tools-"); tools.err != nil {
			return
		}
		for _, b := range []struct{ out, pkg string }{{"cdkrun", "./cmd/cdkrun"}} {
			build := exec.Command("go", "build", "-o", filepath.Join(tools.dir, b.out), b.pkg)
			build.Dir = root
			if out, err := build.CombinedOutput(); err != nil {
				tools.err = fmt.Errorf("go build %s: %v\n%s", b.pkg, err, out)
				return
			}
		}
	})
	tools.mu.Lock()
	defer tools.mu.Unlock()
	return tools.dir, tools.err
}

func newWorkspace(t *testing.T, root string, moto *motoServer) *workspace {
	t.Helper()
	dir := t.TempDir()
	built, err := buildTools(root)
	if err != nil {
		t.Fatal(err)
	}
	app := filepath.Join(root, "bin", "cdk-classic-webtier")
	raw, err := os.ReadFile(filepath.Join(root, "cdk.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]interface{}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	cfg["app"] = app
	delete(cfg, "watch")
	raw, _ = json.MarshalIndent(cfg, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "cdk.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(root, "node_modules", ".bin")
	if _, err := os.Stat(filepath.Join(bin, "cdk")); err != nil {
		t.Fatalf("the pinned cdk CLI is not installed; run `make e2e`: %v", err)
	}
	// The CLI's state stays in the workspace (HOME), but jsii's cache of
	// unpacked packages is the user's: unpacking aws-cdk-lib again in every
	// workspace costs seconds per test.
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	env := []string{
		"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + dir,
		"JSII_RUNTIME_PACKAGE_CACHE_ROOT=" + filepath.Join(cache, "aws", "jsii", "package-cache"),
		// aws-cdk-lib's built-in CloudFormation validation (about 1 s and
		// 280 MB per synth) has checked these settings' templates in the
		// template tests already, and cfn-lint after it.
		"CDK_VALIDATION=false",
		// CloudFormation in moto fetches template URLs only from localhost
		// hosts; an IP endpoint makes the SDK use path-style S3 (no
		// bucket.localhost names to resolve).
		"AWS_ENDPOINT_URL=" + moto.url("localhost"),
		"AWS_ENDPOINT_URL_S3=" + moto.url("127.0.0.1"),
		"AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing",
		"AWS_REGION=" + region, "AWS_DEFAULT_REGION=" + region,
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true",
		"CDK_DISABLE_CLI_TELEMETRY=true",
	}
	return &workspace{dir: dir, bin: bin, tools: built, env: env}
}

// bootstrapped are the regions cdk bootstrap has prepared in this moto
// (one for all the tests: the toolkit stack is the account's, not a
// workspace's).
var bootstrapped = struct {
	sync.Mutex
	regions map[string]bool
}{regions: map[string]bool{}}

// bootstrap runs cdk bootstrap for the regions not bootstrapped yet.
func (w *workspace) bootstrap(t *testing.T, regions ...string) {
	t.Helper()
	bootstrapped.Lock()
	defer bootstrapped.Unlock()
	var envs []string
	for _, r := range regions {
		if !bootstrapped.regions[r] {
			envs = append(envs, "aws://"+account+"/"+r)
		}
	}
	if len(envs) == 0 {
		return
	}
	w.cdk(t, append([]string{"bootstrap"}, envs...)...)
	for _, r := range regions {
		bootstrapped.regions[r] = true
	}
}

// cdk runs the pinned CLI in the workspace and fails the test on error.
func (w *workspace) cdk(t *testing.T, args ...string) string {
	t.Helper()
	started := time.Now()
	cmd := exec.Command(filepath.Join(w.bin, "cdk"), append(args, "--no-notices")...)
	cmd.Dir, cmd.Env = w.dir, w.env
	out, err := cmd.CombinedOutput()
	t.Logf("cdk %s: %.1f s", strings.Join(args[:1], " "), time.Since(started).Seconds())
	if err != nil {
		t.Fatalf("cdk %s: %v\n%s", strings.Join(args, " "), err, tail(string(out), 60))
	}
	return string(out)
}

// cdkrun runs make's runner (as `make destroy ARGS=...` does) in the
// workspace and returns its output and error.
func (w *workspace) cdkrun(t *testing.T, verb, args string) (string, error) {
	t.Helper()
	started := time.Now()
	cmd := exec.Command(filepath.Join(w.tools, "cdkrun"), verb)
	cmd.Dir, cmd.Env = w.dir, append(append([]string(nil), w.env...), "ARGS="+args)
	out, err := cmd.CombinedOutput()
	t.Logf("make %s ARGS=%q: %.1f s", verb, args, time.Since(started).Seconds())
	return string(out), err
}

// verify runs make verify (cdkrun verify: a synth, then the checks) in
// the workspace, with ARGS as make passes them, and returns its standard
// output, standard error and error.
func (w *workspace) verify(t *testing.T, args string) (string, string, error) {
	t.Helper()
	started := time.Now()
	cmd := exec.Command(filepath.Join(w.tools, "cdkrun"), "verify")
	cmd.Dir, cmd.Env = w.dir, append(append([]string(nil), w.env...), "ARGS="+args)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	t.Logf("make verify ARGS=%q: %.1f s", args, time.Since(started).Seconds())
	return stdout.String(), stderr.String(), err
}

func tail(s string, lines int) string {
	all := strings.Split(s, "\n")
	if len(all) > lines {
		all = append([]string{fmt.Sprintf("... (%d lines before)", len(all)-lines)}, all[len(all)-lines:]...)
	}
	return strings.Join(all, "\n")
}

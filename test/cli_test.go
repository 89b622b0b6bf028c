package test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// cdkCLI runs the pinned aws-cdk CLI from node_modules (installed by make) in
// the repository root, with no AWS credentials, and returns its output
// directory, combined output and error.
func cdkCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	out := t.TempDir()
	output, err := cdkCLIIn(t, out, nil, args...)
	return out, output, err
}

// synthContaining runs `cdk synth` with args, fails the test unless the
// template contains each of want, and returns the template's text.
func synthContaining(t *testing.T, want []string, args ...string) string {
	t.Helper()
	out, output, err := cdkCLI(t, args...)
	if err != nil {
		t.Fatalf("cdk synth %v: %v\n%s", args, err, output)
	}
	raw, err := os.ReadFile(filepath.Join(out, "ClassicWebTier.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range want {
		if !strings.Contains(string(raw), w) {
			t.Errorf("%v: the template lacks %s", args, w)
		}
	}
	return string(raw)
}

// cdkCLIIn runs `cdk synth` into out, with extra environment variables.
func cdkCLIIn(t *testing.T, out string, extraEnv []string, args ...string) (string, error) {
	t.Helper()
	root, bin := repoRoot(t)
	cmd := exec.Command(filepath.Join(bin, "cdk"), append([]string{"synth", "--quiet", "--no-notices", "-o", out}, args...)...)
	cmd.Dir = root
	cmd.Env = append(cleanEnv(bin), extraEnv...)
	output, err := cmd.CombinedOutput()
	return string(output), err
}

// repoRoot is the repository root and the pinned CLI's folder.
func repoRoot(t *testing.T) (root, bin string) {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	bin = filepath.Join(root, "node_modules", ".bin")
	if _, err := os.Stat(filepath.Join(bin, "cdk")); err != nil {
		t.Fatalf("the pinned cdk CLI is not installed; run `make test` (or `make deps` first): %v", err)
	}
	return root, bin
}

// cleanEnv is this process's environment without AWS credentials, regions
// or CDK settings, with the pinned CLI and Node first on PATH.
//
// It turns aws-cdk-lib's built-in template validation off (about 1 s of
// every synth): cfn-lint checks the golden templates, and the tests of the
// synth as shipped (TestCLISynthMatchesGolden, TestCLIPinnedImageIsAcknowledged)
// turn it back on with validationOn.
func cleanEnv(bin string) []string {
	env := []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), "CDK_DISABLE_CLI_TELEMETRY=true", "CDK_VALIDATION=false",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "CDK_") && !strings.HasPrefix(kv, "PATH=") && !strings.HasPrefix(kv, "ARGS=") &&
			!strings.HasPrefix(kv, "MAKE") {
			env = append(env, kv)
		}
	}
	return env
}

// validationOn is the environment of a synth as users run it: with
// aws-cdk-lib's built-in template validation (cleanEnv turns it off).
var validationOn = []string{"CDK_VALIDATION=true"}

// TestCLISynthMatchesGolden: `cdk synth` through cdk.json's app command, as
// users run it, writes the default scenario's golden template (without the
// CLI's metadata).
func TestCLISynthMatchesGolden(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	output, err := cdkCLIIn(t, out, validationOn, "--no-version-reporting", "--no-path-metadata", "--no-asset-metadata")
	if err != nil {
		t.Fatalf("cdk synth: %v\n%s", err, output)
	}
	raw, err := os.ReadFile(filepath.Join(out, "ClassicWebTier.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tmpl interface{}
	if err := json.Unmarshal(raw, &tmpl); err != nil {
		t.Fatal(err)
	}
	got, _ := json.MarshalIndent(tmpl, "", "  ")
	if problem := checkGolden(filepath.Join("testdata", "default.json"), append(got, '\n')); problem != "" {
		t.Errorf("cdk synth: %s", problem)
	}
}

// TestCLISynthRejectsBadSettings: invalid settings make `cdk synth` exit
// non-zero with every problem, and write no template.
func TestCLISynthRejectsBadSettings(t *testing.T) {
	t.Parallel()
	out, output, err := cdkCLI(t, "-c", "healthCheckInterval=3", "-c", "listenerProtocol=HTTPS", "-c", "healthCheckIntervall=10")
	if err == nil {
		t.Fatalf("cdk synth succeeded:\n%s", output)
	}
	if want := "healthCheckIntervall: is not a setting; did you mean healthCheckInterval?"; !strings.Contains(output, want) {
		t.Errorf("output lacks %q:\n%s", want, output)
	}
	if matches, _ := filepath.Glob(filepath.Join(out, "*.template.json")); len(matches) > 0 {
		t.Errorf("a template was written: %v", matches)
	}
	// Fixing the typo leaves the construct's problems, all of them at once.
	out, output, err = cdkCLI(t, "-c", "healthCheckInterval=3", "-c", "listenerProtocol=HTTPS")
	if err == nil {
		t.Fatalf("cdk synth succeeded:\n%s", output)
	}
	for _, want := range []string{
		"2 invalid settings",
		"certificateArn: is required for an HTTPS listener; set it to an ACM or IAM server certificate ARN",
		"healthCheckInterval: 3 seconds is out of range; allowed 5-300 seconds",
	} {
		if !strings.Contains(output, want) {
			t.Errorf("output lacks %q:\n%s", want, output)
		}
	}
	if matches, _ := filepath.Glob(filepath.Join(out, "*.template.json")); len(matches) > 0 {
		t.Errorf("a template was written: %v", matches)
	}
}

func filepathGlob(dir, name string) ([]string, error) { return filepath.Glob(filepath.Join(dir, name)) }

// manifestRegions maps each stack of an assembly to its environment.
func manifestEnvironments(t *testing.T, out string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Artifacts map[string]struct {
			Type        string `json:"type"`
			Environment string `json:"environment"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	envs := map[string]string{}
	for id, a := range m.Artifacts {
		if a.Type == "aws:cloudformation:stack" {
			envs[id] = a.Environment
		}
	}
	return envs
}

// TestCLIRegionFollowsTheEnvironment: AWS_REGION decides where the stack
// goes unless -c region does; the manifest, which every command reads,
// says so.
func TestCLIRegionFollowsTheEnvironment(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		env  []string
		args []string
		want string
	}{
		{[]string{"AWS_REGION=us-east-1"}, nil, "aws://unknown-account/us-east-1"},
		{[]string{"AWS_DEFAULT_REGION=eu-west-1"}, nil, "aws://unknown-account/eu-west-1"},
		{[]string{"AWS_REGION=us-east-1"}, []string{"-c", "region=ap-northeast-1", "-c", "stackName=WebTokyo"}, "aws://unknown-account/ap-northeast-1"},
	} {
		out := t.TempDir()
		if output, err := cdkCLIIn(t, out, c.env, c.args...); err != nil {
			t.Fatalf("%v %v: %v\n%s", c.env, c.args, err, output)
		}
		envs := manifestEnvironments(t, out)
		if len(envs) != 1 {
			t.Fatalf("stacks %v", envs)
		}
		for id, env := range envs {
			if env != c.want {
				t.Errorf("%v %v: stack %s in %s, want %s", c.env, c.args, id, env, c.want)
			}
		}
	}
}

// TestCLIFailedSynthLeavesNoTemplate: whatever fails (cdk-nag, a setting),
// the output folder holds no template afterwards, not even an earlier one.
func TestCLIFailedSynthLeavesNoTemplate(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	golden, err := os.ReadFile(filepath.Join("testdata", "default.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"-c", "healthCheckInterval=3"}, // the app refuses the setting
		{"-c", "crossZone=false"},       // cdk-nag's ELB4 fails the synth after the app wrote it
		{"-c", "sshCidr=0.0.0.0/0"},     // cdk-nag's EC23
	} {
		// What an earlier good synth left: an assembly (the app clears
		// only a folder that holds a manifest) with the template.
		for name, raw := range map[string][]byte{"manifest.json": []byte(`{"version":"0.0.0","artifacts":{}}` + "\n"), "ClassicWebTier.template.json": golden} {
			if err := os.WriteFile(filepath.Join(out, name), raw, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		output, err := cdkCLIIn(t, out, nil, args...)
		if err == nil {
			t.Fatalf("%v: synth succeeded:\n%s", args, output)
		}
		if matches, _ := filepath.Glob(filepath.Join(out, "*.template.json")); len(matches) > 0 {
			t.Errorf("%v: a template is left after the failure: %v", args, matches)
		}
	}
	// A later good synth writes one again.
	if output, err := cdkCLIIn(t, out, nil); err != nil {
		t.Fatalf("cdk synth: %v\n%s", err, output)
	}
	assertFile(t, out, "ClassicWebTier.template.json")
}

// TestCLIPinnedImageIsAcknowledged: a pinned image is the point of amiId,
// so aws-cdk-lib's "hardcoded AMI" validation warning is acknowledged, with
// its reason, rather than shown at every synth.
func TestCLIPinnedImageIsAcknowledged(t *testing.T) {
	t.Parallel()
	output, err := cdkCLIIn(t, t.TempDir(), validationOn, "-c", "amiId=ami-0123456789abcdef0")
	if err != nil {
		t.Fatalf("cdk synth: %v\n%s", err, output)
	}
	if strings.Contains(output, "W9010") || strings.Contains(output, "Hardcoded AMI") {
		t.Errorf("the pinned image still warns:\n%s", output)
	}
}

// callBudgets are how many requests an app sends the jsii kernel
// (aws-cdk-lib, constructs, cdk-nag) in one synth, for the default settings
// and for the fleet. Each is a round trip between two processes: they are
// most of what a Go app pays beyond the same app in TypeScript, per web
// tier (make bench). Lower one when a change saves calls; raise it only for
// a feature that needs them, and say why in the commit. History of the
// default (loads included): about 472 before issue 14, about 286 after its
// first pass, 196 after its second, 194 after a clean-up. The fleet's rose
// from 219 to 226 with issue 22: the instance refresh policy set on the L1
// (aws-cdk-lib's L2 policy costs a call per alarm more, and resolving the
// launch template's data to check its image 80), the group's dependency on
// the alarms it watches, and asking the image for its ID.
var callBudgets = []struct {
	name   string
	args   []string
	budget int
}{
	{"default", nil, 194},
	{"fleet", []string{"-c", "autoScaling=true"}, 226},
}

// TestCallsIntoAwsCdkLibStayWithinBudget counts the requests of a synth as
// users run it (JSII_DEBUG logs each one).
func TestCallsIntoAwsCdkLibStayWithinBudget(t *testing.T) {
	t.Parallel()
	for _, c := range callBudgets {
		output, err := cdkCLIIn(t, t.TempDir(), []string{"JSII_DEBUG=1"}, c.args...)
		if err != nil {
			t.Fatalf("%s: cdk synth: %v\n%s", c.name, err, tailLines(output, 40))
		}
		byKind := map[string]int{}
		calls := 0
		for _, line := range strings.Split(output, "\n") {
			// The app writes the kernel's own log beside its requests, in
			// chunks that may end mid-line: a request can follow other text.
			at := strings.Index(line, `> {"api":`)
			if at < 0 {
				continue
			}
			var req struct {
				API      string `json:"api"`
				FQN      string `json:"fqn"`
				Method   string `json:"method"`
				Property string `json:"property"`
			}
			if err := json.Unmarshal([]byte(line[at+2:]), &req); err != nil {
				t.Fatalf("%s: a request that is not JSON: %v\n%s", c.name, err, line[at+2:])
			}
			calls++
			byKind[strings.TrimSpace(req.API+" "+req.FQN+" "+req.Method+req.Property)]++
		}
		switch {
		case calls == 0:
			t.Fatalf("%s: no request logged; does JSII_DEBUG still log them?\n%s", c.name, tailLines(output, 40))
		case calls > c.budget:
			kinds := make([]string, 0, len(byKind))
			for k := range byKind {
				kinds = append(kinds, k)
			}
			sort.Slice(kinds, func(i, j int) bool { return byKind[kinds[i]] > byKind[kinds[j]] })
			var top strings.Builder
			for _, k := range kinds[:min(15, len(kinds))] {
				fmt.Fprintf(&top, "  %3d %s\n", byKind[k], k)
			}
			t.Errorf("%s: %d requests to the jsii kernel, over the budget of %d; the most frequent:\n%s", c.name, calls, c.budget, top.String())
		case calls < c.budget:
			t.Logf("%s: %d requests, under the budget of %d: lower it", c.name, calls, c.budget)
		}
	}
}

// tailLines is the last n lines of s.
func tailLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// TestCLINamesTheSettingACheckRefuses: settings the app accepts but a check
// at synth refuses (cdk-nag's rules, aws-cdk-lib's CloudFormation
// validation of the region's instance types) fail the synth with a line
// naming the key to change, beside the checks' own findings.
func TestCLINamesTheSettingACheckRefuses(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	output, err := cdkCLIIn(t, out, validationOn, "-c", "instanceType=x.y", "-c", "crossZone=false")
	if err == nil {
		t.Fatalf("cdk synth succeeded:\n%s", output)
	}
	for _, want := range []string{
		"crossZone: false fails cdk-nag's AwsSolutions-ELB4",
		`instanceType: "x.y" is refused by CloudFormation Validate, which aws-cdk-lib runs at synth: InstanceType: 'x.y' is not valid for region 'ap-northeast-2' (rule E3628)`,
		"(CloudFormation Validate)", // the CLI's own listing stays
	} {
		if !strings.Contains(output, want) {
			t.Errorf("output lacks %q:\n%s", want, output)
		}
	}
	if matches, _ := filepath.Glob(filepath.Join(out, "*.template.json")); len(matches) > 0 {
		t.Errorf("a template was written: %v", matches)
	}
}

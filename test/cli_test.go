package test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// cdkCLI runs the pinned aws-cdk CLI from node_modules (installed by make) in
// the repository root, with no AWS credentials, and returns its output
// directory, combined output and error.
func cdkCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(root, "node_modules", ".bin")
	if _, err := os.Stat(filepath.Join(bin, "cdk")); err != nil {
		t.Fatalf("the pinned cdk CLI is not installed; run `make test` (or `make deps` first): %v", err)
	}
	out := t.TempDir()
	cmd := exec.Command(filepath.Join(bin, "cdk"), append([]string{"synth", "--quiet", "--no-notices", "-o", out}, args...)...)
	cmd.Dir = root
	env := []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), "CDK_DISABLE_CLI_TELEMETRY=true",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "CDK_") && !strings.HasPrefix(kv, "PATH=") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	output, err := cmd.CombinedOutput()
	return out, string(output), err
}

// TestCLISynthMatchesGolden: `cdk synth` through cdk.json's app command
// writes the default scenario's golden template (without the CLI's metadata).
func TestCLISynthMatchesGolden(t *testing.T) {
	out, output, err := cdkCLI(t, "--no-version-reporting", "--no-path-metadata", "--no-asset-metadata")
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
	want, err := os.ReadFile(filepath.Join("testdata", "default.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(append(got, '\n'), want) {
		t.Errorf("cdk synth differs from testdata/default.json:\n%s", firstDiff(want, append(got, '\n')))
	}
}

// TestCLISynthRejectsBadSettings: invalid settings make `cdk synth` exit
// non-zero with every problem, and write no template.
func TestCLISynthRejectsBadSettings(t *testing.T) {
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

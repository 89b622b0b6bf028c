// Package test holds the synth-level tests of the app: every scenario is
// synthesized with cdk.json's feature flags, checked with fine-grained
// assertions, and compared with its golden template in testdata/.
package test

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
)

// TestMain builds the app cdk.json runs before any test, and closes the jsii
// kernel once every test has run.
//
// Tests that synthesize in this process never call t.Parallel: the kernel is
// one pipe without a lock. Tests that only run the CLI, make or go in
// subprocesses do, so they overlap each other once the in-process tests are
// done. They share the repository's app binary, built here first so that
// two of them never start its build at once.
func TestMain(m *testing.M) {
	build := exec.Command("make", "-s", "--no-print-directory", "bin/cdk-classic-webtier")
	build.Dir = ".."
	for _, kv := range os.Environ() {
		// Not the jobserver of a make that runs go test.
		if !strings.HasPrefix(kv, "MAKE") && !strings.HasPrefix(kv, "MFLAGS=") {
			build.Env = append(build.Env, kv)
		}
	}
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "make bin/cdk-classic-webtier: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

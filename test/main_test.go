// Package test holds the synth-level tests of the app: every scenario is
// synthesized with cdk.json's feature flags, checked with fine-grained
// assertions, and compared with its golden template in testdata/.
package test

import (
	"os"
	"testing"

	"github.com/aws/jsii-runtime-go"
)

// TestMain closes the jsii kernel once every test has run. No test here calls
// t.Parallel: the kernel is one pipe without a lock.
func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

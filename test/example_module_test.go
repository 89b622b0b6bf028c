package test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"
)

// exampleModule is the folder of the separate Go module that uses the
// construct through a replace directive, as another team's CDK app would.
func exampleModule(t *testing.T) string {
	t.Helper()
	root, _ := repoRoot(t)
	return filepath.Join(root, "examples", "existing-app")
}

// goIn runs the go command in dir with the tests' clean environment (the
// pinned Node first on PATH for the jsii runtime, no AWS or CDK settings)
// and returns its combined output.
func goIn(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	_, bin := repoRoot(t)
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = cleanEnv(bin)
	output, err := cmd.CombinedOutput()
	return string(output), err
}

// TestExampleModuleBuildsAndPasses: the example module compiles against the
// construct of this checkout, passes go vet, and its own tests (which
// synthesize its stack and check what it composes) pass.
func TestExampleModuleBuildsAndPasses(t *testing.T) {
	t.Parallel()
	dir := exampleModule(t)
	for _, args := range [][]string{
		{"vet", "./..."},
		{"test", "-count=1", "./..."},
	} {
		if output, err := goIn(t, dir, args...); err != nil {
			t.Fatalf("go %s in examples/existing-app: %v\n%s", strings.Join(args, " "), err, output)
		}
	}
}

// TestExampleModuleIsTidy: the example's go.mod and go.sum are complete, so
// a user who copies the folder builds it as it is. They follow the
// construct's imports, its tests' too: when those change, run `go mod tidy`
// in examples/existing-app. The diff is on stdout; stderr holds the
// downloads of a fresh module cache.
func TestExampleModuleIsTidy(t *testing.T) {
	t.Parallel()
	_, bin := repoRoot(t)
	cmd := exec.Command("go", "mod", "tidy", "-diff")
	cmd.Dir = exampleModule(t)
	cmd.Env = cleanEnv(bin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Fatalf("go mod tidy -diff in examples/existing-app: %v (run `go mod tidy` there)\n%s%s", err, out, stderr.String())
	}
}

// TestReadmeShowsTheExampleModule: the full program in the README's
// "Using the construct from another CDK app" is examples/existing-app/main.go,
// which the tests above build and run.
func TestReadmeShowsTheExampleModule(t *testing.T) {
	root, _ := repoRoot(t)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	program, err := os.ReadFile(filepath.Join(exampleModule(t), "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	const heading = "\n## Using the construct from another CDK app\n"
	_, section, ok := strings.Cut(string(readme), heading)
	if !ok {
		t.Fatalf("README.md has no section %q", strings.TrimSpace(heading))
	}
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	_, block, ok := strings.Cut(section, "\n```go\n")
	if !ok {
		t.Fatal("the README's section has no ```go block")
	}
	block, _, ok = strings.Cut(block, "\n```\n")
	if !ok {
		t.Fatal("the README's ```go block is not closed")
	}
	got, want := strings.TrimSpace(block)+"\n", strings.TrimSpace(string(program))+"\n"
	if got != want {
		t.Errorf("the README's program differs from examples/existing-app/main.go; copy main.go into its ```go block:\n%s",
			diff.Diff("README.md", []byte(got), "examples/existing-app/main.go", []byte(want)))
	}
}

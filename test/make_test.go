package test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// checkoutCopy is a folder that looks like the checkout (links to its
// files) with a cdk.out and bin of its own, so that the make targets run
// here leave the user's alone.
func checkoutCopy(t *testing.T) string {
	t.Helper()
	root, _ := repoRoot(t)
	dir := t.TempDir()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch e.Name() {
		case "cdk.out", "bin", ".git", "cdk.context.json":
			continue
		}
		if err := os.Symlink(filepath.Join(root, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	// The app TestMain built from this checkout's sources: without it, the
	// first synth in each copy links one of its own (about 1.5 s of CPU).
	// (make's find of the sources does not follow the copy's links, so it
	// would not rebuild it here either way.)
	if err := os.Mkdir(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "bin", "cdk-classic-webtier"), filepath.Join(dir, "bin", "cdk-classic-webtier")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// syncBuffer is a bytes.Buffer safe to read while a command writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// makeSynth starts `make synth ARGS=...` in dir, as a user runs it.
func makeSynth(t *testing.T, dir, args string) (cmd *exec.Cmd, stdout, stderr *syncBuffer) {
	t.Helper()
	_, bin := repoRoot(t)
	cmd = exec.Command("make", "--no-print-directory", "synth", "ARGS="+args)
	cmd.Dir = dir
	cmd.Env = cleanEnv(bin)
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, stdout, stderr
}

// TestMakeSynthShowsAFailureOnce: the app's message, then only make's own
// line; no "exit status 1" from go run, no "Subprocess exited" from the
// CLI; and a `$` in ARGS reaches the app as typed.
func TestMakeSynthShowsAFailureOnce(t *testing.T) {
	t.Parallel()
	dir := checkoutCopy(t)
	cmd, _, errOut := makeSynth(t, dir, `-c healthCheckInterval=3 -c loadBalancerName=a$b`)
	if err := cmd.Wait(); err == nil {
		t.Fatal("make synth succeeded")
	}
	stderr := errOut.String()
	for _, want := range []string{
		"error: 2 invalid settings (cdk.json context or -c key=value):\n",
		`  - loadBalancerName: "a$b" has characters other than letters`,
		"  - healthCheckInterval: 3 seconds is out of range; allowed 5-300 seconds\n",
	} {
		if strings.Count(stderr, want) != 1 {
			t.Errorf("want %q once in:\n%s", want, stderr)
		}
	}
	for _, noise := range []string{"exit status", "Subprocess exited", "go run"} {
		if strings.Contains(stderr, noise) {
			t.Errorf("output repeats the failure (%q):\n%s", noise, stderr)
		}
	}
	if lines := strings.Split(strings.TrimSpace(stderr), "\n"); len(lines) != 4 || !strings.HasPrefix(lines[3], "make: *** [") {
		t.Errorf("want the 3 lines of the message and make's own, got:\n%s", stderr)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "cdk.out", "*.template.json")); len(matches) > 0 {
		t.Errorf("a template is left: %v", matches)
	}
}

// TestConcurrentMakeSynthsWait: a make synth waits while another holds the
// checkout (which the old `rm -rf cdk.out` raced: ENOENT crashes, or one run
// keeping the other's files); once free, each runs whole, one after the
// other, and the template left is the complete one of the last.
func TestConcurrentMakeSynthsWait(t *testing.T) {
	t.Parallel()
	dir := checkoutCopy(t)
	// One synth first builds the runner in this copy and makes cdk.out.
	first, out, errOut := makeSynth(t, dir, "")
	if err := first.Wait(); err != nil {
		t.Fatalf("make synth: %v\n%s%s", err, out, errOut)
	}
	// Hold the checkout as a running synth would.
	lock, err := os.OpenFile(filepath.Join(dir, "cdk.out", ".make.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	type run struct {
		cmd            *exec.Cmd
		stdout, stderr *syncBuffer
	}
	var runs []run
	for _, args := range []string{"-c instanceCount=3", "-c instanceCount=4"} {
		cmd, stdout, stderr := makeSynth(t, dir, args)
		runs = append(runs, run{cmd, stdout, stderr})
	}
	deadline := time.Now().Add(2 * time.Minute)
	for _, r := range runs {
		for !strings.Contains(r.stderr.String(), "waiting for another make synth/deploy/destroy of this checkout") {
			if time.Now().After(deadline) {
				syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
				t.Fatalf("a synth did not wait for the held checkout:\n%s", r.stderr)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "cdk.out", "*.template.json")); len(matches) != 1 {
		t.Errorf("a waiting synth touched cdk.out: %v", matches)
	}
	syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	for i, r := range runs {
		if err := r.cmd.Wait(); err != nil {
			t.Errorf("synth %d: %v\n%s", i, err, r.stderr)
		}
		if !strings.Contains(r.stdout.String(), "template: cdk.out/ClassicWebTier.template.json") {
			t.Errorf("synth %d wrote no template:\n%s%s", i, r.stdout, r.stderr)
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, "cdk.out", "ClassicWebTier.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(raw), `"Type": "AWS::EC2::Instance"`); n != 3 && n != 4 {
		t.Errorf("the template left has %d instances, not one run's 3 or 4", n)
	}
}

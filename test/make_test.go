package test

import (
	"bytes"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// makeSynth runs `make synth ARGS=...` in the repository, as a user does.
func makeSynth(t *testing.T, args string) (stdout, stderr string, err error) {
	t.Helper()
	root, bin := repoRoot(t)
	cmd := exec.Command("make", "--no-print-directory", "synth", "ARGS="+args)
	cmd.Dir = root
	cmd.Env = cleanEnv(bin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

// TestMakeSynthShowsAFailureOnce: the app's message, then only make's own
// line; no "exit status 1" from go run, no "Subprocess exited" from the
// CLI; and a `$` in ARGS reaches the app as typed.
func TestMakeSynthShowsAFailureOnce(t *testing.T) {
	_, stderr, err := makeSynth(t, `-c healthCheckInterval=3 -c loadBalancerName=a$b`)
	if err == nil {
		t.Fatal("make synth succeeded")
	}
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
}

// TestConcurrentMakeSynthsWait: a second make synth in the same checkout
// waits for the first instead of deleting its files under it (which crashed
// the CLI with ENOENT, or mixed the two runs' files); both finish.
func TestConcurrentMakeSynthsWait(t *testing.T) {
	var wg sync.WaitGroup
	results := make([]struct {
		stdout, stderr string
		err            error
	}, 2)
	for i, args := range []string{"-c instanceCount=3", "-c instanceCount=4"} {
		wg.Add(1)
		go func(i int, args string) {
			defer wg.Done()
			results[i].stdout, results[i].stderr, results[i].err = makeSynth(t, args)
		}(i, args)
	}
	wg.Wait()
	waited := 0
	for i, r := range results {
		if r.err != nil {
			t.Errorf("synth %d: %v\n%s", i, r.err, r.stderr)
		}
		if !strings.Contains(r.stdout, "template: cdk.out/ClassicWebTier.template.json") {
			t.Errorf("synth %d wrote no template:\n%s%s", i, r.stdout, r.stderr)
		}
		if strings.Contains(r.stderr, "waiting for another make synth/deploy/destroy") {
			waited++
		}
	}
	if waited != 1 {
		t.Errorf("%d of the two synths waited, want 1:\n%+v", waited, results)
	}
}

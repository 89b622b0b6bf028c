package test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInterruptedMakeLeavesNoJsiiDirs: a `make synth` or `make deploy`
// stopped while the app's jsii kernel runs leaves none of the jsii
// runtime's temporary folders (jsii-runtime.*, the app's; jsii-kernel-*,
// the kernel's) once make has returned, and no goroutine trace, whichever
// process the signal reaches: Ctrl-C (SIGINT to the whole process group),
// SIGTERM to the app alone, or SIGTERM to make alone, as CI or kill sends
// it. That last one runs deploy: in synth, cdkrun waits for the app anyway,
// which writes to cdkrun's pipe for the CLI's errors.
func TestInterruptedMakeLeavesNoJsiiDirs(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		target string
		sig    syscall.Signal
		signal func(t *testing.T, group int) int // the pid to signal, negative for a group
	}{
		{"Ctrl-C", "synth", syscall.SIGINT, func(t *testing.T, group int) int { return -group }},
		{"SIGTERM to the app", "synth", syscall.SIGTERM, appIn},
		{"SIGTERM to make deploy", "deploy", syscall.SIGTERM, func(t *testing.T, group int) int { return group }},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tmp := t.TempDir()
			cmd, output := makeInGroup(t, checkoutCopy(t), c.target, tmp)
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			waitForKernel(t, tmp, exited, output)
			if err := syscall.Kill(c.signal(t, cmd.Process.Pid), c.sig); err != nil {
				t.Fatal(err)
			}
			var err error
			select {
			case err = <-exited:
			case <-time.After(3 * time.Minute): // only so that a hang ends
				syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				t.Fatalf("make %s still runs 3 minutes after the signal:\n%s", c.target, output())
			}
			if err == nil {
				t.Errorf("make %s succeeded after the signal:\n%s", c.target, output())
			}
			if left := jsiiEntries(t, tmp); len(left) > 0 {
				t.Errorf("left in TMPDIR when make returned: %v\n%s", left, output())
			}
			if strings.Contains(output(), "goroutine ") {
				t.Errorf("a goroutine trace:\n%s", output())
			}
		})
	}
}

// makeInGroup starts `make target` (synth or deploy) in dir in a process
// group of its own, as a shell runs a job, with TMPDIR set to tmp; it kills
// the group if the test ends first. deploy gets credentials and an endpoint
// where nothing listens: the signal comes while the CLI runs the app, before
// it deploys. The output goes to a file, as to a terminal: with a pipe, Wait
// would return only once every process that inherited it (the app too) had
// ended, not when make does.
func makeInGroup(t *testing.T, dir, target, tmp string) (cmd *exec.Cmd, output func() string) {
	t.Helper()
	_, bin := repoRoot(t)
	cmd = exec.Command("make", "--no-print-directory", target)
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(bin), "TMPDIR="+tmp)
	if target == "deploy" {
		cmd.Env = append(cmd.Env, "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_REGION=us-east-1", "AWS_ENDPOINT_URL=http://127.0.0.1:9")
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	path := filepath.Join(t.TempDir(), "output")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	return cmd, func() string { b, _ := os.ReadFile(path); return string(b) }
}

// waitForKernel returns once the app's jsii kernel has made its folder in
// tmp, and fails the test if make ends before.
func waitForKernel(t *testing.T, tmp string, exited <-chan error, output func() string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute) // only so that a hang ends
	for {
		entries, err := os.ReadDir(tmp)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), "jsii-kernel-") {
				return
			}
		}
		select {
		case err := <-exited:
			t.Fatalf("make ended (%v) before the app started its jsii kernel:\n%s", err, output())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no jsii kernel folder in TMPDIR after 3 minutes:\n%s", output())
		}
	}
}

// jsiiEntries are the names in dir that the jsii runtime gives its
// temporary folders.
func jsiiEntries(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "jsii-") {
			names = append(names, e.Name())
		}
	}
	return names
}

// appIn is the pid of the app binary (bin/cdk-classic-webtier, which the
// CLI runs) in the process group, from /proc.
func appIn(t *testing.T, group int) int {
	t.Helper()
	dirs, err := filepath.Glob("/proc/[0-9]*")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		stat, err1 := os.ReadFile(filepath.Join(d, "stat"))
		cmdline, err2 := os.ReadFile(filepath.Join(d, "cmdline"))
		if err1 != nil || err2 != nil {
			continue // ended meanwhile
		}
		// pid (comm) state ppid pgrp ...: comm may hold spaces.
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		argv0, _, _ := strings.Cut(string(cmdline), "\x00")
		if len(fields) > 2 && fields[2] == strconv.Itoa(group) && filepath.Base(argv0) == "cdk-classic-webtier" {
			pid, _ := strconv.Atoi(filepath.Base(d))
			return pid
		}
	}
	t.Fatal("no app process in the group of make")
	return 0
}

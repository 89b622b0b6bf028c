package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// nodeEnv names the node program that cdkrun, started by the app's jsii
// runtime in place of node (see withNodeLauncher), runs. The CLI takes
// variables whose names start with CDK for its options.
const nodeEnv = "WEBTIER_JSII_NODE"

// withNodeLauncher is env with the jsii runtime of the app (jsii-runtime-go
// reads JSII_NODE) starting node through this program, which launchNode
// then becomes.
func withNodeLauncher(env []string) []string {
	self, err := os.Executable()
	if err != nil {
		return env // the runtime starts node itself, as before
	}
	node := os.Getenv("JSII_NODE")
	if node == "" {
		node = "node"
	}
	return append(env, "JSII_NODE="+self, nodeEnv+"="+node)
}

// launchNode becomes node in a process group of its own; it returns only
// if it cannot. Ctrl-C signals the terminal's foreground process group.
// In it, the jsii kernel, which the runtime's node starts, has no handler
// for SIGINT and dies at once, without its exit handler that removes its
// jsii-kernel-* folder. Out of it, the kernel ends when the app closes it
// (the app catches the signal and calls jsii.Close), and cleans up.
func launchNode(node string, args []string) int {
	path, err := exec.LookPath(node)
	if err == nil {
		err = syscall.Setpgid(0, 0)
	}
	if err == nil {
		err = syscall.Exec(path, append([]string{node}, args...), os.Environ())
	}
	fmt.Fprintln(os.Stderr, "error: starting node for the jsii runtime:", err)
	return 1
}

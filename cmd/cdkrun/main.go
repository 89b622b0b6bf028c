// Command cdkrun runs the pinned aws-cdk CLI for `make synth`, `make deploy`,
// `make destroy` and `make verify`:
//
//   - ARGS (from make's environment) is split like a shell command line,
//     quotes and backslashes included, but `$` stays literal: make passes it
//     through untouched and no shell expands it a second time;
//   - one command at a time per checkout: a second `make synth` waits for the
//     first instead of both writing cdk.out;
//   - synth: a failure is shown once, without the CLI's extra
//     "<app>: Subprocess exited with error 1" line; success names the
//     templates written (deploy and destroy keep the CLI's output as it is:
//     it may ask a question on the terminal);
//   - destroy: the stack must exist where the app would deploy it (the CLI
//     prints "destroyed" for a stack that is not there, which is how a
//     region given at deploy but not at destroy goes unnoticed);
//   - deploy: first the CLI's diff against the deployed template (see
//     replacements.go): a change that replaces the fixed instances or the
//     load balancer is announced, with its cost and the alternatives, and
//     asked about; then the CLI deploys the assembly the diff wrote, with
//     its own approval prompt for security changes on;
//   - deploy and destroy: with several regions, every stack unless ARGS
//     names some (the CLI refuses to choose);
//   - verify: the app's stacks for those ARGS, synthesized as for deploy,
//     then for each the instances' health and the site's answers (see
//     verify.go); make verify's own flags (-url, -timeout, -requests,
//     -poll, -insecure) come out of ARGS first;
//   - the jsii runtime of the app starts node through cdkrun, in a process
//     group of its own, so that Ctrl-C leaves the app to end the jsii
//     kernel, which then removes its temporary folder (see node.go).
//
// Usage: go run ./cmd/cdkrun synth|deploy|destroy|verify
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/classic-webtier/cdk-classic-webtier/internal/cdkcli"
)

// outdir is where make's commands have the CLI write the assembly.
const outdir = cdkcli.OutDir

func main() {
	if node := os.Getenv(nodeEnv); node != "" {
		os.Exit(launchNode(node, os.Args[1:]))
	}
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: cdkrun synth|deploy|destroy|verify (extra CLI words in ARGS)")
		return 2
	}
	extra, err := cdkcli.Split(os.Getenv("ARGS"))
	var check verifyOptions
	if err == nil && args[0] == "verify" {
		check, extra, err = parseVerify(extra, os.Stderr)
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
	}
	if err == nil {
		err = checkOutput(extra)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		return 2
	}
	unlock, err := lockCheckout(outdir, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		return 1
	}
	var once sync.Once
	defer once.Do(unlock)
	switch args[0] {
	case "verify":
		stacks, code := synthesize(extra)
		// The wait for the instances holds no lock: only the synth writes
		// cdk.out.
		once.Do(unlock)
		if code != 0 {
			return code
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		return verifyStacks(ctx, check, stacks, os.Stdout, os.Stderr)
	case "synth":
		return synth(extra)
	case "deploy":
		project, err := cdkcli.ProjectContext(cdkcli.ProjectFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "error:", err)
			return 1
		}
		words := withAll(extra, project)
		if code := checkReplacements(words, os.Stdin, os.Stderr); code != 0 {
			return code
		}
		return cdk(cliWords("deploy", fromAssembly(words)), false)
	case "destroy":
		return destroy(extra)
	}
	fmt.Fprintf(os.Stderr, "error: %q is not synth, deploy, destroy or verify\n", args[0])
	return 2
}

// cliWords are the CLI's words for a make target. deploy keeps the CLI's
// approval prompt for security changes (its default, broadening): a user
// can still pass --require-approval never in ARGS.
func cliWords(verb string, extra []string) []string {
	words := map[string][]string{
		"synth":   {"synth", "--quiet"},
		"deploy":  {"deploy"},
		"destroy": {"destroy", "--force"},
	}[verb]
	return append(append([]string(nil), words...), extra...)
}

// checkOutput refuses -o/--output: make's commands read the assembly in
// cdk.out (the templates it names, the stacks destroy checks).
func checkOutput(words []string) error {
	for _, w := range words {
		if w == "-o" || w == "--output" || strings.HasPrefix(w, "--output=") || (strings.HasPrefix(w, "-o") && len(w) > 2 && !strings.HasPrefix(w, "--")) {
			return fmt.Errorf("ARGS has %s, but make synth/deploy/destroy work in cdk.out; run npx cdk synth -o DIR to write elsewhere", w)
		}
	}
	return nil
}

func synth(extra []string) int {
	stacks, code := synthesize(extra)
	if code != 0 {
		return code
	}
	for _, st := range stacks {
		fmt.Printf("template: %s (stack %s, %s)\n", filepath.Join(outdir, st.TemplateFile), st.Name, st.Region)
	}
	return 0
}

// synthesize runs cdk synth and lists the stacks it wrote, or returns the
// exit code of its failure.
func synthesize(extra []string) ([]cdkcli.Stack, int) {
	if code := cdk(cliWords("synth", extra), true); code != 0 {
		return nil, code
	}
	stacks, err := cdkcli.ReadManifest(outdir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		return nil, 1
	}
	return stacks, 0
}

// cdk runs the pinned CLI (node_modules/.bin, first on make's PATH) and
// returns its exit code. With quiet, the CLI's closing "Subprocess exited"
// line, which repeats that the app failed, is left out of its errors. The
// CLI gets the terminal's signals itself (one process group); this waits.
func cdk(args []string, quiet bool) int { return runCLI(args, quiet, nil) }

// runCLI is cdk, with the CLI's output (both streams) written to capture
// instead when it is not nil, without colours.
func runCLI(args []string, quiet bool, capture io.Writer) int {
	cmd := exec.Command("cdk", args...)
	cmd.Env = withNodeLauncher(os.Environ())
	cmd.Stdin, cmd.Stdout = os.Stdin, os.Stdout
	var done chan struct{}
	if capture != nil {
		cmd.Env = append(cmd.Env, "FORCE_COLOR=0")
		cmd.Stdout, cmd.Stderr = capture, capture
	} else if !quiet {
		cmd.Stderr = os.Stderr
	} else {
		r, err := cmd.StderrPipe()
		if err != nil {
			fmt.Fprintln(os.Stderr, "error:", err)
			return 1
		}
		done = make(chan struct{})
		go func() { filterStderr(r, os.Stderr); close(done) }()
	}
	// Signals for this process go to the CLI, which ends (or asks) as it
	// does on its own; this waits for it, and after a signal for what it
	// leaves running. (Ctrl-C reaches both anyway.)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(signals)
	adoptOrphans()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		return 1
	}
	stopForwarding := forwardSignals(signals, cmd.Process)
	if done != nil {
		<-done
	}
	err := cmd.Wait()
	if stopForwarding() {
		awaitOrphans(signals)
	}
	return exitCode(err)
}

// exitCode is a finished command's exit code: 130 when a signal ended it,
// 1 (the error shown) when it could not run.
func exitCode(err error) int {
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit) && exit.ExitCode() > 0:
		return exit.ExitCode()
	case errors.As(err, &exit):
		return 130 // ended by a signal
	}
	fmt.Fprintln(os.Stderr, "error:", err)
	return 1
}

// forwardSignals sends the signals that reach this process to p until the
// returned stop is called; stop reports whether any came.
func forwardSignals(signals <-chan os.Signal, p *os.Process) (stop func() bool) {
	quit, came := make(chan struct{}), make(chan bool)
	go func() {
		signalled := false
		for {
			select {
			case sig := <-signals:
				signalled = true
				p.Signal(sig)
			case <-quit:
				came <- signalled
				return
			}
		}
	}()
	return func() bool { close(quit); return <-came }
}

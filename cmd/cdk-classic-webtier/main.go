// Command cdk-classic-webtier is the CDK app: `cdk synth` / `cdk deploy` run it
// (see cdk.json). It reads the settings from cdk.json context or
// `-c key=value` and builds the stack with the classic ELB web tier, or one
// per region of the regions setting.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/classic-webtier/cdk-classic-webtier/internal/cdkcli"
	"github.com/classic-webtier/cdk-classic-webtier/internal/webtierapp"
)

func main() { os.Exit(run()) }

// run returns the exit code, so that the deferred jsii.Close runs before
// os.Exit. A signal ends it between its steps (see stop).
func run() (code int) {
	stop := catchStop()
	defer jsii.Close()
	defer stop.settle(&code)
	// The CLI passes its output directory. Whatever an earlier synth left
	// there goes first, so that a failing synth leaves no template behind.
	outdir := os.Getenv("CDK_OUTDIR")
	if outdir != "" {
		if err := cdkcli.ClearAssembly(outdir); err != nil {
			fmt.Fprintln(os.Stderr, "error:", err)
			return 1
		}
	}
	if stop.requested() {
		return stop.exitCode()
	}
	app := awscdk.NewApp(nil)
	ctx, _ := app.Node().GetAllContext(nil).(map[string]interface{})
	// The CLI sets CDK_DEFAULT_ACCOUNT when it has credentials; lookups
	// (vpcId, useDefaultVpc, domainName without hostedZoneId) need it.
	settings, err := webtierapp.Read(ctx, webtierapp.EnvironmentFrom(os.Getenv))
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		return 1
	}
	if stop.requested() {
		return stop.exitCode()
	}
	if _, err := webtierapp.NewStacks(app, settings); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		return 1
	}
	if stop.requested() {
		return stop.exitCode()
	}
	app.Synth(nil)
	// cdk-nag's errors and CloudFormation validation fail the synth in the
	// CLI, after this app has written the template: remove it now. The CLI
	// still lists the findings and exits non-zero.
	if outdir != "" {
		// Say which setting a failed check is about; the CLI then lists
		// the checks' own findings and fails.
		if err := settings.SynthProblems(outdir); err != nil {
			fmt.Fprintln(os.Stderr, "error:", err)
		}
		if _, err := cdkcli.RemoveTemplatesIfInvalid(outdir); err != nil {
			fmt.Fprintln(os.Stderr, "error:", err)
			return 1
		}
	}
	return 0
}

// stop lets SIGINT (Ctrl-C), SIGTERM and SIGHUP end the app between its
// steps, through the deferred jsii.Close, instead of at once. Killed by the
// signal, the app would skip jsii.Close, which removes the jsii runtime's
// folder (jsii-runtime.*) and has the kernel exit, and the kernel removes
// its own (jsii-kernel-*) when it exits. jsii.Close is not called from the
// signal's goroutine: with a call in flight on the main goroutine, that
// call would panic and the next would start a new kernel, and the kernel
// finishes the call in flight anyway before it reads the exit. (make
// starts the kernel out of the terminal's process group, so that Ctrl-C
// does not kill it first: see cmd/cdkrun.)
type stop struct {
	signals chan os.Signal
	sig     syscall.Signal
}

// catchStop starts catching the signals. SIGPIPE is ignored too: a reader
// of the app's output that the same Ctrl-C ended must not end the app
// before it cleans up.
func catchStop() *stop {
	s := &stop{signals: make(chan os.Signal, 1)}
	signal.Notify(s.signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	signal.Ignore(syscall.SIGPIPE)
	return s
}

// requested reports whether a signal came. Later ones change nothing: a
// second Ctrl-C does not cut the clean-up short (SIGQUIT, Ctrl-\, still
// ends the app at once).
func (s *stop) requested() bool {
	if s.sig == 0 {
		select {
		case sig := <-s.signals:
			s.sig = sig.(syscall.Signal)
		default:
		}
	}
	return s.sig != 0
}

// exitCode is the signal's, as a shell reports it: 130 for Ctrl-C.
func (s *stop) exitCode() int { return 128 + int(s.sig) }

// settle, deferred by run, gives a stopped run the signal's exit code. A
// jsii call may have failed meanwhile: when the CLI runs the app without
// make, Ctrl-C reaches the kernel too and ends it. That panic is the
// signal's, not a bug, and gets no goroutine trace.
func (s *stop) settle(code *int) {
	if s.requested() {
		recover()
		*code = s.exitCode()
	}
}

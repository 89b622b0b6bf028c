// Command cdk-classic-webtier is the CDK app: `cdk synth` / `cdk deploy` run it
// (see cdk.json). It reads the settings from cdk.json context or
// `-c key=value` and builds the stack with the classic ELB web tier, or one
// per region of the regions setting.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/classic-webtier/cdk-classic-webtier/internal/webtierapp"
)

func main() { os.Exit(run()) }

// run returns the exit code, so that the deferred jsii.Close runs before
// os.Exit.
func run() int {
	defer jsii.Close()
	// The CLI passes its output directory. Whatever an earlier synth left
	// there goes first, so that a failing synth leaves no template behind.
	outdir := os.Getenv("CDK_OUTDIR")
	if outdir != "" {
		if err := webtierapp.ClearAssembly(outdir); err != nil {
			fmt.Fprintln(os.Stderr, "error:", err)
			return 1
		}
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
	if _, err := webtierapp.NewStacks(app, settings); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		return 1
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
		if _, err := webtierapp.RemoveTemplatesIfInvalid(outdir); err != nil {
			fmt.Fprintln(os.Stderr, "error:", err)
			return 1
		}
	}
	return 0
}

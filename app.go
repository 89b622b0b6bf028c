// Command cdk-classic-webtier is the CDK app: `cdk synth` / `cdk deploy` run it
// (see cdk.json). It reads the settings from cdk.json context or
// `-c key=value` and builds one stack with the classic ELB web tier.
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
	app := awscdk.NewApp(nil)
	ctx, _ := app.Node().GetAllContext(nil).(map[string]interface{})
	settings, err := webtierapp.Read(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		return 1
	}
	// The CLI sets CDK_DEFAULT_ACCOUNT when it has credentials; lookups
	// (vpcId, useDefaultVpc, domainName without hostedZoneId) need it.
	settings.Account = os.Getenv("CDK_DEFAULT_ACCOUNT")
	if _, err := webtierapp.NewStack(app, settings); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		return 1
	}
	app.Synth(nil)
	return 0
}

// Command benchapp is the app of make bench's scale figures: the default
// app (cmd/cdk-classic-webtier) built BENCH_N times, as stacks (BENCH_MODE=stacks, the
// default: ClassicWebTier, ClassicWebTier2, ...) or in one stack
// (BENCH_MODE=one: copy k under the construct Tier<k>), as the TypeScript
// twin does with TWIN_N and TWIN_MODE. It is not the shipped app.
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/classic-webtier/cdk-classic-webtier/internal/webtierapp"
)

func main() { os.Exit(run()) }

func run() int {
	defer jsii.Close()
	n, err := strconv.Atoi(os.Getenv("BENCH_N"))
	if err != nil || n < 1 {
		n = 1
	}
	app := awscdk.NewApp(nil)
	ctx, _ := app.Node().GetAllContext(nil).(map[string]interface{})
	s, err := webtierapp.Read(ctx, webtierapp.EnvironmentFrom(os.Getenv))
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		return 1
	}
	if os.Getenv("BENCH_MODE") == "one" {
		stack, err := webtierapp.NewStack(app, s)
		if err == nil {
			for k := 2; k <= n && err == nil; k++ {
				err = webtierapp.Build(constructs.NewConstruct(stack, jsii.String(fmt.Sprintf("Tier%d", k))), s)
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "error:", err)
			return 1
		}
	} else {
		for k := 1; k <= n; k++ {
			copy := *s
			if k > 1 {
				copy.StackName = fmt.Sprintf("%s%d", s.StackName, k)
			}
			if _, err := webtierapp.NewStack(app, &copy); err != nil {
				fmt.Fprintln(os.Stderr, "error:", err)
				return 1
			}
		}
	}
	app.Synth(nil)
	return 0
}

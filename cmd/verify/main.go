// Command verify is `make verify`, the console tutorial's last step for a
// deployed stack: it waits until every instance of the stack's load
// balancer is InService (a live "1/2 InService, 45 s" line), then requests
// the site several times and prints which instance and Availability Zone
// answered each request.
//
// It finds the stack as make deploy placed it: -region (else -c
// region=..., else cdk.json's context, else AWS_REGION or
// AWS_DEFAULT_REGION, else ap-northeast-2) and -stack (else -c
// stackName=..., else cdk.json's context, else ClassicWebTier), so the
// ARGS of make deploy work unchanged: their other settings and CDK CLI
// flags are skipped, --profile is used. Credentials and endpoint come from
// the environment, as for the AWS CLI.
//
// Usage: verify [-region R] [-stack S] [-url URL] [-timeout 10m] [-requests 6] [-c key=value ...]
// (make verify also reads the words in ARGS.)
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/classic-webtier/cdk-classic-webtier/internal/cdkcli"
	"github.com/classic-webtier/cdk-classic-webtier/internal/stackenv"
	"github.com/classic-webtier/cdk-classic-webtier/internal/verify"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// options are what the command line and ARGS ask for.
type options struct {
	cfg verify.Config
	// regions are the regions setting's: verify each region's stack, or
	// with -region only that one.
	regions  []string
	profile  string
	insecure bool
}

// ownFlags are verify's flags; any other flag in ARGS is make deploy's,
// for the CDK CLI, and is skipped (with its value).
var ownFlags = map[string]bool{"region": true, "stack": true, "url": true, "timeout": true, "requests": true, "poll": true, "insecure": true}

// ownValued are verify's flags that take a value, as ARGS may spell them.
var ownValued = []string{"-region", "--region", "-stack", "--stack", "-url", "--url", "-timeout", "--timeout", "-requests", "--requests", "-poll", "--poll"}

// parse reads ARGS (as make passes make deploy's settings) and then the
// command line. From ARGS it takes -c/--context region=... and
// stackName=..., --profile, and verify's own flags, and skips the CDK
// CLI's other flags; the command line takes verify's flags and -c. Unset,
// the region and stack name come from cdk.json's context, then the
// environment and the app's defaults.
func parse(args []string, getenv func(string) string, cdkJSON []byte, stderr io.Writer) (options, error) {
	words, err := cdkcli.Split(getenv("ARGS"))
	if err != nil {
		return options{}, err
	}
	// make deploy's settings and profile, as the CLI reads them; verify's
	// own flags (one dash or two) with their values; the CLI's other words
	// skipped.
	cdk, profile := words.Settings(), words.Profile()
	var own []string
	for _, it := range words.Items(ownValued...) {
		if ownFlags[strings.TrimLeft(it.Name, "-")] {
			own = append(own, it.Words...)
		}
	}
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	region := fs.String("region", "", "region of the stack (default: -c region=..., else cdk.json's context, else AWS_REGION or AWS_DEFAULT_REGION, else "+stackenv.DefaultRegion+")")
	stack := fs.String("stack", "", "name of the stack (default: -c stackName=..., else cdk.json's context, else "+stackenv.DefaultStackName+")")
	site := fs.String("url", "", "URL to request instead of the stack's SiteUrl or LoadBalancerUrl output")
	timeout := fs.Duration("timeout", 10*time.Minute, "how long to wait for the instances to be InService and the name to resolve")
	requests := fs.Int("requests", 6, "how many times to request the site")
	poll := fs.Duration("poll", 5*time.Second, "time between two looks at the instances")
	insecure := fs.Bool("insecure", false, "accept any TLS certificate (an HTTPS load balancer's own DNS name is not the certificate's)")
	fs.Func("c", "a make deploy setting, key=value (region and stackName are read; repeatable)", func(v string) error {
		key, value, ok := strings.Cut(v, "=")
		if !ok {
			return fmt.Errorf("%q is not key=value", v)
		}
		cdk[key] = value
		return nil
	})
	if err := fs.Parse(append(own, args...)); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected %q; flags are -region, -stack, -url, -timeout, -requests, -poll, -insecure and -c key=value", fs.Arg(0))
	}
	if *requests < 1 || *timeout <= 0 || *poll <= 0 {
		return options{}, errors.New("-requests must be at least 1, -timeout and -poll above 0")
	}
	project, err := cdkcli.ParseProjectContext(cdkJSON)
	if err != nil {
		return options{}, fmt.Errorf("cdk.json: %v", err)
	}
	// A setting from -c (ARGS, then the command line), else cdk.json.
	setting := func(key string) (string, bool) {
		if v, ok := cdk[key]; ok {
			return v, true
		}
		return cdkcli.Setting(nil, project, key)
	}
	pick := func(flagValue, key, fallback string) string {
		if flagValue != "" {
			return flagValue
		}
		if v, _ := setting(key); v != "" {
			return v
		}
		return fallback
	}
	envRegion, _ := stackenv.Region(getenv)
	var regions []string
	if v, ok := setting("regions"); ok {
		regions = splitList(v)
	}
	if *region != "" && len(regions) > 0 {
		regions = []string{*region}
	}
	return options{
		regions: regions,
		cfg: verify.Config{
			Region: pick(*region, "region", envRegion), Stack: pick(*stack, "stackName", stackenv.DefaultStackName),
			URL: *site, Timeout: *timeout, Poll: *poll, Requests: *requests,
		},
		profile: profile, insecure: *insecure,
	}, nil
}

// splitList splits a comma-separated setting.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cdkJSON, _ := os.ReadFile("cdk.json")
	opts, err := parse(args, getenv, cdkJSON, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return 2
	}
	if len(opts.regions) == 0 {
		return verifyStack(ctx, opts, opts.cfg, stdout, stderr)
	}
	// Several regions behind one name: each region's stack, its site
	// requested through its own load balancer; every region is checked
	// even when one fails.
	if opts.cfg.URL != "" && len(opts.regions) > 1 {
		fmt.Fprintf(stdout, "note: -url %s is requested from every region's check as it is; without -url each region's load balancer answers for the site's name\n", opts.cfg.URL)
	}
	code := 0
	for i, region := range opts.regions {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		cfg := opts.cfg
		cfg.Region, cfg.Stack, cfg.ThroughLoadBalancer = region, stackenv.RegionalStackName(opts.cfg.Stack, region), true
		if c := verifyStack(ctx, opts, cfg, stdout, stderr); c != 0 {
			code = c
		}
	}
	return code
}

// verifyStack verifies one stack.
func verifyStack(ctx context.Context, opts options, cfg verify.Config, stdout, stderr io.Writer) int {
	cfg.Live = isTerminal(stdout)
	load := []func(*config.LoadOptions) error{config.WithRegion(cfg.Region)}
	if opts.profile != "" {
		load = append(load, config.WithSharedConfigProfile(opts.profile))
	}
	aws, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		fmt.Fprintln(stderr, "error: AWS configuration:", err)
		return 1
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	// A new connection for every request, redirects included, so that the
	// load balancer chooses an instance each time.
	transport.DisableKeepAlives = true
	if opts.insecure {
		transport.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	}
	deps := verify.Deps{
		CFN:        cloudformation.NewFromConfig(aws),
		ELB:        elasticloadbalancing.NewFromConfig(aws),
		HTTP:       &http.Client{Timeout: 10 * time.Second, Transport: transport},
		LookupHost: net.DefaultResolver.LookupHost,
		Now:        time.Now,
		Sleep: func(ctx context.Context, d time.Duration) error {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(d):
				return nil
			}
		},
	}
	if err := verify.Run(ctx, cfg, deps, stdout); err != nil {
		fmt.Fprintln(stderr, "error:", err)
		return 1
	}
	return 0
}

// isTerminal reports whether w is a terminal, where the progress line is
// rewritten in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

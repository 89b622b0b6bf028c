// Command verify is `make verify`, the console tutorial's last step for a
// deployed stack: it waits until every instance of the stack's load
// balancer is InService (a live "1/2 InService, 45 s" line), then requests
// the site several times and prints which instance and Availability Zone
// answered each request.
//
// It finds the stack as make deploy placed it: -region (else -c
// region=..., else AWS_REGION or AWS_DEFAULT_REGION, else ap-northeast-2)
// and -stack (else -c stackName=..., else ClassicWebTier), so the ARGS of
// make deploy work unchanged; other -c settings are ignored. Credentials,
// profile and endpoint come from the environment, as for the AWS CLI.
//
// Usage: verify [-region R] [-stack S] [-url URL] [-timeout 10m] [-requests 6] [-c key=value ...]
// (make verify also reads the words in ARGS.)
package main

import (
	"context"
	"crypto/tls"
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
	"github.com/kballard/go-shellquote"

	"github.com/classic-webtier/cdk-classic-webtier/internal/stackenv"
	"github.com/classic-webtier/cdk-classic-webtier/internal/verify"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// settings is the repeatable -c key=value of the CDK CLI; verify reads
// region and stackName from it.
type settings map[string]string

func (s settings) String() string { return "" }
func (s settings) Set(v string) error {
	key, value, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("%q is not key=value", v)
	}
	s[key] = value
	return nil
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if words := getenv("ARGS"); words != "" {
		split, err := shellquote.Split(words)
		if err != nil {
			fmt.Fprintf(stderr, "error: ARGS %q: %v\n", words, err)
			return 2
		}
		args = append(split, args...)
	}
	cdk := settings{}
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	region := fs.String("region", "", "region of the stack (default: -c region=..., else AWS_REGION or AWS_DEFAULT_REGION, else "+stackenv.DefaultRegion+")")
	stack := fs.String("stack", "", "name of the stack (default: -c stackName=..., else "+stackenv.DefaultStackName+")")
	site := fs.String("url", "", "URL to request instead of the stack's SiteUrl or LoadBalancerUrl output")
	timeout := fs.Duration("timeout", 10*time.Minute, "how long to wait for the instances to be InService and the name to resolve")
	requests := fs.Int("requests", 6, "how many times to request the site")
	poll := fs.Duration("poll", 5*time.Second, "time between two looks at the instances")
	insecure := fs.Bool("insecure", false, "accept any TLS certificate (an HTTPS load balancer's own DNS name is not the certificate's)")
	fs.Var(cdk, "c", "a make deploy setting, key=value (region and stackName are read; repeatable)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "error: unexpected %q; flags are -region, -stack, -url, -timeout, -requests, -poll, -insecure and -c key=value\n", fs.Arg(0))
		return 2
	}
	if *requests < 1 || *timeout <= 0 || *poll <= 0 {
		fmt.Fprintln(stderr, "error: -requests must be at least 1, -timeout and -poll above 0")
		return 2
	}
	cfg := verify.Config{Region: *region, Stack: *stack, URL: *site, Timeout: *timeout, Poll: *poll, Requests: *requests, Live: isTerminal(stdout)}
	if cfg.Region == "" {
		cfg.Region = cdk["region"]
	}
	if cfg.Region == "" {
		cfg.Region, _ = stackenv.Region(getenv)
	}
	if cfg.Stack == "" {
		cfg.Stack = cdk["stackName"]
	}
	if cfg.Stack == "" {
		cfg.Stack = stackenv.DefaultStackName
	}
	aws, err := config.LoadDefaultConfig(ctx, config.WithRegion(cfg.Region))
	if err != nil {
		fmt.Fprintln(stderr, "error: AWS configuration:", err)
		return 1
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	if *insecure {
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

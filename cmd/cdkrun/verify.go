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
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/classic-webtier/cdk-classic-webtier/internal/cdkcli"
	"github.com/classic-webtier/cdk-classic-webtier/internal/verify"
)

// make verify, the console tutorial's last step for a deployed stack: for
// each stack of the app's assembly, synthesized from the same ARGS as make
// deploy (so the region and the stack name are the app's, never derived a
// second time), it waits until every instance of the stack's load
// balancer is InService (a live "1/2 InService, 45 s" line), then requests
// the site several times and prints which instance and Availability Zone
// answered each request. Its own flags come in ARGS beside the CLI's
// words; a stack named there verifies that stack alone.

// verifyOptions are make verify's own flags.
type verifyOptions struct {
	url           string
	timeout, poll time.Duration
	requests      int
	insecure      bool
	profile       string
	stacks        []string
}

// verifyFlags are make verify's own flags, each with whether it takes a
// value; -region and -stack were, before the stacks came from the
// assembly.
var verifyFlags = map[string]bool{"url": true, "timeout": true, "requests": true, "poll": true, "insecure": false}

// verifyValued are the flags that take a value, as ARGS may spell them
// (one dash or two).
func verifyValued() []string {
	var out []string
	for name, valued := range verifyFlags {
		if valued {
			out = append(out, "-"+name, "--"+name)
		}
	}
	return out
}

// parseVerify separates make verify's flags from the CLI's words and reads
// them; the CLI's words are returned for the synth.
func parseVerify(words cdkcli.Words, stderr io.Writer) (verifyOptions, cdkcli.Words, error) {
	var own []string
	var cli cdkcli.Words
	for _, it := range words.Items(verifyValued()...) {
		name := strings.TrimLeft(it.Name, "-")
		_, isOwn := verifyFlags[name]
		switch {
		case it.Name != "" && isOwn:
			own = append(own, it.Words...)
		case it.Name != "" && (name == "region" || name == "stack"):
			return verifyOptions{}, nil, fmt.Errorf("make verify has no %s any more: it verifies the stacks the app synthesizes from ARGS, as make deploy deploys them; give it make deploy's ARGS (-c region=..., -c stackName=...), and name a stack (as for deploy) to verify that one alone", it.Name)
		default:
			cli = append(cli, it.Words...)
		}
	}
	fs := flag.NewFlagSet("make verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := verifyOptions{profile: cli.Profile(), stacks: cli.Stacks()}
	fs.StringVar(&o.url, "url", "", "URL to request instead of the stack's SiteUrl or LoadBalancerUrl output")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Minute, "how long to wait for the instances to be InService and the name to resolve")
	fs.IntVar(&o.requests, "requests", 6, "how many times to request the site")
	fs.DurationVar(&o.poll, "poll", 5*time.Second, "time between two looks at the instances")
	fs.BoolVar(&o.insecure, "insecure", false, "accept any TLS certificate (an HTTPS load balancer's own DNS name is not the certificate's)")
	if err := fs.Parse(own); err != nil {
		return verifyOptions{}, nil, err
	}
	if o.requests < 1 || o.timeout <= 0 || o.poll <= 0 {
		return verifyOptions{}, nil, errors.New("-requests must be at least 1, -timeout and -poll above 0")
	}
	return o, cli, nil
}

// verifyStacks runs make verify for the stacks of the assembly (those
// the words name, if any). Several stacks are one site in several regions:
// each is requested through its own load balancer, and every one is
// checked even when one fails.
func verifyStacks(ctx context.Context, o verifyOptions, stacks []cdkcli.Stack, stdout, stderr io.Writer) int {
	var chosen []cdkcli.Stack
	for _, st := range stacks {
		if len(o.stacks) == 0 || slices.Contains(o.stacks, st.Name) {
			chosen = append(chosen, st)
		}
	}
	if len(chosen) == 0 {
		var names []string
		for _, st := range stacks {
			names = append(names, st.Name)
		}
		fmt.Fprintf(stderr, "error: ARGS names %s, but the app's stacks are %s\n", strings.Join(o.stacks, ", "), strings.Join(names, ", "))
		return 1
	}
	if o.url != "" && len(chosen) > 1 {
		fmt.Fprintf(stdout, "note: -url %s is requested from every region's check as it is; without -url each region's load balancer answers for the site's name\n", o.url)
	}
	code := 0
	for i, st := range chosen {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		cfg := verify.Config{Region: st.Region, Stack: st.Name, URL: o.url, Timeout: o.timeout, Poll: o.poll, Requests: o.requests,
			ThroughLoadBalancer: len(stacks) > 1, Live: live(stdout)}
		if c := verifyStack(ctx, o, cfg, stdout, stderr); c != 0 {
			code = c
		}
	}
	return code
}

// verifyStack verifies one stack.
func verifyStack(ctx context.Context, o verifyOptions, cfg verify.Config, stdout, stderr io.Writer) int {
	load := []func(*config.LoadOptions) error{config.WithRegion(cfg.Region)}
	if o.profile != "" {
		load = append(load, config.WithSharedConfigProfile(o.profile))
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
	if o.insecure {
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

// live reports whether w is a terminal, where the progress line is
// rewritten in place.
func live(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminal(f)
}

// Package verify is the tutorial's last step for a deployed stack: wait
// until every instance the load balancer has is InService, then browse to
// the site several times and show which instance, in which Availability
// Zone, answered each request. make verify (cmd/cdkrun) runs it against
// AWS, for each stack of the app's assembly.
package verify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/aws/smithy-go"
)

// Config says which stack to verify and how.
type Config struct {
	// Region and Stack locate the deployed stack.
	Region, Stack string
	// URL replaces the stack's site URL (SiteUrl, else LoadBalancerUrl).
	URL string
	// Timeout bounds the whole wait: for the instances, then for DNS.
	Timeout time.Duration
	// Poll is the time between two looks at the instances or DNS.
	Poll time.Duration
	// Requests is how many times the site is requested.
	Requests int
	// Live rewrites the progress line in place (a terminal); otherwise
	// each change is a line of its own.
	Live bool
	// ThroughLoadBalancer requests the site's name (SiteUrl) through this
	// stack's own load balancer, wherever DNS sends the name: one region of
	// several behind one name. The certificate is still checked for the
	// site's name.
	ThroughLoadBalancer bool
}

// CloudFormation and ELB are the calls verify makes, as the AWS SDK's
// clients have them.
type CloudFormation interface {
	DescribeStacks(context.Context, *cloudformation.DescribeStacksInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error)
}

// ELB reads the instances' health.
type ELB interface {
	DescribeInstanceHealth(context.Context, *elasticloadbalancing.DescribeInstanceHealthInput, ...func(*elasticloadbalancing.Options)) (*elasticloadbalancing.DescribeInstanceHealthOutput, error)
}

// Deps are what Run talks to.
type Deps struct {
	CFN  CloudFormation
	ELB  ELB
	HTTP *http.Client
	// LookupHost resolves a DNS name (net.DefaultResolver.LookupHost).
	LookupHost func(ctx context.Context, host string) ([]string, error)
	// Now and Sleep are the clock (time.Now, time.Sleep in a select).
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// The default page (the construct's user data) names the instance and
// its zone.
var (
	pageInstance = regexp.MustCompile(`Hello from (i-[0-9a-f]+)`)
	pageZone     = regexp.MustCompile(`Availability Zone: ([a-z0-9-]+)`)
)

// Run verifies the stack, writing progress and results to out.
func Run(ctx context.Context, cfg Config, d Deps, out io.Writer) error {
	outputs, err := stackOutputs(ctx, cfg, d)
	if err != nil {
		return err
	}
	lb := outputs["LoadBalancerName"]
	if lb == "" {
		return fmt.Errorf("stack %s in %s has no LoadBalancerName output: it was deployed by an older version of this app; run make deploy with the same settings first", cfg.Stack, cfg.Region)
	}
	fmt.Fprintf(out, "stack %s in %s: load balancer %s\n", cfg.Stack, cfg.Region, lb)
	deadline := d.Now().Add(cfg.Timeout)
	if err := waitInService(ctx, cfg, d, out, lb, deadline); err != nil {
		return err
	}
	site := cfg.URL
	if site == "" {
		site = outputs["SiteUrl"]
	}
	if site == "" {
		site = outputs["LoadBalancerUrl"]
	}
	if site == "" {
		fmt.Fprintln(out, "no HTTP or HTTPS listener, so no page to request: the instances are InService, which is all there is to check")
		return nil
	}
	if lbHost := outputs["LoadBalancerDnsName"]; cfg.ThroughLoadBalancer && cfg.URL == "" && outputs["SiteUrl"] != "" && lbHost != "" {
		u, err := url.Parse(site)
		if err != nil {
			return fmt.Errorf("%q is not a URL", site)
		}
		if err := waitForDNS(ctx, cfg, d, out, "http://"+lbHost+"/", deadline); err != nil {
			return err
		}
		fmt.Fprintf(out, "through this region's load balancer %s:\n", lbHost)
		d.HTTP = pinned(d.HTTP, u.Hostname(), lbHost)
		return browse(ctx, cfg, d, out, site)
	}
	if err := waitForDNS(ctx, cfg, d, out, site, deadline); err != nil {
		return err
	}
	return browse(ctx, cfg, d, out, site)
}

// pinned is client with connections to host made to to instead, as curl's
// --connect-to does: the request, its Host header and the TLS server name
// stay host's.
func pinned(client *http.Client, host, to string) *http.Client {
	base, ok := client.Transport.(*http.Transport)
	if !ok || base == nil {
		base = http.DefaultTransport.(*http.Transport)
	}
	t := base.Clone()
	// Straight to the load balancer: a proxy would dial the name itself.
	t.Proxy = nil
	dial := t.DialContext
	if dial == nil {
		dial = (&net.Dialer{Timeout: 30 * time.Second}).DialContext
	}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if h, port, err := net.SplitHostPort(addr); err == nil && strings.EqualFold(h, host) {
			addr = net.JoinHostPort(to, port)
		}
		return dial(ctx, network, addr)
	}
	c := *client
	c.Transport = t
	return &c
}

// stackOutputs are the stack's outputs by key.
func stackOutputs(ctx context.Context, cfg Config, d Deps) (map[string]string, error) {
	stacks, err := d.CFN.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: &cfg.Stack})
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && strings.Contains(apiErr.ErrorMessage(), "does not exist") {
		return nil, fmt.Errorf("stack %s not found in %s: give make verify the ARGS make deploy had (-c region=..., -c stackName=..., or the same AWS_REGION): it verifies the stacks the app synthesizes from them", cfg.Stack, cfg.Region)
	}
	if err != nil && strings.Contains(err.Error(), "get credentials") {
		return nil, fmt.Errorf("no AWS credentials to look up stack %s in %s with: set AWS_PROFILE (or --profile in ARGS), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, as for make deploy (%w)", cfg.Stack, cfg.Region, err)
	}
	if err != nil {
		return nil, fmt.Errorf("looking up stack %s in %s: %w", cfg.Stack, cfg.Region, err)
	}
	if len(stacks.Stacks) == 0 {
		return nil, fmt.Errorf("stack %s not found in %s", cfg.Stack, cfg.Region)
	}
	st := stacks.Stacks[0]
	if status := string(st.StackStatus); !strings.HasSuffix(status, "_COMPLETE") || strings.Contains(status, "ROLLBACK") || strings.HasPrefix(status, "DELETE") {
		return nil, fmt.Errorf("stack %s in %s is %s, not deployed: see its events in the CloudFormation console", cfg.Stack, cfg.Region, status)
	}
	out := map[string]string{}
	for _, o := range st.Outputs {
		if o.OutputKey != nil && o.OutputValue != nil {
			out[*o.OutputKey] = *o.OutputValue
		}
	}
	return out, nil
}

// waitInService polls the load balancer until it has instances and every
// one is InService, showing how many are, and fails at the deadline with
// each other instance's state and reason.
func waitInService(ctx context.Context, cfg Config, d Deps, out io.Writer, lb string, deadline time.Time) error {
	// last is the count last shown; a live line ends with the wait.
	start, last := d.Now(), ""
	defer func() {
		if cfg.Live && last != "" {
			fmt.Fprintln(out)
		}
	}()
	for {
		health, err := d.ELB.DescribeInstanceHealth(ctx, &elasticloadbalancing.DescribeInstanceHealthInput{LoadBalancerName: &lb})
		if err != nil {
			return fmt.Errorf("reading the health of load balancer %s's instances: %w", lb, err)
		}
		states := health.InstanceStates
		in := 0
		for _, s := range states {
			if deref(s.State) == "InService" {
				in++
			}
		}
		elapsed := d.Now().Sub(start).Round(time.Second)
		line := fmt.Sprintf("%d/%d InService, %d s", in, len(states), int(elapsed.Seconds()))
		status := fmt.Sprintf("%d/%d", in, len(states))
		switch {
		case cfg.Live:
			fmt.Fprintf(out, "\r\033[K%s", line)
		case status != last:
			fmt.Fprintln(out, line)
		}
		last = status
		if len(states) > 0 && in == len(states) {
			return nil
		}
		if !d.Now().Add(cfg.Poll).Before(deadline) {
			return notInService(lb, states, cfg.Timeout)
		}
		if err := d.Sleep(ctx, cfg.Poll); err != nil {
			return err
		}
	}
}

// notInService says which instances kept the load balancer waiting, and
// why, as ELB reports it.
func notInService(lb string, states []elbtypes.InstanceState, timeout time.Duration) error {
	if len(states) == 0 {
		return fmt.Errorf("load balancer %s has no instances after %s: fixed instances register as they are created, a fleet's as its group launches them; see the Auto Scaling group's activity or the stack's events", lb, timeout)
	}
	var lines []string
	for _, s := range states {
		if deref(s.State) == "InService" {
			continue
		}
		lines = append(lines, fmt.Sprintf("  %s %s (reason %s): %s", deref(s.InstanceId), deref(s.State), deref(s.ReasonCode), deref(s.Description)))
	}
	return fmt.Errorf("not every instance of load balancer %s is InService after %s (a new one needs its boot plus healthy threshold x interval):\n%s", lb, timeout, strings.Join(lines, "\n"))
}

// waitForDNS waits until the site's host name resolves: a new load
// balancer's name takes a few minutes to appear.
func waitForDNS(ctx context.Context, cfg Config, d Deps, out io.Writer, site string, deadline time.Time) error {
	u, err := url.Parse(site)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not a URL", site)
	}
	host := u.Hostname()
	if net.ParseIP(host) != nil {
		return nil
	}
	for said := false; ; said = true {
		_, err := d.LookupHost(ctx, host)
		if err == nil {
			return nil
		}
		if !d.Now().Add(cfg.Poll).Before(deadline) {
			return fmt.Errorf("DNS name %s does not resolve yet (%v): a new load balancer's or record's name takes a few minutes to appear; run make verify again shortly", host, err)
		}
		if !said {
			fmt.Fprintf(out, "waiting for %s to resolve\n", host)
		}
		if err := d.Sleep(ctx, cfg.Poll); err != nil {
			return err
		}
	}
}

// browse requests the site, each time on a new connection, and shows which
// instance and zone answered, then how the requests spread.
func browse(ctx context.Context, cfg Config, d Deps, out io.Writer, site string) error {
	fmt.Fprintf(out, "requesting %s %d times\n", site, cfg.Requests)
	counts, zones := map[string]int{}, map[string]string{}
	answered, certFailures := 0, 0
	failed := 0
	for i := 1; i <= cfg.Requests; i++ {
		start := d.Now()
		instance, zone, status, err := get(ctx, d.HTTP, site)
		took := d.Now().Sub(start).Round(time.Millisecond)
		var certErr *tls.CertificateVerificationError
		switch {
		case errors.As(err, &certErr):
			certFailures++
			failed++
			fmt.Fprintf(out, "  %d: %v (the certificate names the site, not this host: give -url https://<the site's name>/, or -insecure)\n", i, err)
		case err != nil:
			failed++
			fmt.Fprintf(out, "  %d: %v\n", i, err)
		case status < 200 || status > 299:
			failed++
			fmt.Fprintf(out, "  %d: %d %s%s, %d ms\n", i, status, http.StatusText(status), from(instance, zone), took.Milliseconds())
		case instance == "":
			answered++
			fmt.Fprintf(out, "  %d: %d, a page without an instance id (an own UserData?), %d ms\n", i, status, took.Milliseconds())
		default:
			answered++
			counts[instance]++
			zones[instance] = zone
			fmt.Fprintf(out, "  %d: %d%s, %d ms\n", i, status, from(instance, zone), took.Milliseconds())
		}
	}
	switch {
	case certFailures == cfg.Requests:
		return fmt.Errorf("every request to %s failed on the certificate: it is issued for the site's own name; give -url https://<that name>/, or -insecure", site)
	case answered == 0:
		return fmt.Errorf("no request to %s was answered with a 2XX: a 5XX from the load balancer means no healthy instance (see above) or a full queue; no answer at all, the listeners or the load balancer's security group (AllowedPeers)", site)
	}
	if len(counts) > 0 {
		ids := make([]string, 0, len(counts))
		azs := map[string]bool{}
		for id := range counts {
			ids = append(ids, id)
			azs[zones[id]] = true
		}
		sort.Strings(ids)
		parts := make([]string, len(ids))
		for i, id := range ids {
			parts[i] = fmt.Sprintf("%s (%s) %d", id, zones[id], counts[id])
		}
		fmt.Fprintf(out, "%d of %d requests answered by %d instance(s) in %d Availability Zone(s): %s\n", answered, cfg.Requests, len(ids), len(azs), strings.Join(parts, ", "))
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d requests to %s failed (see above): some instances, or a zone, do not answer", failed, cfg.Requests, site)
	}
	return nil
}

// from is " from <instance> in <zone>" when the page names them.
func from(instance, zone string) string {
	if instance == "" {
		return ""
	}
	return fmt.Sprintf(" from %s in %s", instance, zone)
}

// get requests the page on a connection of its own, so that the load
// balancer chooses again.
func get(ctx context.Context, client *http.Client, site string) (instance, zone string, status int, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, site, nil)
	if err != nil {
		return "", "", 0, err
	}
	req.Close = true
	resp, err := client.Do(req)
	if err != nil {
		return "", "", 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", "", resp.StatusCode, err
	}
	if m := pageInstance.FindSubmatch(body); m != nil {
		instance = string(m[1])
	}
	if m := pageZone.FindSubmatch(body); m != nil {
		zone = string(m[1])
	}
	return instance, zone, resp.StatusCode, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

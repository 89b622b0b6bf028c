package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/aws/smithy-go"
)

type fakeCFN struct {
	outputs map[string]string
	status  cfntypes.StackStatus
	err     error
}

func (f fakeCFN) DescribeStacks(context.Context, *cloudformation.DescribeStacksInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	if f.err != nil {
		return nil, f.err
	}
	st := cfntypes.Stack{StackStatus: f.status}
	if st.StackStatus == "" {
		st.StackStatus = cfntypes.StackStatusCreateComplete
	}
	for k, v := range f.outputs {
		st.Outputs = append(st.Outputs, cfntypes.Output{OutputKey: aws.String(k), OutputValue: aws.String(v)})
	}
	return &cloudformation.DescribeStacksOutput{Stacks: []cfntypes.Stack{st}}, nil
}

// fakeELB answers each call with the next of its answers, the last one
// for good.
type fakeELB struct {
	answers [][]elbtypes.InstanceState
	calls   int
}

func (f *fakeELB) DescribeInstanceHealth(context.Context, *elasticloadbalancing.DescribeInstanceHealthInput, ...func(*elasticloadbalancing.Options)) (*elasticloadbalancing.DescribeInstanceHealthOutput, error) {
	i := min(f.calls, len(f.answers)-1)
	f.calls++
	return &elasticloadbalancing.DescribeInstanceHealthOutput{InstanceStates: f.answers[i]}, nil
}

func state(id, s, reason, why string) elbtypes.InstanceState {
	return elbtypes.InstanceState{InstanceId: aws.String(id), State: aws.String(s), ReasonCode: aws.String(reason), Description: aws.String(why)}
}

// clock is a fake clock that Sleep moves.
type clock struct{ now time.Time }

func (c *clock) deps(cfn CloudFormation, elb ELB, lookup func(context.Context, string) ([]string, error)) Deps {
	return Deps{
		CFN: cfn, ELB: elb, HTTP: http.DefaultClient, LookupHost: lookup,
		Now:   func() time.Time { return c.now },
		Sleep: func(_ context.Context, d time.Duration) error { c.now = c.now.Add(d); return nil },
	}
}

func resolves(context.Context, string) ([]string, error) { return []string{"192.0.2.1"}, nil }

func config() Config {
	return Config{Region: "ap-northeast-2", Stack: "ClassicWebTier", Timeout: time.Minute, Poll: 5 * time.Second, Requests: 4}
}

// pages serves the default page of two instances in turn.
func pages(t *testing.T) *httptest.Server {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1) % 2
		fmt.Fprintf(w, "<h1>Hello from i-0%d00000000000000a</h1>\n<p>Availability Zone: ap-northeast-2%c</p>", i, "ac"[i])
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestWaitsThenShowsWhoAnswered(t *testing.T) {
	srv := pages(t)
	elb := &fakeELB{answers: [][]elbtypes.InstanceState{
		nil,
		{state("i-0100000000000000a", "OutOfService", "Instance", "Instance registration is still in progress."), state("i-0000000000000000a", "InService", "N/A", "N/A")},
		{state("i-0100000000000000a", "InService", "N/A", "N/A"), state("i-0000000000000000a", "InService", "N/A", "N/A")},
	}}
	c := &clock{now: time.Unix(0, 0)}
	var out bytes.Buffer
	err := Run(context.Background(), config(), c.deps(fakeCFN{outputs: map[string]string{"LoadBalancerName": "exampleelb", "LoadBalancerUrl": srv.URL + "/"}}, elb, resolves), &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"stack ClassicWebTier in ap-northeast-2: load balancer exampleelb\n",
		"0/0 InService, 0 s\n1/2 InService, 5 s\n2/2 InService, 10 s\n",
		"requesting " + srv.URL + "/ 4 times\n",
		"from i-0000000000000000a in ap-northeast-2a",
		"from i-0100000000000000a in ap-northeast-2c",
		"4 of 4 requests answered by 2 instance(s) in 2 Availability Zone(s): i-0000000000000000a (ap-northeast-2a) 2, i-0100000000000000a (ap-northeast-2c) 2\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	// A terminal sees one line rewritten in place.
	c, out = &clock{now: time.Unix(0, 0)}, bytes.Buffer{}
	elb.calls = 1
	cfg := config()
	cfg.Live = true
	if err := Run(context.Background(), cfg, c.deps(fakeCFN{outputs: map[string]string{"LoadBalancerName": "exampleelb", "SiteUrl": srv.URL + "/"}}, elb, resolves), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "\r\033[K1/2 InService, 0 s\r\033[K2/2 InService, 5 s\n") {
		t.Errorf("live progress: %q", out.String())
	}
}

func TestSaysWhatIsWrong(t *testing.T) {
	outputs := map[string]string{"LoadBalancerName": "exampleelb", "LoadBalancerUrl": "http://exampleelb-1.ap-northeast-2.elb.amazonaws.com/"}
	inService := &fakeELB{answers: [][]elbtypes.InstanceState{{state("i-0000000000000000a", "InService", "N/A", "N/A")}}}
	for _, c := range []struct {
		name   string
		cfn    fakeCFN
		elb    *fakeELB
		lookup func(context.Context, string) ([]string, error)
		want   string
	}{
		{"no stack", fakeCFN{err: &smithy.GenericAPIError{Code: "ValidationError", Message: "Stack with id ClassicWebTier does not exist"}}, inService, resolves,
			"stack ClassicWebTier not found in ap-northeast-2: give make verify the ARGS make deploy had"},
		{"no credentials", fakeCFN{err: errors.New("operation error CloudFormation: DescribeStacks, get identity: get credentials: failed to refresh cached credentials")}, inService, resolves,
			"no AWS credentials to look up stack ClassicWebTier in ap-northeast-2 with: set AWS_PROFILE"},
		{"failed stack", fakeCFN{outputs: outputs, status: cfntypes.StackStatusRollbackComplete}, inService, resolves, "stack ClassicWebTier in ap-northeast-2 is ROLLBACK_COMPLETE, not deployed"},
		{"old stack", fakeCFN{outputs: map[string]string{}}, inService, resolves, "has no LoadBalancerName output"},
		{"out of service", fakeCFN{outputs: outputs}, &fakeELB{answers: [][]elbtypes.InstanceState{{
			state("i-0000000000000000a", "InService", "N/A", "N/A"),
			state("i-0100000000000000a", "OutOfService", "Instance", "Instance has failed at least the UnhealthyThreshold number of health checks consecutively."),
		}}}, resolves, "not every instance of load balancer exampleelb is InService after 1m0s (a new one needs its boot plus healthy threshold x interval):\n  i-0100000000000000a OutOfService (reason Instance): Instance has failed at least the UnhealthyThreshold number of health checks consecutively."},
		{"no instances", fakeCFN{outputs: outputs}, &fakeELB{answers: [][]elbtypes.InstanceState{nil}}, resolves, "load balancer exampleelb has no instances after 1m0s"},
		{"no DNS", fakeCFN{outputs: outputs}, inService, func(context.Context, string) ([]string, error) { return nil, errors.New("no such host") },
			"DNS name exampleelb-1.ap-northeast-2.elb.amazonaws.com does not resolve yet (no such host)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			clk := &clock{now: time.Unix(0, 0)}
			var out bytes.Buffer
			err := Run(context.Background(), config(), clk.deps(c.cfn, c.elb, c.lookup), &out)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("want ...%s...\n got %v", c.want, err)
			}
			// The waits end at the timeout, not before or much after.
			if waited := clk.now.Sub(time.Unix(0, 0)); waited > time.Minute {
				t.Errorf("waited %s past the minute's timeout", waited)
			}
		})
	}
	// No HTTP listener: the instances are all there is.
	clk := &clock{now: time.Unix(0, 0)}
	var out bytes.Buffer
	if err := Run(context.Background(), config(), clk.deps(fakeCFN{outputs: map[string]string{"LoadBalancerName": "tcp"}}, inService, resolves), &out); err != nil || !strings.Contains(out.String(), "no HTTP or HTTPS listener") {
		t.Errorf("TCP only: %v\n%s", err, out.String())
	}
	// 5XX answers are failures, not answers; one failing request of four
	// fails the verification.
	var n atomic.Int32
	flaky := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 2 {
			http.Error(w, "no healthy instance", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "<h1>Hello from i-0000000000000000a</h1>\n<p>Availability Zone: ap-northeast-2a</p>")
	}))
	defer flaky.Close()
	out.Reset()
	err := Run(context.Background(), config(), clk.deps(fakeCFN{outputs: map[string]string{"LoadBalancerName": "x", "LoadBalancerUrl": flaky.URL}}, inService, resolves), &out)
	if err == nil || !strings.Contains(err.Error(), "1 of 4 requests to "+flaky.URL+" failed") || !strings.Contains(out.String(), "  2: 503 Service Unavailable, ") {
		t.Errorf("one 503 of four: %v\n%s", err, out.String())
	}
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no healthy instance", http.StatusServiceUnavailable)
	}))
	defer down.Close()
	err = Run(context.Background(), config(), clk.deps(fakeCFN{outputs: map[string]string{"LoadBalancerName": "x", "LoadBalancerUrl": down.URL}}, inService, resolves), &out)
	if err == nil || !strings.Contains(err.Error(), "no request to "+down.URL+" was answered with a 2XX") {
		t.Errorf("only 503s: %v", err)
	}
	// A certificate for another name: said once, with what to do.
	tlsSite := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsSite.Close()
	err = Run(context.Background(), config(), clk.deps(fakeCFN{outputs: map[string]string{"LoadBalancerName": "x", "LoadBalancerUrl": tlsSite.URL}}, inService, resolves), &out)
	if err == nil || !strings.Contains(err.Error(), "failed on the certificate: it is issued for the site's own name; give -url https://<that name>/, or -insecure") {
		t.Errorf("certificate of another name: %v", err)
	}
	// Nothing answers.
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	err = Run(context.Background(), config(), clk.deps(fakeCFN{outputs: map[string]string{"LoadBalancerName": "x", "LoadBalancerUrl": srv.URL}}, inService, resolves), &out)
	if err == nil || !strings.Contains(err.Error(), "no request to "+srv.URL+" was answered") {
		t.Errorf("closed server: %v", err)
	}
}

// TestThroughTheRegionsLoadBalancer: with several regions, the site's name
// is requested through the stack's own load balancer, whatever the name
// resolves to; the request keeps the site's name.
func TestThroughTheRegionsLoadBalancer(t *testing.T) {
	var hosts []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hosts = append(hosts, r.Host)
		fmt.Fprint(w, "<h1>Hello from i-0000000000000000a</h1>\n<p>Availability Zone: ap-northeast-1a</p>")
	}))
	t.Cleanup(srv.Close)
	_, port, _ := strings.Cut(strings.TrimPrefix(srv.URL, "http://"), ":")
	unresolved := func(_ context.Context, host string) ([]string, error) {
		if host == "127.0.0.1" {
			return []string{host}, nil
		}
		return nil, errors.New("no such host")
	}
	cfg := config()
	cfg.ThroughLoadBalancer, cfg.Requests = true, 2
	c := &clock{now: time.Unix(0, 0)}
	var out bytes.Buffer
	outputs := map[string]string{"LoadBalancerName": "exampleelb", "LoadBalancerDnsName": "127.0.0.1", "SiteUrl": "http://www.example.org:" + port + "/"}
	elb := &fakeELB{answers: [][]elbtypes.InstanceState{{state("i-0000000000000000a", "InService", "N/A", "N/A")}}}
	deps := c.deps(fakeCFN{outputs: outputs}, elb, unresolved)
	// A proxy in the environment would dial the site's name itself.
	proxy, _ := url.Parse("http://127.0.0.1:1")
	deps.HTTP = &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxy)}}
	if err := Run(context.Background(), cfg, deps, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if len(hosts) != 2 || hosts[0] != "www.example.org:"+port || !strings.Contains(out.String(), "through this region's load balancer 127.0.0.1:") {
		t.Errorf("hosts %q, output:\n%s", hosts, out.String())
	}
	// Without it, the site's name must resolve.
	cfg.ThroughLoadBalancer, c, out = false, &clock{now: time.Unix(0, 0)}, bytes.Buffer{}
	if err := Run(context.Background(), cfg, c.deps(fakeCFN{outputs: outputs}, elb, unresolved), &out); err == nil || !strings.Contains(err.Error(), "www.example.org does not resolve") {
		t.Errorf("want the name not resolving, got %v", err)
	}
}

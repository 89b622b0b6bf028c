//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/route53"
)

// TestDeployTwoRegions deploys one name in two regions with failover
// routing through make deploy (which adds --all), checks that the zone
// holds each region's record with its routing fields and that the
// primary follows a health check of its load balancer, runs make verify
// over both regions, and destroys both stacks through make destroy.
//
// What moto (5.2.5) cannot show: Route 53 answering by latency or
// failover (it stores the records without resolving them), and a routing
// change on deployed stacks (its CloudFormation update of a record
// deletes every record of the name, the other region's too).
func TestDeployTwoRegions(t *testing.T) {
	root, _ := filepath.Abs("..")
	ctx := context.Background()
	regions := []string{"ap-northeast-2", "us-west-2"}
	c := newClients()
	w := newWorkspace(t, root, moto)
	const zoneName = "example.net"
	zone, err := c.r53.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String(zoneName), CallerReference: aws.String("e2e-regions")})
	if err != nil {
		t.Fatal(err)
	}
	zoneID := strings.TrimPrefix(aws.ToString(zone.HostedZone.Id), "/hostedzone/")
	w.bootstrap(t, regions...)

	settings := fmt.Sprintf("-c regions=%s -c routing=failover -c domainName=%s -c hostedZoneId=%s -c recordName=www", strings.Join(regions, ","), zoneName, zoneID)
	if out, err := w.cdkrun(t, "deploy", "--require-approval never --method=direct "+settings); err != nil {
		t.Fatalf("make deploy: %v\n%s", err, tail(out, 60))
	}

	lbDNS := map[string]string{}
	for _, r := range regions {
		rc := clientsIn(r)
		name := "ClassicWebTier-" + r
		stacks, err := rc.cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
		if err != nil || len(stacks.Stacks) != 1 || stacks.Stacks[0].StackStatus != "CREATE_COMPLETE" {
			t.Fatalf("stack %s in %s: %+v %v", name, r, stacks, err)
		}
		lbs := stackResources(ctx, t, rc, name)["AWS::ElasticLoadBalancing::LoadBalancer"]
		if len(lbs) != 1 {
			t.Fatalf("%s: load balancers %v", r, lbs)
		}
		lb := describeLB(ctx, t, rc, lbs[0])
		lbDNS[r] = strings.ToLower(aws.ToString(lb.DNSName))
		if n := len(registered(ctx, t, rc, lbs[0])); n != 2 {
			t.Errorf("%s: %d instances registered, want 2", r, n)
		}
	}

	sets, err := c.r53.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(zoneID)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rs := range sets.ResourceRecordSets {
		if rs.Type != "A" {
			continue
		}
		if rs.AliasTarget == nil {
			t.Errorf("record %s is not an alias", aws.ToString(rs.Name))
			continue
		}
		id := aws.ToString(rs.SetIdentifier)
		target := strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(aws.ToString(rs.AliasTarget.DNSName)), "dualstack."), ".")
		if target != lbDNS[id] || !rs.AliasTarget.EvaluateTargetHealth {
			t.Errorf("record %s: alias %s (health %v), want %s of %s", id, target, rs.AliasTarget.EvaluateTargetHealth, lbDNS[id], id)
		}
		check := aws.ToString(rs.HealthCheckId)
		if check != "" {
			hc, err := c.r53.GetHealthCheck(ctx, &route53.GetHealthCheckInput{HealthCheckId: aws.String(check)})
			if err != nil {
				t.Errorf("record %s's health check %s: %v", id, check, err)
			} else if cfg := hc.HealthCheck.HealthCheckConfig; strings.ToLower(aws.ToString(cfg.FullyQualifiedDomainName)) != lbDNS[id] || cfg.Type != "HTTP" || aws.ToString(cfg.ResourcePath) != "/index.html" {
				t.Errorf("record %s's health check asks %s %s%s, want HTTP %s/index.html", id, cfg.Type, aws.ToString(cfg.FullyQualifiedDomainName), aws.ToString(cfg.ResourcePath), lbDNS[id])
			}
			check = "checked"
		}
		got = append(got, fmt.Sprintf("%s %s %s %s", strings.TrimSuffix(aws.ToString(rs.Name), "."), id, rs.Failover, check))
	}
	sort.Strings(got)
	want := []string{"www.example.net ap-northeast-2 PRIMARY checked", "www.example.net us-west-2 SECONDARY "}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("the zone's A records:\n got %q\nwant %q", got, want)
	}

	// make verify finds both stacks from make deploy's ARGS (here with a
	// local page for the site, which moto's instances do not serve).
	site := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		fmt.Fprint(rw, "<h1>Hello from i-0123456789abcdef0</h1>\n<p>Availability Zone: ap-northeast-2a</p>")
	}))
	defer site.Close()
	stdout, stderr, err := w.verify(t, settings+" -url "+site.URL+"/ -requests 2 -poll 100ms -timeout 30s")
	if err != nil {
		t.Errorf("make verify: %v\n%s%s", err, stdout, stderr)
	}
	for _, r := range regions {
		if !strings.Contains(stdout, "stack ClassicWebTier-"+r+" in "+r+": load balancer ") {
			t.Errorf("make verify did not check %s:\n%s", r, stdout)
		}
	}

	for _, r := range regions {
		removeRouteTables(ctx, t, clientsIn(r), "ClassicWebTier-"+r)
	}
	if out, err := w.cdkrun(t, "destroy", settings); err != nil {
		t.Fatalf("make destroy: %v\n%s", err, tail(out, 40))
	}
	for _, r := range regions {
		stacks, err := clientsIn(r).cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("ClassicWebTier-" + r)})
		if err == nil && len(stacks.Stacks) > 0 && stacks.Stacks[0].StackStatus != "DELETE_COMPLETE" {
			t.Errorf("stack in %s is %s after make destroy", r, stacks.Stacks[0].StackStatus)
		}
	}
	sets, err = c.r53.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(zoneID)})
	if err != nil {
		t.Fatal(err)
	}
	for _, rs := range sets.ResourceRecordSets {
		if rs.Type == "A" {
			t.Errorf("record %s %s left after destroy", aws.ToString(rs.Name), aws.ToString(rs.SetIdentifier))
		}
	}
	checks, err := c.r53.ListHealthChecks(ctx, &route53.ListHealthChecksInput{})
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case motoDeletesHealthChecks(t) && len(checks.HealthChecks) != 0:
		t.Errorf("%d health checks left after destroy", len(checks.HealthChecks))
	case !motoDeletesHealthChecks(t):
		// A moto gap: its CloudFormation creates AWS::Route53::HealthCheck
		// but has no delete for it; CloudFormation deletes it with the stack.
		t.Logf("moto: %d health check(s) left after destroy (no CloudFormation delete for AWS::Route53::HealthCheck); removing them", len(checks.HealthChecks))
		for _, hc := range checks.HealthChecks {
			if _, err := c.r53.DeleteHealthCheck(ctx, &route53.DeleteHealthCheckInput{HealthCheckId: hc.Id}); err != nil {
				t.Error(err)
			}
		}
	}
}

// motoDeletesHealthChecks reports whether moto's CloudFormation deletes an
// AWS::Route53::HealthCheck with its stack (5.2.5 does not).
func motoDeletesHealthChecks(t *testing.T) bool {
	return askMoto(t, "from moto.route53.models import HealthCheck as h; print('delete_from_cloudformation_json' in vars(h))") == "True"
}

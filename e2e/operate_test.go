//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// TestMotoCannotCreateAlarms says why the deploy test does not look for
// the alarms: moto's CloudFormation skips AWS::CloudWatch::Alarm (the
// template tests check every alarm). When moto learns it, this fails:
// check the alarms in checkOperated.
func TestMotoCannotCreateAlarms(t *testing.T) {
	if got := motoClassOf(t, "AWS::CloudWatch::Alarm"); got != "None" {
		t.Errorf("moto now creates AWS::CloudWatch::Alarm (%s): check the deployed alarms in checkOperated", got)
	}
}

// checkOperated: the default stack's dashboard exists, and make verify
// finds the stack, sees its instances InService through moto, and shows
// which instance and zone answered each request. Moto serves no web page,
// so the requests go (-url) to a local server that answers with the
// deployed instances' own default page, in turn.
func checkOperated(ctx context.Context, t *testing.T, c clients, w *workspace) {
	t.Helper()
	dashboards := stackResources(ctx, t, c, stackName)["AWS::CloudWatch::Dashboard"]
	if len(dashboards) != 1 {
		t.Fatalf("want one dashboard in the stack, got %v", dashboards)
	}
	// boto3 (moto's own dependency) reads it: the Go SDK's CloudWatch
	// client speaks a protocol (Smithy RPC v2 CBOR) moto 5.2.5 does not.
	out := askMoto(t, `import sys, boto3
c = boto3.client("cloudwatch", endpoint_url=sys.argv[1], region_name=sys.argv[2], aws_access_key_id="testing", aws_secret_access_key="testing")
print(c.get_dashboard(DashboardName=sys.argv[3])["DashboardBody"])`, moto.url("127.0.0.1"), region, dashboards[0])
	for _, want := range []string{"Requests per minute", "HealthyHostCount", "SurgeQueueLength", "CPUUtilization", ":alarm:ClassicWebTier-WebTier-UnhealthyHosts"} {
		if !strings.Contains(out, want) {
			t.Errorf("the deployed dashboard lacks %s", want)
		}
	}
	if url := stackOutputs(ctx, t, c)["DashboardUrl"]; !strings.HasSuffix(url, "#dashboards/dashboard/"+dashboards[0]) {
		t.Errorf("DashboardUrl %q does not name the dashboard %s", url, dashboards[0])
	}

	ids := registered(ctx, t, c, lbName)
	pages := make([]string, len(ids))
	zones := map[string]bool{}
	for i, id := range ids {
		out, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
		if err != nil {
			t.Fatal(err)
		}
		zone := aws.ToString(out.Reservations[0].Instances[0].Placement.AvailabilityZone)
		zones[zone] = true
		pages[i] = fmt.Sprintf("<h1>Hello from %s</h1>\n<p>Availability Zone: %s</p>", id, zone)
	}
	var n atomic.Int32
	site := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		fmt.Fprint(rw, pages[int(n.Add(1)-1)%len(pages)])
	}))
	defer site.Close()

	stdout, stderr, err := w.verify(t, "-url "+site.URL+"/ -requests 4 -poll 100ms -timeout 30s")
	if err != nil {
		t.Fatalf("make verify: %v\n%s%s", err, stdout, stderr)
	}
	for _, want := range []string{
		"stack ClassicWebTier in " + region + ": load balancer " + lbName + "\n",
		fmt.Sprintf("%d/%d InService", len(ids), len(ids)),
		"requesting " + site.URL + "/ 4 times\n",
		fmt.Sprintf("4 of 4 requests answered by %d instance(s) in %d Availability Zone(s): ", len(ids), len(zones)),
		"  1: 200 from " + ids[0],
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("make verify's output lacks %q:\n%s", want, stdout)
		}
	}
	// Where the stack is not: the region it looked in, and what to do.
	_, stderr, err = w.verify(t, "-c region=us-east-1 -timeout 5s")
	if err == nil || !strings.Contains(stderr, "error: stack ClassicWebTier not found in us-east-1: give make verify the ARGS make deploy had") {
		t.Errorf("make verify in another region: %v\n%s", err, stderr)
	}
}

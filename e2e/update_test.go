//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/kballard/go-shellquote"
)

// checkUpdates changes the deployed default stack step by step, each step
// keeping the settings before it, as a user editing cdk.json would, and
// checks through the APIs that each change took effect. It returns the
// last step's settings.
//
// moto (5.2.5) updates a classic load balancer by deleting and recreating
// it, so it cannot show which changes CloudFormation makes in place; the
// template tests (TestUpdatesThatInstancesCannotPickUpReplaceThem) and the
// README's update table cover that. Instances it does keep or replace by
// logical ID, as CloudFormation does, so those steps are checked here.
func checkUpdates(ctx context.Context, t *testing.T, c clients, w *workspace) []string {
	t.Helper()
	// Through make deploy (cdkrun), which reads the CLI's diff first and
	// announces a change that takes the site down: its output.
	deploy := func(args []string) string {
		// --previous-parameters=false: on an update the CLI asks to keep the
		// previous value of each template parameter (UsePreviousValue),
		// which moto (5.2.5) looks up among the values given at create and
		// fails on (KeyError, HTTP 500) for the AMI's SSM parameter, which
		// has a default. Every parameter here has a default, so real
		// CloudFormation does the same either way.
		words := append([]string{"--require-approval", "never", "--method=direct", "--previous-parameters=false"}, args...)
		out, err := w.cdkrun(t, "deploy", shellquote.Join(words...))
		if err != nil {
			t.Fatalf("make deploy %q: %v\n%s", words, err, tail(out, 60))
		}
		stacks, err := c.cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stackName)})
		if err != nil || len(stacks.Stacks) != 1 || stacks.Stacks[0].StackStatus != "UPDATE_COMPLETE" {
			t.Fatalf("stack after update: %+v %v", stacks, err)
		}
		return out
	}
	// announced checks that the deploy's output has the warning with each
	// of want before the CLI began to deploy, or, with no want, none.
	const warning = "Warning: this deploy takes stack " + stackName + "'s site down."
	announced := func(step, out string, want ...string) {
		t.Helper()
		at, deploying := strings.Index(out, warning), strings.Index(out, stackName+": deploying")
		switch {
		case len(want) == 0 && at >= 0:
			t.Errorf("%s: a change that replaces nothing was announced:\n%s", step, tail(out, 40))
		case len(want) == 0:
		case at < 0 || deploying < at:
			t.Errorf("%s: want the warning before %q in:\n%s", step, stackName+": deploying", tail(out, 60))
		default:
			for _, wnt := range want {
				if !strings.Contains(out[at:deploying], wnt) {
					t.Errorf("%s: the warning lacks %q:\n%s", step, wnt, out[at:deploying])
				}
			}
		}
	}
	logicalIDs := func(physical []string) []string {
		res, err := c.cfn.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(stackName)})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range res.StackResources {
			if contains(physical, aws.ToString(r.PhysicalResourceId)) {
				out = append(out, aws.ToString(r.PhysicalResourceId)+", "+aws.ToString(r.LogicalResourceId))
			}
		}
		return out
	}
	before := registered(ctx, t, c, lbName)

	// 1. Health check interval and thresholds: the load balancer alone.
	args := []string{"-c", "healthCheckInterval=10", "-c", "healthyThreshold=3", "-c", "unhealthyThreshold=4"}
	announced("health check", deploy(args))
	lb := describeLB(ctx, t, c, lbName)
	if got := healthCheck(lb); got != "HTTP:80/index.html 5 10 4 3" {
		t.Errorf("health check after update: %s", got)
	}
	if got := registered(ctx, t, c, lbName); strings.Join(got, ",") != strings.Join(before, ",") {
		t.Errorf("a health check change replaced the instances: %v -> %v", before, got)
	}

	// 2. instanceCount 2 -> 3: one more instance, the two others kept.
	args = append(args, "-c", "instanceCount=3")
	announced("instanceCount=3", deploy(args))
	three := registered(ctx, t, c, lbName)
	if len(three) != 3 || !containsAll(three, before) {
		t.Errorf("after instanceCount=3: registered %v, before %v", three, before)
	}

	// 3. An added listener (TCP 8443): the instances must serve the new
	// port, which only a new first boot does, so all of them are replaced.
	args = append(args, "-c", `listeners=[{"protocol":"HTTP","port":80},{"protocol":"TCP","port":8443}]`)
	// Not asked without a terminal unless told: refused, nothing deployed.
	refused, err := w.cdkrun(t, "deploy", shellquote.Join(append([]string{"--method=direct", "--previous-parameters=false"}, args...)...))
	if err == nil || !strings.Contains(refused, "no terminal to ask on") || !strings.Contains(refused, warning) {
		t.Errorf("a replacing deploy without a terminal nor --require-approval never: %v\n%s", err, tail(refused, 40))
	}
	if got := registered(ctx, t, c, lbName); strings.Join(got, ",") != strings.Join(three, ",") {
		t.Errorf("the refused deploy changed the instances: %v -> %v", three, got)
	}
	// Each old instance by its ID and logical ID; 120 s of boot and 3
	// pings 10 s apart.
	announced("new listener", deploy(args), append(logicalIDs(three), "replaces every fixed instance at once", "about 2.5 minutes (150 s)", "autoScaling=true", "stackName=")...)
	lb = describeLB(ctx, t, c, lbName)
	if got := listeners(lb); got != "HTTP 80 -> HTTP 80, TCP 8443 -> TCP 8443" {
		t.Errorf("listeners after update: %s", got)
	}
	replaced := registered(ctx, t, c, lbName)
	if len(replaced) != 3 {
		t.Errorf("after the new listener: registered %v", replaced)
	}
	for _, id := range replaced {
		if contains(three, id) {
			t.Errorf("instance %s kept its user data without port 8443", id)
		}
	}

	// 4. A renamed load balancer: a new one under the new name, the old
	// name gone (a replacement CloudFormation allows, as the name changes).
	args = append(args, "-c", "loadBalancerName=webelb")
	announced("renamed load balancer", deploy(args), "It replaces the load balancer WebTier (", "the name moves to a new load balancer DNS name")
	if got := listeners(describeLB(ctx, t, c, "webelb")); got != "HTTP 80 -> HTTP 80, TCP 8443 -> TCP 8443" {
		t.Errorf("renamed load balancer's listeners: %s", got)
	}
	if got := registered(ctx, t, c, "webelb"); strings.Join(got, ",") != strings.Join(replaced, ",") {
		t.Errorf("renamed load balancer's instances %v, want %v", got, replaced)
	}
	if _, err := c.elb.DescribeLoadBalancers(ctx, &elasticloadbalancing.DescribeLoadBalancersInput{LoadBalancerNames: []string{lbName}}); err == nil {
		t.Errorf("%s still exists after the rename", lbName)
	}
	return args
}

// checkSecondStack: stackName deploys a second copy beside the first in the
// same account and region; its load balancer, without a name of its own,
// does not collide with the first one's. Then make destroy removes that
// copy alone.
func checkSecondStack(ctx context.Context, t *testing.T, c clients, w *workspace) {
	t.Helper()
	const second = "WebStaging"
	w.cdk(t, "deploy", "--require-approval", "never", "--method=direct", "-c", "stackName="+second)
	stacks, err := c.cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(second)})
	if err != nil || len(stacks.Stacks) != 1 || stacks.Stacks[0].StackStatus != "CREATE_COMPLETE" {
		t.Fatalf("second stack: %+v %v", stacks, err)
	}
	lbs := stackResources(ctx, t, c, second)["AWS::ElasticLoadBalancing::LoadBalancer"]
	if len(lbs) != 1 || lbs[0] == lbName || lbs[0] == "webelb" {
		t.Errorf("the second stack's load balancer: %v", lbs)
	}
	removeRouteTables(ctx, t, c, second)
	if out, err := w.cdkrun(t, "destroy", "-c stackName="+second); err != nil {
		t.Fatalf("make destroy of the second stack: %v\n%s", err, tail(out, 40))
	}
	if _, err := c.cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stackName)}); err != nil {
		t.Errorf("destroying the second stack touched the first: %v", err)
	}
}

// checkMakeDestroy: make destroy refuses a region where the stack is not
// (the CLI alone prints "destroyed" for it), then destroys it where it is.
func checkMakeDestroy(ctx context.Context, t *testing.T, c clients, w *workspace, args []string) {
	t.Helper()
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = "'" + a + "'"
	}
	settings := strings.Join(quoted, " ")
	out, err := w.cdkrun(t, "destroy", settings+" -c region=us-east-1")
	if err == nil || !strings.Contains(out, "error: stack ClassicWebTier does not exist in us-east-1, so there is nothing to destroy there") {
		t.Fatalf("make destroy in the wrong region: %v\n%s", err, tail(out, 20))
	}
	if _, err := c.cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stackName)}); err != nil {
		t.Fatalf("the stack is gone after a refused destroy: %v", err)
	}
	removeRouteTables(ctx, t, c, stackName)
	if out, err := w.cdkrun(t, "destroy", settings); err != nil {
		t.Fatalf("make destroy: %v\n%s", err, tail(out, 40))
	}
}

// checkRetainedBucket: cdk destroy keeps the log bucket (RETAIN), and it
// goes away as the README says: every object version, then the bucket.
func checkRetainedBucket(ctx context.Context, t *testing.T, c clients, bucket string) {
	t.Helper()
	if bucket == "" {
		t.Fatal("no AccessLogBucketName output")
	}
	if _, err := c.s3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("the retained log bucket %s is gone: %v", bucket, err)
	}
	// The README's removal, through the same API calls as its AWS CLI
	// commands (list-object-versions, delete-objects, delete-bucket).
	versions, err := c.s3.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatal(err)
	}
	var ids []s3types.ObjectIdentifier
	for _, v := range versions.Versions {
		ids = append(ids, s3types.ObjectIdentifier{Key: v.Key, VersionId: v.VersionId})
	}
	for _, m := range versions.DeleteMarkers {
		ids = append(ids, s3types.ObjectIdentifier{Key: m.Key, VersionId: m.VersionId})
	}
	if len(ids) > 0 {
		if _, err := c.s3.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket), Delete: &s3types.Delete{Objects: ids}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.s3.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Errorf("delete the emptied bucket: %v", err)
	}
}

func stackOutputs(ctx context.Context, t *testing.T, c clients) map[string]string {
	t.Helper()
	stacks, err := c.cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stackName)})
	if err != nil || len(stacks.Stacks) != 1 {
		t.Fatalf("describe stack: %v", err)
	}
	out := map[string]string{}
	for _, o := range stacks.Stacks[0].Outputs {
		out[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	return out
}

func describeLB(ctx context.Context, t *testing.T, c clients, name string) elbtypes.LoadBalancerDescription {
	t.Helper()
	lbs, err := c.elb.DescribeLoadBalancers(ctx, &elasticloadbalancing.DescribeLoadBalancersInput{LoadBalancerNames: []string{name}})
	if err != nil || len(lbs.LoadBalancerDescriptions) != 1 {
		t.Fatalf("load balancer %s: %v", name, err)
	}
	return lbs.LoadBalancerDescriptions[0]
}

// registered are the instance ids registered with a load balancer, sorted.
func registered(ctx context.Context, t *testing.T, c clients, name string) []string {
	t.Helper()
	var ids []string
	for _, i := range describeLB(ctx, t, c, name).Instances {
		ids = append(ids, aws.ToString(i.InstanceId))
	}
	sort.Strings(ids)
	return ids
}

func healthCheck(lb elbtypes.LoadBalancerDescription) string {
	hc := lb.HealthCheck
	return fmt.Sprintf("%s %d %d %d %d", aws.ToString(hc.Target), aws.ToInt32(hc.Timeout), aws.ToInt32(hc.Interval), aws.ToInt32(hc.UnhealthyThreshold), aws.ToInt32(hc.HealthyThreshold))
}

func listeners(lb elbtypes.LoadBalancerDescription) string {
	var out []string
	for _, d := range lb.ListenerDescriptions {
		l := d.Listener
		out = append(out, fmt.Sprintf("%s %d -> %s %d", aws.ToString(l.Protocol), l.LoadBalancerPort, aws.ToString(l.InstanceProtocol), aws.ToInt32(l.InstancePort)))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsAll(list, want []string) bool {
	for _, w := range want {
		if !contains(list, w) {
			return false
		}
	}
	return true
}

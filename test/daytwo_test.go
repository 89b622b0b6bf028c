package test

import (
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// instanceIDs are the template's instance logical IDs, sorted.
func instanceIDs(t *testing.T, s synthesized) []string {
	t.Helper()
	var ids []string
	for id := range resources(t, s.template, instType) {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// TestUpdatesThatInstancesCannotPickUpReplaceThem: what CloudFormation does
// with each setting change on a deployed stack, as far as the template
// decides it. A new instance port or listener changes the user data, which
// cloud-init never runs again: the instances get new logical IDs (replaced).
// Health check changes reach the load balancer alone, and a third instance
// leaves the first two alone.
func TestUpdatesThatInstancesCannotPickUpReplaceThem(t *testing.T) {
	base := instanceIDs(t, synth(t, map[string]interface{}{}, ""))
	same := func(name string, settings map[string]interface{}) {
		if got := instanceIDs(t, synth(t, settings, "")); strings.Join(got[:2], ",") != strings.Join(base, ",") {
			t.Errorf("%s replaces the instances: %v -> %v", name, base, got)
		}
	}
	replaced := func(name string, settings map[string]interface{}) {
		got := instanceIDs(t, synth(t, settings, ""))
		for i := range base {
			if got[i] == base[i] {
				t.Errorf("%s keeps %s, which would never serve the change", name, base[i])
			}
		}
	}
	same("health check interval and thresholds", map[string]interface{}{"healthCheckInterval": "10", "healthyThreshold": "3", "unhealthyThreshold": "3"})
	same("a third instance", map[string]interface{}{"instanceCount": "3"})
	same("a renamed load balancer", map[string]interface{}{"loadBalancerName": "webelb"})
	replaced("instance port 8080", map[string]interface{}{"instancePort": "8080"})
	replaced("a new listener port", map[string]interface{}{"listeners": `[{"protocol":"HTTP","port":80},{"protocol":"TCP","port":8443}]`})
	// The page server must answer a health check path that is no page:
	// the path is in the user data then. /index.html with a query string
	// is the same page to python3 -m http.server.
	same("a query string on /index.html", map[string]interface{}{"healthCheckPath": "/index.html?from=elb"})
	replaced("a health check path that is no page", map[string]interface{}{"healthCheckPath": "/healthz"})
}

// TestRegionAndStackName: the stack deploys where the settings say, several
// copies fit one account and region, and a certificate of another region
// is refused.
func TestRegionAndStackName(t *testing.T) {
	s := synth(t, map[string]interface{}{"region": "eu-west-1", "stackName": "WebStaging"}, "")
	if got := *s.stack.Region(); got != "eu-west-1" {
		t.Errorf("region %s", got)
	}
	if got := *s.stack.StackName(); got != "WebStaging" {
		t.Errorf("stack name %s", got)
	}
	// Without a name of its own, CloudFormation names the load balancer, so
	// a second copy cannot collide with the first one's exampleelb.
	_, lb := only(t, s.template, lbType)
	if name, ok := props(lb)["LoadBalancerName"]; ok {
		t.Errorf("a second stack still names its load balancer %v", name)
	}
	// eu-west-1 delivers logs from its own ELB account.
	_, policy := only(t, s.template, "AWS::S3::BucketPolicy")
	if doc := describe(props(policy)); !strings.Contains(doc, "156460612806") {
		t.Errorf("log delivery is not eu-west-1's ELB account: %s", doc)
	}
	for _, c := range []struct {
		settings map[string]interface{}
		want     string
	}{
		{map[string]interface{}{"region": "xx-fake-9"}, `region: "xx-fake-9" is not a region aws-cdk-lib`},
		{map[string]interface{}{"listenerProtocol": "HTTPS", "certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"},
			`certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9" is an ACM certificate of us-east-1, but the stack deploys to ap-northeast-2`},
	} {
		if err := stackErr(t, c.settings, ""); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: want ...%s...\n got %v", c.settings, c.want, err)
		}
	}
}

// TestPinnedAndGravitonImages: amiId pins the image in the template (no SSM
// parameter moves it); a Graviton type gets the arm64 image.
func TestPinnedAndGravitonImages(t *testing.T) {
	pinned := synth(t, map[string]interface{}{"amiId": "ami-0123456789abcdef0"}, "")
	for id, inst := range resources(t, pinned.template, instType) {
		equalJSON(t, id+" ImageId", props(inst)["ImageId"], "ami-0123456789abcdef0")
	}
	if params := describe((*pinned.template.ToJSON())["Parameters"]); strings.Contains(params, "ami-amazon-linux-latest") {
		t.Errorf("a pinned image still reads the SSM parameter: %s", params)
	}
	arm := synth(t, map[string]interface{}{"instanceType": "t4g.micro"}, "")
	hasProps(t, arm.template, instType, obj{"InstanceType": "t4g.micro", "ImageId": obj{"Ref": assertions.Match_StringLikeRegexp(jsii.String("al2023amikernel61arm64"))}})
}

// TestRecordNames: a name with dots outside the zone is refused, not put
// below it; letter case does not double the zone.
func TestRecordNames(t *testing.T) {
	zone := map[string]interface{}{"domainName": "example.org", "hostedZoneId": zoneID}
	with := func(kv ...string) map[string]interface{} {
		m := map[string]interface{}{}
		for k, v := range zone {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	err := stackErr(t, with("recordName", "www.example.net"), "")
	if err == nil || !strings.Contains(err.Error(), `recordName: "www.example.net" is not inside the hosted zone "example.org": a name with dots must end in the zone's name`) {
		t.Errorf("www.example.net in example.org: %v", err)
	}
	s := synth(t, with("recordName", "WWW.EXAMPLE.ORG", "domainName", "Example.ORG"), "")
	hasProps(t, s.template, recordType, obj{"Name": "www.example.org."})
}

// TestSSHIntoTheAppsOwnVpcWarns: the app's VPC gives the instances no way
// in from outside; an SSH CIDR there opens a port nothing can reach.
func TestSSHIntoTheAppsOwnVpcWarns(t *testing.T) {
	s := synth(t, map[string]interface{}{"sshCidr": "203.0.113.0/24"}, "")
	catch(t, func() {
		assertions.Annotations_FromStack(s.stack).HasWarning(jsii.String("/ClassicWebTier"), assertions.Match_StringLikeRegexp(jsii.String("sshCidr opens port 22 on instances that nothing outside can reach")))
	})
	s = synth(t, map[string]interface{}{"sshCidr": "203.0.113.0/24", "useDefaultVpc": "true", defaultVpcLookupKey: defaultVpcLookup}, testAccount)
	if found := annotationsText(s.stack); strings.Contains(found, "sshUnreachable") || strings.Contains(found, "nothing outside can reach") {
		t.Errorf("warned in the default VPC, where SSH works: %s", found)
	}
}

// TestInstanceEgressFollowsTheVpc: only what is reachable, each with its
// reason.
func TestInstanceEgressFollowsTheVpc(t *testing.T) {
	egress := func(s synthesized) string {
		out := ""
		for _, sg := range resources(t, s.template, sgType) {
			if strings.Contains(describe(props(sg)["GroupDescription"]), "Web tier instances") {
				out += describe(props(sg)["SecurityGroupEgress"])
			}
		}
		for _, e := range resources(t, s.template, egressType) {
			if strings.Contains(describe(props(e)["GroupId"]), "InstanceSecurityGroup") {
				out += describe(props(e))
			}
		}
		return out
	}
	for _, c := range []struct {
		name      string
		settings  map[string]interface{}
		want, not []string
	}{
		{"isolated", map[string]interface{}{}, []string{`"CidrIp":"0.0.0.0/0","Description":"HTTPS out; from the isolated subnets only S3 answers`, `"FromPort":443`}, []string{`"IpProtocol":"-1"`, `"FromPort":80`}},
		{"S3 prefix list", map[string]interface{}{"s3PrefixListId": "pl-78a54011"}, []string{`"DestinationPrefixListId":"pl-78a54011"`}, []string{`0.0.0.0/0`}},
		{"NAT gateway", map[string]interface{}{"natGateways": "1"}, []string{`"Description":"HTTPS to the internet through the NAT gateway`}, []string{`"IpProtocol":"-1"`, `"FromPort":80`}},
		{"Session Manager endpoints", map[string]interface{}{"interfaceEndpoints": "true"}, []string{`"DestinationSecurityGroupId"`, `"Description":"HTTPS from the web tier instances"`}, []string{`"IpProtocol":"-1"`}},
	} {
		got := egress(synth(t, c.settings, ""))
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: egress lacks %s:\n%s", c.name, w, got)
			}
		}
		for _, n := range c.not {
			if strings.Contains(got, n) {
				t.Errorf("%s: egress has %s:\n%s", c.name, n, got)
			}
		}
	}
}

package test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/classic-webtier/cdk-classic-webtier/internal/webtierapp"
)

// stackErr builds the app from settings and returns the error it reports
// (nil if it builds).
func stackErr(t *testing.T, settings map[string]interface{}, account string) error {
	t.Helper()
	_, err := buildStack(t, settings, account)
	return err
}

// buildStack builds the app from cdk.json's context plus settings, as
// cmd/cdk-classic-webtier does, without synthesizing it.
func buildStack(t *testing.T, settings map[string]interface{}, account string) (awscdk.Stack, error) {
	t.Helper()
	ctx := cdkJSONContext(t)
	for k, v := range settings {
		ctx[k] = v
	}
	s, err := webtierapp.Read(ctx, webtierapp.Environment{Account: account})
	if err != nil {
		return nil, err
	}
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx})
	return webtierapp.NewStack(app, s)
}

// TestInvalidSettingsNameTheContextKey: the construct's checks, reached
// through the app, name the context key the user typed.
func TestInvalidSettingsNameTheContextKey(t *testing.T) {
	twoOn80 := `[{"protocol":"HTTP","port":80},{"protocol":"TCP","port":80}]`
	cases := []struct {
		name     string
		settings map[string]interface{}
		want     string
	}{
		{"interval", map[string]interface{}{"healthCheckInterval": "3"}, "healthCheckInterval: 3 seconds is out of range; allowed 5-300 seconds"},
		// Values the construct alone checks, so the app and the construct
		// cannot disagree on them.
		{"listener protocol", map[string]interface{}{"listenerProtocol": "udp"}, `listenerProtocol: "UDP" is not a classic load balancer protocol; allowed: HTTP, HTTPS, TCP, SSL`},
		{"listeners protocol", map[string]interface{}{"listeners": `[{"protocol":"FTP","port":21}]`}, `listeners[0].protocol: "FTP" is not a classic load balancer protocol`},
		{"health protocol", map[string]interface{}{"healthCheckProtocol": "ICMP"}, `healthCheckProtocol: "ICMP" is not a classic load balancer protocol`},
		{"certificate", map[string]interface{}{"listenerProtocol": "HTTPS", "certificateArn": "my-cert"}, `certificateArn: "my-cert" is not a certificate ARN; allowed: an ACM certificate ARN`},
		{"listeners certificate", map[string]interface{}{"listeners": `[{"protocol":"HTTPS","port":443,"certificateArn":"arn:aws:s3:::bucket"}]`}, `listeners[0].certificateArn: "arn:aws:s3:::bucket" is not a certificate ARN`},
		{"domain", map[string]interface{}{"domainName": "exa mple.com", "hostedZoneId": "Z0123456789EXAMPLE"}, `domainName: names the zone "exa mple.com", which is not a DNS name`},
		{"domain hyphen", map[string]interface{}{"domainName": "-example.com", "hostedZoneId": "Z0123456789EXAMPLE"}, "which is not a DNS name"},
		{"record name", map[string]interface{}{"domainName": "example.com", "hostedZoneId": "Z0123456789EXAMPLE", "recordName": "w w"}, `recordName: "w w" is not a valid DNS name`},
		{"https record outside the zone", map[string]interface{}{"https": "true", "domainName": "example.org", "hostedZoneId": "Z0123456789EXAMPLE", "recordName": "www.example.net"}, `recordName: "www.example.net" is not inside the hosted zone "example.org"`},
		{"https health check on the TLS port in plain text", map[string]interface{}{"https": "true", "domainName": "example.org", "hostedZoneId": "Z0123456789EXAMPLE", "instanceProtocol": "HTTPS", "healthCheckProtocol": "HTTP", "healthCheckPort": "443"}, "healthCheckPort: the HTTP health check reaches instance port 443 in plain text, but listener 0 (HTTPS) reaches it over TLS"},
		{"https without certificate", map[string]interface{}{"listenerProtocol": "HTTPS"}, "certificateArn: is required for an HTTPS listener; set it to an ACM or IAM server certificate ARN"},
		{"http with certificate", map[string]interface{}{"certificateArn": "arn:aws:acm:ap-northeast-2:123456789012:certificate/abc"}, "certificateArn: is set on a HTTP listener"},
		{"duplicate port", map[string]interface{}{"listeners": twoOn80}, "listeners[1].port: 80 is already the port of listener 0"},
		{"protocol pair", map[string]interface{}{"listeners": `[{"protocol":"HTTP","port":80,"instanceProtocol":"SSL"}]`}, "listeners[0].instanceProtocol: SSL cannot follow a HTTP front end; allowed: HTTP or HTTPS"},
		{"name", map[string]interface{}{"loadBalancerName": "internal-web"}, `loadBalancerName: "internal-web" starts with "internal-"`},
		{"name length", map[string]interface{}{"loadBalancerName": strings.Repeat("x", 33)}, "loadBalancerName: \"" + strings.Repeat("x", 33) + "\" is 33 characters long"},
		{"timeout vs interval", map[string]interface{}{"healthCheckTimeout": "30"}, "healthCheckTimeout: 30 seconds is not shorter than healthCheckInterval (30 seconds)"},
		{"unhealthy", map[string]interface{}{"unhealthyThreshold": "11"}, "unhealthyThreshold: 11 checks is out of range; allowed 2-10 checks"},
		{"healthy", map[string]interface{}{"healthyThreshold": "1"}, "healthyThreshold: 1 checks is out of range; allowed 2-10 checks"},
		{"idle", map[string]interface{}{"idleTimeout": "0"}, "idleTimeout: 0 seconds is out of range; allowed 1-3600 seconds"},
		{"draining", map[string]interface{}{"connectionDrainingTimeout": "4000"}, "connectionDrainingTimeout: 4000 seconds is out of range; allowed 1-3600 seconds"},
		{"instances", map[string]interface{}{"instanceCount": "0"}, "instanceCount: 0 is not allowed; use a whole number from 1 to 250"},
		{"path", map[string]interface{}{"healthCheckPath": "health"}, `healthCheckPath: "health" does not start with "/"`},
		{"path on tcp", map[string]interface{}{"healthCheckProtocol": "TCP", "healthCheckPath": "/"}, `healthCheckPath: "/" is set on a TCP health check`},
		{"port", map[string]interface{}{"listenerPort": "70000"}, "listenerPort: 70000 is out of range; allowed 1-65535"},
		{"fractional port", map[string]interface{}{"healthCheckPort": "80.5"}, "healthCheckPort: 80.5 is not a whole number"},
		{"record outside zone", map[string]interface{}{"domainName": "example.com", "hostedZoneId": zoneID, "recordName": "www.example.org."}, `recordName: "www.example.org." is not inside the hosted zone "example.com"`},
		{"port 0", map[string]interface{}{"listenerPort": "0"}, "listenerPort: 0 is out of range; allowed 1-65535"},
		{"instance port 0", map[string]interface{}{"listeners": `[{"port":80,"instancePort":0}]`}, "listeners[0].instancePort: 0 is out of range; allowed 1-65535"},
		{"instances beyond the stack", map[string]interface{}{"instanceCount": "240"}, "instanceCount: 240 instances make the stack 515 resources (2 each, with its instance profile); a CloudFormation stack holds at most 500, so at most 232 instances fit with these settings"},
		{"instances beyond any stack", map[string]interface{}{"instanceCount": "1e308"}, "instanceCount: 1e+308 is not allowed; use a whole number from 1 to 250"},
		{"name length in characters, not bytes", map[string]interface{}{"loadBalancerName": strings.Repeat("ü", 33)}, "is 33 characters long"},
		{"101 listeners", map[string]interface{}{"listeners": manyListeners(101)}, "listeners: has 101 listeners; a classic load balancer takes at most 100"},
		{"health check target", map[string]interface{}{"healthCheckPath": "/" + strings.Repeat("a", 1100)}, "healthCheckPath: makes the health check target HTTP:80<path> 1108 characters long; ELB takes at most 1024, so the path may have at most 1017"},
		// The group's sizes, checked by the construct, named by the keys,
		// the other key of a pair included.
		{"capacities the wrong way round", map[string]interface{}{"autoScaling": "true", "minCapacity": "5", "maxCapacity": "2"}, "minCapacity: 5 is more than maxCapacity (2); lower minCapacity or raise maxCapacity so that the minimum is at most the maximum"},
		{"desired outside", map[string]interface{}{"autoScaling": "true", "desiredCapacity": "7"}, "desiredCapacity: 7 is outside minCapacity to maxCapacity (2 to 4)"},
		{"min 0", map[string]interface{}{"autoScaling": "true", "minCapacity": "0"}, "minCapacity: 0 instances is out of range"},
		{"fractional max", map[string]interface{}{"autoScaling": "true", "maxCapacity": "4.5"}, "maxCapacity: 4.5 instances is not a whole number"},
		{"cpu 0", map[string]interface{}{"autoScaling": "true", "targetCpuUtilization": "0"}, "targetCpuUtilization: 0 percent is out of range; allowed 1-100 percent"},
		{"cpu target of one size", map[string]interface{}{"autoScaling": "true", "minCapacity": "3", "maxCapacity": "3", "targetCpuUtilization": "60"}, "targetCpuUtilization: is set, but minCapacity equals maxCapacity (3): the group cannot grow or shrink"},
		{"alarm email", map[string]interface{}{"alarmEmail": "ops"}, `alarmEmail: "ops" is not an email address; give one address such as ops@example.org`},
		// Issue 25's findings: each once a Go panic, or a site that could
		// not work.
		{"negative idle timeout", map[string]interface{}{"idleTimeout": "-1"}, "idleTimeout: -1 seconds is out of range; allowed 1-3600 seconds"},
		{"negative draining timeout", map[string]interface{}{"connectionDrainingTimeout": -0.5}, "connectionDrainingTimeout: -0.5 seconds is out of range; allowed 1-3600 seconds"},
		{"negative health check interval", map[string]interface{}{"healthCheckInterval": "-30"}, "healthCheckInterval: -30 seconds is out of range; allowed 5-300 seconds"},
		{"negative health check timeout", map[string]interface{}{"healthCheckTimeout": "-1e300"}, "healthCheckTimeout: -1e+300 seconds is out of range; allowed 2-60 seconds"},
		{"IPv4-mapped SSH block", map[string]interface{}{"sshCidr": "::ffff:10.0.0.0/104"}, `sshCidr: "::ffff:10.0.0.0/104" is an IPv4-mapped IPv6 block; did you mean 10.0.0.0/8?`},
		{"instance port of SSH", map[string]interface{}{"instancePort": "22", "sshCidr": "203.0.113.0/24"}, "instancePort: is 22, the SSH port SshPeers opens on the instances: sshd holds it"},
		{"instance port sshd holds", map[string]interface{}{"listenerProtocol": "TCP", "listenerPort": "22"}, "listenerPort: makes the instance port 22, which sshd holds on Amazon Linux 2023: the default user data's page server cannot listen there"},
		{"instance port the resolver holds", map[string]interface{}{"instancePort": "53"}, "instancePort: is 53, which systemd-resolved (its stub resolver on 127.0.0.53) holds on Amazon Linux 2023"},
		{"health check of sshd", map[string]interface{}{"healthCheckProtocol": "TCP", "healthCheckPort": "22"}, "healthCheckPort: is 22, which sshd holds on Amazon Linux 2023"},
		{"health check protocol against its port", map[string]interface{}{"healthCheckProtocol": "HTTPS"}, "healthCheckProtocol: the HTTPS health check reaches instance port 80 over TLS (the port follows listener 0's), but listener 0 (HTTP) reaches it in plain text"},
		{"policy names", map[string]interface{}{"listeners": `[{"protocol":"HTTP","port":80,"policyNames":["x"]}]`}, `listeners: listener 0 has "policyNames", but the app defines no policy (stickiness or TLS negotiation) for a listener to name`},
		{"regions of two partitions", map[string]interface{}{"regions": "ap-northeast-2,cn-north-1", "domainName": "example.org", "hostedZoneId": zoneID}, "regions: names ap-northeast-2 in the aws partition, and cn-north-1 in the aws-cn partition"},
		{"all weights 0", map[string]interface{}{"regions": "ap-northeast-2,ap-northeast-1", "routing": "weighted", "weights": "0,0", "domainName": "example.org", "hostedZoneId": zoneID}, "weights: gives every region weight 0, and Route 53 then answers with each of them in equal shares"},
		{"ssh rules", map[string]interface{}{"sshCidr": manyCIDRs(60)}, "sshCidr: 60 SSH peers (60 IPv4, 0 IPv6) beside 1 rules for the instance ports make more inbound rules than the instances' security group takes: 60 of each IP family"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := stackErr(t, c.settings, "")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("want ...%s...\n got %v", c.want, err)
			}
		})
	}
	t.Run("unknown subnet", func(t *testing.T) {
		err := stackErr(t, map[string]interface{}{"vpcId": importedVpc, "subnetIds": "subnet-0000000000000000f", vpcLookupKey: importedVpcLookup}, testAccount)
		if err == nil || !strings.Contains(err.Error(), "subnetIds: subnet-0000000000000000f not in VPC vpc-0a1b2c3d4e5f67890; its subnets are subnet-0000000000000000a") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("lookup without account", func(t *testing.T) {
		err := stackErr(t, map[string]interface{}{"useDefaultVpc": "true", "domainName": "example.com"}, "")
		for _, want := range []string{"useDefaultVpc: looking up the default VPC needs the AWS account; run cdk with AWS credentials", "domainName: looking up the hosted zone needs the AWS account", "or give hostedZoneId to skip the lookup"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("want ...%s...\n got %v", want, err)
			}
		}
	})
	t.Run("a bad port is blamed once", func(t *testing.T) {
		err := stackErr(t, map[string]interface{}{"listenerPort": "70000"}, "")
		if err == nil || strings.Count(err.Error(), "\n  - ") != 1 || !strings.Contains(err.Error(), "listenerPort: 70000 is out of range") {
			t.Errorf("want one problem on listenerPort, got %v", err)
		}
	})
	t.Run("all at once", func(t *testing.T) {
		err := stackErr(t, map[string]interface{}{"healthCheckInterval": "3", "idleTimeout": "0", "listenerProtocol": "HTTPS"}, "")
		if err == nil || !strings.HasPrefix(err.Error(), "3 invalid settings") {
			t.Errorf("got %v", err)
		}
	})
}

// TestBoundaryValuesBuild: the limits themselves are allowed.
func TestBoundaryValuesBuild(t *testing.T) {
	for _, settings := range []map[string]interface{}{
		{"healthCheckTimeout": "2", "healthCheckInterval": "5", "unhealthyThreshold": "2", "healthyThreshold": "2", "idleTimeout": "1", "connectionDrainingTimeout": "1"},
		{"healthCheckTimeout": "60", "healthCheckInterval": "300", "unhealthyThreshold": "10", "healthyThreshold": "10", "idleTimeout": "3600", "connectionDrainingTimeout": "3600"},
		{"listenerPort": "1", "instancePort": "65535", "loadBalancerName": strings.Repeat("a", 32), "instanceCount": "1"},
		// A lookup not done yet (no credentials) builds on the placeholder VPC.
		{"useDefaultVpc": "true", "subnetIds": "subnet-0123abcd"},
	} {
		if err := stackErr(t, settings, testAccount); err != nil {
			t.Errorf("%v: %v", settings, err)
		}
	}
}

// TestNagRejectsWeakenedLoadBalancer: with cdk-nag on, turning off what the
// console turns on, or opening SSH to the world as the tutorial did, fails the
// synth, naming the rules; with -c nag=false it builds.
func TestNagRejectsWeakenedLoadBalancer(t *testing.T) {
	for _, c := range []struct {
		settings map[string]interface{}
		want     []string
	}{
		{map[string]interface{}{"crossZone": "false", "connectionDraining": "false"}, []string{
			"aws:cdk:error ClassicWebTier/WebTier/Resource: AwsSolutions-ELB3",
			"aws:cdk:error ClassicWebTier/WebTier/Resource: AwsSolutions-ELB4",
		}},
		{map[string]interface{}{"sshCidr": "0.0.0.0/0"}, []string{
			"aws:cdk:error ClassicWebTier/WebTier/InstanceSecurityGroup/Resource: AwsSolutions-EC23",
		}},
	} {
		stack, failure := failingSynth(t, c.settings, "")
		if !strings.Contains(failure, "ValidationFailed") {
			t.Errorf("%v: synth did not fail: %s", c.settings, failure)
		}
		found := annotationsText(stack)
		for _, want := range c.want {
			if !strings.Contains(found, want) {
				t.Errorf("%v: no %s in:\n%s", c.settings, want, found)
			}
		}
		c.settings["nag"] = "false"
		synth(t, c.settings, "") // fails the test if the synth fails
	}
}

// failingSynth builds the app from settings and synthesizes it, returning
// the stack and what the synth panicked with ("<nil>" if it did not).
func failingSynth(t *testing.T, settings map[string]interface{}, account string) (awscdk.Stack, string) {
	t.Helper()
	stack, err := buildStack(t, settings, account)
	if err != nil {
		t.Fatal(err)
	}
	var failure string
	func() {
		defer func() { failure = fmt.Sprint(recover()) }()
		assertions.Template_FromStack(stack, nil)
	}()
	return stack, failure
}

// annotationsText gathers the error and warning annotations of every
// construct of the stack (cdk-nag's findings among them), which stay on the
// construct tree even when the synth that added them failed.
func annotationsText(stack awscdk.Stack) string {
	var b strings.Builder
	for _, c := range *stack.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		for _, m := range *c.Node().Metadata() {
			if typ := *m.Type; typ == "aws:cdk:error" || typ == "aws:cdk:warning" {
				fmt.Fprintf(&b, "%s %s: %v\n", typ, *c.Node().Path(), m.Data)
			}
		}
	}
	return b.String()
}

// TestCostOptions: the priced options synthesize, pass cdk-nag, and build what
// the README prices.
func TestCostOptions(t *testing.T) {
	s := synth(t, map[string]interface{}{"natGateways": "1", "interfaceEndpoints": "true"}, "")
	count(t, s.template, "AWS::EC2::NatGateway", 1)
	endpoints := resources(t, s.template, "AWS::EC2::VPCEndpoint")
	var names []string
	for _, e := range endpoints {
		names = append(names, describe(props(e)["ServiceName"]))
	}
	if len(endpoints) != 4 || !strings.Contains(strings.Join(names, " "), "ssmmessages") {
		t.Errorf("want the S3 gateway and 3 Session Manager endpoints, got %v", names)
	}
	// With a NAT gateway the instances sit in subnets that route through it.
	for id, inst := range resources(t, s.template, instType) {
		if !strings.Contains(describe(instanceSubnet(inst)), "VpcInstancesSubnet") {
			t.Errorf("%s is not in an instance subnet: %s", id, describe(instanceSubnet(inst)))
		}
	}
	hasProps(t, s.template, "AWS::EC2::Route", obj{"NatGatewayId": assertions.Match_AnyValue()})
	// The endpoints take HTTPS from the instances only, not from the whole VPC.
	var https int
	for id, rule := range resources(t, s.template, ingType) {
		if p := props(rule); p["FromPort"] == 443.0 {
			https++
			if !strings.Contains(describe(p["SourceSecurityGroupId"]), "WebTierInstanceSecurityGroup") {
				t.Errorf("%s: endpoint open to %s", id, describe(p))
			}
		}
	}
	if https != 3 {
		t.Errorf("%d HTTPS rules for 3 endpoints", https)
	}
	if err := stackErr(t, map[string]interface{}{"natGateways": "3"}, ""); err == nil || !strings.Contains(err.Error(), "natGateways: 3 is not allowed; allowed: 0, 1 or 2") {
		t.Errorf("natGateways=3: %v", err)
	}
	if err := stackErr(t, map[string]interface{}{"interfaceEndpoints": "true", "useDefaultVpc": "true"}, testAccount); err == nil || !strings.Contains(err.Error(), "cannot change a looked-up one") {
		t.Errorf("endpoints on a looked-up VPC: %v", err)
	}
}

func manyListeners(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(`{"protocol":"TCP","port":%d,"instancePort":80}`, 1000+i)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func manyCIDRs(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf("10.%d.%d.0/24", i/256, i%256)
	}
	return strings.Join(parts, ",")
}

// TestHTTPSRecordOutsideTheZoneIsOneProblem: the record is what is wrong,
// not a missing certificateArn (https requests no certificate for it).
func TestHTTPSRecordOutsideTheZoneIsOneProblem(t *testing.T) {
	err := stackErr(t, map[string]interface{}{"https": "true", "domainName": "example.org", "hostedZoneId": "Z0123456789EXAMPLE", "recordName": "www.example.net"}, "")
	if err == nil || !strings.Contains(err.Error(), "1 invalid setting") || strings.Contains(err.Error(), "certificateArn") {
		t.Errorf("want the record alone: %v", err)
	}
}

// TestPrivateSubnetsForAnInternetFacingLoadBalancer: the construct's
// refusal of an internet-facing load balancer in private subnets, reached
// through subnetIds, names the app's own keys, fix included; internal, or
// public subnets, build.
func TestPrivateSubnetsForAnInternetFacingLoadBalancer(t *testing.T) {
	private := "subnet-1000000000000000a,subnet-1000000000000000c"
	base := map[string]interface{}{"vpcId": importedVpc, vpcLookupKey: importedVpcLookup}
	with := func(extra map[string]interface{}) map[string]interface{} {
		out := map[string]interface{}{}
		for k, v := range base {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	_, err := buildStack(t, with(map[string]interface{}{"subnetIds": private}), testAccount)
	const want = "subnetIds: selects subnet-1000000000000000a and subnet-1000000000000000c, which are not public: an internet-facing load balancer there cannot be reached from the internet; select public subnets (as the default does), or set internal=true"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("want ...%s...\n got %v", want, err)
	}
	for name, extra := range map[string]map[string]interface{}{
		"internal":       {"subnetIds": private, "internal": "true"},
		"public subnets": {"subnetIds": "subnet-0000000000000000a,subnet-0000000000000000b"},
	} {
		if _, err := buildStack(t, with(extra), testAccount); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestFixedInstancesStayInTheLoadBalancersZones: with load balancer subnets
// in two of the default VPC's four zones, four fixed instances go to those
// two zones only (before, instances 3 and 4 went to zones where the load
// balancer has no subnet and stayed OutOfService), and no warning names a
// zone that holds no instance.
func TestFixedInstancesStayInTheLoadBalancersZones(t *testing.T) {
	fourZones := vpcLookupResponse("vpc-0d0d0d0d0d0d0d0d0", "172.31.0.0/16",
		subnetGroup("Public", subnet("subnet-0d0000000000000a0", "172.31.0.0/20", "ap-northeast-2a"), subnet("subnet-0d0000000000000b0", "172.31.16.0/20", "ap-northeast-2b"),
			subnet("subnet-0d0000000000000c0", "172.31.32.0/20", "ap-northeast-2c"), subnet("subnet-0d0000000000000d0", "172.31.48.0/20", "ap-northeast-2d")))
	for _, count := range []string{"2", "4"} {
		stack, err := buildStack(t, map[string]interface{}{"useDefaultVpc": "true", "subnetIds": "subnet-0d0000000000000a0,subnet-0d0000000000000b0",
			"instanceCount": count, "nag": "false", defaultVpcLookupKey: fourZones}, testAccount)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := assertions.Template_FromStack(stack, nil)
		instances := *tmpl.FindResources(jsii.String("AWS::EC2::Instance"), nil)
		if fmt.Sprint(len(instances)) != count {
			t.Fatalf("instanceCount=%s: %d instances", count, len(instances))
		}
		for id, inst := range instances {
			if subnet := (*inst)["Properties"].(map[string]interface{})["SubnetId"]; subnet != "subnet-0d0000000000000a0" && subnet != "subnet-0d0000000000000b0" {
				t.Errorf("instanceCount=%s: %s in %v, outside the load balancer's zones", count, id, subnet)
			}
		}
		for _, w := range *assertions.Annotations_FromStack(stack).FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("ap-northeast-2[cd]"))) {
			t.Errorf("instanceCount=%s: a warning names a zone without instances: %v", count, w.Entry.Data)
		}
	}
}

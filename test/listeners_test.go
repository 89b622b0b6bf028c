package test

import (
	"strings"
	"testing"
)

const iamCert = "arn:aws:iam::123456789012:server-certificate/web"

// listenerShapes are the listener shapes and modes the app accepts. Each
// runs through cdk-nag (synth fails the test on any unsuppressed finding):
// a shape no test synthesizes is a shape that may not work. HTTP only and
// HTTPS only are the default and https-only scenarios, which TestScenarios
// runs through cdk-nag; they are not synthesized twice.
var listenerShapes = []struct {
	name     string
	settings map[string]interface{}
}{
	{"HTTPS only, IAM certificate", map[string]interface{}{"listenerProtocol": "HTTPS", "certificateArn": iamCert}},
	{"SSL only", map[string]interface{}{"listenerProtocol": "SSL", "certificateArn": certArn}},
	{"TCP only", map[string]interface{}{"listenerProtocol": "TCP"}},
	{"HTTPS and SSL only", map[string]interface{}{"listeners": `[{"protocol":"HTTPS","port":443,"certificateArn":"` + certArn + `"},{"protocol":"SSL","port":8443,"certificateArn":"` + certArn + `"}]`}},
	{"mixed", map[string]interface{}{"listeners": `[{"protocol":"HTTP","port":80},{"protocol":"HTTPS","port":443,"certificateArn":"` + certArn + `"},{"protocol":"TCP","port":8080},{"protocol":"SSL","port":8443,"certificateArn":"` + certArn + `"}]`}},
	{"end-to-end HTTPS", map[string]interface{}{"listenerProtocol": "HTTPS", "instanceProtocol": "HTTPS", "certificateArn": certArn}},
	{"end-to-end SSL", map[string]interface{}{"listenerProtocol": "SSL", "instanceProtocol": "SSL", "certificateArn": certArn}},
	{"internal HTTP", map[string]interface{}{"internal": "true"}},
	{"internal HTTPS only", map[string]interface{}{"internal": "true", "listenerProtocol": "HTTPS", "certificateArn": certArn}},
	{"internal TCP", map[string]interface{}{"internal": "true", "listenerProtocol": "TCP", "listenerPort": "5432"}},
	{"NAT gateway and endpoints, HTTPS", map[string]interface{}{"natGateways": "1", "interfaceEndpoints": "true", "listenerProtocol": "HTTPS", "certificateArn": certArn}},
	{"Graviton, HTTPS", map[string]interface{}{"instanceType": "t4g.small", "listenerProtocol": "HTTPS", "certificateArn": certArn}},
	// https=true: HTTPS 443 and HTTP 80 sent to HTTPS. The record's own
	// certificate with TLS ending at the load balancer is the https-auto
	// scenario.
	{"https, certificate made elsewhere", map[string]interface{}{"https": "true", "certificateArn": certArn}},
	{"https, apex certificate, TLS to the instances", map[string]interface{}{"https": "true", "domainName": "example.org", "hostedZoneId": zoneID, "instanceProtocol": "HTTPS"}},
	// The fleet (autoScaling) in each kind of subnet and with each kind
	// of listener it changes: the launch template and group are what
	// cdk-nag reads there. Plain fleet and fleet with https are the fleet
	// scenarios.
	{"fleet, internal TCP", map[string]interface{}{"autoScaling": "true", "internal": "true", "listenerProtocol": "TCP", "listenerPort": "5432"}},
	{"fleet, NAT gateway and endpoints, end-to-end HTTPS", map[string]interface{}{"autoScaling": "true", "natGateways": "1", "interfaceEndpoints": "true", "listenerProtocol": "HTTPS", "instanceProtocol": "HTTPS", "certificateArn": certArn}},
	{"fleet, one size, SSH key", map[string]interface{}{"autoScaling": "true", "minCapacity": "3", "maxCapacity": "3", "keyName": "ops", "sshCidr": "203.0.113.0/24"}},
	// Operating it: alarms mailed, on a TCP listener (no response codes);
	// neither alarms nor dashboard.
	{"alarm email, TCP only", map[string]interface{}{"alarmEmail": "ops@example.org", "listenerProtocol": "TCP"}},
	{"no alarms, no dashboard", map[string]interface{}{"alarms": "false", "dashboard": "false"}},
	{"https, wildcard certificate, instance port 8080", map[string]interface{}{"https": "true", "domainName": "example.org", "hostedZoneId": zoneID, "recordName": "*", "instancePort": "8080"}},
	// Health checks the page server must answer (the boot test asks each):
	// a path of its own, on an instance port of its own, with a query
	// string beside the redirect to HTTPS, over TLS on a port of its own,
	// and TCP and SSL pings.
	{"health check /healthz", map[string]interface{}{"healthCheckPath": "/healthz"}},
	{"health check /status/ok, instance port 8080", map[string]interface{}{"healthCheckPath": "/status/ok", "instancePort": "8080"}},
	{"https, health check with a query string", map[string]interface{}{"https": "true", "certificateArn": certArn, "healthCheckPath": "/healthz?from=elb"}},
	{"end-to-end HTTPS, health check on port 8443", map[string]interface{}{"listenerProtocol": "HTTPS", "instanceProtocol": "HTTPS", "certificateArn": certArn, "healthCheckPort": "8443", "healthCheckPath": "/ping"}},
	{"TCP health check of an HTTPS back end", map[string]interface{}{"listenerProtocol": "HTTPS", "instanceProtocol": "HTTPS", "certificateArn": certArn, "healthCheckProtocol": "TCP"}},
	{"SSL health check of end-to-end SSL", map[string]interface{}{"listenerProtocol": "SSL", "instanceProtocol": "SSL", "certificateArn": certArn, "healthCheckProtocol": "SSL", "healthCheckPort": "443"}},
}

// TestEveryListenerShapePassesCdkNag: zero unsuppressed cdk-nag errors and
// warnings for every shape.
func TestEveryListenerShapePassesCdkNag(t *testing.T) {
	for _, sh := range listenerShapes {
		t.Run(sh.name, func(t *testing.T) {
			s := synth(t, sh.settings, "")
			count(t, s.template, lbType, 1)
		})
	}
}

// TestTLSEndingAtThePublicInstancesFailsNag: in the default VPC the
// instances sit in public subnets, so TLS that ends at the load balancer is
// not explained away: cdk-nag fails with ELB5 and the construct says why.
func TestTLSEndingAtThePublicInstancesFailsNag(t *testing.T) {
	stack, failure := failingSynth(t, map[string]interface{}{"useDefaultVpc": "true", "listenerProtocol": "HTTPS", "certificateArn": certArn, defaultVpcLookupKey: defaultVpcLookup}, testAccount)
	found := annotationsText(stack)
	if !strings.Contains(failure, "ValidationFailed") || !strings.Contains(found, "AwsSolutions-ELB5") || !strings.Contains(found, "AwsSolutions-ELB5 is not suppressed; put the instances in private subnets") {
		t.Errorf("want an ELB5 failure explained by the construct; synth: %s\n%s", failure, found)
	}
}

// TestHTTPSOnlyThroughTheCLI is the reproduction: HTTPS alone,
// through the real CLI, synthesizes.
func TestHTTPSOnlyThroughTheCLI(t *testing.T) {
	t.Parallel()
	out, output, err := cdkCLI(t, "-c", "listenerProtocol=HTTPS", "-c", "certificateArn=arn:aws:acm:ap-northeast-2:123456789012:certificate/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9")
	if err != nil {
		t.Fatalf("cdk synth: %v\n%s", err, output)
	}
	assertFile(t, out, "ClassicWebTier.template.json")
}

// TestHTTPSDoneRightThroughTheCLI runs the two commands through
// the real CLI: the record's own certificate beside HTTP 80, and TLS to
// the instances.
func TestHTTPSDoneRightThroughTheCLI(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want []string
		// endToEnd: TLS to the instances, so ELB5 passes unsuppressed.
		endToEnd bool
	}{
		{[]string{"-c", "https=true", "-c", "domainName=example.org", "-c", "hostedZoneId=Z0000000000EXAMPLE", "-c", "recordName=shop"},
			[]string{`"DomainName": "shop.example.org"`, `"ValidationMethod": "DNS"`, `"LoadBalancerPort": "443"`, `"LoadBalancerPort": "80"`}, false},
		{[]string{"-c", "listenerProtocol=HTTPS", "-c", "certificateArn=" + certArn, "-c", "instanceProtocol=HTTPS"},
			[]string{`"InstanceProtocol": "HTTPS"`, `"Target": "HTTPS:443/index.html"`}, true},
	} {
		raw := synthContaining(t, c.want, c.args...)
		if c.endToEnd && strings.Contains(raw, "AwsSolutions-ELB5") {
			t.Errorf("%v: ELB5 is suppressed", c.args)
		}
	}
}

func assertFile(t *testing.T, dir, name string) {
	t.Helper()
	if matches, _ := filepathGlob(dir, name); len(matches) != 1 {
		t.Errorf("%s not written in %s", name, dir)
	}
}

// defaultVpcLookupKey and defaultVpcLookup stand in for the CLI's lookup of
// the account's default VPC: public subnets only, as AWS makes it.
const defaultVpcLookupKey = "vpc-provider:account=" + testAccount + ":filter.isDefault=true:region=ap-northeast-2:returnAsymmetricSubnets=true"

var defaultVpcLookup = vpcLookupResponse("vpc-0d0d0d0d0d0d0d0d0", "172.31.0.0/16",
	subnetGroup("Public", subnet("subnet-0d0000000000000a0", "172.31.0.0/20", "ap-northeast-2a"), subnet("subnet-0d0000000000000b0", "172.31.16.0/20", "ap-northeast-2b")))

package webtierapp

import (
	"errors"
	"strings"
	"testing"
)

// TestReadRejects: each bad context value fails, naming the key, the value
// and what is allowed.
func TestReadRejects(t *testing.T) {
	vpc := map[string]interface{}{"vpcId": "vpc-0a1b2c3d4e5f67890"}
	with := func(m map[string]interface{}, kv ...interface{}) map[string]interface{} {
		out := map[string]interface{}{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1]
		}
		return out
	}
	none := map[string]interface{}{}
	cases := []struct {
		name string
		ctx  map[string]interface{}
		want string
	}{
		{"typo", with(none, "healthCheckIntervall", "10"), "healthCheckIntervall: is not a setting; did you mean healthCheckInterval?"},
		{"case typo", with(none, "LoadBalancerName", "x"), "LoadBalancerName: is not a setting; did you mean loadBalancerName?"},
		{"region", with(none, "region", "seoul"), `region: "seoul" is not valid; allowed: a region name such as ap-northeast-2`},
		{"vpc id", with(none, "vpcId", "vpc-xyz"), `vpcId: "vpc-xyz" is not valid; allowed: vpc- followed by 8 or 17 hex digits`},
		{"bool word", with(none, "useDefaultVpc", "yes"), `useDefaultVpc: "yes" is not a boolean; allowed: true or false`},
		{"bool number", with(none, "connectionDraining", 1.0), `connectionDraining: "1" is not a boolean`},
		{"internal", with(none, "internal", "maybe"), `internal: "maybe" is not a boolean`},
		{"subnet id", with(vpc, "subnetIds", "subnet-1"), `subnetIds: "subnet-1" is not a subnet id`},
		{"subnet type", with(vpc, "subnetIds", 3.0), "subnetIds: 3 (a number) is not allowed; allowed: a comma-separated string or a list of strings"},
		{"subnet list item", with(vpc, "subnetIds", []interface{}{"subnet-0123abcd", 7.0}), "which is not a string"},
		{"subnets without vpc", with(none, "subnetIds", "subnet-0123abcd"), "subnetIds: needs vpcId or useDefaultVpc=true"},
		{"vpc and default", with(vpc, "useDefaultVpc", true), `useDefaultVpc: true conflicts with vpcId "vpc-0a1b2c3d4e5f67890"`},
		{"listener port", with(none, "listenerPort", "eighty"), `listenerPort: "eighty" is not a number`},
		{"instance port empty", with(none, "instancePort", ""), `instancePort: "" is not a number`},
		{"port NaN", with(none, "healthCheckPort", "NaN"), `healthCheckPort: "NaN" is not a number`},
		{"port Inf", with(none, "listenerPort", "+Inf"), `listenerPort: "+Inf" is not a number`},
		{"listeners not json", with(none, "listeners", "HTTP:80"), `listeners: "HTTP:80" is not a JSON list of listeners`},
		{"listeners typo field", with(none, "listeners", `[{"protocol":"HTTP","prot":80}]`), `listener 0 has the unknown member "prot"`},
		{"listeners empty", with(none, "listeners", "[]"), "listeners: [] has no listener"},
		{"listeners trailing", with(none, "listeners", `[{"port":80}] x`), "text after the list, at character 15"},
		{"listeners extra bracket", with(none, "listeners", `[{"port":80}] ]`), "text after the list"},
		{"listeners duplicate member", with(none, "listeners", `[{"port":80,"port":81}]`), `listener 0 has "port" twice`},
		{"listeners port as text", with(none, "listeners", `[{"port":"80"}]`), `listener 0's "port" must be a number, 1-65535`},
		{"listeners object", with(none, "listeners", map[string]interface{}{"port": 80.0}), "the value must be a list of listener objects"},
		{"hex port", with(none, "listenerPort", "0x50"), `listenerPort: "0x50" is not a number; allowed: a decimal number such as 80`},
		{"port with underscore", with(none, "healthCheckPort", "8_0"), `healthCheckPort: "8_0" is not a number; allowed: a decimal number`},
		{"empty name", with(none, "loadBalancerName", ""), "loadBalancerName: is empty; give 1-32 letters, digits and hyphens"},
		{"stack name", with(none, "stackName", "web_tier"), `stackName: "web_tier" is not valid; allowed: 1-128 letters, digits and hyphens, starting with a letter`},
		{"ami id", with(none, "amiId", "ami-123"), `amiId: "ami-123" is not valid; allowed: ami- followed by 8 or 17 hex digits`},
		{"prefix list id", with(none, "s3PrefixListId", "com.amazonaws.ap-northeast-2.s3"), `s3PrefixListId: "com.amazonaws.ap-northeast-2.s3" is not valid; allowed: pl- followed by 8 or 17 hex digits`},
		{"list of numbers", with(vpc, "subnetIds", []interface{}{1.0}), "the list holds 1 (a number), which is not a string"},
		{"huge number where text belongs", with(none, "loadBalancerName", 1e300), "loadBalancerName: 1e+300 (a number) is not allowed"},
		{"number beyond float", with(none, "instanceCount", "1e400"), `instanceCount: "1e400" is beyond the numbers this setting can hold`},
		{"syntax error position in characters", with(none, "listeners", `[{"protocol":"ääää" x}]`), "at character 21"},
		{"prefix list with a looked-up VPC", with(vpc, "s3PrefixListId", "pl-78a54011"), "s3PrefixListId: narrows the instances' egress in the app's own VPC"},
		{"prefix list with NAT", with(none, "s3PrefixListId", "pl-78a54011", "natGateways", "1"), "s3PrefixListId: narrows the egress to S3, but with natGateways"},
		{"listeners and row", with(none, "listeners", `[{"port":80}]`, "listenerPort", "81"), "listeners: cannot be combined with listenerPort"},
		{"timeout word", with(none, "healthCheckTimeout", "five"), `healthCheckTimeout: "five" is not a number`},
		{"cross zone", with(none, "crossZone", "on"), `crossZone: "on" is not a boolean`},
		{"instance count", with(none, "instanceCount", "two"), `instanceCount: "two" is not a number`},
		{"instance type", with(none, "instanceType", "micro"), `instanceType: "micro" is not valid; allowed: an EC2 instance type such as t3.micro`},
		{"key name", with(none, "keyName", ""), `keyName: "" is not a key pair name`},
		{"cidr host bits", with(none, "sshCidr", "10.0.0.1/8"), `sshCidr: "10.0.0.1/8" has host bits set; did you mean 10.0.0.0/8?`},
		{"cidr word", with(none, "sshCidr", "anywhere"), `sshCidr: "anywhere" is not a CIDR block`},
		{"cidr in list", with(none, "sshCidr", "203.0.113.0/24, 198.51.100.0/33"), `"198.51.100.0/33" is not a CIDR block`},
		{"zone id", with(none, "domainName", "example.com", "hostedZoneId", "/hostedzone/Z1"), `hostedZoneId: "/hostedzone/Z1" is not valid`},
		{"zone without domain", with(none, "hostedZoneId", "Z0123456789EXAMPLE"), "hostedZoneId: \"Z0123456789EXAMPLE\" is set without domainName"},
		{"record without domain", with(none, "recordName", "www"), `recordName: "www" is set without domainName`},
		{"empty domain", with(none, "domainName", ""), "domainName: is empty; give the hosted zone's domain name"},
		{"https without a domain", with(none, "https", "true"), "https: true needs domainName (the certificate is requested for the record's name"},
		{"https and listeners", with(none, "https", "true", "certificateArn", "arn:aws:acm:ap-northeast-2:123456789012:certificate/a", "listeners", `[{"port":80}]`), "https: builds the listeners (HTTPS 443 and HTTP 80), so it cannot be combined with listeners; drop them, or drop https"},
		{"https and a listener protocol", with(none, "https", "true", "domainName", "example.org", "listenerProtocol", "TCP", "listenerPort", "81"), "cannot be combined with listenerProtocol, listenerPort"},
		{"https word", with(none, "https", "yes"), `https: "yes" is not a boolean`},
		{"https name too long for ACM", with(none, "https", "true", "domainName", "example.org", "recordName", strings.Repeat("a", 60)), "recordName: makes the certificate's name " + strings.Repeat("a", 60) + ".example.org, 72 characters long; ACM takes at most 64"},
		{"https name with an underscore", with(none, "https", "true", "domainName", "example.org", "recordName", "_svc"), "recordName: makes the certificate's name _svc.example.org, with an underscore, which ACM does not take"},
		{"https end to end on port 80", with(none, "https", "true", "domainName", "example.org", "instanceProtocol", "HTTPS", "instancePort", "80"), "instancePort: 80 with instanceProtocol=HTTPS leaves no plain port for HTTP 80"},
		{"empty protocol", with(none, "listenerProtocol", ""), "listenerProtocol: is empty; give HTTP, HTTPS, TCP, SSL, or drop the key"},
		{"blank instance protocol", with(none, "instanceProtocol", " "), "instanceProtocol: is empty"},
		{"empty health protocol", with(none, "healthCheckProtocol", ""), "healthCheckProtocol: is empty"},
		{"empty certificate", with(none, "listenerProtocol", "HTTPS", "certificateArn", ""), "certificateArn: is empty; give an ACM or IAM server certificate ARN"},
		{"blank protocol in listeners", with(none, "listeners", `[{"protocol":" ","port":80}]`), `listeners: listener 0's "protocol" is empty; give a value, or leave the member out`},
		{"empty certificate in listeners", with(none, "listeners", `[{"protocol":"HTTPS","port":443,"certificateArn":""}]`), `listener 0's "certificateArn" is empty`},
		{"empty record", with(none, "domainName", "example.com", "recordName", " "), "recordName: is empty; give a name in the zone"},
		{"name type", with(none, "loadBalancerName", 42.0), "loadBalancerName: 42 (a number) is not allowed; allowed: a string"},
		{"alarms word", with(none, "alarms", "on"), `alarms: "on" is not a boolean`},
		{"empty alarm email", with(none, "alarmEmail", ""), "alarmEmail: is empty; give an email address, such as ops@example.org"},
		{"alarm email without alarms", with(none, "alarmEmail", "ops@example.org", "alarms", "false"), "alarmEmail: is set, but alarms=false leaves nothing to tell it"},
		{"dashboard word", with(none, "dashboard", "yes"), `dashboard: "yes" is not a boolean`},
		{"auto scaling word", with(none, "autoScaling", "yes"), `autoScaling: "yes" is not a boolean`},
		{"capacity word", with(none, "autoScaling", "true", "minCapacity", "two"), `minCapacity: "two" is not a number`},
		{"capacity without the group", with(none, "maxCapacity", "6"), "maxCapacity: sizes the Auto Scaling group, which only autoScaling=true makes; add -c autoScaling=true or drop it"},
		{"cpu target without the group", with(none, "autoScaling", "false", "targetCpuUtilization", "60"), "targetCpuUtilization: sizes the Auto Scaling group, which only autoScaling=true makes"},
		{"instance count with the group", with(none, "autoScaling", "true", "instanceCount", "3"), "instanceCount: is for fixed instances; with autoScaling=true the group's size is minCapacity to maxCapacity, so drop instanceCount"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(c.ctx, Environment{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("want ...%s...\n got %v", c.want, err)
			}
			// Messages speak JSON and settings, not Go.
			for _, goism := range []string{"float64", "interface {}", "[]interface", "[]webtierapp", "webtierapp.", "map[string]", "*float64", "Go value"} {
				if err != nil && strings.Contains(err.Error(), goism) {
					t.Errorf("message names a Go type (%s): %v", goism, err)
				}
			}
		})
	}
}

// TestPortZeroIsNotADefault: 0 is a port the user typed, which the
// construct then rejects; only a missing port takes the default.
func TestPortZeroIsNotADefault(t *testing.T) {
	for _, ctx := range []map[string]interface{}{
		{"listenerPort": "0"},
		{"listeners": `[{"port":0}]`},
		{"listeners": []interface{}{map[string]interface{}{"port": 0.0}}},
	} {
		s := mustRead(t, ctx, Environment{})
		if s.Listeners[0].Port == nil || *s.Listeners[0].Port != 0 {
			t.Errorf("%v: port %v", ctx, s.Listeners[0].Port)
		}
	}
	for _, ctx := range []map[string]interface{}{{"instancePort": "0"}, {"listeners": `[{"port":80,"instancePort":0}]`}} {
		s := mustRead(t, ctx, Environment{})
		if s.Listeners[0].InstancePort == nil || *s.Listeners[0].InstancePort != 0 {
			t.Errorf("%v: instance port %v", ctx, s.Listeners[0].InstancePort)
		}
	}
	s := mustRead(t, map[string]interface{}{"listeners": `[{"protocol":"HTTPS"}]`}, Environment{})
	if *s.Listeners[0].Port != 443 || s.Listeners[0].InstancePort != nil {
		t.Errorf("a missing port takes the protocol's: %+v", s.Listeners[0])
	}
}

// TestRegionPrecedence: -c region, then AWS_REGION / AWS_DEFAULT_REGION,
// then Seoul.
func TestRegionPrecedence(t *testing.T) {
	env := func(vars map[string]string) Environment {
		return EnvironmentFrom(func(k string) string { return vars[k] })
	}
	for _, c := range []struct {
		ctx  map[string]interface{}
		vars map[string]string
		want string
	}{
		{nil, nil, "ap-northeast-2"},
		{nil, map[string]string{"AWS_DEFAULT_REGION": "eu-west-1"}, "eu-west-1"},
		{nil, map[string]string{"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "eu-west-1"}, "us-east-1"},
		{map[string]interface{}{"region": "ap-northeast-1"}, map[string]string{"AWS_REGION": "us-east-1"}, "ap-northeast-1"},
	} {
		if s := mustRead(t, c.ctx, env(c.vars)); s.Region != c.want {
			t.Errorf("%v %v: %v; want %s", c.ctx, c.vars, s.Region, c.want)
		}
	}
	// A bad AWS_REGION is one problem among the others, all reported.
	_, err := Read(map[string]interface{}{"crossZone": "on"}, env(map[string]string{"AWS_REGION": "Seoul"}))
	if err == nil || !strings.Contains(err.Error(), `AWS_REGION: "Seoul" is not valid; allowed: a region name such as ap-northeast-2 (or pass -c region=...)`) ||
		!strings.Contains(err.Error(), `crossZone: "on" is not a boolean`) {
		t.Errorf("bad AWS_REGION: %v", err)
	}
	if s := mustRead(t, map[string]interface{}{"region": "eu-west-1"}, env(map[string]string{"AWS_REGION": "Seoul"})); s.Region != "eu-west-1" {
		t.Errorf("-c region overrides even a bad AWS_REGION: %s", s.Region)
	}
	if s := mustRead(t, nil, env(map[string]string{"CDK_DEFAULT_ACCOUNT": "123456789012"})); s.Account != "123456789012" {
		t.Errorf("account %q", s.Account)
	}
}

// TestStackNameFreesTheLoadBalancerName: a second copy of the stack does
// not take exampleelb, which the first one holds.
func TestStackNameFreesTheLoadBalancerName(t *testing.T) {
	for _, c := range []struct {
		ctx        map[string]interface{}
		stack, elb string
	}{
		{nil, "ClassicWebTier", "exampleelb"},
		{map[string]interface{}{"stackName": "WebStaging"}, "WebStaging", ""},
		{map[string]interface{}{"stackName": "WebStaging", "loadBalancerName": "staging-elb"}, "WebStaging", "staging-elb"},
		{map[string]interface{}{"stackName": "ClassicWebTier"}, "ClassicWebTier", "exampleelb"},
	} {
		if s := mustRead(t, c.ctx, Environment{}); s.StackName != c.stack || s.LoadBalancerName != c.elb {
			t.Errorf("%v: stack %q, load balancer %q", c.ctx, s.StackName, s.LoadBalancerName)
		}
	}
}

// mustRead reads settings that must be valid.
func mustRead(t *testing.T, ctx map[string]interface{}, env Environment) *Settings {
	t.Helper()
	s, err := Read(ctx, env)
	if err != nil {
		t.Fatalf("%v: %v", ctx, err)
	}
	return s
}

func TestReadReportsEveryProblemAtOnce(t *testing.T) {
	_, err := Read(map[string]interface{}{"healthCheckIntervall": "3", "crossZone": "on", "instanceCount": "two", "region": "seoul"}, Environment{})
	var serr *SettingsError
	if !errors.As(err, &serr) || len(serr.Errs) != 4 {
		t.Fatalf("want 4 problems, got %v", err)
	}
	if !strings.HasPrefix(err.Error(), "4 invalid settings (cdk.json context or -c key=value):\n  - ") {
		t.Errorf("header: %q", err.Error())
	}
}

func TestReadAcceptsBothJSONTypesAndStrings(t *testing.T) {
	fromJSON, err := Read(map[string]interface{}{
		"internal": true, "healthCheckInterval": 10.0, "sshCidr": []interface{}{"203.0.113.0/24"},
		"listeners":                            []interface{}{map[string]interface{}{"protocol": "https", "port": 443.0, "certificateArn": "arn:aws:acm:ap-northeast-2:123456789012:certificate/abc"}},
		"@aws-cdk/core:newStyleStackSynthesis": true, "aws:cdk:version-reporting": true, "vpc-provider:account=1:x": "y",
		"acknowledged-issue-numbers": []interface{}{1.0},
	}, Environment{})
	if err != nil {
		t.Fatal(err)
	}
	fromCLI, err := Read(map[string]interface{}{
		"internal": "TRUE", "healthCheckInterval": " 10 ", "sshCidr": "203.0.113.0/24",
		"listeners": `[{"protocol":"HTTPS","port":443,"certificateArn":"arn:aws:acm:ap-northeast-2:123456789012:certificate/abc"}]`,
	}, Environment{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Settings{fromJSON, fromCLI} {
		if !s.Internal || *s.HealthCheckInterval != 10 || s.SSHCidrs[0] != "203.0.113.0/24" || s.Listeners[0].Protocol != "HTTPS" || *s.Listeners[0].Port != 443 {
			t.Errorf("parsed %+v", s)
		}
	}
}

func TestReadDefaultsAndFirstRow(t *testing.T) {
	s, err := Read(nil, Environment{})
	if err != nil || s.Region != "ap-northeast-2" || s.LoadBalancerName != "exampleelb" || s.Listeners != nil {
		t.Fatalf("defaults: %+v, %v", s, err)
	}
	s, err = Read(map[string]interface{}{"listenerProtocol": "ssl", "certificateArn": "arn:aws:iam::123456789012:server-certificate/web"}, Environment{})
	if err != nil {
		t.Fatal(err)
	}
	want := ListenerSetting{Protocol: "SSL", Port: num(443), CertificateArn: "arn:aws:iam::123456789012:server-certificate/web"}
	if len(s.Listeners) != 1 || s.Listeners[0].Protocol != want.Protocol || *s.Listeners[0].Port != *want.Port || s.Listeners[0].CertificateArn != want.CertificateArn {
		t.Errorf("first row: %+v", s.Listeners)
	}
}

func TestKeyOfNamesTheContextKey(t *testing.T) {
	row := &Settings{}
	list := &Settings{listenersFromJSON: true}
	for _, c := range []struct {
		s       *Settings
		setting string
		want    string
	}{
		{row, "HealthCheck.Interval", "healthCheckInterval"},
		{row, "Listeners[0].SslCertificateArn", "certificateArn"},
		{row, "Listeners[0].ExternalPort", "listenerPort"},
		{list, "Listeners[2].ExternalPort", "listeners[2].port"},
		{list, "Listeners[1].InternalProtocol", "listeners[1].instanceProtocol"},
		{row, "InstanceSubnets", "InstanceSubnets"},
	} {
		if got := c.s.keyOf(c.setting); got != c.want {
			t.Errorf("keyOf(%s) = %s, want %s", c.setting, got, c.want)
		}
	}
}

func num(v float64) *float64 { return &v }

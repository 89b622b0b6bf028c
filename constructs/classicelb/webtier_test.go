package classicelb

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancing"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

type obj = map[string]interface{}

// newStack returns a stack in region (empty: environment-agnostic) with a
// two-zone VPC of public and private subnets.
func newStack(region string) (awscdk.Stack, awsec2.IVpc) {
	app := awscdk.NewApp(nil)
	props := &awscdk.StackProps{}
	if region != "" {
		props.Env = &awscdk.Environment{Region: jsii.String(region)}
	}
	stack := awscdk.NewStack(app, jsii.String("Test"), props)
	vpc := awsec2.NewVpc(stack, jsii.String("Vpc"), &awsec2.VpcProps{MaxAzs: jsii.Number(2), NatGateways: jsii.Number(0),
		SubnetConfiguration: &[]*awsec2.SubnetConfiguration{
			{Name: jsii.String("Public"), SubnetType: awsec2.SubnetType_PUBLIC},
			{Name: jsii.String("Private"), SubnetType: awsec2.SubnetType_PRIVATE_ISOLATED},
		}})
	return stack, vpc
}

// build runs NewWebTier and turns a panic into a test failure.
func build(t *testing.T, stack awscdk.Stack, props *WebTierProps) (tier WebTier, tmpl assertions.Template) {
	t.Helper()
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("NewWebTier: %v", r)
			}
		}()
		tier = NewWebTier(stack, jsii.String("WebTier"), props)
		tmpl = assertions.Template_FromStack(stack, nil)
	}()
	return tier, tmpl
}

// buildErr runs NewWebTier and returns the *ValidationError it panics with.
func buildErr(t *testing.T, stack awscdk.Stack, props *WebTierProps) *ValidationError {
	t.Helper()
	var verr *ValidationError
	func() {
		defer func() {
			r := recover()
			err, ok := r.(error)
			if !ok || !errors.As(err, &verr) {
				t.Fatalf("want a *ValidationError panic, got %v", r)
			}
		}()
		NewWebTier(stack, jsii.String("WebTier"), props)
	}()
	return verr
}

// assert turns an assertions panic into a test failure.
func assert(t *testing.T, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%v", r)
		}
	}()
	f()
}

func lbProps(t *testing.T, tmpl assertions.Template) obj {
	t.Helper()
	for _, r := range *tmpl.FindResources(jsii.String("AWS::ElasticLoadBalancing::LoadBalancer"), nil) {
		return (*r)["Properties"].(obj)
	}
	t.Fatal("no load balancer")
	return nil
}

// assertionsTemplate synthesizes the stack (once; later calls reuse it).
func assertionsTemplate(stack awscdk.Stack) assertions.Template {
	return assertions.Template_FromStack(stack, nil)
}

func js(v interface{}) string { b, _ := json.Marshal(v); return string(b) }

func TestNilPropsNamesTheMissingVpc(t *testing.T) {
	stack, _ := newStack("")
	verr := buildErr(t, stack, nil)
	if verr.Path != "Test/WebTier" || len(verr.Problems) != 1 || verr.Problems[0].Setting != "Vpc" {
		t.Errorf("got %v", verr)
	}
}

func TestAccessorsExposeWhatWasCreated(t *testing.T) {
	stack, vpc := newStack("")
	tier := NewWebTier(stack, jsii.String("WebTier"), &WebTierProps{Vpc: vpc})
	if id := *tier.LoadBalancer().Node().Id(); id != "Resource" {
		t.Errorf("L1 id %q, want Resource", id)
	}
	if n := len(tier.Instances()); n != 2 {
		t.Errorf("%d instances, want 2", n)
	}
	if tier.Record() != nil {
		t.Error("record without a hosted zone")
	}
	for name, v := range map[string]interface{}{
		"LoadBalancerSecurityGroup": tier.LoadBalancerSecurityGroup(), "InstanceSecurityGroup": tier.InstanceSecurityGroup(),
		"InstanceRole": tier.InstanceRole(), "Connections": tier.Connections(), "LoadBalancerConnections": tier.LoadBalancerConnections(),
	} {
		if v == nil {
			t.Errorf("%s is nil", name)
		}
	}
	if port := *tier.LoadBalancerConnections().DefaultPort().ToString(); port != "80" {
		t.Errorf("default port %s, want 80", port)
	}
	for _, s := range []*string{tier.LoadBalancerDnsName(), tier.LoadBalancerCanonicalHostedZoneNameId()} {
		if !*awscdk.Token_IsUnresolved(s) {
			t.Errorf("%s is not an attribute token", *s)
		}
	}
	// LoadBalancerConnections opens the load balancer to more clients.
	tier.LoadBalancerConnections().AllowDefaultPortFrom(awsec2.Peer_Ipv4(jsii.String("198.51.100.0/24")), jsii.String("partner"))
	tmpl := assertions.Template_FromStack(stack, nil)
	assert(t, func() {
		tmpl.HasResourceProperties(jsii.String("AWS::EC2::SecurityGroup"), obj{
			"SecurityGroupIngress": assertions.Match_ArrayWith(&[]interface{}{obj{"CidrIp": "198.51.100.0/24", "FromPort": 80, "ToPort": 80, "IpProtocol": "tcp", "Description": "partner"}}),
		})
	})
}

func TestPropsAreNotMutated(t *testing.T) {
	stack, vpc := newStack("")
	props := &WebTierProps{Vpc: vpc, HealthCheck: &HealthCheck{}, Listeners: &[]*Listener{{ExternalPort: jsii.Number(8080)}}}
	build(t, stack, props)
	l := (*props.Listeners)[0]
	if props.InstanceCount != nil || props.HealthCheck.Path != nil || props.HealthCheck.Timeout != nil || l.InternalPort != nil || l.ExternalProtocol != "" {
		t.Error("NewWebTier wrote defaults into the caller's props")
	}
}

func TestEveryLoadBalancerPropertyIsReachable(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	bucket := awss3.NewBucket(stack, jsii.String("Logs"), nil)
	_, tmpl := build(t, stack, &WebTierProps{
		Vpc:                       vpc,
		LoadBalancerName:          jsii.String("web-1"),
		ConnectionDrainingTimeout: awscdk.Duration_Minutes(jsii.Number(2)),
		IdleTimeout:               awscdk.Duration_Seconds(jsii.Number(400)),
		Listeners: &[]*Listener{
			{ExternalPort: jsii.Number(80), PolicyNames: jsii.Strings("sticky")},
			{ExternalPort: jsii.Number(443), ExternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_HTTPS,
				SslCertificateArn: jsii.String("arn:aws:acm:ap-northeast-2:123456789012:certificate/abc"), PolicyNames: jsii.Strings("app", "tls")},
		},
		HealthCheck:                 &HealthCheck{Path: jsii.String("/health"), Interval: awscdk.Duration_Minutes(jsii.Number(1)), HealthyThreshold: jsii.Number(3)},
		AccessLogging:               &AccessLogging{Bucket: bucket, Prefix: jsii.String("elb"), EmitInterval: awscdk.Duration_Minutes(jsii.Number(5))},
		LbCookieStickinessPolicies:  &[]*LbCookieStickinessPolicy{{PolicyName: jsii.String("sticky"), CookieExpirationPeriod: awscdk.Duration_Hours(jsii.Number(1))}},
		AppCookieStickinessPolicies: &[]*AppCookieStickinessPolicy{{PolicyName: jsii.String("app"), CookieName: jsii.String("SESSION")}},
		Policies: &[]*awselasticloadbalancing.CfnLoadBalancer_PoliciesProperty{{
			PolicyName: jsii.String("tls"), PolicyType: jsii.String("SSLNegotiationPolicyType"),
			Attributes: &[]interface{}{obj{"Name": "Reference-Security-Policy", "Value": "ELBSecurityPolicy-TLS-1-2-2017-01"}},
		}},
		Tags: &map[string]*string{"team": jsii.String("web")},
	})
	p := lbProps(t, tmpl)
	for key, want := range map[string]string{
		"LoadBalancerName":          `"web-1"`,
		"ConnectionDrainingPolicy":  `{"Enabled":true,"Timeout":120}`,
		"ConnectionSettings":        `{"IdleTimeout":400}`,
		"HealthCheck":               `{"HealthyThreshold":"3","Interval":"60","Target":"HTTP:80/health","Timeout":"5","UnhealthyThreshold":"2"}`,
		"LBCookieStickinessPolicy":  `[{"CookieExpirationPeriod":"3600","PolicyName":"sticky"}]`,
		"AppCookieStickinessPolicy": `[{"CookieName":"SESSION","PolicyName":"app"}]`,
		"Listeners": `[{"InstancePort":"80","InstanceProtocol":"HTTP","LoadBalancerPort":"80","PolicyNames":["sticky"],"Protocol":"HTTP"},` +
			`{"InstancePort":"80","InstanceProtocol":"HTTP","LoadBalancerPort":"443","PolicyNames":["app","tls"],"Protocol":"HTTPS","SSLCertificateId":"arn:aws:acm:ap-northeast-2:123456789012:certificate/abc"}]`,
		"Policies": `[{"Attributes":[{"Name":"Reference-Security-Policy","Value":"ELBSecurityPolicy-TLS-1-2-2017-01"}],"PolicyName":"tls","PolicyType":"SSLNegotiationPolicyType"}]`,
		"Tags":     `[{"Key":"team","Value":"web"}]`,
	} {
		if got := js(p[key]); got != want {
			t.Errorf("%s:\n got %s\nwant %s", key, got, want)
		}
	}
	if got := js(p["AccessLoggingPolicy"]); !strings.Contains(got, `"EmitInterval":5`) || !strings.Contains(got, `"S3BucketPrefix":"elb"`) {
		t.Errorf("AccessLoggingPolicy %s", got)
	}
	// Seoul delivers logs from its regional ELB account.
	if got := js(tmpl.FindResources(jsii.String("AWS::S3::BucketPolicy"), nil)); !strings.Contains(got, `"Sid":"ElbAccessLogDelivery"`) ||
		!strings.Contains(got, `":iam::600734575887:root"`) || !strings.Contains(got, `/elb/AWSLogs/`) {
		t.Errorf("bucket policy does not let Seoul's ELB account write under the prefix:\n%s", got)
	}
	assert(t, func() {
		tmpl.HasResourceProperties(jsii.String("AWS::EC2::Instance"), obj{"Tags": assertions.Match_ArrayWith(&[]interface{}{obj{"Key": "team", "Value": "web"}})})
	})
}

func TestLogDeliveryPrincipalFollowsTheRegion(t *testing.T) {
	cases := map[string]string{
		"ap-northeast-2": `600734575887`,
		"ap-southeast-7": `"Service":"logdelivery.elasticloadbalancing.amazonaws.com"`,
		"":               `Fn::FindInMap`,
	}
	for region, want := range cases {
		stack, vpc := newStack(region)
		bucket := awss3.NewBucket(stack, jsii.String("Logs"), nil)
		_, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, AccessLogging: &AccessLogging{Bucket: bucket}})
		policies := tmpl.FindResources(jsii.String("AWS::S3::BucketPolicy"), nil)
		if got := js(policies); !strings.Contains(got, want) {
			t.Errorf("region %q: bucket policy lacks %s:\n%s", region, want, got)
		}
	}
}

func TestInvalidPropsAreAllReportedBeforeAnythingIsBuilt(t *testing.T) {
	stack, vpc := newStack("")
	verr := buildErr(t, stack, &WebTierProps{
		Vpc:           vpc,
		InstanceCount: jsii.Number(0),
		HealthCheck:   &HealthCheck{Interval: awscdk.Duration_Seconds(jsii.Number(3)), Timeout: awscdk.Duration_Millis(jsii.Number(2500))},
		Listeners:     &[]*Listener{{ExternalPort: jsii.Number(443), ExternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_HTTPS}},
	})
	got := verr.Error()
	for _, want := range []string{
		"Test/WebTier: 4 invalid settings",
		"InstanceCount: 0 is not allowed",
		"HealthCheck.Interval: 3 seconds is out of range; allowed 5-300 seconds",
		"HealthCheck.Timeout: 2.5 seconds is not a whole number",
		"Listeners[0].SslCertificateArn: is required for an HTTPS listener",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %q:\n%s", want, got)
		}
	}
	if n := len(*stack.Node().FindAll(constructs.ConstructOrder_PREORDER)); n > 40 {
		t.Errorf("invalid props still built %d constructs", n)
	}
	if err := ValidateProps(&WebTierProps{Vpc: vpc, IdleTimeout: awscdk.Duration_Hours(jsii.Number(2))}); err == nil || !strings.Contains(err.Error(), "IdleTimeout: 7200 seconds is out of range; allowed 1-3600 seconds") {
		t.Errorf("ValidateProps: %v", err)
	}
	if err := ValidateProps(&WebTierProps{Vpc: vpc}); err != nil {
		t.Errorf("ValidateProps of valid props: %v", err)
	}
}

func TestTokensAreLeftToCloudFormation(t *testing.T) {
	stack, vpc := newStack("")
	interval := awscdk.NewCfnParameter(stack, jsii.String("Interval"), &awscdk.CfnParameterProps{Type: jsii.String("Number")})
	name := awscdk.NewCfnParameter(stack, jsii.String("Name"), nil)
	_, tmpl := build(t, stack, &WebTierProps{
		Vpc:              vpc,
		LoadBalancerName: name.ValueAsString(),
		HealthCheck:      &HealthCheck{Interval: awscdk.Duration_Seconds(interval.ValueAsNumber())},
	})
	p := lbProps(t, tmpl)
	if got := js(p["HealthCheck"].(obj)["Interval"]); got != `{"Ref":"Interval"}` {
		t.Errorf("Interval %s", got)
	}
	if got := js(p["LoadBalancerName"]); got != `{"Ref":"Name"}` {
		t.Errorf("LoadBalancerName %s", got)
	}
}

func TestSubnetChecks(t *testing.T) {
	stack, vpc := newStack("")
	// Two subnets of one zone for the load balancer: ELB would reject it.
	pub := *vpc.PublicSubnets()
	priv := *vpc.IsolatedSubnets()
	verr := buildErr(t, stack, &WebTierProps{Vpc: vpc, LoadBalancerSubnets: &awsec2.SubnetSelection{Subnets: &[]awsec2.ISubnet{pub[0], priv[0]}}})
	if !strings.Contains(verr.Error(), "LoadBalancerSubnets: selects subnets") || !strings.Contains(verr.Error(), "at most one subnet per Availability Zone") {
		t.Errorf("got %v", verr)
	}
	// An instance subnet selection that matches nothing leaves the instances
	// nowhere to go.
	stack2, vpc2 := newStack("")
	verr = buildErr(t, stack2, &WebTierProps{Vpc: vpc2, InstanceSubnets: &awsec2.SubnetSelection{
		SubnetFilters: &[]awsec2.SubnetFilter{awsec2.SubnetFilter_ByIds(jsii.Strings("subnet-nope"))},
	}})
	if !strings.Contains(verr.Error(), "InstanceSubnets: selects no subnet") {
		t.Errorf("got %v", verr)
	}
}

func TestSingleZoneWarns(t *testing.T) {
	stack, vpc := newStack("")
	build(t, stack, &WebTierProps{Vpc: vpc, LoadBalancerSubnets: &awsec2.SubnetSelection{Subnets: &[]awsec2.ISubnet{(*vpc.PublicSubnets())[0]}}})
	assert(t, func() {
		assertions.Annotations_FromStack(stack).HasWarning(jsii.String("/Test/WebTier"), assertions.Match_StringLikeRegexp(jsii.String("spans 1 Availability Zone")))
	})
}

func TestSecurityOptions(t *testing.T) {
	stack, vpc := newStack("")
	zone := awsroute53.HostedZone_FromHostedZoneAttributes(stack, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{HostedZoneId: jsii.String("Z1"), ZoneName: jsii.String("example.com")})
	existing := awsec2.NewSecurityGroup(stack, jsii.String("Existing"), &awsec2.SecurityGroupProps{Vpc: vpc, AllowAllOutbound: jsii.Bool(false)})
	_, tmpl := build(t, stack, &WebTierProps{
		Vpc: vpc, SecurityGroup: existing,
		AllowedPeers:             &[]awsec2.IPeer{awsec2.Peer_Ipv4(jsii.String("192.0.2.0/24"))},
		OpenInstancePortsToWorld: jsii.Bool(true),
		SshPeers:                 &[]awsec2.IPeer{awsec2.Peer_Ipv4(jsii.String("203.0.113.7/32"))},
		HostedZone:               zone, RecordName: jsii.String("app.example.com"), EvaluateTargetHealth: jsii.Bool(true),
	})
	sgs := js(tmpl.FindResources(jsii.String("AWS::EC2::SecurityGroup"), nil))
	for _, want := range []string{`"CidrIp":"192.0.2.0/24"`, `"CidrIp":"203.0.113.7/32","Description":"SSH from 203.0.113.7/32","FromPort":22`, `"Description":"Instance port 80 from anywhere (OpenInstancePortsToWorld)"`} {
		if !strings.Contains(sgs, want) {
			t.Errorf("security groups lack %s", want)
		}
	}
	if strings.Contains(sgs, `"CidrIp":"0.0.0.0/0","Description":"Listener`) {
		t.Error("listener open to the world although AllowedPeers is set")
	}
	// Only the given group fronts the load balancer: no second LB group.
	if n := len(*tmpl.FindResources(jsii.String("AWS::EC2::SecurityGroup"), nil)); n != 2 {
		t.Errorf("%d security groups, want the given one and the instances'", n)
	}
	assert(t, func() {
		tmpl.HasResourceProperties(jsii.String("AWS::Route53::RecordSet"), obj{"Name": "app.example.com.", "Type": "A", "AliasTarget": obj{"EvaluateTargetHealth": true}})
	})
}

func TestTLSBackendIsServedByTheDefaultUserData(t *testing.T) {
	stack, vpc := newStack("")
	tier, _ := build(t, stack, &WebTierProps{Vpc: vpc, Listeners: &[]*Listener{{
		ExternalPort: jsii.Number(443), ExternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_HTTPS,
		InternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_HTTPS, InternalPort: jsii.Number(443),
		SslCertificateArn: jsii.String("arn:aws:acm:us-east-1:123456789012:certificate/abc"),
	}}})
	script := *tier.Instances()[0].UserData().Render()
	for _, want := range []string{"openssl req -x509", "webtier-https@443.service", "LoadCredential=tls.key:/etc/webtier/tls.key", "/opt/webtier/webserver.py %i --tls"} {
		if !strings.Contains(script, want) {
			t.Errorf("the user data lacks %q", want)
		}
	}
	if strings.Contains(script, "webtier-http@443") {
		t.Error("port 443 is served in plain text too")
	}
	if n := len(*assertions.Annotations_FromStack(stack).FindWarning(jsii.String("/Test/WebTier"), assertions.Match_AnyValue())); n != 0 {
		t.Errorf("%d warnings for end-to-end TLS with the default user data", n)
	}
}

func TestListenerDefaultsAndMissingPort(t *testing.T) {
	cert := jsii.String("arn:aws:acm:ap-northeast-2:123456789012:certificate/abc")
	// HTTPS behind HTTPS keeps the port; only TLS ending at the LB moves to 80.
	err := ValidateProps(&WebTierProps{Vpc: awsec2.Vpc_FromVpcAttributes(awscdk.NewStack(awscdk.NewApp(nil), jsii.String("S"), nil), jsii.String("V"), &awsec2.VpcAttributes{
		VpcId: jsii.String("vpc-1"), AvailabilityZones: jsii.Strings("a"), PublicSubnetIds: jsii.Strings("subnet-1"),
	}), Listeners: &[]*Listener{{}}})
	var verr *ValidationError
	if !errors.As(err, &verr) || len(verr.Problems) != 1 || !strings.Contains(err.Error(), "Listeners[0].ExternalPort: is required") {
		t.Errorf("a missing port should be one problem: %v", err)
	}
	// An own server that answers both on 443 (the default user data serves
	// a port one way).
	stack, vpc := newStack("")
	_, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, Listeners: &[]*Listener{{
		ExternalPort: jsii.Number(443), ExternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_HTTPS,
		InternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_HTTPS, SslCertificateArn: cert,
	}}, HealthCheck: &HealthCheck{Protocol: awselasticloadbalancing.LoadBalancingProtocol_HTTP}, UserData: awsec2.UserData_ForLinux(nil)})
	p := lbProps(t, tmpl)
	if got := js(p["Listeners"]); !strings.Contains(got, `"InstancePort":"443","InstanceProtocol":"HTTPS"`) {
		t.Errorf("HTTPS back end: %s", got)
	}
	if got := js(p["HealthCheck"]); !strings.Contains(got, `"Target":"HTTP:443/index.html"`) {
		t.Errorf("health check: %s", got)
	}
	// With the default user data, a port served both ways is refused.
	stack, vpc = newStack("")
	verr = buildErr(t, stack, &WebTierProps{Vpc: vpc, Listeners: &[]*Listener{{
		ExternalPort: jsii.Number(443), ExternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_HTTPS,
		InternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_HTTPS, SslCertificateArn: cert,
	}}, HealthCheck: &HealthCheck{Protocol: awselasticloadbalancing.LoadBalancingProtocol_HTTP}})
	if !strings.Contains(verr.Error(), "HealthCheck.Protocol: the HTTP health check reaches instance port 443 in plain text (the port follows listener 0's), but listener 0 (HTTPS) reaches it over TLS") {
		t.Errorf("a port served both ways: %v", verr)
	}
	// A TCP health check only opens a connection, which the TLS port
	// accepts: no conflict, and the port is served over TLS alone.
	stack, vpc = newStack("")
	tier, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, Listeners: &[]*Listener{{
		ExternalPort: jsii.Number(443), ExternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_HTTPS,
		InternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_HTTPS, SslCertificateArn: cert,
	}}, HealthCheck: &HealthCheck{Protocol: awselasticloadbalancing.LoadBalancingProtocol_TCP}})
	if got := js(lbProps(t, tmpl)["HealthCheck"]); !strings.Contains(got, `"Target":"TCP:443"`) {
		t.Errorf("health check: %s", got)
	}
	if script := *tier.Instances()[0].UserData().Render(); !strings.Contains(script, "webtier-https@443.service") || strings.Contains(script, "webtier-http@443.service") {
		t.Errorf("port 443 is not served over TLS alone:\n%s", script)
	}
}

// TestHealthCheckPathIsServed: a health check path that is no page brings
// the page server, told the path without its query string (the default
// user data answers it 200); the construct's own health check keeps the
// plain server.
func TestHealthCheckPathIsServed(t *testing.T) {
	stack, vpc := newStack("")
	tier, _ := build(t, stack, &WebTierProps{Vpc: vpc, HealthCheck: &HealthCheck{Path: jsii.String("/healthz?from=elb")}})
	script := *tier.Instances()[0].UserData().Render()
	if !strings.Contains(script, `ExecStart=/usr/bin/python3 /opt/webtier/webserver.py %i --health "/healthz"`) {
		t.Errorf("the page server does not answer /healthz:\n%s", script)
	}
	stack, vpc = newStack("")
	tier, _ = build(t, stack, &WebTierProps{Vpc: vpc})
	if script := *tier.Instances()[0].UserData().Render(); !strings.Contains(script, "python3 -m http.server %i") || strings.Contains(script, "webserver.py") {
		t.Errorf("the default health check needs no page server:\n%s", script)
	}
}

func TestNilEntriesAreReported(t *testing.T) {
	stack, vpc := newStack("")
	verr := buildErr(t, stack, &WebTierProps{Vpc: vpc, SshPeers: &[]awsec2.IPeer{nil}, Tags: &map[string]*string{"team": nil}})
	for _, want := range []string{"SshPeers[0]: is nil", `Tags["team"]: is nil`} {
		if !strings.Contains(verr.Error(), want) {
			t.Errorf("lacks %s: %v", want, verr)
		}
	}
}

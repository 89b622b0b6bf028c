package classicelb

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancing"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/jsii-runtime-go"
)

// assertionsStack is the tier's stack.
func assertionsStack(tier WebTier) awscdk.Stack { return awscdk.Stack_Of(tier) }

// routedTier builds a tier in region with an alias "www" in example.org and
// the given routing, and returns the record's properties and the template.
func routedTier(t *testing.T, region string, rt *Routing, more func(*WebTierProps)) (WebTier, obj, assertions.Template) {
	t.Helper()
	stack, vpc := newStack(region)
	zone := awsroute53.HostedZone_FromHostedZoneAttributes(stack, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
		HostedZoneId: jsii.String("Z0000000000EXAMPLE"), ZoneName: jsii.String("example.org"),
	})
	props := &WebTierProps{Vpc: vpc, HostedZone: zone, RecordName: jsii.String("www"), Routing: rt}
	if more != nil {
		more(props)
	}
	tier, tmpl := build(t, stack, props)
	records := *tmpl.FindResources(jsii.String("AWS::Route53::RecordSet"), nil)
	if len(records) != 1 {
		t.Fatalf("want 1 record, got %d", len(records))
	}
	for _, r := range records {
		return tier, (*r)["Properties"].(obj), tmpl
	}
	return nil, nil, nil
}

func TestLatencyRecord(t *testing.T) {
	tier, rec, tmpl := routedTier(t, "ap-northeast-1", &Routing{Policy: RoutingLatency}, nil)
	if rec["Region"] != "ap-northeast-1" || rec["SetIdentifier"] != "ap-northeast-1" || rec["AliasTarget"].(obj)["EvaluateTargetHealth"] != true {
		t.Errorf("latency record: %s", js(rec))
	}
	for _, absent := range []string{"Failover", "Weight", "HealthCheckId"} {
		if _, ok := rec[absent]; ok {
			t.Errorf("latency record has %s: %s", absent, js(rec))
		}
	}
	if n := len(*tmpl.FindResources(jsii.String("AWS::Route53::HealthCheck"), nil)); n != 0 || tier.SiteHealthCheck() != nil {
		t.Errorf("latency: %d health checks, want none", n)
	}
	// A stack without a region gets CloudFormation's AWS::Region.
	_, rec, _ = routedTier(t, "", &Routing{Policy: RoutingLatency, SetIdentifier: jsii.String("tokyo")}, nil)
	if js(rec["Region"]) != `{"Ref":"AWS::Region"}` || rec["SetIdentifier"] != "tokyo" {
		t.Errorf("environment-agnostic latency record: %s", js(rec))
	}
}

func TestWeightedRecord(t *testing.T) {
	_, rec, _ := routedTier(t, "ap-northeast-2", &Routing{Policy: RoutingWeighted, Weight: jsii.Number(0)}, nil)
	if rec["Weight"] != 0.0 || rec["SetIdentifier"] != "ap-northeast-2" || rec["AliasTarget"].(obj)["EvaluateTargetHealth"] != true {
		t.Errorf("weighted record: %s", js(rec))
	}
	if _, ok := rec["Region"]; ok {
		t.Errorf("weighted record has a Region: %s", js(rec))
	}
	// Pure shares of traffic, health aside, are allowed.
	_, rec, _ = routedTier(t, "ap-northeast-2", &Routing{Policy: RoutingWeighted, Weight: jsii.Number(255)}, func(p *WebTierProps) { p.EvaluateTargetHealth = jsii.Bool(false) })
	if rec["Weight"] != 255.0 || rec["AliasTarget"].(obj)["EvaluateTargetHealth"] != false {
		t.Errorf("weighted record without target health: %s", js(rec))
	}
}

func TestFailoverRecords(t *testing.T) {
	tier, rec, tmpl := routedTier(t, "ap-northeast-2", &Routing{Policy: RoutingFailover, Failover: awsroute53.Failover_PRIMARY}, nil)
	checks := *tmpl.FindResources(jsii.String("AWS::Route53::HealthCheck"), nil)
	if len(checks) != 1 || tier.SiteHealthCheck() == nil {
		t.Fatalf("primary: want 1 site health check, got %d", len(checks))
	}
	var checkID string
	lbID := *assertionsStack(tier).GetLogicalId(tier.LoadBalancer())
	for id, c := range checks {
		checkID = id
		cfg := (*c)["Properties"].(obj)["HealthCheckConfig"].(obj)
		if cfg["Type"] != "HTTP" || cfg["Port"] != 80.0 || cfg["ResourcePath"] != DefaultHealthCheckPath || cfg["RequestInterval"] != 30.0 || cfg["FailureThreshold"] != 3.0 {
			t.Errorf("site health check: %s", js(cfg))
		}
		if js(cfg["FullyQualifiedDomainName"]) != js(obj{"Fn::GetAtt": []interface{}{lbID, "DNSName"}}) {
			t.Errorf("the check must ask the load balancer's own name, not the record's: %s", js(cfg["FullyQualifiedDomainName"]))
		}
	}
	if rec["Failover"] != "PRIMARY" || rec["SetIdentifier"] != "ap-northeast-2" || js(rec["HealthCheckId"]) != js(obj{"Ref": checkID}) || rec["AliasTarget"].(obj)["EvaluateTargetHealth"] != true {
		t.Errorf("primary record: %s", js(rec))
	}

	// The standby has no check of its own unless asked.
	tier, rec, tmpl = routedTier(t, "us-west-2", &Routing{Policy: RoutingFailover, Failover: awsroute53.Failover_SECONDARY}, nil)
	if n := len(*tmpl.FindResources(jsii.String("AWS::Route53::HealthCheck"), nil)); n != 0 || rec["Failover"] != "SECONDARY" || rec["HealthCheckId"] != nil || tier.SiteHealthCheck() != nil {
		t.Errorf("secondary: %d checks, record %s", n, js(rec))
	}

	// HTTPS first: the check asks HTTPS with SNI on 443; TCP: a TCP check.
	https := []*Listener{{ExternalPort: jsii.Number(443), ExternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_HTTPS, InternalPort: jsii.Number(80),
		SslCertificateArn: jsii.String("arn:aws:acm:ap-northeast-2:111122223333:certificate/abc")}, {ExternalPort: jsii.Number(80)}}
	_, _, tmpl = routedTier(t, "ap-northeast-2", &Routing{Policy: RoutingFailover, Failover: awsroute53.Failover_PRIMARY}, func(p *WebTierProps) { p.Listeners = &https })
	for _, c := range *tmpl.FindResources(jsii.String("AWS::Route53::HealthCheck"), nil) {
		if cfg := (*c)["Properties"].(obj)["HealthCheckConfig"].(obj); cfg["Type"] != "HTTPS" || cfg["Port"] != 443.0 || cfg["EnableSNI"] != true {
			t.Errorf("HTTPS site check: %s", js(cfg))
		}
	}
	tcp := []*Listener{{ExternalPort: jsii.Number(5000), ExternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_TCP}}
	_, _, tmpl = routedTier(t, "ap-northeast-2", &Routing{Policy: RoutingFailover, Failover: awsroute53.Failover_PRIMARY}, func(p *WebTierProps) { p.Listeners = &tcp })
	for _, c := range *tmpl.FindResources(jsii.String("AWS::Route53::HealthCheck"), nil) {
		if cfg := (*c)["Properties"].(obj)["HealthCheckConfig"].(obj); cfg["Type"] != "TCP" || cfg["Port"] != 5000.0 || cfg["ResourcePath"] != nil {
			t.Errorf("TCP site check: %s", js(cfg))
		}
	}
	// Listeners open to some peers only: no check unless asked, and a
	// warning when asked (the checkers must be let in).
	peers := []awsec2.IPeer{awsec2.Peer_Ipv4(jsii.String("203.0.113.0/24"))}
	_, _, tmpl = routedTier(t, "ap-northeast-2", &Routing{Policy: RoutingFailover, Failover: awsroute53.Failover_PRIMARY}, func(p *WebTierProps) { p.AllowedPeers = &peers })
	if n := len(*tmpl.FindResources(jsii.String("AWS::Route53::HealthCheck"), nil)); n != 0 {
		t.Errorf("restricted peers: %d checks by default, want none", n)
	}
	tier, _, _ = routedTier(t, "ap-northeast-2", &Routing{Policy: RoutingFailover, Failover: awsroute53.Failover_PRIMARY, SiteHealthCheck: jsii.Bool(true)}, func(p *WebTierProps) { p.AllowedPeers = &peers })
	warned := assertions.Annotations_FromStack(awscdk.Stack_Of(tier)).FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("ROUTE53_HEALTHCHECKS ranges")))
	if tier.SiteHealthCheck() == nil || len(*warned) != 1 {
		t.Errorf("restricted peers with the check asked for: check %v, %d warnings", tier.SiteHealthCheck() != nil, len(*warned))
	}
	// An internal primary relies on the target's health alone.
	_, rec, tmpl = routedTier(t, "ap-northeast-2", &Routing{Policy: RoutingFailover, Failover: awsroute53.Failover_PRIMARY}, func(p *WebTierProps) { p.Internal = jsii.Bool(true) })
	if n := len(*tmpl.FindResources(jsii.String("AWS::Route53::HealthCheck"), nil)); n != 0 || rec["AliasTarget"].(obj)["EvaluateTargetHealth"] != true {
		t.Errorf("internal primary: %d checks, record %s", n, js(rec))
	}
}

func TestRoutingProblems(t *testing.T) {
	failover := func(role awsroute53.Failover) *routingSpec {
		return &routingSpec{policy: RoutingFailover, failover: role}
	}
	withZone := func(s *spec) { s.hasZone, s.zoneName = true, "example.org" }
	cases := []struct {
		name    string
		change  func(*spec)
		setting string
		want    string
	}{
		{"no zone", func(s *spec) { s.routing = &routingSpec{policy: RoutingLatency} }, "Routing", "is set without HostedZone"},
		{"unknown policy", func(s *spec) { withZone(s); s.routing = &routingSpec{policy: "GEO"} }, "Routing.Policy", `"GEO" is not a routing policy; allowed: LATENCY, FAILOVER, WEIGHTED`},
		{"failover without role", func(s *spec) { withZone(s); s.routing = failover("") }, "Routing.Failover", "is required with FAILOVER"},
		{"failover bad role", func(s *spec) { withZone(s); s.routing = failover("TERTIARY") }, "Routing.Failover", `"TERTIARY" is not allowed; allowed: PRIMARY or SECONDARY`},
		{"role with latency", func(s *spec) {
			withZone(s)
			s.routing = &routingSpec{policy: RoutingLatency, failover: awsroute53.Failover_PRIMARY}
		}, "Routing.Failover", "is for FAILOVER; LATENCY records take no failover role"},
		{"weighted without weight", func(s *spec) { withZone(s); s.routing = &routingSpec{policy: RoutingWeighted} }, "Routing.Weight", "is required with WEIGHTED"},
		{"weight 256", func(s *spec) {
			withZone(s)
			s.routing = &routingSpec{policy: RoutingWeighted, hasWeight: true, weight: 256}
		}, "Routing.Weight", "256 is not allowed; allowed: a whole number from 0 to 255"},
		{"weight 1.5", func(s *spec) {
			withZone(s)
			s.routing = &routingSpec{policy: RoutingWeighted, hasWeight: true, weight: 1.5}
		}, "Routing.Weight", "1.5 is not allowed"},
		{"weight with latency", func(s *spec) {
			withZone(s)
			s.routing = &routingSpec{policy: RoutingLatency, hasWeight: true, weight: 1}
		}, "Routing.Weight", "is for WEIGHTED; LATENCY records take no weight"},
		{"empty set identifier", func(s *spec) {
			withZone(s)
			s.routing = &routingSpec{policy: RoutingLatency, hasSetIdentifier: true}
		}, "Routing.SetIdentifier", "is 0 characters long; allowed: 1 to 128"},
		{"long set identifier", func(s *spec) {
			withZone(s)
			s.routing = &routingSpec{policy: RoutingLatency, hasSetIdentifier: true, setIdentifier: strings.Repeat("x", 129)}
		}, "Routing.SetIdentifier", "is 129 characters long"},
		{"health check with latency", func(s *spec) {
			withZone(s)
			s.routing = &routingSpec{policy: RoutingLatency, siteHealthCheck: true}
		}, "Routing.SiteHealthCheck", "is for FAILOVER; LATENCY records already leave out a region"},
		{"health check internal", func(s *spec) {
			withZone(s)
			s.internal = true
			s.routing = failover(awsroute53.Failover_PRIMARY)
			s.routing.siteHealthCheck, s.evaluateTargetHealth = true, true
		}, "Routing.SiteHealthCheck", "cannot check an internal load balancer"},
		{"failover without target health", func(s *spec) {
			withZone(s)
			s.routing = failover(awsroute53.Failover_SECONDARY)
		}, "EvaluateTargetHealth", "false is not allowed with FAILOVER"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := validSpec()
			c.change(s)
			wantProblem(t, s, c.setting, c.want)
		})
	}
	// Every valid shape passes.
	for _, rt := range []*routingSpec{
		{policy: RoutingLatency},
		{policy: RoutingWeighted, hasWeight: true, weight: 0},
		{policy: RoutingWeighted, hasWeight: true, weight: 255, hasSetIdentifier: true, setIdentifier: strings.Repeat("x", 128)},
		{policy: RoutingFailover, failover: awsroute53.Failover_PRIMARY, siteHealthCheck: true},
		{policy: RoutingFailover, failover: awsroute53.Failover_SECONDARY, siteHealthCheck: true},
	} {
		s := validSpec()
		withZone(s)
		s.routing, s.evaluateTargetHealth = rt, true
		if ps := s.validate(); len(ps) != 0 {
			t.Errorf("%+v rejected: %v", *rt, ps.err(""))
		}
	}
}

func TestRoutingChangesKeepTheRecord(t *testing.T) {
	// Weight, role and the check change in place: the record keeps its
	// logical ID (Route 53 refuses a second record of the name).
	ids := map[string]bool{}
	for _, rt := range []*Routing{
		nil,
		{Policy: RoutingWeighted, Weight: jsii.Number(10)},
		{Policy: RoutingWeighted, Weight: jsii.Number(90)},
		{Policy: RoutingFailover, Failover: awsroute53.Failover_PRIMARY},
		{Policy: RoutingFailover, Failover: awsroute53.Failover_PRIMARY, SiteHealthCheck: jsii.Bool(false)},
	} {
		stack, vpc := newStack("ap-northeast-2")
		zone := awsroute53.HostedZone_FromHostedZoneAttributes(stack, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
			HostedZoneId: jsii.String("Z1"), ZoneName: jsii.String("example.org"),
		})
		tier, _ := build(t, stack, &WebTierProps{Vpc: vpc, HostedZone: zone, Routing: rt})
		ids[*stack.GetLogicalId(tier.Record().Node().DefaultChild().(awscdk.CfnElement))] = true
	}
	if len(ids) != 1 {
		t.Errorf("the record's logical ID changes with routing: %v", ids)
	}
}

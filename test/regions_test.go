package test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// regionScenario is a set of settings that deploys one stack per region;
// each stack's template is compared with testdata/<name>-<region>.json.
type regionScenario struct {
	name     string
	settings map[string]interface{}
	regions  []string
	check    func(t *testing.T, region string, i int, s synthesized)
}

var regionScenarios = []regionScenario{
	// The first command: the closest healthy region answers.
	{name: "regions-latency", regions: []string{"ap-northeast-2", "ap-northeast-1"}, settings: map[string]interface{}{
		"regions": "ap-northeast-2,ap-northeast-1", "domainName": "example.org", "hostedZoneId": zoneID, "recordName": "www",
	}, check: checkLatency},
	// Seoul serves while its site answers Route 53's checks over HTTPS,
	// Oregon takes over; each region requests its own certificate and
	// mails its own alarms.
	{name: "regions-failover-https", regions: []string{"ap-northeast-2", "us-west-2"}, settings: map[string]interface{}{
		"regions": []interface{}{"ap-northeast-2", "us-west-2"}, "routing": "failover", "https": true, "alarmEmail": "ops@example.org",
		"domainName": "example.org", "hostedZoneId": zoneID, "recordName": "www",
	}, check: checkFailoverHTTPS},
	// A gradual move between regions, fleets on both sides, each region
	// pinned to its own image.
	{name: "regions-weighted-fleet", regions: []string{"ap-northeast-2", "ap-northeast-1"}, settings: map[string]interface{}{
		"regions": "ap-northeast-2,ap-northeast-1", "routing": "weighted", "weights": "ap-northeast-2=90,ap-northeast-1=10",
		"autoScaling": "true", "amiId": "ap-northeast-2=ami-0123456789abcdef0,ap-northeast-1=ami-0fedcba9876543210",
		"domainName": "example.org", "hostedZoneId": zoneID,
	}, check: checkWeightedFleet},
}

func TestRegionScenarios(t *testing.T) {
	for _, sc := range regionScenarios {
		t.Run(sc.name, func(t *testing.T) {
			stacks := synthAll(t, sc.settings, "")
			if len(stacks) != len(sc.regions) {
				t.Fatalf("want %d stacks, got %d", len(sc.regions), len(stacks))
			}
			for i, s := range stacks {
				region := sc.regions[i]
				if got, want := *s.stack.StackName(), "ClassicWebTier-"+region; got != want || *s.stack.Region() != region {
					t.Errorf("stack %d: %s in %s, want %s in %s", i, got, *s.stack.Region(), want, region)
				}
				compareGolden(t, sc.name+"-"+region, templateJSON(t, s.template))
				// A generated name: the tutorial's exampleelb may still run
				// there in the one-region stack being moved from.
				if _, lb := only(t, s.template, lbType); props(lb)["LoadBalancerName"] != nil {
					t.Errorf("%s: load balancer named %v", region, props(lb)["LoadBalancerName"])
				}
				sc.check(t, region, i, s)
			}
		})
	}
}

// record is the stack's alias record's properties.
func record(t *testing.T, s synthesized) map[string]interface{} {
	t.Helper()
	_, r := only(t, s.template, "AWS::Route53::RecordSet")
	return props(r)
}

func checkLatency(t *testing.T, region string, _ int, s synthesized) {
	rec := record(t, s)
	if rec["Name"] != "www.example.org." || rec["Region"] != region || rec["SetIdentifier"] != region || rec["AliasTarget"].(map[string]interface{})["EvaluateTargetHealth"] != true {
		t.Errorf("%s: latency record %v", region, rec)
	}
	count(t, s.template, "AWS::Route53::HealthCheck", 0)
}

func checkFailoverHTTPS(t *testing.T, region string, i int, s synthesized) {
	rec := record(t, s)
	role, checks := "PRIMARY", 1
	if i > 0 {
		role, checks = "SECONDARY", 0
	}
	if rec["Failover"] != role || rec["SetIdentifier"] != region || rec["AliasTarget"].(map[string]interface{})["EvaluateTargetHealth"] != true {
		t.Errorf("%s: failover record %v", region, rec)
	}
	count(t, s.template, "AWS::Route53::HealthCheck", checks)
	if checks == 1 {
		hasProps(t, s.template, "AWS::Route53::HealthCheck", map[string]interface{}{"HealthCheckConfig": map[string]interface{}{
			"Type": "HTTPS", "Port": 443, "ResourcePath": "/index.html", "EnableSNI": true,
		}})
		if rec["HealthCheckId"] == nil {
			t.Errorf("primary record does not follow the health check: %v", rec)
		}
	}
	// Each region's own certificate, for the same name.
	hasProps(t, s.template, "AWS::CertificateManager::Certificate", map[string]interface{}{"DomainName": "www.example.org"})
	if lb := string(templateJSON(t, s.template)); !strings.Contains(lb, `"SSLCertificateId": {`) {
		t.Errorf("%s: the HTTPS listener does not use the stack's own certificate", region)
	}
}

func checkWeightedFleet(t *testing.T, region string, _ int, s synthesized) {
	rec := record(t, s)
	want := map[string]float64{"ap-northeast-2": 90, "ap-northeast-1": 10}[region]
	if rec["Weight"] != want || rec["SetIdentifier"] != region || rec["Name"] != "example.org." {
		t.Errorf("%s: weighted record %v", region, rec)
	}
	count(t, s.template, "AWS::AutoScaling::AutoScalingGroup", 1)
	ami := map[string]string{"ap-northeast-2": "ami-0123456789abcdef0", "ap-northeast-1": "ami-0fedcba9876543210"}[region]
	if !strings.Contains(string(templateJSON(t, s.template)), `"ImageId": "`+ami+`"`) {
		t.Errorf("%s: the launch template does not use %s", region, ami)
	}
}

// TestRegionsThroughTheCLI runs the commands through the real CLI:
// a stack per region with a latency alias each, failover between Seoul
// and Oregon with a health check on the primary, and regions without a
// domain refused before any template is written.
func TestRegionsThroughTheCLI(t *testing.T) {
	t.Parallel()
	zone := []string{"-c", "domainName=example.org", "-c", "hostedZoneId=Z0000000000EXAMPLE", "-c", "recordName=www"}
	for _, c := range []struct {
		args []string
		want map[string][]string
	}{
		{append([]string{"-c", "regions=ap-northeast-2,ap-northeast-1"}, zone...), map[string][]string{
			"ap-northeast-2": {`"Region": "ap-northeast-2"`, `"SetIdentifier": "ap-northeast-2"`, `"EvaluateTargetHealth": true`},
			"ap-northeast-1": {`"Region": "ap-northeast-1"`, `"SetIdentifier": "ap-northeast-1"`, `"EvaluateTargetHealth": true`},
		}},
		{append([]string{"-c", "regions=ap-northeast-2,us-west-2", "-c", "routing=failover"}, zone...), map[string][]string{
			"ap-northeast-2": {`"Failover": "PRIMARY"`, `"Type": "AWS::Route53::HealthCheck"`, `"HealthCheckId"`},
			"us-west-2":      {`"Failover": "SECONDARY"`},
		}},
	} {
		out, output, err := cdkCLI(t, c.args...)
		if err != nil {
			t.Fatalf("cdk synth %v: %v\n%s", c.args, err, output)
		}
		matches, _ := filepathGlob(out, "*.template.json")
		if len(matches) != len(c.want) {
			t.Errorf("%v: templates %v, want one per region", c.args, matches)
		}
		for region, want := range c.want {
			raw, err := os.ReadFile(filepath.Join(out, "ClassicWebTier-"+region+".template.json"))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range want {
				if !strings.Contains(string(raw), w) {
					t.Errorf("%v: %s's template lacks %s", c.args, region, w)
				}
			}
			if region == "us-west-2" && strings.Contains(string(raw), "AWS::Route53::HealthCheck") {
				t.Errorf("the secondary has a health check of its own")
			}
		}
	}
	out, output, err := cdkCLI(t, "-c", "regions=ap-northeast-2,ap-northeast-1")
	if err == nil || !strings.Contains(output, "regions: needs domainName") {
		t.Errorf("regions without a domain: %v\n%s", err, output)
	}
	if matches, _ := filepathGlob(out, "*.template.json"); len(matches) != 0 {
		t.Errorf("a refused synth left %v", matches)
	}
}

package webtierapp

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
)

func TestRegionsAreRefusedWithAReason(t *testing.T) {
	zone := map[string]interface{}{"domainName": "example.org", "hostedZoneId": "Z0000000000EXAMPLE"}
	two := func(kv ...interface{}) map[string]interface{} {
		out := map[string]interface{}{"regions": "ap-northeast-2,ap-northeast-1"}
		for k, v := range zone {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1]
		}
		return out
	}
	cases := []struct {
		name string
		ctx  map[string]interface{}
		want []string
	}{
		{"no domain", map[string]interface{}{"regions": "ap-northeast-2,ap-northeast-1"}, []string{"regions: needs domainName"}},
		{"twice", two("regions", "ap-northeast-2,ap-northeast-2"), []string{"regions: ap-northeast-2 is given twice"}},
		{"format", two("regions", "ap-northeast-2,seoul"), []string{`regions: "seoul" is not valid; allowed: a region name`}},
		{"empty", two("regions", " , "), []string{"regions: \" , \" names no region"}},
		{"region beside", two("region", "us-east-1"), []string{`region: "us-east-1" is set beside regions`}},
		{"routing alone", map[string]interface{}{"routing": "latency"}, []string{"routing: chooses among several regions, which only regions=... deploys"}},
		{"weights alone", map[string]interface{}{"weights": "1,2"}, []string{"weights: chooses among several regions"}},
		{"unknown routing", two("routing", "geo"), []string{`routing: "geo" is not allowed; allowed: latency`}},
		{"failover of three", two("regions", "ap-northeast-2,ap-northeast-1,us-west-2", "routing", "failover"), []string{"routing: failover needs exactly 2 regions", "but regions has 3"}},
		{"weighted without weights", two("routing", "weighted"), []string{"weights: is required with routing=weighted; give each region's share, such as weights=ap-northeast-2=90,ap-northeast-1=10"}},
		{"weights with latency", two("weights", "1,2"), []string{"weights: is for routing=weighted, but routing is latency"}},
		{"weights count", two("routing", "weighted", "weights", "1,2,3"), []string{"weights: gives 3 weights for 2 regions"}},
		{"weights range", two("routing", "weighted", "weights", "ap-northeast-2=256,ap-northeast-1=1.5"), []string{"weights: ap-northeast-2: 256 is not allowed; allowed: a whole number from 0 to 255", "ap-northeast-1: 1.5 is not allowed"}},
		{"weights region", two("routing", "weighted", "weights", "ap-northeast-2=1,eu-west-1=1"), []string{"eu-west-1 is not one of regions (ap-northeast-2, ap-northeast-1)", "names no value for ap-northeast-1"}},
		{"health check with latency", two("siteHealthCheck", "true"), []string{"siteHealthCheck: is for routing=failover; latency records already leave out a region"}},
		{"subnets", two("subnetIds", "subnet-0123abcd", "vpcId", "ap-northeast-2=vpc-0123abcd,ap-northeast-1=vpc-0123abce"), []string{"subnetIds: names subnets of one region"}},
		{"one ami", two("amiId", "ami-0123456789abcdef0"), []string{`amiId: "ami-0123456789abcdef0" is an id of one region, but regions has 2; give region=value for each, such as ap-northeast-2=ami-...,ap-northeast-1=ami-...`}},
		{"ami missing a region", two("amiId", "ap-northeast-2=ami-0123456789abcdef0"), []string{"amiId: names no value for ap-northeast-1"}},
		{"ami bad", two("amiId", "ap-northeast-2=ami-1,ap-northeast-1=ami-0123456789abcdef0"), []string{`amiId: ap-northeast-2: "ami-1" is not valid`}},
		{"vpc and natGateways", two("vpcId", "ap-northeast-2=vpc-0123abcd,ap-northeast-1=vpc-0123abce", "natGateways", "1"), []string{"natGateways: natGateways and interfaceEndpoints shape the app's own VPC"}},
		{"one ACM certificate", two("listenerProtocol", "HTTPS", "certificateArn", "arn:aws:acm:ap-northeast-2:111122223333:certificate/a"), []string{"certificateArn: \"arn:aws:acm:ap-northeast-2:111122223333:certificate/a\" is one certificate, but an ACM certificate serves its own region only"}},
		{"certificate of another region", two("listeners", `[{"protocol":"HTTPS","certificateArn":"ap-northeast-2=arn:aws:acm:ap-northeast-2:111122223333:certificate/a,ap-northeast-1=arn:aws:acm:us-east-1:111122223333:certificate/b"}]`), []string{"listeners[0].certificateArn: ap-northeast-1: \"arn:aws:acm:us-east-1:111122223333:certificate/b\" is a certificate of us-east-1; a load balancer in ap-northeast-1 needs one of ap-northeast-1"}},
		{"key names", two("keyName", "ap-northeast-2=web"), []string{"keyName: names no value for ap-northeast-1"}},
		{"bad region beside", two("region", "seoul"), []string{`region: "seoul" is not valid`}},
		{"long stack name", two("stackName", "A"+strings.Repeat("b", 113)), []string{"makes the stack name A", "CloudFormation takes at most 128"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(c.ctx, Environment{})
			for _, want := range c.want {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("want ...%s...\n got %v", want, err)
				}
			}
		})
	}
}

func TestForRegionPicksEachRegionsValues(t *testing.T) {
	s, err := Read(map[string]interface{}{
		"regions": []interface{}{"ap-northeast-2", "us-west-2"}, "routing": "FAILOVER", "stackName": "Shop",
		"domainName": "example.org", "hostedZoneId": "Z0000000000EXAMPLE",
		"amiId":     map[string]interface{}{"us-west-2": "ami-0fedcba9876543210", "ap-northeast-2": "ami-0123456789abcdef0"},
		"listeners": `[{"protocol":"HTTPS","certificateArn":"us-west-2=arn:aws:acm:us-west-2:111122223333:certificate/b, ap-northeast-2=arn:aws:acm:ap-northeast-2:111122223333:certificate/a"},{"protocol":"SSL","port":8443,"certificateArn":"arn:aws:iam::111122223333:server-certificate/web"}]`,
	}, Environment{Region: "eu-west-1", RegionVar: "AWS_REGION"})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct {
		region, stack, ami, acm string
		role                    awsroute53.Failover
	}{
		{"ap-northeast-2", "Shop-ap-northeast-2", "ami-0123456789abcdef0", "arn:aws:acm:ap-northeast-2:111122223333:certificate/a", awsroute53.Failover_PRIMARY},
		{"us-west-2", "Shop-us-west-2", "ami-0fedcba9876543210", "arn:aws:acm:us-west-2:111122223333:certificate/b", awsroute53.Failover_SECONDARY},
	} {
		r := s.ForRegion(i)
		if r.Region != want.region || r.StackName != want.stack || r.AmiID != want.ami || r.Listeners[0].CertificateArn != want.acm ||
			r.Listeners[1].CertificateArn != "arn:aws:iam::111122223333:server-certificate/web" || r.recordRouting.Failover != want.role {
			t.Errorf("region %d: %s %s %s %s %s %s", i, r.Region, r.StackName, r.AmiID, r.Listeners[0].CertificateArn, r.Listeners[1].CertificateArn, r.recordRouting.Failover)
		}
	}
	// The caller's settings stay as they were.
	if s.Listeners[0].CertificateArn == "arn:aws:acm:ap-northeast-2:111122223333:certificate/a" || s.Region == "us-west-2" {
		t.Errorf("ForRegion changed the settings it was called on")
	}
	// The secondary takes no health check, even when asked for one; the
	// load balancers get generated names, so that no region's takes the
	// name of a one-region stack still running there.
	s, err = Read(map[string]interface{}{"regions": "ap-northeast-2,us-west-2", "routing": "failover", "siteHealthCheck": "true",
		"keyName": "ap-northeast-2=web,us-west-2=web-oregon", "domainName": "example.org", "hostedZoneId": "Z0000000000EXAMPLE"}, Environment{})
	if err != nil {
		t.Fatal(err)
	}
	if p, sec := s.ForRegion(0), s.ForRegion(1); *p.recordRouting.SiteHealthCheck != true || sec.recordRouting.SiteHealthCheck != nil || p.LoadBalancerName != "" || p.KeyName != "web" || sec.KeyName != "web-oregon" {
		t.Errorf("primary check %v, secondary %v, names %q, keys %q %q", p.recordRouting.SiteHealthCheck, sec.recordRouting.SiteHealthCheck, p.LoadBalancerName, p.KeyName, sec.KeyName)
	}
	// Weights in the order of regions, or by name; one region takes a
	// plain id.
	for _, weights := range []interface{}{"90,10", []interface{}{90.0, 10.0}, "us-west-2=10,ap-northeast-2=90", map[string]interface{}{"ap-northeast-2": 90.0, "us-west-2": 10.0}} {
		s, err := Read(map[string]interface{}{"regions": "ap-northeast-2,us-west-2", "routing": "weighted", "weights": weights, "domainName": "example.org", "hostedZoneId": "Z0000000000EXAMPLE"}, Environment{})
		if err != nil {
			t.Fatal(err)
		}
		if *s.ForRegion(0).recordRouting.Weight != 90 || *s.ForRegion(1).recordRouting.Weight != 10 {
			t.Errorf("weights %v: %v", weights, s.Weights)
		}
	}
	s, err = Read(map[string]interface{}{"regions": "eu-west-1", "amiId": "ami-0123456789abcdef0", "domainName": "example.org", "hostedZoneId": "Z0000000000EXAMPLE"}, Environment{})
	if err != nil || s.ForRegion(0).AmiID != "ami-0123456789abcdef0" || s.ForRegion(0).recordRouting.Policy != "LATENCY" {
		t.Errorf("one region with a plain amiId: %v", err)
	}
}

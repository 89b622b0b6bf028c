package boot

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// resolveIn evaluates v in a template with the given sections.
func resolveIn(t *testing.T, template string, v string) (any, error) {
	t.Helper()
	var tm, val map[string]any
	if err := json.Unmarshal([]byte(template), &tm); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(`{"v":`+v+`}`), &val); err != nil {
		t.Fatal(err)
	}
	return newResolver(tm, "ap-northeast-2").resolve(val["v"], "v")
}

const intrinsicsTemplate = `{
  "Parameters": {
    "Image": {"Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", "Default": "/aws/service/ami"},
    "Port": {"Type": "Number", "Default": 8080}
  },
  "Mappings": {"Ports": {"ap-northeast-2": {"Web": "8081"}}},
  "Conditions": {
    "Seoul": {"Fn::Equals": [{"Ref": "AWS::Region"}, "ap-northeast-2"]},
    "NotSeoul": {"Fn::Not": [{"Condition": "Seoul"}]}
  },
  "Resources": {
    "Sg": {"Type": "AWS::EC2::SecurityGroup"},
    "Role": {"Type": "AWS::IAM::Role"}
  }
}`

func TestIntrinsics(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"Fn::Base64": {"Fn::Join": ["", ["port=", {"Ref": "Port"}, " region=", {"Ref": "AWS::Region"}]]}}`, `"port=8080 region=ap-northeast-2"`},
		{`{"Fn::Sub": "${AWS::Partition}:${AWS::AccountId} ${!Literal} ${Role.Arn}"}`, `"aws:123456789012 ${Literal} arn:aws:iam:ap-northeast-2:123456789012:role"`},
		{`{"Fn::Sub": ["${A}-${B}", {"A": "x", "B": {"Ref": "Port"}}]}`, `"x-8080"`},
		{`{"Fn::Select": [1, {"Fn::GetAZs": ""}]}`, `"ap-northeast-2b"`},
		{`{"Fn::FindInMap": ["Ports", {"Ref": "AWS::Region"}, "Web"]}`, `"8081"`},
		{`{"Fn::If": ["NotSeoul", "elsewhere", "seoul"]}`, `"seoul"`},
		{`{"Fn::Select": [0, {"Fn::Split": [",", "a,b"]}]}`, `"a"`},
		{`["a", {"Ref": "AWS::NoValue"}, "b"]`, `["a","b"]`},
		{`{"Ref": "Sg"}`, `"sg-0` + madeUpID("", "Sg")[1:] + `"`},
		{`{"Fn::GetAtt": ["Sg", "GroupId"]}`, `"sg-0` + madeUpID("", "Sg")[1:] + `"`},
	} {
		got, err := resolveIn(t, intrinsicsTemplate, c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if g, _ := json.Marshal(got); string(g) != c.want {
			t.Errorf("%s: got %s, want %s", c.in, g, c.want)
		}
	}
	image, err := resolveIn(t, intrinsicsTemplate, `{"Ref": "Image"}`)
	if s, _ := image.(string); err != nil || !strings.HasPrefix(s, "ami-0") || len(s) != len("ami-0123456789abcdef0") {
		t.Errorf("an image parameter from SSM: %v %v, want a made-up ami id", image, err)
	}
	for _, c := range []struct{ in, want string }{
		{`{"Fn::ImportValue": "x"}`, "v.Fn::ImportValue: the boot test makes up no value for Fn::ImportValue"},
		{`{"Fn::Join": ["", ["a", {"Ref": "Missing"}]]}`, "v.Fn::Join[1][1].Ref: no parameter or resource Missing"},
		{`{"Fn::Select": [5, ["a"]]}`, "index 5 out of a list of 1"},
	} {
		if _, err := resolveIn(t, intrinsicsTemplate, c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error with %q", c.in, err, c.want)
		}
	}
}

func golden(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "test", "testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestReadTierOfTheDefaultApp: one machine for both instances, as EC2
// would launch the first (its subnet's zone and address), and the
// console's health check and listener.
func TestReadTierOfTheDefaultApp(t *testing.T) {
	tier, err := ReadTier(golden(t, "default"), "ap-northeast-2")
	if err != nil {
		t.Fatal(err)
	}
	if len(tier.Machines) != 1 || len(tier.Machines[0].Resources) != 2 {
		t.Fatalf("want one machine for the two instances, got %+v", tier.Machines)
	}
	m := tier.Machines[0]
	if !strings.HasPrefix(string(m.UserData), "#!/bin/bash\n") || !strings.Contains(string(m.UserData), "webtier-http@80.service") {
		t.Errorf("user data is not the default script: %.80q", m.UserData)
	}
	i := m.Instance
	if i.Zone != "ap-northeast-2a" || i.Address.String() != "10.0.2.10/24" || i.Router().String() != "10.0.2.1" || !strings.HasPrefix(i.ID, "i-0") || !strings.HasPrefix(i.ImageID, "ami-0") || i.Type != "t3.micro" {
		t.Errorf("instance %+v", i)
	}
	want := HealthCheck{Protocol: "HTTP", Port: 80, Path: "/index.html", Timeout: 5 * time.Second, Interval: 30 * time.Second, HealthyThreshold: 10, Unhealthy: 2, Target: "HTTP:80/index.html"}
	if tier.HealthCheck != want {
		t.Errorf("health check %+v, want %+v", tier.HealthCheck, want)
	}
	if len(tier.Listeners) != 1 || tier.Listeners[0] != (Listener{"HTTP", 80, "HTTP", 80}) {
		t.Errorf("listeners %v", tier.Listeners)
	}
}

// TestReadTierOfAFleet: a launch template's machine launches into its
// group's first subnet.
func TestReadTierOfAFleet(t *testing.T) {
	tier, err := ReadTier(golden(t, "fleet"), "ap-northeast-2")
	if err != nil {
		t.Fatal(err)
	}
	if len(tier.Machines) != 1 || tier.Machines[0].Resources[0] != "WebTierLaunchTemplate32D27514" {
		t.Fatalf("machines %+v", tier.Machines)
	}
	if i := tier.Machines[0].Instance; i.Address.String() != "10.0.2.10/24" || i.Zone != "ap-northeast-2a" {
		t.Errorf("instance %+v, want the group's first subnet", i)
	}
}

func TestReadTierRefuses(t *testing.T) {
	for _, c := range []struct{ template, want string }{
		{`{"Resources": {}}`, "want one AWS::ElasticLoadBalancing::LoadBalancer, the template has 0"},
		{`{"Resources": {"I": {"Type": "AWS::EC2::Instance", "Properties": {}}}}`, "I has no UserData"},
		{`{"Resources": {"L": {"Type": "AWS::ElasticLoadBalancing::LoadBalancer", "Properties": {"HealthCheck": {"Target": "HTTP:80", "Timeout": "5", "Interval": "30", "HealthyThreshold": "2", "UnhealthyThreshold": "2"}, "Listeners": []}}}}`, `"HTTP:80" has no path`},
		{`{"Resources": {"L": {"Type": "AWS::ElasticLoadBalancing::LoadBalancer", "Properties": {"HealthCheck": {"Target": "TCP:80", "Timeout": "5", "Interval": "30", "HealthyThreshold": "2", "UnhealthyThreshold": "2"}, "Listeners": [{"LoadBalancerPort": "80", "InstancePort": "80", "Protocol": "TCP"}]}}}}`, "no AWS::EC2::Instance or AWS::EC2::LaunchTemplate"},
	} {
		if _, err := ReadTier([]byte(c.template), "ap-northeast-2"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error with %q", err, c.want)
		}
	}
}

func TestParseTarget(t *testing.T) {
	h, err := parseTarget("HTTPS:8443/status/ok?from=elb")
	if err != nil || h.Protocol != "HTTPS" || h.Port != 8443 || h.Path != "/status/ok?from=elb" {
		t.Errorf("got %+v %v", h, err)
	}
	for _, bad := range []string{"HTTP", "UDP:53", "TCP:0", "HTTP:x/"} {
		if _, err := parseTarget(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

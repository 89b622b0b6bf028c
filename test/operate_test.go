package test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

const alarmType = "AWS::CloudWatch::Alarm"

// TestOperateThroughTheCLI runs the three commands through the real
// CLI: the default alarms and dashboard, an address told of every alarm,
// and no alarms. The default command's template is the default golden
// template, which TestCLISynthMatchesGolden synthesizes through the CLI.
func TestOperateThroughTheCLI(t *testing.T) {
	template := func(want []string, args ...string) assertions.Template {
		return assertions.Template_FromString(jsii.String(synthContaining(t, want, args...)), nil)
	}

	raw, err := os.ReadFile(filepath.Join("testdata", "default.json"))
	if err != nil {
		t.Fatal(err)
	}
	tm := assertions.Template_FromString(jsii.String(string(raw)), nil)
	count(t, tm, "AWS::CloudWatch::Dashboard", 1)
	alarms := resources(t, tm, alarmType)
	elb := map[string]bool{}
	for id, a := range alarms {
		text := describe(props(a))
		if !strings.Contains(text, `"Namespace":"AWS/ELB"`) || !strings.Contains(text, `"Name":"LoadBalancerName"`) {
			t.Errorf("alarm %s is not on the load balancer's AWS/ELB metrics: %s", id, text)
		}
		for _, name := range []string{"UnHealthyHostCount", "HealthyHostCount", "HTTPCode_ELB_5XX", "HTTPCode_Backend_5XX", "Latency", "SurgeQueueLength", "SpilloverCount"} {
			if strings.Contains(text, `"MetricName":"`+name+`"`) {
				elb[name] = true
			}
		}
	}
	if len(alarms) < 4 || !elb["UnHealthyHostCount"] || !elb["HTTPCode_ELB_5XX"] || !elb["Latency"] {
		t.Errorf("default: %d alarms on %v; want at least 4 including UnHealthyHostCount, HTTPCode_ELB_5XX and Latency", len(alarms), elb)
	}

	tm = template([]string{`"Protocol": "email"`, `"Endpoint": "ops@example.org"`}, "-c", "alarmEmail=ops@example.org")
	topic, _ := only(t, tm, "AWS::SNS::Topic")
	want := describe(list{ref(topic)})
	for id, a := range resources(t, tm, alarmType) {
		if p := props(a); describe(p["AlarmActions"]) != want || describe(p["OKActions"]) != want {
			t.Errorf("alarm %s: actions %s, OK actions %s; want the topic %s", id, describe(p["AlarmActions"]), describe(p["OKActions"]), topic)
		}
	}

	if n := len(resources(t, template(nil, "-c", "alarms=false"), alarmType)); n != 0 {
		t.Errorf("alarms=false: %d alarms", n)
	}
}

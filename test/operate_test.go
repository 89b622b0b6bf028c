package test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestOperateThroughTheCLI runs the three commands through the real
// CLI: the default alarms and dashboard, an address told of every alarm,
// and no alarms.
func TestOperateThroughTheCLI(t *testing.T) {
	resources := func(tmpl string) map[string]obj {
		var parsed struct{ Resources map[string]obj }
		if err := json.Unmarshal([]byte(tmpl), &parsed); err != nil {
			t.Fatal(err)
		}
		return parsed.Resources
	}
	alarmsOf := func(rs map[string]obj) map[string]obj {
		out := map[string]obj{}
		for id, r := range rs {
			if r["Type"] == "AWS::CloudWatch::Alarm" {
				out[id] = props(r)
			}
		}
		return out
	}

	rs := resources(synthContaining(t, []string{`"Type": "AWS::CloudWatch::Dashboard"`}))
	elb := map[string]bool{}
	for id, a := range alarmsOf(rs) {
		text := describe(a)
		if !strings.Contains(text, `"Namespace":"AWS/ELB"`) || !strings.Contains(text, `"Name":"LoadBalancerName"`) {
			t.Errorf("alarm %s is not on the load balancer's AWS/ELB metrics: %s", id, text)
		}
		for _, name := range []string{"UnHealthyHostCount", "HealthyHostCount", "HTTPCode_ELB_5XX", "HTTPCode_Backend_5XX", "Latency", "SurgeQueueLength", "SpilloverCount"} {
			if strings.Contains(text, `"MetricName":"`+name+`"`) {
				elb[name] = true
			}
		}
	}
	if len(alarmsOf(rs)) < 4 || !elb["UnHealthyHostCount"] || !elb["HTTPCode_ELB_5XX"] || !elb["Latency"] {
		t.Errorf("default: %d alarms on %v; want at least 4 including UnHealthyHostCount, HTTPCode_ELB_5XX and Latency", len(alarmsOf(rs)), elb)
	}

	rs = resources(synthContaining(t, []string{`"Protocol": "email"`, `"Endpoint": "ops@example.org"`}, "-c", "alarmEmail=ops@example.org"))
	var topic string
	for id, r := range rs {
		if r["Type"] == "AWS::SNS::Topic" {
			topic = id
		}
	}
	for id, a := range alarmsOf(rs) {
		want := describe(list{ref(topic)})
		if describe(a["AlarmActions"]) != want || describe(a["OKActions"]) != want {
			t.Errorf("alarm %s: actions %s, OK actions %s; want the topic %s", id, describe(a["AlarmActions"]), describe(a["OKActions"]), topic)
		}
	}

	if n := len(alarmsOf(resources(synthContaining(t, nil, "-c", "alarms=false")))); n != 0 {
		t.Errorf("alarms=false: %d alarms", n)
	}
}

package classicelb

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"
)

func TestMetricHelpers(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	tier, _ := build(t, stack, &WebTierProps{Vpc: vpc})
	lb := obj{"LoadBalancerName": obj{"Ref": *stack.GetLogicalId(tier.LoadBalancer())}}
	for _, c := range []struct {
		metric     awscloudwatch.Metric
		name, stat string
	}{
		{tier.MetricRequestCount(nil), "RequestCount", "Sum"},
		{tier.MetricHealthyHostCount(nil), "HealthyHostCount", "Average"},
		{tier.MetricUnHealthyHostCount(nil), "UnHealthyHostCount", "Average"},
		{tier.MetricLatency(nil), "Latency", "p99"},
		{tier.MetricHTTPCodeELB5XX(nil), "HTTPCode_ELB_5XX", "Sum"},
		{tier.MetricHTTPCodeELB4XX(nil), "HTTPCode_ELB_4XX", "Sum"},
		{tier.MetricHTTPCodeBackend2XX(nil), "HTTPCode_Backend_2XX", "Sum"},
		{tier.MetricHTTPCodeBackend3XX(nil), "HTTPCode_Backend_3XX", "Sum"},
		{tier.MetricHTTPCodeBackend4XX(nil), "HTTPCode_Backend_4XX", "Sum"},
		{tier.MetricHTTPCodeBackend5XX(nil), "HTTPCode_Backend_5XX", "Sum"},
		{tier.MetricBackendConnectionErrors(nil), "BackendConnectionErrors", "Sum"},
		{tier.MetricSurgeQueueLength(nil), "SurgeQueueLength", "Maximum"},
		{tier.MetricSpilloverCount(nil), "SpilloverCount", "Sum"},
		{tier.MetricEstimatedALBActiveConnectionCount(nil), "EstimatedALBActiveConnectionCount", "Sum"},
		{tier.Metric(jsii.String("DesyncMitigationMode_NonCompliant_Request_Count"), nil), "DesyncMitigationMode_NonCompliant_Request_Count", "Average"},
	} {
		m := c.metric
		if *m.Namespace() != "AWS/ELB" || *m.MetricName() != c.name || *m.Statistic() != c.stat || js(stack.Resolve(m.Dimensions())) != js(lb) {
			t.Errorf("%s: got %s %s %s %s, want AWS/ELB %s %s %s", c.name, *m.Namespace(), *m.MetricName(), *m.Statistic(), js(stack.Resolve(m.Dimensions())), c.name, c.stat, js(lb))
		}
		if *m.Period().ToSeconds(nil) != 300 {
			t.Errorf("%s: period %v s, want aws-cdk-lib's 300", c.name, *m.Period().ToSeconds(nil))
		}
	}
	// Options override the statistic and period and add dimensions.
	m := tier.MetricLatency(&awscloudwatch.MetricOptions{Statistic: jsii.String("Average"), Period: awscdk.Duration_Minutes(jsii.Number(1)),
		DimensionsMap: &map[string]*string{"AvailabilityZone": jsii.String("ap-northeast-2a")}})
	if *m.Statistic() != "Average" || *m.Period().ToSeconds(nil) != 60 || !strings.Contains(js(stack.Resolve(m.Dimensions())), `"AvailabilityZone":"ap-northeast-2a","LoadBalancerName"`) {
		t.Errorf("overridden latency: %s %v %s", *m.Statistic(), *m.Period().ToSeconds(nil), js(stack.Resolve(m.Dimensions())))
	}
}

// alarmProps maps each alarm of the template to its properties.
func alarmProps(t *testing.T, tmpl assertions.Template) map[string]map[string]interface{} {
	t.Helper()
	out := map[string]map[string]interface{}{}
	for id, a := range *tmpl.FindResources(jsii.String("AWS::CloudWatch::Alarm"), nil) {
		out[id] = (*a)["Properties"].(map[string]interface{})
	}
	return out
}

func TestDefaultAlarms(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	tier, tmpl := build(t, stack, &WebTierProps{Vpc: vpc})
	lbRef := obj{"Ref": *stack.GetLogicalId(tier.LoadBalancer())}
	alarms := alarmProps(t, tmpl)
	if len(alarms) != 7 || len(tier.Alarms()) != 7 {
		t.Fatalf("want 7 alarms, got %d in the template, %d from Alarms()", len(alarms), len(tier.Alarms()))
	}
	want := map[string]string{
		// 7 minutes of boot and 10 x 30 s pings, then 2 to spare; 3 gaps.
		"UnHealthyHostCount/Average/GreaterThanThreshold/0/9of12":       "",
		"HealthyHostCount/Average/LessThanThreshold/2/5of5":             "",
		"Latency/p99/GreaterThanThreshold/1/5of5":                       "",
		"SurgeQueueLength/Maximum/GreaterThanThreshold/100/5of5":        "",
		"SpilloverCount/Sum/GreaterThanThreshold/0/1of1":                "",
		"HTTPCode_ELB_5XX+RequestCount/GreaterThanThreshold/5/3of3":     "IF((FILL(requests, 0) + FILL(elb5xx, 0)) >= 10, 100 * FILL(elb5xx, 0) / (FILL(requests, 0) + FILL(elb5xx, 0)), 0)",
		"HTTPCode_Backend_5XX+RequestCount/GreaterThanThreshold/5/3of3": "IF(FILL(requests, 0) >= 10, 100 * FILL(backend5xx, 0) / FILL(requests, 0), 0)",
	}
	for id, p := range alarms {
		// No healthy host count means no instance is registered; the
		// others read a quiet minute as fine.
		wantMissing := "notBreaching"
		if strings.Contains(id, "HealthyHosts") && !strings.Contains(id, "Unhealthy") {
			wantMissing = "breaching"
		}
		if p["TreatMissingData"] != wantMissing || !strings.Contains(js(p["AlarmDescription"]), "First:") {
			t.Errorf("%s: missing data %v, description %v", id, p["TreatMissingData"], p["AlarmDescription"])
		}
		if name := js(p["AlarmName"]); !strings.HasPrefix(name, `"Test-WebTier-`) {
			t.Errorf("%s: name %s, want <stack>-WebTier-<kind>", id, name)
		}
		if p["AlarmActions"] != nil {
			t.Errorf("%s: actions %v", id, p["AlarmActions"])
		}
		var key, expr string
		if name, ok := p["MetricName"]; ok {
			if p["Namespace"] != "AWS/ELB" || js(p["Dimensions"]) != js([]interface{}{obj{"Name": "LoadBalancerName", "Value": lbRef}}) || p["Period"] != 60.0 {
				t.Errorf("%s: %v %v period %v", id, p["Namespace"], js(p["Dimensions"]), p["Period"])
			}
			stat := p["Statistic"]
			if stat == nil {
				stat = p["ExtendedStatistic"]
			}
			key = name.(string) + "/" + stat.(string)
		} else {
			var names []string
			for _, m := range p["Metrics"].([]interface{}) {
				m := m.(map[string]interface{})
				if e, ok := m["Expression"]; ok {
					expr = e.(string)
					continue
				}
				stat := m["MetricStat"].(map[string]interface{})
				names = append(names, stat["Metric"].(map[string]interface{})["MetricName"].(string))
				if stat["Stat"] != "Sum" || stat["Period"] != 60.0 {
					t.Errorf("%s: %v per %v s", id, stat["Stat"], stat["Period"])
				}
			}
			key = strings.Join(names, "+")
		}
		key += "/" + p["ComparisonOperator"].(string) + "/" + num(p["Threshold"].(float64)) + "/" + num(p["DatapointsToAlarm"].(float64)) + "of" + num(p["EvaluationPeriods"].(float64))
		wantExpr, ok := want[key]
		if !ok {
			t.Errorf("%s: unexpected alarm %s", id, key)
			continue
		}
		if wantExpr != expr {
			t.Errorf("%s: expression %q, want %q", key, expr, wantExpr)
		}
		delete(want, key)
	}
	for key := range want {
		t.Errorf("missing alarm %s", key)
	}
	if found := nagFindings(stack); len(found) != 0 {
		t.Errorf("alarms: unsuppressed cdk-nag findings %v", found)
	}
}

func TestAlarmsFollowTheTier(t *testing.T) {
	// A TCP listener has no response codes; a fleet expects its minimum.
	stack, vpc := newStack("ap-northeast-2")
	_, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, Listeners: &[]*Listener{{ExternalPort: jsii.Number(5432), ExternalProtocol: "TCP"}},
		AutoScaling: &AutoScalingOptions{MinCapacity: jsii.Number(3)}, LatencyThreshold: awscdk.Duration_Millis(jsii.Number(250))})
	tmpl.ResourceCountIs(jsii.String("AWS::CloudWatch::Alarm"), jsii.Number(5))
	assert(t, func() {
		tmpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), obj{"MetricName": "HealthyHostCount", "Threshold": 3})
		tmpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), obj{"MetricName": "Latency", "Threshold": 0.25})
	})
	if !strings.Contains(js(tmpl.ToJSON()), "the Auto Scaling group's minimum") {
		t.Errorf("the healthy hosts alarm does not say the fleet's minimum is expected")
	}
	if strings.Contains(js(tmpl.ToJSON()), "HTTPCode_") {
		t.Errorf("a TCP listener's tier watches HTTP response codes")
	}
	// Without cross-zone balancing ELB counts healthy hosts per zone: the
	// alarm adds the zones' counts up.
	stack, vpc = newStack("ap-northeast-2")
	_, tmpl = build(t, stack, &WebTierProps{Vpc: vpc, CrossZone: jsii.Bool(false)})
	var healthy string
	for id, p := range alarmProps(t, tmpl) {
		if strings.Contains(id, "HealthyHosts") && !strings.Contains(id, "Unhealthy") {
			healthy = js(p)
		}
	}
	for _, want := range []string{`"Expression":"FILL(zone1, 0) + FILL(zone2, 0)"`, `{"Name":"AvailabilityZone","Value":{"Fn::Select":[0,{"Fn::GetAZs":""}]}}`, `{"Name":"AvailabilityZone","Value":{"Fn::Select":[1,{"Fn::GetAZs":""}]}}`, `"Threshold":2`} {
		if !strings.Contains(healthy, want) {
			t.Errorf("cross-zone off: the healthy hosts alarm lacks %s: %s", want, healthy)
		}
	}
	// Off: none, and no dashboard either when asked.
	stack, vpc = newStack("ap-northeast-2")
	tier, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, Alarms: jsii.Bool(false), Dashboard: jsii.Bool(false)})
	tmpl.ResourceCountIs(jsii.String("AWS::CloudWatch::Alarm"), jsii.Number(0))
	tmpl.ResourceCountIs(jsii.String("AWS::CloudWatch::Dashboard"), jsii.Number(0))
	if len(tier.Alarms()) != 0 || tier.Dashboard() != nil || tier.AlarmTopic() != nil {
		t.Errorf("alarms and dashboard off: accessors %d %v %v", len(tier.Alarms()), tier.Dashboard(), tier.AlarmTopic())
	}
}

func TestAlarmNotifications(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	tier, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, AlarmEmail: jsii.String("ops@example.org")})
	topicRef := obj{"Ref": *stack.GetLogicalId(tier.AlarmTopic().Node().DefaultChild().(awscdk.CfnElement))}
	for id, p := range alarmProps(t, tmpl) {
		if js(p["AlarmActions"]) != js([]interface{}{topicRef}) || js(p["OKActions"]) != js([]interface{}{topicRef}) {
			t.Errorf("%s: alarm actions %s, OK actions %s; want the topic", id, js(p["AlarmActions"]), js(p["OKActions"]))
		}
	}
	keys := tmpl.FindResources(jsii.String("AWS::KMS::Key"), nil)
	if len(*keys) != 1 {
		t.Fatalf("want one key, got %d", len(*keys))
	}
	var keyID string
	for id, k := range *keys {
		keyID = id
		key := js(k)
		for _, want := range []string{`"EnableKeyRotation":true`, `"PendingWindowInDays":7`, `"DeletionPolicy":"Delete"`, `"Service":"cloudwatch.amazonaws.com"`, `"kms:GenerateDataKey*"`, `"kms:GrantIsForAWSResource":"false"`} {
			if !strings.Contains(key, want) {
				t.Errorf("key lacks %s: %s", want, key)
			}
		}
	}
	assert(t, func() {
		tmpl.HasResourceProperties(jsii.String("AWS::SNS::Topic"), obj{"KmsMasterKeyId": obj{"Fn::GetAtt": []interface{}{keyID, "Arn"}}})
		tmpl.HasResourceProperties(jsii.String("AWS::SNS::Subscription"), obj{"Protocol": "email", "Endpoint": "ops@example.org", "TopicArn": topicRef})
		tmpl.HasResourceProperties(jsii.String("AWS::SNS::TopicPolicy"), obj{"PolicyDocument": obj{"Statement": assertions.Match_ArrayWith(&[]interface{}{
			assertions.Match_ObjectLike(&map[string]interface{}{"Effect": "Allow", "Action": "sns:Publish", "Principal": obj{"Service": "cloudwatch.amazonaws.com"}}),
		})}})
	})
	if found := nagFindings(stack); len(found) != 0 {
		t.Errorf("alarm email: unsuppressed cdk-nag findings %v", found)
	}
	// A given topic: every alarm notifies it, nothing else is made.
	stack, vpc = newStack("ap-northeast-2")
	ops := awssns.NewTopic(stack, jsii.String("Ops"), nil)
	_, tmpl = build(t, stack, &WebTierProps{Vpc: vpc, AlarmTopic: ops})
	tmpl.ResourceCountIs(jsii.String("AWS::KMS::Key"), jsii.Number(0))
	opsRef := obj{"Ref": *stack.GetLogicalId(ops.Node().DefaultChild().(awscdk.CfnElement))}
	for id, p := range alarmProps(t, tmpl) {
		if js(p["AlarmActions"]) != js([]interface{}{opsRef}) {
			t.Errorf("%s: alarm actions %s, want the given topic", id, js(p["AlarmActions"]))
		}
	}
}

func TestValidateAlarms(t *testing.T) {
	stack, _ := newStack("")
	topic := awssns.NewTopic(stack, jsii.String("Ops"), nil)
	for _, c := range []struct {
		name    string
		change  func(*spec)
		setting string
		want    string
	}{
		{"email", func(s *spec) { s.alarms.hasEmail, s.alarms.email = true, "ops at example.org" }, "AlarmEmail", `"ops at example.org" is not an email address`},
		{"email with name", func(s *spec) { s.alarms.hasEmail, s.alarms.email = true, "Ops <ops@example.org>" }, "AlarmEmail", "is not an email address"},
		{"email and topic", func(s *spec) {
			s.alarms.hasEmail, s.alarms.email, s.alarms.topic = true, "ops@example.org", topic
		}, "AlarmEmail", "is set together with AlarmTopic"},
		{"email without alarms", func(s *spec) { s.alarms.enabled, s.alarms.hasEmail, s.alarms.email = false, true, "ops@example.org" }, "AlarmEmail", "is set, but Alarms is false"},
		{"latency 0", func(s *spec) { s.alarms.hasLatency, s.alarms.latency = true, 0 }, "LatencyThreshold", "0 seconds is not allowed"},
		{"latency past idle", func(s *spec) { s.alarms.hasLatency, s.alarms.latency = true, 60 }, "LatencyThreshold", "60 seconds is not below IdleTimeout (60 seconds)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := validSpec()
			s.alarms = alarmsSpec{enabled: true, latency: 1}
			c.change(s)
			wantProblem(t, s, c.setting, c.want)
		})
	}
}

func TestDashboard(t *testing.T) {
	body := func(props *WebTierProps) string {
		stack, vpc := newStack("ap-northeast-2")
		props.Vpc = vpc
		_, tmpl := build(t, stack, props)
		var out string
		for _, d := range *tmpl.FindResources(jsii.String("AWS::CloudWatch::Dashboard"), nil) {
			out += js(d)
		}
		return out
	}
	fixed := body(&WebTierProps{})
	for _, want := range []string{"Requests per minute", `\"stat\":\"p50\"`, `\"stat\":\"p99\"`, "HTTPCode_Backend_2XX", "HTTPCode_ELB_5XX", "HealthyHostCount", "UnHealthyHostCount", "SurgeQueueLength", "SpilloverCount", `CPUUtilization\",\"InstanceId`, "Instance1", "Instance2", `\"type\":\"alarm\"`} {
		if !strings.Contains(fixed, want) {
			t.Errorf("dashboard lacks %s", want)
		}
	}
	// The alarm widget names the alarms by ARN, refers to no resource.
	if !strings.Contains(fixed, `:alarm:Test-WebTier-UnhealthyHosts`) || strings.Contains(fixed, "Fn::GetAtt") {
		t.Errorf("the alarm widget does not name the alarms by their ARNs: %s", fixed)
	}
	fleet := body(&WebTierProps{AutoScaling: &AutoScalingOptions{}, Alarms: jsii.Bool(false)})
	if !strings.Contains(fleet, `CPUUtilization\",\"AutoScalingGroupName`) || strings.Contains(fleet, `\"type\":\"alarm\"`) {
		t.Errorf("fleet dashboard without alarms: want the group's CPU and no alarm widget: %.400s", fleet)
	}
}

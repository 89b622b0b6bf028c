package classicelb

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancing"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"
)

// fleetSpec is validSpec with the default AutoScaling.
func validFleetSpec() *spec {
	s := validSpec()
	s.fleet = &fleetSpec{minCapacity: 2, maxCapacity: 4, desiredCapacity: 2, targetCpu: 50, minHealthy: 100, maxHealthy: 200, bakeSeconds: 300}
	return s
}

func steps(st ...stepSpec) []stepSpec { return st }

func TestValidateFleet(t *testing.T) {
	if ps := validFleetSpec().validate(); len(ps) != 0 {
		t.Fatalf("default fleet rejected: %v", ps.err(""))
	}
	up := stepSpec{lower: 1000, hasLower: true, change: 1, hasChange: true}
	down := stepSpec{upper: 100, hasUpper: true, change: -1, hasChange: true}
	cases := []struct {
		name    string
		change  func(*spec)
		setting string
		want    string
	}{
		{"min above max", func(s *spec) { s.fleet.minCapacity, s.fleet.maxCapacity = 5, 2 }, "AutoScaling.MinCapacity", "5 is more than AutoScaling.MaxCapacity (2); lower AutoScaling.MinCapacity or raise AutoScaling.MaxCapacity"},
		{"min 0", func(s *spec) { s.fleet.minCapacity = 0 }, "AutoScaling.MinCapacity", "0 instances is out of range"},
		{"max fraction", func(s *spec) { s.fleet.maxCapacity = 2.5 }, "AutoScaling.MaxCapacity", "2.5 instances is not a whole number"},
		{"desired below min", func(s *spec) { s.fleet.hasDesired, s.fleet.desiredCapacity = true, 1 }, "AutoScaling.DesiredCapacity", "1 is outside AutoScaling.MinCapacity to AutoScaling.MaxCapacity (2 to 4)"},
		{"desired above max", func(s *spec) { s.fleet.hasDesired, s.fleet.desiredCapacity = true, 5 }, "AutoScaling.DesiredCapacity", "5 is outside"},
		{"cpu 0", func(s *spec) { s.fleet.targetCpu = 0 }, "AutoScaling.TargetCpuUtilization", "0 percent is out of range; allowed 1-100 percent"},
		{"cpu 101", func(s *spec) { s.fleet.targetCpu = 101 }, "AutoScaling.TargetCpuUtilization", "101 percent is out of range"},
		{"batch above max", func(s *spec) { s.fleet.maxBatchSize, s.fleet.batchGiven = 5, true }, "AutoScaling.MaxBatchSize", "5 is more than AutoScaling.MaxCapacity (4)"},
		{"batch and max healthy", func(s *spec) { s.fleet.maxBatchSize, s.fleet.batchGiven, s.fleet.maxGiven = 1, true, true }, "AutoScaling.MaxBatchSize", "is deprecated and AutoScaling.MaxHealthyPercentage is given too"},
		{"token batch", func(s *spec) {
			s.fleet.batchGiven = true
			s.unchecked["AutoScaling.MaxBatchSize"] = true
		}, "AutoScaling.MaxBatchSize", "is a token; it is turned into AutoScaling.MaxHealthyPercentage"},
		{"min healthy above 100", func(s *spec) { s.fleet.minHealthy = 101 }, "AutoScaling.MinHealthyPercentage", "101 percent is out of range; allowed 0-100 percent"},
		{"min healthy fraction", func(s *spec) { s.fleet.minHealthy = 99.5 }, "AutoScaling.MinHealthyPercentage", "99.5 percent is not a whole number"},
		{"max healthy below 100", func(s *spec) { s.fleet.maxHealthy, s.fleet.maxGiven = 99, true }, "AutoScaling.MaxHealthyPercentage", "99 percent is out of range; allowed 100-200 percent"},
		{"max healthy above 200", func(s *spec) { s.fleet.maxHealthy, s.fleet.maxGiven = 201, true }, "AutoScaling.MaxHealthyPercentage", "201 percent is out of range"},
		{"healthy spread above 100", func(s *spec) { s.fleet.minHealthy = 90 }, "AutoScaling.MaxHealthyPercentage", "200 is more than 100 above AutoScaling.MinHealthyPercentage (90), which an instance refresh refuses; lower it to 190"},
		{"bake above 48 hours", func(s *spec) { s.fleet.bakeSeconds = 172801 }, "AutoScaling.BakeTime", "172801 seconds is out of range; allowed 0-172800 seconds"},
		{"cpu target of one size", func(s *spec) { s.fleet.maxCapacity, s.fleet.hasTargetCpu = 2, true }, "AutoScaling.TargetCpuUtilization", "is set, but AutoScaling.MinCapacity equals AutoScaling.MaxCapacity (2)"},
		{"steps of one size", func(s *spec) {
			s.fleet.maxCapacity, s.fleet.hasRequestScaling, s.fleet.requestSteps = 2, true, steps(up, down)
		}, "AutoScaling.RequestCountScaling", "the group cannot grow or shrink"},
		{"instance count", func(s *spec) { s.fleet.instanceCountGiven = true }, "InstanceCount", "is for fixed instances"},
		{"user data replacement", func(s *spec) { s.fleet.replacementGiven = true }, "UserDataCausesReplacement", "rolls a changed user data out"},
		{"one step", func(s *spec) { s.fleet.hasRequestScaling, s.fleet.requestSteps = true, steps(up) }, "AutoScaling.RequestCountScaling.Steps", "has 1 step(s); give at least two"},
		{"no change", func(s *spec) {
			s.fleet.hasRequestScaling, s.fleet.requestSteps = true, steps(up, stepSpec{upper: 100, hasUpper: true})
		}, "AutoScaling.RequestCountScaling.Steps[1].Change", "is required"},
		{"no bound", func(s *spec) {
			s.fleet.hasRequestScaling, s.fleet.requestSteps = true, steps(up, stepSpec{change: -1, hasChange: true})
		}, "AutoScaling.RequestCountScaling.Steps[1]", "has neither Lower nor Upper"},
		{"negative", func(s *spec) {
			s.fleet.hasRequestScaling, s.fleet.requestSteps = true, steps(up, stepSpec{upper: -5, hasUpper: true, change: -1, hasChange: true})
		}, "AutoScaling.RequestCountScaling.Steps[1].Upper", "-5 is not allowed"},
		{"upside down", func(s *spec) {
			s.fleet.hasRequestScaling, s.fleet.requestSteps = true, steps(down, stepSpec{lower: 500, hasLower: true, upper: 400, hasUpper: true, change: 1, hasChange: true})
		}, "AutoScaling.RequestCountScaling.Steps[1]", "runs from 500 to 400 requests per minute"},
		{"overlap", func(s *spec) {
			s.fleet.hasRequestScaling, s.fleet.requestSteps = true, steps(down, up, stepSpec{lower: 900, hasLower: true, upper: 2000, hasUpper: true, change: 2, hasChange: true})
		}, "AutoScaling.RequestCountScaling.Steps[1]", "overlaps step 2: they run from 1000 to any number of and from 900 to 2000 requests per minute"},
		{"overlap of a filled bound", func(s *spec) {
			// Step 0 ends where step 1 starts (500); step 2 starts below.
			s.fleet.hasRequestScaling, s.fleet.requestSteps = true, steps(stepSpec{lower: 100, hasLower: true, change: 1, hasChange: true}, stepSpec{lower: 500, hasLower: true, change: 2, hasChange: true}, stepSpec{lower: 300, hasLower: true, upper: 600, hasUpper: true, change: 3, hasChange: true})
		}, "AutoScaling.RequestCountScaling.Steps[1]", "overlaps step 2"},
		// As aws-cdk-lib normalizes them: each would throw there.
		{"bound nobody gives", func(s *spec) {
			s.fleet.hasRequestScaling, s.fleet.requestSteps = true, steps(stepSpec{lower: 100, hasLower: true, change: -1, hasChange: true}, stepSpec{upper: 1000, hasUpper: true, change: 1, hasChange: true})
		}, "AutoScaling.RequestCountScaling.Steps[0]", "has a bound that no neighbouring step gives"},
		{"two gaps", func(s *spec) {
			s.fleet.hasRequestScaling, s.fleet.requestSteps = true, steps(down, stepSpec{lower: 2000, hasLower: true, upper: 3000, hasUpper: true, change: 1, hasChange: true}, stepSpec{lower: 5000, hasLower: true, change: 2, hasChange: true})
		}, "AutoScaling.RequestCountScaling.Steps", "leaves 2 ranges of requests per minute without a change (100 to 2000, 3000 to 5000"},
		{"a gap below the first step", func(s *spec) {
			s.fleet.hasRequestScaling, s.fleet.requestSteps = true, steps(stepSpec{lower: 100, hasLower: true, upper: 1000, hasUpper: true, change: -1, hasChange: true}, stepSpec{lower: 5000, hasLower: true, change: 1, hasChange: true})
		}, "AutoScaling.RequestCountScaling.Steps", "leaves 2 ranges of requests per minute without a change (0 to 100, 1000 to 5000"},
		{"a change of 0 is a gap", func(s *spec) {
			s.fleet.hasRequestScaling, s.fleet.requestSteps = true, steps(stepSpec{upper: 1000, hasUpper: true, change: 0, hasChange: true}, stepSpec{lower: 1000, hasLower: true, upper: 2000, hasUpper: true, change: 1, hasChange: true}, stepSpec{lower: 5000, hasLower: true, change: 2, hasChange: true})
		}, "AutoScaling.RequestCountScaling.Steps", "leaves 2 ranges"},
		{"41 steps", func(s *spec) {
			s.fleet.hasRequestScaling = true
			for i := 0; i < 41; i++ {
				s.fleet.requestSteps = append(s.fleet.requestSteps, stepSpec{lower: float64(100 * i), hasLower: true, change: 1, hasChange: true})
			}
		}, "AutoScaling.RequestCountScaling.Steps", "has 41 steps; step scaling takes at most 40"},
		// What aws-cdk-lib accepts but an idle site would regret.
		{"adding instances below", func(s *spec) {
			s.fleet.hasRequestScaling, s.fleet.requestSteps = true, steps(stepSpec{upper: 1000, hasUpper: true, change: 1, hasChange: true}, stepSpec{lower: 1000, hasLower: true, change: 2, hasChange: true})
		}, "AutoScaling.RequestCountScaling.Steps[0].Change", "1 adds instances below 1000 requests per minute"},
		{"removing instances above", func(s *spec) {
			s.fleet.hasRequestScaling, s.fleet.requestSteps = true, steps(down, stepSpec{lower: 5000, hasLower: true, change: -2, hasChange: true})
		}, "AutoScaling.RequestCountScaling.Steps[1].Change", "-2 removes instances above 5000 requests per minute"},
		{"token bound", func(s *spec) {
			s.fleet.hasRequestScaling, s.fleet.requestSteps = true, steps(down, up)
			s.unchecked["AutoScaling.RequestCountScaling.Steps[1].Lower"] = true
		}, "AutoScaling.RequestCountScaling.Steps[1].Lower", "is a token"},
		// What the builder computes with.
		{"token max", func(s *spec) { s.unchecked["AutoScaling.MaxCapacity"] = true }, "AutoScaling.MaxCapacity", "is a token; with AutoScaling the alarms, the instance refresh's warm-up"},
		{"token healthy threshold", func(s *spec) { s.unchecked["HealthCheck.HealthyThreshold"] = true }, "HealthCheck.HealthyThreshold", "is a token"},
		{"instances where the load balancer is not", func(s *spec) {
			s.instanceSubnetFacts = []subnetSpec{{name: named("subnet-p1"), zone: "ap-northeast-2a", zoneKnown: true}, {name: named("subnet-p3"), zone: "ap-northeast-2d", zoneKnown: true}}
		}, "InstanceSubnets", "puts instances in ap-northeast-2d, where the load balancer has no subnet (its zones: ap-northeast-2a, ap-northeast-2c)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := validFleetSpec()
			c.change(s)
			wantProblem(t, s, c.setting, c.want)
		})
	}
	// Boundaries: one instance, all equal; CPU 1 and 100, a batch of the
	// whole group, two steps that meet.
	s := validFleetSpec()
	s.fleet.minCapacity, s.fleet.maxCapacity, s.fleet.hasDesired, s.fleet.desiredCapacity, s.fleet.maxBatchSize, s.fleet.batchGiven = 1, 1, true, 1, 1, true
	if ps := s.validate(); len(ps) != 0 {
		t.Errorf("one instance: %v", ps.err(""))
	}
	// The refresh's bounds: 0 and 100 healthy, 100 apart, 48 hours' bake.
	for _, b := range [][3]float64{{0, 100, 0}, {100, 200, 172800}, {100, 100, 0}, {50, 150, 60}} {
		s = validFleetSpec()
		s.fleet.minHealthy, s.fleet.maxHealthy, s.fleet.maxGiven, s.fleet.bakeSeconds = b[0], b[1], true, b[2]
		if ps := s.validate(); len(ps) != 0 {
			t.Errorf("refresh %v: %v", b, ps.err(""))
		}
	}
	s = validFleetSpec()
	s.fleet.maxBatchSize, s.fleet.batchGiven, s.fleet.hasTargetCpu = 4, true, true
	s.fleet.hasRequestScaling, s.fleet.requestSteps = true, steps(down, stepSpec{lower: 100, hasLower: true, change: 1, hasChange: true})
	for _, cpu := range []float64{1, 100} {
		s.fleet.targetCpu = cpu
		if ps := s.validate(); len(ps) != 0 {
			t.Errorf("boundaries rejected: %v", ps.err(""))
		}
	}
	// Without AutoScaling the fleet's checks do not run, and InstanceCount
	// is checked as before.
	s = validSpec()
	s.instances.count = 0
	if err := s.validate().err(""); err == nil || !strings.Contains(err.Error(), "InstanceCount: 0 is not allowed") {
		t.Errorf("fixed instances: want the InstanceCount problem, got %v", err)
	}
}

// TestValidatePropsNamesFleetSettings: the props path, from a nil-free
// AutoScaling to every problem at once.
func TestValidatePropsNamesFleetSettings(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	_ = stack
	err := ValidateProps(&WebTierProps{Vpc: vpc, InstanceCount: jsii.Number(3), AutoScaling: &AutoScalingOptions{
		MinCapacity: jsii.Number(5), MaxCapacity: jsii.Number(2),
		RequestCountScaling: &RequestCountScaling{Steps: &[]*awsautoscaling.ScalingInterval{nil}},
	}})
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{"InstanceCount: is for fixed instances", "AutoScaling.MinCapacity: 5 is more than AutoScaling.MaxCapacity (2)", "AutoScaling.RequestCountScaling.Steps: has 1 step(s)", "AutoScaling.RequestCountScaling.Steps[0].Change: is required"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
	// MaxCapacity follows a larger MinCapacity.
	if err := ValidateProps(&WebTierProps{Vpc: vpc, AutoScaling: &AutoScalingOptions{MinCapacity: jsii.Number(6)}}); err != nil {
		t.Errorf("MinCapacity 6 alone: %v", err)
	}
}

func TestFleetReplacesTheFixedInstances(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	tier, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, AutoScaling: &AutoScalingOptions{}})
	tmpl.ResourceCountIs(jsii.String("AWS::EC2::Instance"), jsii.Number(0))
	if len(tier.Instances()) != 0 || tier.AutoScalingGroup() == nil || tier.NotificationTopic() == nil {
		t.Fatalf("accessors: %d instances, group %v, topic %v", len(tier.Instances()), tier.AutoScalingGroup(), tier.NotificationTopic())
	}
	lbID := *stack.GetLogicalId(tier.LoadBalancer())
	if lb := js(tmpl.FindResources(jsii.String("AWS::ElasticLoadBalancing::LoadBalancer"), nil)); strings.Contains(lb, `"Instances"`) {
		t.Errorf("the load balancer lists instances of its own: %s", lb)
	}
	ltID := *stack.GetLogicalId(tier.AutoScalingGroup().Node().Scope().Node().FindChild(jsii.String("LaunchTemplate")).Node().DefaultChild().(awscdk.CfnElement))
	private := vpc.SelectSubnets(&awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_ISOLATED})
	var subnets []interface{}
	for _, sn := range *private.Subnets {
		subnets = append(subnets, obj{"Ref": *stack.GetLogicalId(sn.Node().DefaultChild().(awscdk.CfnElement))})
	}
	// 10 healthy pings 30 s apart after 120 s of boot: 420 s.
	assert(t, func() {
		tmpl.HasResource(jsii.String("AWS::AutoScaling::AutoScalingGroup"), obj{
			"Properties": obj{
				"MinSize": "2", "MaxSize": "4", "DesiredCapacity": assertions.Match_Absent(),
				"LoadBalancerNames":      []interface{}{obj{"Ref": lbID}},
				"HealthCheckType":        "ELB",
				"HealthCheckGracePeriod": 420,
				"DefaultInstanceWarmup":  420,
				"VPCZoneIdentifier":      subnets,
				"AvailabilityZones":      []interface{}{obj{"Fn::Select": []interface{}{0, obj{"Fn::GetAZs": ""}}}, obj{"Fn::Select": []interface{}{1, obj{"Fn::GetAZs": ""}}}},
				"LaunchTemplate": obj{"LaunchTemplateId": obj{"Ref": ltID},
					"Version": obj{"Fn::GetAtt": []interface{}{ltID, "LatestVersionNumber"}}},
				"NotificationConfigurations": []interface{}{obj{
					"TopicARN":          obj{"Ref": *stack.GetLogicalId(tier.NotificationTopic().Node().DefaultChild().(awscdk.CfnElement))},
					"NotificationTypes": assertions.Match_ArrayWith(&[]interface{}{"autoscaling:EC2_INSTANCE_LAUNCH_ERROR", "autoscaling:EC2_INSTANCE_TERMINATE"}),
				}},
			},
			// A changed launch template: every instance replaced at once
			// beside the old ones, each given the 420 s to pass the health
			// check, the alarms that a broken site sets off watched until
			// 5 minutes after; an alarm fails the update.
			"UpdatePolicy": obj{
				"AutoScalingInstanceRefresh": obj{"Strategy": "Rolling", "Preferences": obj{
					"MinHealthyPercentage": 100, "MaxHealthyPercentage": 200,
					"InstanceWarmup": 420, "BakeTime": 300, "SkipMatching": true,
					"AlarmSpecification": obj{"Alarms": []interface{}{
						"Test-WebTier-UnhealthyHosts", "Test-WebTier-HealthyHosts", "Test-WebTier-ElbErrorRate", "Test-WebTier-BackendErrorRate"}},
				}},
				// Exclusive with the refresh (cfn-lint checks it too).
				"AutoScalingRollingUpdate":   assertions.Match_Absent(),
				"AutoScalingScheduledAction": obj{"IgnoreUnmodifiedGroupSizeProperties": true},
			},
		})
		// The instances' secure defaults, in the launch template.
		tmpl.HasResourceProperties(jsii.String("AWS::EC2::LaunchTemplate"), obj{"LaunchTemplateData": obj{
			"InstanceType":    "t3.micro",
			"MetadataOptions": obj{"HttpTokens": "required"},
			"Monitoring":      obj{"Enabled": true},
			"BlockDeviceMappings": []interface{}{obj{"DeviceName": "/dev/xvda",
				"Ebs": obj{"Encrypted": true, "VolumeType": "gp3", "VolumeSize": 8}}},
			"IamInstanceProfile": obj{"Arn": assertions.Match_AnyValue()},
			"NetworkInterfaces": []interface{}{obj{"AssociatePublicIpAddress": false, "DeviceIndex": 0,
				"Groups": []interface{}{obj{"Fn::GetAtt": []interface{}{*stack.GetLogicalId(tier.InstanceSecurityGroup().Node().DefaultChild().(awscdk.CfnElement)), "GroupId"}}}}},
			"UserData": assertions.Match_AnyValue(),
			// A literal image ID (the parameter resolves at deploy), not
			// resolve:ssm: at launch: what a refresh that rolls back needs.
			"ImageId": obj{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^SsmParameterValue"))},
		}})
		tmpl.HasResourceProperties(jsii.String("AWS::AutoScaling::ScalingPolicy"), obj{
			"PolicyType": "TargetTrackingScaling",
			"TargetTrackingConfiguration": obj{"TargetValue": 50,
				"PredefinedMetricSpecification": obj{"PredefinedMetricType": "ASGAverageCPUUtilization"}},
		})
		// The topic takes TLS only and is encrypted.
		tmpl.HasResourceProperties(jsii.String("AWS::SNS::Topic"), obj{"KmsMasterKeyId": assertions.Match_AnyValue()})
		tmpl.HasResourceProperties(jsii.String("AWS::SNS::TopicPolicy"), obj{"PolicyDocument": obj{"Statement": []interface{}{
			assertions.Match_ObjectLike(&map[string]interface{}{"Effect": "Deny", "Condition": obj{"Bool": obj{"aws:SecureTransport": "false"}}}),
		}}})
	})
	// The group waits for the alarms its refresh watches.
	group := (*tmpl.FindResources(jsii.String("AWS::AutoScaling::AutoScalingGroup"), nil))
	for _, g := range group {
		deps := js((*g)["DependsOn"])
		for _, kind := range []string{"UnhealthyHosts", "HealthyHosts", "ElbErrorRate", "BackendErrorRate"} {
			if !strings.Contains(deps, "WebTierAlarms"+kind) {
				t.Errorf("group DependsOn %s: want the %s alarm", deps, kind)
			}
		}
	}
	// Its scaling policy does not: it needs none of them.
	for id, p := range *tmpl.FindResources(jsii.String("AWS::AutoScaling::ScalingPolicy"), nil) {
		if deps := js((*p)["DependsOn"]); strings.Contains(deps, "WebTierAlarms") {
			t.Errorf("scaling policy %s DependsOn %s", id, deps)
		}
	}
	// The instance profile is the launch template's: one, not one per
	// instance.
	tmpl.ResourceCountIs(jsii.String("AWS::IAM::InstanceProfile"), jsii.Number(1))
	if found := nagFindings(stack); len(found) != 0 {
		t.Errorf("fleet: unsuppressed cdk-nag findings %v", found)
	}
}

func TestFleetFollowsTheInstanceTypeAndHealthCheck(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	_, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, InstanceType: awsec2.NewInstanceType(jsii.String("t4g.small")),
		HealthCheck: &HealthCheck{HealthyThreshold: jsii.Number(3), Interval: awscdk.Duration_Seconds(jsii.Number(10))},
		AutoScaling: &AutoScalingOptions{MinCapacity: jsii.Number(3), MaxCapacity: jsii.Number(3), DesiredCapacity: jsii.Number(3), MaxBatchSize: jsii.Number(2),
			BakeTime: awscdk.Duration_Minutes(jsii.Number(10)), MinHealthyPercentage: jsii.Number(90)}})
	params := js((*tmpl.ToJSON())["Parameters"])
	if !strings.Contains(params, "al2023-ami-kernel-6.1-arm64") || strings.Contains(params, "x86_64") {
		t.Errorf("t4g: want the arm64 Amazon Linux 2023 parameter alone, got %s", params)
	}
	assert(t, func() {
		tmpl.HasResourceProperties(jsii.String("AWS::EC2::LaunchTemplate"), obj{"LaunchTemplateData": obj{"InstanceType": "t4g.small"}})
		// 3 pings 10 s apart after the boot: 150 s.
		tmpl.HasResource(jsii.String("AWS::AutoScaling::AutoScalingGroup"), obj{
			"Properties": obj{"MinSize": "3", "MaxSize": "3", "DesiredCapacity": "3", "HealthCheckGracePeriod": 150},
			// The deprecated batch of 2 of 3: 67 percent more at a time.
			"UpdatePolicy": obj{"AutoScalingInstanceRefresh": obj{"Preferences": obj{
				"MinHealthyPercentage": 90, "MaxHealthyPercentage": 167, "InstanceWarmup": 150, "BakeTime": 600}}},
		})
	})
	// One size: nothing to scale, so no policy (Auto Scaling refuses
	// target tracking on it).
	tmpl.ResourceCountIs(jsii.String("AWS::AutoScaling::ScalingPolicy"), jsii.Number(0))
	// The unhealthy hosts alarm outlasts the 150 s warm-up: 3 + 2 minutes.
	assert(t, func() {
		tmpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), obj{"MetricName": "UnHealthyHostCount", "DatapointsToAlarm": 5, "EvaluationPeriods": 8})
	})
}

// A fleet without alarms, or with an image resolved at each launch, is
// one whose refresh cannot catch or undo a bad image: synth says so.
func TestFleetRefreshWarnings(t *testing.T) {
	cases := []struct {
		name  string
		props func(*WebTierProps)
		id    string
		want  string
	}{
		{"alarms off", func(p *WebTierProps) { p.Alarms = jsii.Bool(false) }, "refreshUnwatched", "watches no alarm"},
		{"image at launch", func(p *WebTierProps) {
			p.MachineImage = awsec2.MachineImage_ResolveSsmParameterAtLaunch(jsii.String("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64"), nil)
		}, "imageAtLaunch", "resolved at each launch (resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stack, vpc := newStack("ap-northeast-2")
			p := &WebTierProps{Vpc: vpc, AutoScaling: &AutoScalingOptions{}}
			c.props(p)
			_, tmpl := build(t, stack, p)
			warnings := assertions.Annotations_FromStack(stack).FindWarning(jsii.String("/Test/WebTier"), assertions.Match_StringLikeRegexp(jsii.String(".*")))
			found := 0
			for _, w := range *warnings {
				if text := js(w.Entry.Data); strings.Contains(text, c.want) && strings.Contains(text, c.id) {
					found++
				}
			}
			if found != 1 {
				t.Errorf("want one %s warning with %q, got %d in %s", c.id, c.want, found, js(warnings))
			}
			if c.id == "refreshUnwatched" {
				assert(t, func() {
					tmpl.HasResource(jsii.String("AWS::AutoScaling::AutoScalingGroup"), obj{"UpdatePolicy": obj{"AutoScalingInstanceRefresh": obj{"Preferences": obj{
						"AlarmSpecification": assertions.Match_Absent(), "BakeTime": 0, "InstanceWarmup": 420}}}})
				})
			}
		})
	}
	// The default fleet warns of neither.
	stack, vpc := newStack("ap-northeast-2")
	build(t, stack, &WebTierProps{Vpc: vpc, AutoScaling: &AutoScalingOptions{}})
	for _, w := range *assertions.Annotations_FromStack(stack).FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String(".*"))) {
		if text := js(w.Entry.Data); strings.Contains(text, "refreshUnwatched") || strings.Contains(text, "imageAtLaunch") {
			t.Errorf("default fleet: %s", text)
		}
	}
}

func TestFleetRequestCountScaling(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	topic := awssns.NewTopic(stack, jsii.String("Ops"), &awssns.TopicProps{EnforceSSL: jsii.Bool(true), MasterKey: nil})
	tier, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, AutoScaling: &AutoScalingOptions{Notifications: topic, TargetCpuUtilization: jsii.Number(70),
		RequestCountScaling: &RequestCountScaling{Steps: &[]*awsautoscaling.ScalingInterval{
			{Upper: jsii.Number(1000), Change: jsii.Number(-1)},
			{Lower: jsii.Number(5000), Change: jsii.Number(1)},
			{Lower: jsii.Number(20000), Change: jsii.Number(3)},
		}}}})
	if tier.NotificationTopic() != topic {
		t.Errorf("the given topic is not the tier's")
	}
	tmpl.ResourceCountIs(jsii.String("AWS::SNS::Topic"), jsii.Number(1))
	lbID := *stack.GetLogicalId(tier.LoadBalancer())
	assert(t, func() {
		tmpl.HasResourceProperties(jsii.String("AWS::AutoScaling::ScalingPolicy"), obj{"TargetTrackingConfiguration": obj{"TargetValue": 70}})
		tmpl.HasResourceProperties(jsii.String("AWS::AutoScaling::ScalingPolicy"), obj{"PolicyType": "StepScaling", "AdjustmentType": "ChangeInCapacity",
			"StepAdjustments": assertions.Match_ArrayWith(&[]interface{}{obj{"MetricIntervalLowerBound": 15000, "ScalingAdjustment": 3}})})
		// Both alarms read the load balancer's request count, with no
		// traffic as 0.
		tmpl.ResourcePropertiesCountIs(jsii.String("AWS::CloudWatch::Alarm"), obj{"Metrics": assertions.Match_ArrayWith(&[]interface{}{
			assertions.Match_ObjectLike(&map[string]interface{}{"Expression": "FILL(requests, 0)", "ReturnData": true}),
			obj{"Id": "requests", "ReturnData": false, "MetricStat": obj{"Stat": "Sum", "Period": 60,
				"Metric": obj{"Namespace": "AWS/ELB", "MetricName": "RequestCount", "Dimensions": []interface{}{obj{"Name": "LoadBalancerName", "Value": obj{"Ref": lbID}}}}}},
		})}, jsii.Number(2))
	})
	if found := nagFindings(stack); len(found) != 0 {
		t.Errorf("fleet with step scaling: unsuppressed cdk-nag findings %v", found)
	}
}

func TestAttachAutoScalingGroup(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	group := awsautoscaling.NewAutoScalingGroup(stack, jsii.String("Mine"), &awsautoscaling.AutoScalingGroupProps{
		Vpc: vpc, InstanceType: awsec2.NewInstanceType(jsii.String("t3.micro")), MachineImage: awsec2.MachineImage_LatestAmazonLinux2023(nil),
	})
	other := awselasticloadbalancing.NewLoadBalancer(stack, jsii.String("Other"), &awselasticloadbalancing.LoadBalancerProps{Vpc: vpc, InternetFacing: jsii.Bool(true)})
	group.AttachToClassicLB(other)
	first := NewWebTier(stack, jsii.String("WebTier"), &WebTierProps{Vpc: vpc})
	second := NewWebTier(stack, jsii.String("Second"), &WebTierProps{Vpc: vpc, Listeners: &[]*Listener{{ExternalPort: jsii.Number(8080)}}})
	first.AttachAutoScalingGroup(group)
	second.AttachAutoScalingGroup(group)
	tmpl := assertions.Template_FromStack(stack, nil)
	ref := func(c awscdk.CfnElement) obj { return obj{"Ref": *stack.GetLogicalId(c)} }
	assert(t, func() {
		// The names it had, then each tier's; the load balancer's health
		// check with the grace it needs.
		tmpl.HasResourceProperties(jsii.String("AWS::AutoScaling::AutoScalingGroup"), obj{
			"LoadBalancerNames":      []interface{}{ref(other.Node().DefaultChild().(awscdk.CfnElement)), ref(first.LoadBalancer()), ref(second.LoadBalancer())},
			"HealthCheckType":        "ELB",
			"HealthCheckGracePeriod": 420,
		})
		// Each load balancer reaches its instance port on the group's
		// instances.
		for _, c := range []struct {
			tier WebTier
			port float64
		}{{first, 80}, {second, 8080}} {
			tmpl.HasResourceProperties(jsii.String("AWS::EC2::SecurityGroupIngress"), obj{
				"FromPort": c.port, "ToPort": c.port,
				"GroupId":               obj{"Fn::GetAtt": []interface{}{*stack.GetLogicalId((*group.Connections().SecurityGroups())[0].Node().DefaultChild().(awscdk.CfnElement)), "GroupId"}},
				"SourceSecurityGroupId": obj{"Fn::GetAtt": []interface{}{*stack.GetLogicalId(c.tier.LoadBalancerSecurityGroup().Node().DefaultChild().(awscdk.CfnElement)), "GroupId"}},
			})
		}
	})
	// A group that chose EC2 health checks keeps them, with a warning.
	stack, vpc = newStack("ap-northeast-2")
	ec2Only := awsautoscaling.NewAutoScalingGroup(stack, jsii.String("Mine"), &awsautoscaling.AutoScalingGroupProps{
		Vpc: vpc, InstanceType: awsec2.NewInstanceType(jsii.String("t3.micro")), MachineImage: awsec2.MachineImage_LatestAmazonLinux2023(nil),
		HealthChecks: awsautoscaling.HealthChecks_Ec2(nil),
	})
	NewWebTier(stack, jsii.String("WebTier"), &WebTierProps{Vpc: vpc}).AttachAutoScalingGroup(ec2Only)
	tmpl = assertions.Template_FromStack(stack, nil)
	assert(t, func() {
		tmpl.HasResourceProperties(jsii.String("AWS::AutoScaling::AutoScalingGroup"), obj{"HealthCheckType": "EC2", "HealthCheckGracePeriod": assertions.Match_Absent()})
	})
	if w := assertions.Annotations_FromStack(stack).FindWarning(jsii.String("/Test/Mine"), assertions.Match_StringLikeRegexp(jsii.String("checks its instances with EC2 health checks only"))); len(*w) != 1 {
		t.Errorf("EC2 health checks: want one warning, got %d", len(*w))
	}
}

// TestFleetChangesRollInPlace: what replaces every fixed instance (a new
// instance type, a new instance port in the user data) keeps the group's
// and the launch template's logical IDs in a fleet, so CloudFormation
// updates the template (a new version) and rolls the group, rather than
// replacing the group.
func TestFleetChangesRollInPlace(t *testing.T) {
	synth := func(instanceType string, port float64) (ids []string, data string) {
		stack, vpc := newStack("ap-northeast-2")
		tier, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, AutoScaling: &AutoScalingOptions{},
			InstanceType: awsec2.NewInstanceType(jsii.String(instanceType)),
			Listeners:    &[]*Listener{{ExternalPort: jsii.Number(80), InternalPort: jsii.Number(port)}}})
		ids = append(ids, *stack.GetLogicalId(tier.AutoScalingGroup().Node().DefaultChild().(awscdk.CfnElement)))
		lts := tmpl.FindResources(jsii.String("AWS::EC2::LaunchTemplate"), nil)
		for id, lt := range *lts {
			ids = append(ids, id)
			data = js((*lt)["Properties"].(map[string]interface{})["LaunchTemplateData"])
		}
		return ids, data
	}
	baseIDs, baseData := synth("t3.micro", 80)
	for _, c := range []struct {
		name         string
		instanceType string
		port         float64
	}{{"instance type", "t3.small", 80}, {"instance port", "t3.micro", 8080}} {
		ids, data := synth(c.instanceType, c.port)
		if strings.Join(ids, " ") != strings.Join(baseIDs, " ") {
			t.Errorf("%s: logical IDs %v, want %v (kept)", c.name, ids, baseIDs)
		}
		if data == baseData {
			t.Errorf("%s: the launch template data did not change", c.name)
		}
	}
}

// TestFleetKeepsToTheLoadBalancersZones: in a VPC of three zones with a
// load balancer in two, the group's default subnets are the two zones'
// (elsewhere its instances would be OutOfService and replaced over and
// over), given subnets in the third are refused, and fixed instances there
// get a warning.
func TestFleetKeepsToTheLoadBalancersZones(t *testing.T) {
	setup := func() (awscdk.Stack, awsec2.IVpc, *awsec2.SubnetSelection) {
		app := awscdk.NewApp(nil)
		stack := awscdk.NewStack(app, jsii.String("Test"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("ap-northeast-2"), Account: jsii.String("123456789012")}})
		vpc := awsec2.Vpc_FromVpcAttributes(stack, jsii.String("Vpc"), &awsec2.VpcAttributes{
			VpcId:             jsii.String("vpc-0a1b2c3d4e5f67890"),
			AvailabilityZones: jsii.Strings("ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"),
			PublicSubnetIds:   jsii.Strings("subnet-0000000000000000a", "subnet-0000000000000000b", "subnet-0000000000000000c"),
			PrivateSubnetIds:  jsii.Strings("subnet-1000000000000000a", "subnet-1000000000000000b", "subnet-1000000000000000c"),
		})
		two := &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PUBLIC, AvailabilityZones: jsii.Strings("ap-northeast-2a", "ap-northeast-2b")}
		return stack, vpc, two
	}
	stack, vpc, two := setup()
	_, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, LoadBalancerSubnets: two, AutoScaling: &AutoScalingOptions{}})
	assert(t, func() {
		tmpl.HasResourceProperties(jsii.String("AWS::AutoScaling::AutoScalingGroup"), obj{
			"VPCZoneIdentifier": []interface{}{"subnet-1000000000000000a", "subnet-1000000000000000b"},
			"AvailabilityZones": []interface{}{"ap-northeast-2a", "ap-northeast-2b"},
		})
	})
	stack, vpc, two = setup()
	err := ValidateProps(&WebTierProps{Vpc: vpc, LoadBalancerSubnets: two, InstanceSubnets: &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_WITH_EGRESS}, AutoScaling: &AutoScalingOptions{}})
	if err == nil || !strings.Contains(err.Error(), "InstanceSubnets: puts instances in ap-northeast-2c, where the load balancer has no subnet (its zones: ap-northeast-2a, ap-northeast-2b)") {
		t.Errorf("given subnets outside the load balancer's zones: %v", err)
	}
	// Fixed instances keep to the load balancer's zones by default too.
	_, tmpl = build(t, stack, &WebTierProps{Vpc: vpc, LoadBalancerSubnets: two, InstanceCount: jsii.Number(3)})
	for id, inst := range *tmpl.FindResources(jsii.String("AWS::EC2::Instance"), nil) {
		if zone := (*inst)["Properties"].(map[string]interface{})["AvailabilityZone"]; zone != "ap-northeast-2a" && zone != "ap-northeast-2b" {
			t.Errorf("fixed instance %s in %v, outside the load balancer's zones", id, zone)
		}
	}
	// Given instance subnets elsewhere get a warning naming the zones
	// that instances land in.
	stack, vpc, two = setup()
	build(t, stack, &WebTierProps{Vpc: vpc, LoadBalancerSubnets: two, InstanceCount: jsii.Number(3), InstanceSubnets: &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_WITH_EGRESS}})
	if w := assertions.Annotations_FromStack(stack).FindWarning(jsii.String("/Test/WebTier"), assertions.Match_StringLikeRegexp(jsii.String("puts instances in ap-northeast-2c, where the load balancer has no subnet"))); len(*w) != 1 {
		t.Errorf("fixed instances outside the load balancer's zones: want one warning, got %d", len(*w))
	}
}

// TestAttachingTwiceOrAcrossStacks: a group attached twice names the load
// balancer once; ELB among other health check types is enough and gets its
// grace period; a group of another stack is refused with a reason.
func TestAttachingTwiceOrAcrossStacks(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	group := awsautoscaling.NewAutoScalingGroup(stack, jsii.String("Mine"), &awsautoscaling.AutoScalingGroupProps{
		Vpc: vpc, InstanceType: awsec2.NewInstanceType(jsii.String("t3.micro")), MachineImage: awsec2.MachineImage_LatestAmazonLinux2023(nil),
		HealthChecks: awsautoscaling.HealthChecks_WithAdditionalChecks(&awsautoscaling.AdditionalHealthChecksOptions{
			AdditionalTypes: &[]awsautoscaling.AdditionalHealthCheckType{awsautoscaling.AdditionalHealthCheckType_ELB, awsautoscaling.AdditionalHealthCheckType_EBS},
		}),
	})
	tier := NewWebTier(stack, jsii.String("WebTier"), &WebTierProps{Vpc: vpc})
	tier.AttachAutoScalingGroup(group)
	tier.AttachAutoScalingGroup(group)
	tmpl := assertions.Template_FromStack(stack, nil)
	assert(t, func() {
		tmpl.HasResourceProperties(jsii.String("AWS::AutoScaling::AutoScalingGroup"), obj{
			"LoadBalancerNames":      []interface{}{obj{"Ref": *stack.GetLogicalId(tier.LoadBalancer())}},
			"HealthCheckType":        assertions.Match_StringLikeRegexp(jsii.String("ELB")),
			"HealthCheckGracePeriod": 420,
		})
	})
	if w := assertions.Annotations_FromStack(stack).FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("health checks only"))); len(*w) != 0 {
		t.Errorf("ELB among other types: %d warnings", len(*w))
	}

	other := awscdk.NewStack(stack.Node().Root().(awscdk.App), jsii.String("Other"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("ap-northeast-2")}})
	elsewhere := awsautoscaling.NewAutoScalingGroup(other, jsii.String("Theirs"), &awsautoscaling.AutoScalingGroupProps{
		Vpc: vpc, InstanceType: awsec2.NewInstanceType(jsii.String("t3.micro")), MachineImage: awsec2.MachineImage_LatestAmazonLinux2023(nil),
	})
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "Other/Theirs is in stack Other, the WebTier Test/WebTier in stack Test") {
			t.Errorf("a group of another stack: want a refusal naming both stacks, got %v", r)
		}
	}()
	tier.AttachAutoScalingGroup(elsewhere)
}

// TestStepChecksAgreeWithAwsCdkLib: for many step sets, validateSteps
// accepts exactly those aws-cdk-lib's StepScalingPolicy builds without
// throwing, but for the sets only the idle-site rule refuses (aws-cdk-lib
// builds those; they would grow an idle fleet or shrink a busy one).
func TestStepChecksAgreeWithAwsCdkLib(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	group := awsautoscaling.NewAutoScalingGroup(stack, jsii.String("Group"), &awsautoscaling.AutoScalingGroupProps{
		Vpc: vpc, InstanceType: awsec2.NewInstanceType(jsii.String("t3.micro")), MachineImage: awsec2.MachineImage_LatestAmazonLinux2023(nil),
	})
	metric := awscloudwatch.NewMetric(&awscloudwatch.MetricProps{Namespace: jsii.String("AWS/ELB"), MetricName: jsii.String("RequestCount")})
	bounds := []float64{0, 100, 500, 1000, 5000}
	rng := rand.New(rand.NewPCG(11, 1))
	seen := map[string]bool{}
	agreedRefusals, agreedBuilds := 0, 0
	for i := 0; i < 300; i++ {
		var sts []stepSpec
		var intervals []*awsautoscaling.ScalingInterval
		for n := 1 + rng.IntN(4); len(sts) < n; {
			st := stepSpec{change: float64(rng.IntN(5) - 2), hasChange: true}
			iv := &awsautoscaling.ScalingInterval{Change: jsii.Number(st.change)}
			lo, hi := rng.IntN(len(bounds)+1)-1, rng.IntN(len(bounds)+1)-1
			if lo >= 0 {
				st.lower, st.hasLower, iv.Lower = bounds[lo], true, jsii.Number(bounds[lo])
			}
			if hi > lo && hi >= 0 {
				st.upper, st.hasUpper, iv.Upper = bounds[hi], true, jsii.Number(bounds[hi])
			}
			sts, intervals = append(sts, st), append(intervals, iv)
		}
		key := fmt.Sprintf("%+v", sts)
		if seen[key] {
			continue
		}
		seen[key] = true
		s := validFleetSpec()
		s.fleet.hasRequestScaling, s.fleet.requestSteps = true, sts
		var ours []string
		idleRule := false
		for _, p := range s.validate() {
			ours = append(ours, p.Error())
			idleRule = idleRule || strings.Contains(p.Message, "adds instances below") || strings.Contains(p.Message, "removes instances above")
		}
		cdkErr := func() (err interface{}) {
			defer func() { err = recover() }()
			awsautoscaling.NewStepScalingPolicy(stack, jsii.String(fmt.Sprintf("P%d", i)), &awsautoscaling.StepScalingPolicyProps{
				AutoScalingGroup: group, Metric: metric, ScalingSteps: &intervals,
			})
			return nil
		}()
		switch {
		case cdkErr != nil && len(ours) == 0:
			t.Errorf("steps %s: aws-cdk-lib throws %v, validateSteps accepts", key, cdkErr)
		case cdkErr == nil && len(ours) > 0 && !idleRule:
			t.Errorf("steps %s: aws-cdk-lib builds them, validateSteps refuses: %v", key, ours)
		case cdkErr != nil:
			agreedRefusals++
		case len(ours) == 0:
			agreedBuilds++
		}
	}
	// The sample covers both sides.
	if agreedRefusals < 10 || agreedBuilds < 5 {
		t.Errorf("only %d refusals and %d builds agreed on; widen the sample", agreedRefusals, agreedBuilds)
	}
	t.Logf("%d step sets: %d refused by both, %d built by both", len(seen), agreedRefusals, agreedBuilds)
}

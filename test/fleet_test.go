package test

import (
	"strings"
	"testing"
)

const (
	asgType = "AWS::AutoScaling::AutoScalingGroup"
	ltType  = "AWS::EC2::LaunchTemplate"
)

// checkFleet: an Auto Scaling group of 2 to 6 replaces the fixed
// instances, attached to the load balancer, healed by its health check,
// refreshed beside the old instances watching the alarms, scaled on CPU.
func checkFleet(t *testing.T, s synthesized) {
	tm := s.template
	count(t, tm, instType, 0)
	lbID, lb := only(t, tm, lbType)
	if _, ok := props(lb)["Instances"]; ok {
		t.Errorf("the load balancer lists fixed instances: %s", describe(props(lb)["Instances"]))
	}
	asgID, asg := only(t, tm, asgType)
	ltID, lt := only(t, tm, ltType)
	p := props(asg)
	equalJSON(t, "MinSize", p["MinSize"], "2")
	equalJSON(t, "MaxSize", p["MaxSize"], "6")
	equalJSON(t, "DesiredCapacity", p["DesiredCapacity"], nil)
	equalJSON(t, "LoadBalancerNames", p["LoadBalancerNames"], list{ref(lbID)})
	equalJSON(t, "HealthCheckType", p["HealthCheckType"], "ELB")
	// Boot (120 s), then 10 healthy pings 30 s apart.
	equalJSON(t, "HealthCheckGracePeriod", p["HealthCheckGracePeriod"], 420)
	equalJSON(t, "LaunchTemplate", p["LaunchTemplate"], obj{"LaunchTemplateId": ref(ltID), "Version": getAtt(ltID, "LatestVersionNumber")})
	// One subnet per zone of the app's isolated instance subnets.
	equalJSON(t, "VPCZoneIdentifier", p["VPCZoneIdentifier"], list{ref("VpcInstancesSubnet1SubnetE38187BB"), ref("VpcInstancesSubnet2Subnet43CC25DC")})
	// A changed launch template: all new instances beside the old, each
	// given the 420 s, the four alarms of a broken site watched until 5
	// minutes after; no rolling update beside it.
	equalJSON(t, "UpdatePolicy", asg["UpdatePolicy"], obj{
		"AutoScalingInstanceRefresh": obj{"Strategy": "Rolling", "Preferences": obj{
			"MinHealthyPercentage": 100, "MaxHealthyPercentage": 200, "InstanceWarmup": 420, "BakeTime": 300, "SkipMatching": true,
			"AlarmSpecification": obj{"Alarms": list{"ClassicWebTier-WebTier-UnhealthyHosts", "ClassicWebTier-WebTier-HealthyHosts",
				"ClassicWebTier-WebTier-ElbErrorRate", "ClassicWebTier-WebTier-BackendErrorRate"}},
		}},
		"AutoScalingScheduledAction": obj{"IgnoreUnmodifiedGroupSizeProperties": true},
	})
	data := props(lt)["LaunchTemplateData"].(obj)
	equalJSON(t, "MetadataOptions", data["MetadataOptions"], obj{"HttpEndpoint": "enabled", "HttpTokens": "required"})
	equalJSON(t, "Monitoring", data["Monitoring"], obj{"Enabled": true})
	equalJSON(t, "BlockDeviceMappings", data["BlockDeviceMappings"], list{obj{"DeviceName": "/dev/xvda", "Ebs": obj{"Encrypted": true, "VolumeSize": 8, "VolumeType": "gp3"}}})
	if ud := describe(data["UserData"]); !strings.Contains(ud, "webtier-http@80.service") {
		t.Errorf("launch template lacks the default page server: %.300s", ud)
	}
	if image := describe(data["ImageId"]); !strings.Contains(image, "x8664") {
		t.Errorf("t3.micro: want the x86_64 image parameter, got %s", image)
	}
	hasProps(t, tm, "AWS::AutoScaling::ScalingPolicy", obj{"AutoScalingGroupName": ref(asgID), "PolicyType": "TargetTrackingScaling",
		"TargetTrackingConfiguration": obj{"PredefinedMetricSpecification": obj{"PredefinedMetricType": "ASGAverageCPUUtilization"}, "TargetValue": 50}})
	// The instances' group lets the load balancer in on port 80 only.
	checkSecurityGroups(t, tm, []float64{80}, []float64{80}, "0.0.0.0/0")
	equalJSON(t, "AutoScalingGroupName output", outputsOf(t, tm)["AutoScalingGroupName"]["Value"], ref(asgID))
}

// checkFleetGravitonHTTPS: arm64 image, the size to start at, the CPU
// target, and the HTTPS redirect in the launch template's user data.
func checkFleetGravitonHTTPS(t *testing.T, s synthesized) {
	tm := s.template
	_, asg := only(t, tm, asgType)
	_, lt := only(t, tm, ltType)
	p := props(asg)
	equalJSON(t, "sizes", []interface{}{p["MinSize"], p["DesiredCapacity"], p["MaxSize"]}, list{"2", "3", "4"})
	data := props(lt)["LaunchTemplateData"].(obj)
	equalJSON(t, "InstanceType", data["InstanceType"], "t4g.small")
	if image := describe(data["ImageId"]); !strings.Contains(image, "arm64") {
		t.Errorf("t4g.small: want the arm64 image parameter, got %s", image)
	}
	if ud := describe(data["UserData"]); !strings.Contains(ud, `webserver.py %i --redirect-https 443 --health \"/index.html\"`) {
		t.Errorf("launch template user data lacks the HTTPS redirect: %.300s", ud)
	}
	hasProps(t, tm, "AWS::AutoScaling::ScalingPolicy", obj{"TargetTrackingConfiguration": obj{"TargetValue": 60}})
	_, lb := only(t, tm, lbType)
	equalJSON(t, "Listeners", props(lb)["Listeners"], list{
		httpsListener("80", "HTTP", certArn),
		obj{"InstancePort": "80", "InstanceProtocol": "HTTP", "LoadBalancerPort": "80", "Protocol": "HTTP"},
	})
}

// TestFleetInTheDefaultVpc: in the default VPC's public subnets, as in the
// tutorial, the launch template leaves public addresses to the subnets,
// and cdk-nag passes.
func TestFleetInTheDefaultVpc(t *testing.T) {
	s := synth(t, map[string]interface{}{"autoScaling": "true", "useDefaultVpc": "true", defaultVpcLookupKey: defaultVpcLookup}, testAccount)
	_, lt := only(t, s.template, ltType)
	if nics, ok := props(lt)["LaunchTemplateData"].(obj)["NetworkInterfaces"]; ok {
		t.Errorf("public subnets: want the subnets' own public address setting, got %s", describe(nics))
	}
	_, asg := only(t, s.template, asgType)
	equalJSON(t, "VPCZoneIdentifier", props(asg)["VPCZoneIdentifier"], list{"subnet-0d0000000000000a0", "subnet-0d0000000000000b0"})
	equalJSON(t, "AvailabilityZones", props(asg)["AvailabilityZones"], list{"ap-northeast-2a", "ap-northeast-2b"})
}

// TestFleetThroughTheCLI runs the three commands through the real
// CLI: a group of 2 to 6, the same on Graviton, and sizes the wrong way
// round.
func TestFleetThroughTheCLI(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"-c", "autoScaling=true", "-c", "minCapacity=2", "-c", "maxCapacity=6"},
			[]string{`"Type": "AWS::AutoScaling::AutoScalingGroup"`, `"MinSize": "2"`, `"MaxSize": "6"`, `"HealthCheckType": "ELB"`, `"LoadBalancerNames"`, `"AutoScalingInstanceRefresh"`, `"MinHealthyPercentage": 100`, `"HttpTokens": "required"`, `"PolicyType": "TargetTrackingScaling"`, "al2023-ami-kernel-6.1-x86_64"}},
		{[]string{"-c", "autoScaling=true", "-c", "minCapacity=2", "-c", "maxCapacity=6", "-c", "instanceType=t4g.small"},
			[]string{`"InstanceType": "t4g.small"`, "al2023-ami-kernel-6.1-arm64"}},
	} {
		if tmpl := synthContaining(t, c.want, c.args...); strings.Contains(tmpl, `"AWS::EC2::Instance"`) {
			t.Errorf("%v: fixed instances beside the group", c.args)
		}
	}
	out, output, err := cdkCLI(t, "-c", "autoScaling=true", "-c", "minCapacity=5", "-c", "maxCapacity=2")
	if err == nil {
		t.Fatal("minCapacity 5 above maxCapacity 2: synth succeeded")
	}
	if want := "minCapacity: 5 is more than maxCapacity (2); lower minCapacity or raise maxCapacity"; !strings.Contains(output, want) {
		t.Errorf("want %q in:\n%s", want, output)
	}
	if matches, _ := filepathGlob(out, "*.template.json"); len(matches) != 0 {
		t.Errorf("a refused synth left %v", matches)
	}
}

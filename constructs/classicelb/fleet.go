package classicelb

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/classic-webtier/cdk-classic-webtier/internal/clb"
)

// createFleet builds the launch template, from the same settings and
// secure defaults as the fixed instances, and the Auto Scaling group that
// runs it, attached to the load balancer.
func (w *webTier) createFleet() {
	s, in, f := w.spec, w.spec.instances, w.spec.fleet
	lt := awsec2.NewLaunchTemplate(w, jsii.String("LaunchTemplate"), &awsec2.LaunchTemplateProps{
		InstanceType:             in.instanceType,
		MachineImage:             in.image,
		UserData:                 in.userData,
		Role:                     w.role,
		SecurityGroup:            w.instanceSG,
		KeyPair:                  in.keyPair,
		BlockDevices:             in.blockDevices,
		DetailedMonitoring:       jsii.Bool(in.detailedMonitoring),
		HttpTokens:               awsec2.LaunchTemplateHttpTokens_REQUIRED,
		HttpEndpoint:             jsii.Bool(true),
		AssociatePublicIpAddress: in.publicIP,
	})
	w.warnImageAtLaunch()
	w.topic = f.topic
	if w.topic == nil {
		w.topic = awssns.NewTopic(w, jsii.String("Notifications"), &awssns.TopicProps{
			DisplayName: jsii.String("Web tier fleet"),
			// SNS's AWS managed key lets every principal of the account
			// use it through SNS, the Auto Scaling service-linked role
			// that publishes the notifications included, and costs
			// nothing; a key of the stack's own would cost 1 USD a month
			// and need that same grant in its policy.
			MasterKey:  awskms.Alias_FromAliasName(w, jsii.String("SnsKey"), jsii.String("alias/aws/sns")),
			EnforceSSL: jsii.Bool(true),
		})
	}
	ready := awscdk.Duration_Seconds(jsii.Number(s.healthyAfter()))
	props := &awsautoscaling.AutoScalingGroupProps{
		Vpc:            s.vpc,
		VpcSubnets:     &awsec2.SubnetSelection{Subnets: s.instanceSubnets.Subnets},
		LaunchTemplate: lt,
		MinCapacity:    jsii.Number(f.minCapacity),
		MaxCapacity:    jsii.Number(f.maxCapacity),
		// The group ignores the load balancer's verdict until a new
		// instance could have passed the health check; target tracking
		// counts its CPU only from then on.
		HealthChecks: awsautoscaling.HealthChecks_WithAdditionalChecks(&awsautoscaling.AdditionalHealthChecksOptions{
			AdditionalTypes: &[]awsautoscaling.AdditionalHealthCheckType{awsautoscaling.AdditionalHealthCheckType_ELB},
			GracePeriod:     ready,
		}),
		DefaultInstanceWarmup: ready,
		Notifications:         &[]*awsautoscaling.NotificationConfiguration{{Topic: w.topic}},
		// In-service, pending and terminating counts, every minute, at no
		// charge: what a dashboard of the fleet shows.
		GroupMetrics: &[]awsautoscaling.GroupMetrics{awsautoscaling.GroupMetrics_All()},
	}
	if f.hasDesired {
		props.DesiredCapacity = jsii.Number(f.desiredCapacity)
	}
	watched := w.refreshWatched()
	if len(watched) == 0 {
		awscdk.Annotations_Of(w).AddWarningV2(jsii.String("@classic-webtier/classicelb:refreshUnwatched"),
			jsii.String("Alarms is off, so the fleet's instance refresh watches no alarm: a launch template whose instances pass the health check but answer 5XX, or fail it only after their warm-up, is rolled out to every instance and stays; keep Alarms on to have such an update fail and roll back"), nil)
	}
	w.group = awsautoscaling.NewAutoScalingGroup(w, jsii.String("Fleet"), props)
	group := w.group.Node().DefaultChild().(awsautoscaling.CfnAutoScalingGroup)
	group.CfnOptions().SetUpdatePolicy(w.instanceRefresh(s.healthyAfter(), watched))
	// The alarms the refresh watches exist before it starts, also when a
	// deploy turns them on with a new launch template. The group's own
	// resource depends on them, not its scaling policies, which need no
	// alarm of these.
	if len(watched) > 0 {
		alarms := make([]constructs.IDependable, len(watched))
		for i, a := range watched {
			alarms[i] = a.alarm
		}
		group.Node().AddDependency(alarms...)
	}
	// The zones of the subnets, named as well: what AWS Control Tower's
	// multi-zone check (CT.AUTOSCALING.PR.1) reads.
	group.SetAvailabilityZones(s.instanceZones())
	// One size has nothing to scale (validate refuses a target given for it).
	if f.minCapacity < f.maxCapacity {
		w.group.ScaleOnCpuUtilization(jsii.String("CpuTracking"), &awsautoscaling.CpuUtilizationScalingProps{
			TargetUtilizationPercent: jsii.Number(f.targetCpu),
		})
	}
	if f.hasRequestScaling {
		w.group.ScaleOnMetric(jsii.String("RequestCountScaling"), &awsautoscaling.BasicStepScalingPolicyProps{
			Metric:         w.requestCountPerMinute(),
			ScalingSteps:   f.scalingSteps(),
			AdjustmentType: f.adjustmentType,
		})
	}
	w.AttachAutoScalingGroup(w.group)
}

// instanceZones are the Availability Zones of the instance subnets, each
// once, in subnet order.
func (s *spec) instanceZones() *[]*string {
	zones, _ := zonesOf(s.instanceSubnetFacts)
	return jsii.Strings(zones...)
}

// healthyAfter is how long a new instance needs before the load balancer
// sends it requests, in seconds: its boot, then HealthyThreshold pings
// Interval apart. The group's health check grace period, its default
// instance warmup (scaling) and the instance refresh's warm-up are all this long.
func (s *spec) healthyAfter() float64 {
	return clb.HealthyAfterSeconds(s.healthCheck.healthyThreshold, s.healthCheck.interval)
}

// warnImageAtLaunch warns of a MachineImage that the launch template
// resolves at each launch (resolve:ssm:, as
// MachineImage_ResolveSsmParameterAtLaunch makes): Auto Scaling cannot roll
// such a template back itself, and an instance launched later by scaling
// may get a newer image than the one the refresh watched.
func (w *webTier) warnImageAtLaunch() {
	// The image's own answer: a Ref to a parameter it made once per stack
	// (which the launch template reuses), or the resolve:ssm: text.
	image := w.spec.instances.image.GetImage(w).ImageId
	if image != nil && strings.HasPrefix(*image, "resolve:ssm:") {
		id := *image
		awscdk.Annotations_Of(w).AddWarningV2(jsii.String("@classic-webtier/classicelb:imageAtLaunch"),
			jsii.String(fmt.Sprintf("MachineImage is resolved at each launch (%s): an instance the fleet launches later, scaling or replacing, may run a newer image than the one the last deploy's instance refresh watched, and Auto Scaling cannot roll such a launch template back itself; use awsec2.MachineImage_LatestAmazonLinux2023 (resolved at deploy) or a fixed image so that a new image arrives only with a deploy", id)), nil)
	}
}

// instanceRefresh is the group's update policy: a changed launch template
// is rolled out by an instance refresh that keeps MinHealthyPercentage of
// the group serving, gives each new instance ready to pass the load
// balancer's health check, and fails (CloudFormation then rolls the stack
// back) when one of the refresh alarms goes off, during the refresh or
// its bake time. The launch template is referenced by its numbered
// version and its image by a literal ID (a CloudFormation parameter, not
// resolve:ssm:), as a refresh that can roll back needs. The alarms are
// named as literals, not Refs, which an update policy may not resolve; the
// group depends on them instead. (aws-cdk-lib's UpdatePolicy_InstanceRefresh
// renders the same, at a jsii call per alarm more.)
func (w *webTier) instanceRefresh(ready float64, watched []alarmRef) *awscdk.CfnUpdatePolicy {
	f := w.spec.fleet
	prefs := &awscdk.CfnAutoScalingInstanceRefreshPreferences{
		MinHealthyPercentage: jsii.Number(f.minHealthy),
		MaxHealthyPercentage: jsii.Number(f.maxHealthy),
		InstanceWarmup:       jsii.Number(ready),
		BakeTime:             jsii.Number(f.bakeSeconds),
		// Instances already on the wanted version stay: a rollback
		// replaces only those the failed refresh launched.
		SkipMatching: jsii.Bool(true),
	}
	if len(watched) > 0 {
		names := make([]*string, len(watched))
		for i, a := range watched {
			names[i] = a.name
		}
		prefs.AlarmSpecification = &awscdk.CfnAutoScalingInstanceRefreshAlarmSpecification{Alarms: &names}
	}
	return &awscdk.CfnUpdatePolicy{
		AutoScalingInstanceRefresh: &awscdk.CfnAutoScalingInstanceRefresh{Strategy: jsii.String("Rolling"), Preferences: prefs},
		// What aws-cdk-lib sets on every group: a deploy leaves the sizes
		// that scheduled actions set alone unless it changes them.
		AutoScalingScheduledAction: &awscdk.CfnAutoScalingScheduledAction{IgnoreUnmodifiedGroupSizeProperties: jsii.Bool(true)},
	}
}

// scalingSteps are RequestCountScaling's steps as aws-cdk-lib takes them.
func (f *fleetSpec) scalingSteps() *[]*awsautoscaling.ScalingInterval {
	out := make([]*awsautoscaling.ScalingInterval, len(f.requestSteps))
	for i, st := range f.requestSteps {
		out[i] = &awsautoscaling.ScalingInterval{Change: jsii.Number(st.change)}
		if st.hasLower {
			out[i].Lower = jsii.Number(st.lower)
		}
		if st.hasUpper {
			out[i].Upper = jsii.Number(st.upper)
		}
	}
	return &out
}

// requestCountPerMinute is the load balancer's RequestCount summed over a
// minute, with no traffic read as 0 rather than as missing data (ELB
// publishes nothing while no request comes), so that the steps that
// remove instances fire when the site is idle.
func (w *webTier) requestCountPerMinute() awscloudwatch.IMetric {
	return awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		Expression: jsii.String("FILL(requests, 0)"),
		UsingMetrics: &map[string]awscloudwatch.IMetric{
			"requests": w.MetricRequestCount(w.perMinute()),
		},
		Label:  jsii.String("Requests per minute"),
		Period: w.minute(),
	})
}

// AttachAutoScalingGroup registers an Auto Scaling group of this app with
// the load balancer (its LoadBalancerNames, beside any it has), lets the
// load balancer reach the group's instance ports, and, unless the group
// chose a health check type of its own, makes the load balancer's health
// check the group's; a group whose types include ELB but no grace period
// gets one long enough for a new instance to pass it. The group must be
// in the WebTier's stack: the security group rules between the two would
// otherwise make the stacks depend on each other.
func (w *webTier) AttachAutoScalingGroup(group awsautoscaling.AutoScalingGroup) {
	if group == nil {
		panic(argumentError(*w.Node().Path(), "AttachAutoScalingGroup(group)", "is required; pass an awsautoscaling.AutoScalingGroup of the WebTier's stack (built with awsautoscaling.NewAutoScalingGroup)"))
	}
	if here, there := w.stack(), awscdk.Stack_Of(group); *here.Node().Path() != *there.Node().Path() {
		panic(fmt.Sprintf("AttachAutoScalingGroup: %s is in stack %s, the WebTier %s in stack %s; the load balancer and the group's security groups would refer to each other across the stacks (a dependency cycle), so attach a group of the WebTier's stack",
			*group.Node().Path(), *there.Node().Path(), *w.Node().Path(), *here.Node().Path()))
	}
	cfn := group.Node().DefaultChild().(awsautoscaling.CfnAutoScalingGroup)
	cfn.SetLoadBalancerNames(awscdk.Token_AsList(awscdk.Lazy_UncachedAny(&appendedName{prev: cfn.LoadBalancerNames(), name: w.lbRef}, nil), nil))
	for _, port := range w.spec.instancePorts() {
		w.lbSG.Connections().AllowTo(group, w.tcp(port), jsii.String(fmt.Sprintf("Load balancer to instance port %s", portText(port))))
	}
	types := cfn.HealthCheckType()
	if types == nil {
		cfn.SetHealthCheckType(jsii.String("ELB"))
	} else if !slices.Contains(strings.Split(*types, ","), "ELB") {
		awscdk.Annotations_Of(group).AddWarningV2(jsii.String("@classic-webtier/classicelb:groupHealthCheck"),
			jsii.String(fmt.Sprintf("%s checks its instances with %s health checks only, so it keeps an instance that the load balancer %s finds unhealthy; add the ELB health check (awsautoscaling.HealthChecks_WithAdditionalChecks with AdditionalHealthCheckType_ELB)", *group.Node().Path(), *types, *w.Node().Path())), nil)
		return
	}
	// Without a grace period the group would take a booting instance's
	// first failed pings as its end.
	if cfn.HealthCheckGracePeriod() == nil {
		cfn.SetHealthCheckGracePeriod(jsii.Number(w.spec.healthyAfter()))
	}
}

// appendedName is a list of load balancer names: the ones the group had
// (aws-cdk-lib's own, or an earlier attachment's), then one more.
type appendedName struct {
	prev *[]*string
	name *string
}

// Produce resolves the names the group had and adds the load balancer's,
// unless it is among them (the group attached twice).
func (a *appendedName) Produce(ctx awscdk.IResolveContext) interface{} {
	var out []interface{}
	if a.prev != nil {
		if names, ok := ctx.Resolve(a.prev, nil).([]interface{}); ok {
			out = append(out, names...)
		}
	}
	name := ctx.Resolve(a.name, nil)
	for _, n := range out {
		if reflect.DeepEqual(n, name) {
			return out
		}
	}
	return append(out, name)
}

package classicelb

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancing"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// WebTier is a classic load balancer in front of Amazon Linux instances spread
// over Availability Zones, with their security groups and an optional Route 53
// alias: the console tutorial's web tier as one construct.
//
// Like aws-cdk-lib's AutoScalingGroup, it stands for its instances where
// aws-cdk-lib takes an awsec2.IConnectable (what the instances may reach:
// db.Connections().AllowDefaultPortFrom(tier, ...)) or an awsiam.IGrantable
// (what they may do: bucket.GrantRead(tier, nil)). The way in is the load
// balancer's: AllowedPeers, or LoadBalancerConnections().
type WebTier interface {
	constructs.IConstruct
	awsec2.IConnectable
	awsiam.IGrantable

	// LoadBalancer is the CloudFormation load balancer (construct ID "Resource").
	LoadBalancer() awselasticloadbalancing.CfnLoadBalancer
	// LoadBalancerName is the load balancer's name (its Ref): the one given,
	// or the one CloudFormation generates.
	LoadBalancerName() *string
	// LoadBalancerDnsName is the load balancer's DNS name, which users browse to.
	LoadBalancerDnsName() *string
	// LoadBalancerCanonicalHostedZoneNameId is the Route 53 zone of that DNS name,
	// the HostedZoneId of an alias to it.
	LoadBalancerCanonicalHostedZoneNameId() *string
	// LoadBalancerSecurityGroup is the load balancer's security group, created or
	// given.
	LoadBalancerSecurityGroup() awsec2.ISecurityGroup
	// InstanceSecurityGroup is the security group of every instance, created
	// or given.
	InstanceSecurityGroup() awsec2.ISecurityGroup
	// Instances registered with the load balancer, in order; none with
	// AutoScaling (the group launches and registers them).
	Instances() []awsec2.Instance
	// AutoScalingGroup runs the instances with AutoScaling, nil without:
	// scale it further (ScaleOnSchedule ...), read its metrics, or give
	// it lifecycle hooks as any aws-cdk-lib AutoScalingGroup.
	AutoScalingGroup() awsautoscaling.AutoScalingGroup
	// NotificationTopic receives the AutoScaling group's launch,
	// termination and failure notifications (created or given), nil
	// without AutoScaling; subscribe to it to read them.
	NotificationTopic() awssns.ITopic
	// AttachAutoScalingGroup registers a group this app defines with the
	// load balancer, for groups built by hand rather than with AutoScaling:
	// the group's instances join the load balancer as it launches them,
	// the load balancer may reach their instance ports, and, unless the
	// group chose a health check type, the load balancer's health check
	// becomes the group's (with a grace period of boot time plus
	// HealthyThreshold x Interval). The load balancer's own AllowedPeers
	// and listeners are unchanged. A nil group panics with a
	// *ValidationError.
	AttachAutoScalingGroup(group awsautoscaling.AutoScalingGroup)
	// InstanceRole is the IAM role every instance runs with, created or
	// given; grant it what the application needs.
	InstanceRole() awsiam.IRole
	// AccessLogBucket receives the access logs (created or given), or is nil
	// when access logs are off.
	AccessLogBucket() awss3.IBucket
	// Record is the A alias record, or nil without a HostedZone.
	Record() awsroute53.ARecord
	// SiteHealthCheck is the Route 53 health check the record follows
	// (Routing.SiteHealthCheck), or nil.
	SiteHealthCheck() awsroute53.IHealthCheck
	// Connections of the instances (their security group, default port the
	// first listener's instance port): what makes the tier an IConnectable.
	Connections() awsec2.Connections
	// LoadBalancerConnections of the load balancer (its security group,
	// default port the first listener's), to let more clients in with
	// AllowDefaultPortFrom.
	LoadBalancerConnections() awsec2.Connections
	// GrantPrincipal is the instances' role.
	GrantPrincipal() awsiam.IPrincipal

	// Alarms are the CloudWatch alarms on the load balancer (none with
	// Alarms false): unhealthy and healthy hosts, latency, surge queue,
	// spillover, and the 5XX rates with an HTTP or HTTPS listener.
	Alarms() []awscloudwatch.Alarm
	// AlarmTopic is the topic the alarms notify (given, or made for
	// AlarmEmail), nil without.
	AlarmTopic() awssns.ITopic
	// Dashboard is the tier's CloudWatch dashboard, nil with Dashboard
	// false.
	Dashboard() awscloudwatch.Dashboard

	// Metric is any metric of the load balancer (namespace AWS/ELB,
	// dimension LoadBalancerName); the helpers below name the useful ones
	// with the statistic AWS documents for each. A nil or empty
	// metricName panics with a *ValidationError.
	Metric(metricName *string, props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricRequestCount: requests (or TCP connections) routed; Sum.
	MetricRequestCount(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricHealthyHostCount: instances passing the health check; Average.
	MetricHealthyHostCount(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricUnHealthyHostCount: instances failing it; Average.
	MetricUnHealthyHostCount(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricLatency: seconds until an instance answers; p99.
	MetricLatency(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricHTTPCodeELB5XX: 5XX the load balancer returns itself; Sum.
	MetricHTTPCodeELB5XX(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricHTTPCodeELB4XX: 4XX the load balancer returns itself; Sum.
	MetricHTTPCodeELB4XX(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricHTTPCodeBackend2XX: the instances' 2XX responses; Sum.
	MetricHTTPCodeBackend2XX(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricHTTPCodeBackend3XX: the instances' 3XX responses; Sum.
	MetricHTTPCodeBackend3XX(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricHTTPCodeBackend4XX: the instances' 4XX responses; Sum.
	MetricHTTPCodeBackend4XX(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricHTTPCodeBackend5XX: the instances' 5XX responses; Sum.
	MetricHTTPCodeBackend5XX(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricBackendConnectionErrors: failed connections to instances; Sum.
	MetricBackendConnectionErrors(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricSurgeQueueLength: requests waiting for an instance; Maximum.
	MetricSurgeQueueLength(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricSpilloverCount: requests rejected with a full queue; Sum.
	MetricSpilloverCount(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricEstimatedALBActiveConnectionCount: AWS's estimate of an
	// Application Load Balancer's concurrent connections; Sum.
	MetricEstimatedALBActiveConnectionCount(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
}

// A WebTier is what aws-cdk-lib takes wherever it takes a connectable or a
// grantee.
var (
	_ awsec2.IConnectable = WebTier(nil)
	_ awsiam.IGrantable   = WebTier(nil)
	_ WebTier             = (*webTier)(nil)
)

type webTier struct {
	constructs.Construct

	spec       *spec
	stackOf    awscdk.Stack
	ports      map[float64]awsec2.Port
	lb         awselasticloadbalancing.CfnLoadBalancer
	lbSG       awsec2.ISecurityGroup
	instanceSG awsec2.ISecurityGroup
	instances  []awsec2.Instance
	// instanceRefs name the instances and hold their ids, read once.
	instanceRefs []instanceRef
	group        awsautoscaling.AutoScalingGroup
	topic        awssns.ITopic
	alarms       []awscloudwatch.Alarm
	// alarmRefs are the alarms' kinds and names, in order.
	alarmRefs []alarmRef
	// alarmTopicUsed is the alarms' topic, given or made, nil without.
	alarmTopicUsed awssns.ITopic
	dashboard      awscloudwatch.Dashboard
	// oneMinute and lbRef (the load balancer's name) are asked for by
	// every metric: made once.
	oneMinute awscdk.Duration
	lbRef     *string
	// perMinuteOpts are the options of perMinute, and minuteMetrics the
	// metrics made with them, by name and statistic.
	perMinuteOpts *awscloudwatch.MetricOptions
	minuteMetrics map[string]awscloudwatch.Metric
	// healthy is healthyHosts's metric, made once.
	healthy     awscloudwatch.IMetric
	role        awsiam.IRole
	logBucket   awss3.IBucket
	record      awsroute53.ARecord
	siteCheck   awsroute53.IHealthCheck
	connections awsec2.Connections
	lbConns     awsec2.Connections
}

// NewWebTier builds the web tier, and panics where NewWebTierE returns an
// error: with a *ValidationError listing every invalid setting, as
// aws-cdk-lib constructs throw. Use it where a bad setting is a bug;
// NewWebTierE where it is input to report.
func NewWebTier(scope constructs.Construct, id *string, props *WebTierProps) WebTier {
	w, err := NewWebTierE(scope, id, props)
	if err != nil {
		panic(err)
	}
	return w
}

// NewWebTierE builds the web tier, or returns a *ValidationError listing
// every invalid setting (as regexp.Compile is to MustCompile). It checks
// every setting before it adds anything to scope, so on an error scope is
// as it was and id is free for another try; ValidateProps runs the same
// checks. Only an imported security group that turns out immutable is found
// once its rules were tried: then NewWebTierE removes what it added (its
// own construct, and the rules it put on the groups given) and returns the
// error. A nil props fails only for the missing Vpc.
func NewWebTierE(scope constructs.Construct, id *string, props *WebTierProps) (WebTier, error) {
	s := resolveProps(props)
	stack := awscdk.Stack_Of(scope) // the tier's too, asked once
	s.region = regionOf(stack)
	if ps := s.validate(); len(ps) > 0 {
		return nil, ps.err(childPath(scope, id))
	}
	w := &webTier{spec: s, stackOf: stack}
	constructs.NewConstruct_Override(w, scope, id)
	w.warn()
	rules := w.ruleSnapshot()
	w.createSecurityGroups()
	if err := w.checkGivenSecurityGroups(rules); err != nil {
		w.removeAdded(rules)
		return nil, err
	}
	w.build()
	return w, nil
}

// childPath is the construct path that id gets under scope.
func childPath(scope constructs.Construct, id *string) string {
	name := ""
	if id != nil {
		name = *id
	}
	if parent := *scope.Node().Path(); parent != "" {
		return parent + "/" + name
	}
	return name
}

// warn adds the warnings about settings that are valid but probably not
// what the user wants.
func (w *webTier) warn() {
	s := w.spec
	if zones := s.lbZones(); zones < 2 {
		awscdk.Annotations_Of(w).AddWarningV2(jsii.String("@classic-webtier/classicelb:singleZone"),
			jsii.String(fmt.Sprintf("the load balancer spans %d Availability Zone(s): no zone redundancy, and cross-zone load balancing has no effect; select subnets in at least two zones", zones)), nil)
	}
	if names := s.lbSubnetsOf(publicUnknown); s.lbPublicChecked && len(names) > 0 {
		awscdk.Annotations_Of(w).AddWarningV2(jsii.String("@classic-webtier/classicelb:subnetMaybePrivate"),
			jsii.String(fmt.Sprintf("LoadBalancerSubnets selects %s, which may not be public: aws-cdk-lib does not know the routes of a subnet imported on its own (not one of the VPC's subnets), and an internet-facing load balancer in a subnet without a route to an internet gateway cannot be reached from the internet; make sure each has that route, or select the VPC's public subnets (SubnetType: PUBLIC), or set Internal: true", andList(names))), nil)
	}
	if lb, in := s.instanceZonesUsed(); s.fleet == nil && len(in) > 0 && len(in) < len(lb) && int(s.instances.count) >= len(lb) {
		awscdk.Annotations_Of(w).AddWarningV2(jsii.String("@classic-webtier/classicelb:fewerInstanceZones"),
			jsii.String(fmt.Sprintf("the instances go to %s only: the VPC has no instance subnet in %s of the load balancer's zones, so a zone's outage takes every instance; add an instance subnet there", strings.Join(in, ", "), strings.Join(slices.DeleteFunc(slices.Clone(lb), func(z string) bool { return slices.Contains(in, z) }), ", "))), nil)
	}
	if zones := s.unservedZones(); s.fleet == nil && len(zones) > 0 {
		awscdk.Annotations_Of(w).AddWarningV2(jsii.String("@classic-webtier/classicelb:unservedZone"),
			jsii.String(fmt.Sprintf("InstanceSubnets puts instances in %s, where the load balancer has no subnet: it reports them OutOfService and sends them no request; select instance subnets in the load balancer's zones, or give the load balancer a subnet there", strings.Join(zones, ", "))), nil)
	}
	if rt := s.routing; rt != nil && rt.siteHealthCheck && rt.peersRestricted {
		awscdk.Annotations_Of(w).AddWarningV2(jsii.String("@classic-webtier/classicelb:siteHealthCheckPeers"),
			jsii.String(fmt.Sprintf("Routing.SiteHealthCheck asks Route 53's health checkers to reach port %s, but AllowedPeers or SecurityGroup decide who may: allow the ROUTE53_HEALTHCHECKS ranges of AWS's ip-ranges.json there, or the primary fails its check for ever and everyone is sent to the secondary", num(s.siteListener().externalPort))), nil)
	}
}

// build creates the instances or the fleet, the load balancer, the
// alarms, the dashboard and the record, once the security groups exist.
func (w *webTier) build() {
	s := w.spec
	w.prepareInstances()
	if s.fleet == nil {
		w.createInstances()
	}
	w.createLoadBalancer()
	// The alarms first: a fleet's instance refresh watches them.
	w.createAlarms()
	if s.fleet != nil {
		w.createFleet()
	}
	if s.dashboard {
		w.createDashboard()
	}
	if s.zone != nil {
		w.createRecord()
	}
	for _, t := range s.tags {
		awscdk.Tags_Of(w).Add(jsii.String(t.key), jsii.String(t.value), nil)
	}
}

// ValidateProps checks props without building anything and returns a
// *ValidationError listing every invalid setting, or nil: the checks
// NewWebTier runs. It checks certificates against the region of the Vpc's
// stack, which is the WebTier's unless the VPC comes from an
// environment-agnostic stack (then the region is not checked). Only the
// check that an imported security group is mutable needs the rules added,
// so it runs in NewWebTier alone.
func ValidateProps(props *WebTierProps) error {
	s := resolveProps(props)
	if s.vpc != nil {
		s.region = regionOf(awscdk.Stack_Of(s.vpc))
	}
	return s.validate().err("")
}

// stack is the stack the tier is in, asked of aws-cdk-lib once.
func (w *webTier) stack() awscdk.Stack {
	if w.stackOf == nil {
		w.stackOf = awscdk.Stack_Of(w)
	}
	return w.stackOf
}

// regionOf is a stack's region, empty when it is a token.
func regionOf(stack awscdk.Stack) string {
	if region := stack.Region(); !unresolvedPtr(region) {
		return *region
	}
	return ""
}

func (w *webTier) LoadBalancer() awselasticloadbalancing.CfnLoadBalancer { return w.lb }
func (w *webTier) LoadBalancerName() *string                             { return w.lbRef }
func (w *webTier) LoadBalancerDnsName() *string                          { return w.lb.AttrDnsName() }
func (w *webTier) LoadBalancerCanonicalHostedZoneNameId() *string {
	return w.lb.AttrCanonicalHostedZoneNameId()
}
func (w *webTier) LoadBalancerSecurityGroup() awsec2.ISecurityGroup { return w.lbSG }
func (w *webTier) InstanceSecurityGroup() awsec2.ISecurityGroup     { return w.instanceSG }
func (w *webTier) Instances() []awsec2.Instance {
	return append([]awsec2.Instance(nil), w.instances...)
}
func (w *webTier) AutoScalingGroup() awsautoscaling.AutoScalingGroup { return w.group }
func (w *webTier) NotificationTopic() awssns.ITopic                  { return w.topic }
func (w *webTier) Alarms() []awscloudwatch.Alarm {
	return append([]awscloudwatch.Alarm(nil), w.alarms...)
}
func (w *webTier) AlarmTopic() awssns.ITopic                { return w.alarmTopicUsed }
func (w *webTier) Dashboard() awscloudwatch.Dashboard       { return w.dashboard }
func (w *webTier) AccessLogBucket() awss3.IBucket           { return w.logBucket }
func (w *webTier) InstanceRole() awsiam.IRole               { return w.role }
func (w *webTier) GrantPrincipal() awsiam.IPrincipal        { return w.role.GrantPrincipal() }
func (w *webTier) Record() awsroute53.ARecord               { return w.record }
func (w *webTier) SiteHealthCheck() awsroute53.IHealthCheck { return w.siteCheck }
func (w *webTier) Connections() awsec2.Connections          { return w.connections }
func (w *webTier) LoadBalancerConnections() awsec2.Connections {
	return w.lbConns
}

// lbZones counts the Availability Zones of the load balancer's subnets.
func (s *spec) lbZones() int {
	zones, _ := zonesOf(s.lbSubnetFacts)
	return len(zones)
}

package classicelb

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/classic-webtier/cdk-classic-webtier/internal/clb"
)

// The alarms' thresholds.
const (
	// errorRatePercent is the share of requests answered 5XX that alarms.
	errorRatePercent = 5
	// surgeQueueAlarm is the queue (of the 1,024 it holds) that, kept for
	// five minutes, alarms.
	surgeQueueAlarm = 100
	// healthyHostsMinutes and errorRateMinutes are how long too few
	// healthy hosts, and a 5XX rate, last before they alarm.
	healthyHostsMinutes = 5
	errorRateMinutes    = 3
	// unhealthyGapMinutes are the minutes without an unhealthy host that
	// the UnhealthyHosts alarm's window allows: a failing new instance
	// that the group replaces leaves the load balancer a minute or two
	// before its replacement joins it.
	unhealthyGapMinutes = 3
)

// refreshAlarms are the alarms an instance refresh watches: those that a
// launch template which breaks the site sets off.
var refreshAlarms = []string{"UnhealthyHosts", "HealthyHosts", "ElbErrorRate", "BackendErrorRate"}

// alarmDef is one alarm: what it watches and what to do about it.
type alarmDef struct {
	id        string
	metric    awscloudwatch.IMetric
	op        awscloudwatch.ComparisonOperator
	threshold float64
	// toAlarm of the last periods minutes breach: the alarm goes off.
	toAlarm, periods float64
	description      string
}

// createAlarms makes the alarms of the spec, every one of them reading no
// data as fine (ELB publishes nothing while no request comes), and wires
// them to the topic, given or made for AlarmEmail.
func (w *webTier) createAlarms() {
	s, a := w.spec, w.spec.alarms
	if !a.enabled {
		return
	}
	scope := constructs.NewConstruct(w, jsii.String("Alarms"))
	name, each := *w.lbRef, w.perMinute()
	prefix := w.alarmPrefix()
	h := s.healthCheck
	expected := s.expectedHealthy()
	look := fmt.Sprintf("aws elb describe-instance-health --load-balancer-name %s", name)
	unhealthy := s.unhealthyMinutes()
	defs := []alarmDef{
		{"UnhealthyHosts", w.MetricUnHealthyHostCount(each), awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD, 0, unhealthy, unhealthy + unhealthyGapMinutes,
			fmt.Sprintf("Instances behind load balancer %s have failed its health check (%s) in %s of the last %s minutes: longer than a new instance needs to pass it (%s seconds of boot and HealthyThreshold x Interval), so an instance is failing, or new ones never pass. First: `%s` names them and why; then, on an instance (Session Manager), is the server listening on port %s, and does it answer the check?", name, h.target(), num(unhealthy), num(unhealthy+unhealthyGapMinutes), num(s.healthyAfterAtMost()), look, portText(h.port))},
		{"HealthyHosts", w.healthyHosts(), awscloudwatch.ComparisonOperator_LESS_THAN_THRESHOLD, expected, healthyHostsMinutes, healthyHostsMinutes,
			fmt.Sprintf("Fewer than %s instances behind load balancer %s (%s) have passed the health check for %d minutes, or none is registered. First: `%s`; %s", num(expected), name, s.expectedHealthyWhy(), healthyHostsMinutes, look, s.whereInstancesGo())},
		{"Latency", w.MetricLatency(each), awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD, a.latency, 5, 5,
			fmt.Sprintf("The slowest 1%% of requests to load balancer %s waited more than %s seconds for an instance to answer, for 5 minutes. First: the instances' CPU on the dashboard (busy instances: more or larger ones), then the slow requests in the access logs (backend_processing_time).", name, num(a.latency))},
		{"SurgeQueue", w.MetricSurgeQueueLength(each), awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD, surgeQueueAlarm, 5, 5,
			fmt.Sprintf("More than %d requests have been waiting at load balancer %s for an instance, for 5 minutes: the instances do not keep up (at 1,024 it rejects requests). First: the instances' CPU and latency on the dashboard; add instances or make them larger.", surgeQueueAlarm, name)},
		{"Spillover", w.MetricSpilloverCount(each), awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD, 0, 1, 1,
			fmt.Sprintf("Load balancer %s rejected requests because its surge queue (1,024) was full: clients got 503 or a closed connection. First: healthy instances and their CPU on the dashboard; add instances or make them larger.", name)},
	}
	if s.hasL7Listener() {
		defs = append(defs,
			alarmDef{"ElbErrorRate", w.errorRate("elb5xx", w.MetricHTTPCodeELB5XX(each), true), awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD, errorRatePercent, errorRateMinutes, errorRateMinutes,
				fmt.Sprintf("More than %d%% of requests to load balancer %s got a 5XX from the load balancer itself for %d minutes: no healthy instance to send them to, or a full surge queue. First: the healthy hosts and spillover on the dashboard, then `%s`.", errorRatePercent, name, errorRateMinutes, look)},
			alarmDef{"BackendErrorRate", w.errorRate("backend5xx", w.MetricHTTPCodeBackend5XX(each), false), awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD, errorRatePercent, errorRateMinutes, errorRateMinutes,
				fmt.Sprintf("More than %d%% of requests to load balancer %s got a 5XX from the instances for %d minutes: the application fails. First: the access logs (backend_status_code 5XX) for which paths and instances, then the application's own logs there.", errorRatePercent, name, errorRateMinutes)},
		)
	}
	topic := a.topic
	if a.hasEmail {
		topic = w.alarmTopic(scope, a.email)
	}
	w.alarmTopicUsed = topic
	for _, d := range defs {
		alarmName := alarmName(prefix, d.id)
		alarm := awscloudwatch.NewAlarm(scope, jsii.String(d.id), &awscloudwatch.AlarmProps{
			AlarmName:          alarmName,
			Metric:             d.metric,
			ComparisonOperator: d.op,
			Threshold:          jsii.Number(d.threshold),
			EvaluationPeriods:  jsii.Number(d.periods),
			DatapointsToAlarm:  jsii.Number(d.toAlarm),
			TreatMissingData:   missing(d.id),
			AlarmDescription:   jsii.String(d.description),
		})
		if topic != nil {
			action := awscloudwatchactions.NewSnsAction(topic)
			alarm.AddAlarmAction(action)
			alarm.AddOkAction(action)
		}
		w.alarms = append(w.alarms, alarm)
		w.alarmRefs = append(w.alarmRefs, alarmRef{kind: d.id, name: alarmName, alarm: alarm})
	}
}

// refreshWatched are the alarms a fleet's instance refresh watches, in
// the alarms' order; none with Alarms off.
func (w *webTier) refreshWatched() []alarmRef {
	var out []alarmRef
	for _, a := range w.alarmRefs {
		if slices.Contains(refreshAlarms, a.kind) {
			out = append(out, a)
		}
	}
	return out
}

// unhealthyMinutes are the minutes of unhealthy hosts that alarm: two more
// than a new instance needs to pass the health check (healthyAfterAtMost),
// so that neither a deploy's new instances nor a fleet's warming up set it
// off.
func (s *spec) unhealthyMinutes() float64 {
	return math.Ceil(s.healthyAfterAtMost()/60) + 2
}

// healthyAfterAtMost is healthyAfter, or, with the health check's
// threshold or interval a token (known only at deploy), the longest any
// health check needs.
func (s *spec) healthyAfterAtMost() float64 {
	if s.isUnchecked("HealthCheck.HealthyThreshold") || s.isUnchecked("HealthCheck.Interval") {
		return clb.HealthyAfterSeconds(float64(clb.Threshold.Max), float64(clb.HealthCheckInterval.Max))
	}
	return s.healthyAfter()
}

// alarmRef is an alarm's kind (its construct id) and name, which the
// dashboard finds it by, and the alarm.
type alarmRef struct {
	kind  string
	name  *string
	alarm awscloudwatch.Alarm
}

// alarmPrefix is the stack name and the tier's path in it, which begin
// every alarm's name.
func (w *webTier) alarmPrefix() []string {
	stack := w.stack()
	path := strings.TrimPrefix(*w.Node().Path(), *stack.Node().Path()+"/")
	return []string{*stack.StackName(), strings.ReplaceAll(path, "/", "-")}
}

// alarmName names an alarm "<stack>-<WebTier's path in it>-<kind>", such as
// ClassicWebTier-WebTier-UnhealthyHosts: what the notification mails and
// the console show, unique in the region as stack names are.
func alarmName(prefix []string, kind string) *string {
	parts := append(append([]string(nil), prefix...), kind)
	for _, p := range parts {
		if unresolved(p) {
			return awscdk.Fn_Join(jsii.String("-"), jsii.Strings(parts...))
		}
	}
	// What Fn.join of literals resolves to, without the round trip.
	return jsii.String(strings.Join(parts, "-"))
}

// missing is how an alarm reads a minute without data. ELB publishes the
// traffic metrics only while requests come, so those read it as fine; but
// it publishes the host counts whenever an instance is registered, so no
// healthy host count means none is.
func missing(kind string) awscloudwatch.TreatMissingData {
	if kind == "HealthyHosts" {
		return awscloudwatch.TreatMissingData_BREACHING
	}
	return awscloudwatch.TreatMissingData_NOT_BREACHING
}

// healthyHosts is the instances passing the health check in every zone,
// per minute. With cross-zone balancing ELB counts them across the zones
// for the LoadBalancerName dimension; without, it counts per zone (the
// dimension's Average would be a zone's share), so the zones' counts are
// added up.
func (w *webTier) healthyHosts() awscloudwatch.IMetric {
	if w.healthy == nil {
		w.healthy = w.newHealthyHosts()
	}
	return w.healthy
}

// newHealthyHosts makes healthyHosts's metric.
func (w *webTier) newHealthyHosts() awscloudwatch.IMetric {
	if w.spec.crossZone {
		return w.MetricHealthyHostCount(w.perMinute())
	}
	using := map[string]awscloudwatch.IMetric{}
	var terms []string
	for i, sn := range w.spec.lbSubnetFacts {
		id := fmt.Sprintf("zone%d", i+1)
		using[id] = w.MetricHealthyHostCount(&awscloudwatch.MetricOptions{Period: w.minute(),
			DimensionsMap: &map[string]*string{"AvailabilityZone": jsii.String(sn.zone)}})
		terms = append(terms, fmt.Sprintf("FILL(%s, 0)", id))
	}
	return awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		Expression:   jsii.String(strings.Join(terms, " + ")),
		UsingMetrics: &using,
		Label:        jsii.String("HealthyHostCount, all zones"),
		Period:       w.minute(),
	})
}

// minRequestsForRate is the requests a minute below which the error rates
// count as 0: one error in a handful of requests is no rate to wake anyone
// for (the healthy hosts alarm covers a tier that answers nothing).
const minRequestsForRate = 10

// errorRate is the percentage of requests answered with the given 5XX
// count: of those the instances got plus, for the load balancer's own
// errors (which never reach an instance), those errors; 0 below
// minRequestsForRate a minute.
func (w *webTier) errorRate(id string, errors awscloudwatch.IMetric, ownErrors bool) awscloudwatch.IMetric {
	total := "FILL(requests, 0)"
	if ownErrors {
		total = fmt.Sprintf("(FILL(requests, 0) + FILL(%s, 0))", id)
	}
	return awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		Expression: jsii.String(fmt.Sprintf("IF(%s >= %d, 100 * FILL(%s, 0) / %s, 0)", total, minRequestsForRate, id, total)),
		UsingMetrics: &map[string]awscloudwatch.IMetric{
			"requests": w.MetricRequestCount(w.perMinute()),
			id:         errors,
		},
		Label:  jsii.String("Percent of requests"),
		Period: w.minute(),
	})
}

// alarmTopic is a topic for the alarms with the address subscribed,
// encrypted with a key of its own that CloudWatch may use: SNS's AWS
// managed key does not let CloudWatch publish.
func (w *webTier) alarmTopic(scope constructs.Construct, email string) awssns.ITopic {
	// CloudWatch of this account, which both the key and the topic let in.
	cloudwatch := &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)}
	thisAccount := &map[string]interface{}{"StringEquals": map[string]interface{}{"aws:SourceAccount": w.stack().Account()}}
	key := awskms.NewKey(scope, jsii.String("TopicKey"), &awskms.KeyProps{
		Description:       jsii.String("Web tier alarm notifications"),
		EnableKeyRotation: jsii.Bool(true),
		PendingWindow:     awscdk.Duration_Days(jsii.Number(7)),
		RemovalPolicy:     awscdk.RemovalPolicy_DESTROY,
	})
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudWatchAlarmsPublish"),
		Principals: cloudwatch,
		Actions:    jsii.Strings("kms:Decrypt", "kms:GenerateDataKey*"),
		Resources:  jsii.Strings("*"),
		Conditions: thisAccount,
	}), nil)
	// Grants of the key only for AWS resources (AWS Control Tower's
	// CT.KMS.PR.3): SNS and CloudWatch need none.
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("GrantsOnlyForAwsResources"),
		Effect:     awsiam.Effect_DENY,
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings("kms:CreateGrant"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]interface{}{"BoolIfExists": map[string]interface{}{"kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false"}},
	}), nil)
	topic := awssns.NewTopic(scope, jsii.String("Topic"), &awssns.TopicProps{
		DisplayName: jsii.String("Web tier alarms"),
		MasterKey:   key,
		EnforceSSL:  jsii.Bool(true),
	})
	topic.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudWatchAlarmsPublish"),
		Principals: cloudwatch,
		Actions:    jsii.Strings("sns:Publish"),
		Resources:  jsii.Strings(*topic.TopicArn()),
		Conditions: thisAccount,
	}))
	topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(email), nil))
	return topic
}

// expectedHealthy is how many instances should pass the health check: the
// fixed instances, or the fleet's minimum.
func (s *spec) expectedHealthy() float64 {
	if s.fleet != nil {
		return s.fleet.minCapacity
	}
	return s.instances.count
}

// expectedHealthyWhy names where expectedHealthy comes from.
func (s *spec) expectedHealthyWhy() string {
	if s.fleet != nil {
		return "the Auto Scaling group's minimum"
	}
	return "its fixed instances"
}

// whereInstancesGo says where to look for instances that never came.
func (s *spec) whereInstancesGo() string {
	if s.fleet != nil {
		return "the Auto Scaling group's activity (`aws autoscaling describe-scaling-activities`) shows launches that failed or instances it replaced."
	}
	return "an instance that is missing there was stopped or terminated: see the EC2 console."
}

// hasL7Listener reports an HTTP or HTTPS listener: only those have
// response codes.
func (s *spec) hasL7Listener() bool {
	for _, l := range s.listeners {
		if l.externalProtocol.IsL7() {
			return true
		}
	}
	return false
}

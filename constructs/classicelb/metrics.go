package classicelb

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/jsii-runtime-go"
)

// elbNamespace is the CloudWatch namespace of classic load balancers.
const elbNamespace = "AWS/ELB"

// minute is the period of the alarms, the dashboard and the scaling
// steps: ELB publishes every minute.
func (w *webTier) minute() awscdk.Duration {
	if w.oneMinute == nil {
		w.oneMinute = awscdk.Duration_Minutes(jsii.Number(1))
	}
	return w.oneMinute
}

// perMinute are metric options for one-minute periods: one value per
// tier, never changed, so that metric can hand out the same metric each
// time the alarms, the dashboard and the scaling policy ask with them.
func (w *webTier) perMinute() *awscloudwatch.MetricOptions {
	if w.perMinuteOpts == nil {
		w.perMinuteOpts = &awscloudwatch.MetricOptions{Period: w.minute()}
	}
	return w.perMinuteOpts
}

// Metric is one of the load balancer's metrics in the AWS/ELB namespace,
// with the dimension LoadBalancerName, as aws-cdk-lib's metric helpers make
// them: the period is 5 minutes and the statistic Average unless props say
// otherwise; props' dimensions are added to LoadBalancerName. ELB publishes
// a metric only while requests flow (the host counts while instances are
// registered), so a graph of a quiet site has gaps. The named helpers set
// the statistic AWS documents as the useful one.
func (w *webTier) Metric(metricName *string, props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	const allowed = `give a metric name of the AWS/ELB namespace, such as "RequestCount" (or use a helper such as MetricRequestCount)`
	switch {
	case metricName == nil:
		panic(argumentError(*w.Node().Path(), "Metric(metricName)", "is required; %s", allowed))
	case *metricName == "":
		panic(argumentError(*w.Node().Path(), "Metric(metricName)", "is empty; %s", allowed))
	}
	return w.metric(*metricName, "Average", props)
}

// metric is Metric with a default statistic. A Metric is a value, so the
// per-minute ones the tier itself asks for are made once each (each is a
// call into aws-cdk-lib); callers' options always get a new one.
func (w *webTier) metric(name, statistic string, o *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	if o == nil || o != w.perMinuteOpts {
		return w.newMetric(name, statistic, o)
	}
	key := name + "/" + statistic
	if m, ok := w.minuteMetrics[key]; ok {
		return m
	}
	if w.minuteMetrics == nil {
		w.minuteMetrics = map[string]awscloudwatch.Metric{}
	}
	w.minuteMetrics[key] = w.newMetric(name, statistic, o)
	return w.minuteMetrics[key]
}

// newMetric makes the metric.
func (w *webTier) newMetric(name, statistic string, o *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	dims := map[string]*string{"LoadBalancerName": w.lbRef}
	p := &awscloudwatch.MetricProps{Namespace: jsii.String(elbNamespace), MetricName: jsii.String(name), Statistic: jsii.String(statistic)}
	if o != nil {
		if o.DimensionsMap != nil {
			for k, v := range *o.DimensionsMap {
				dims[k] = v
			}
		}
		if o.Statistic != nil {
			p.Statistic = o.Statistic
		}
		p.Account, p.Color, p.Id, p.Label, p.Period = o.Account, o.Color, o.Id, o.Label, o.Period
		p.Region, p.StackAccount, p.StackRegion, p.Unit, p.Visible = o.Region, o.StackAccount, o.StackRegion, o.Unit, o.Visible
	}
	p.DimensionsMap = &dims
	return awscloudwatch.NewMetric(p)
}

// MetricRequestCount is the requests (HTTP listeners) or connections (TCP
// listeners) the load balancer routed to the instances. Statistic: Sum.
func (w *webTier) MetricRequestCount(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return w.metric("RequestCount", "Sum", props)
}

// MetricHealthyHostCount is the registered instances that pass the health
// check, counted across all zones with cross-zone balancing and per zone
// without it (then add the zones' counts up, by the AvailabilityZone
// dimension, as the WebTier's alarm and dashboard do). Statistic: Average
// (Maximum also tells).
func (w *webTier) MetricHealthyHostCount(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return w.metric("HealthyHostCount", "Average", props)
}

// MetricUnHealthyHostCount is the registered instances that fail the
// health check. Statistic: Average (Minimum also tells: every load
// balancer node agrees).
func (w *webTier) MetricUnHealthyHostCount(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return w.metric("UnHealthyHostCount", "Average", props)
}

// MetricLatency is how long an instance takes to start answering (HTTP
// listeners: until the response headers; TCP listeners: to accept the
// connection), in seconds. Statistic: p99, the slowest 1 % of requests
// (Average for the typical request).
func (w *webTier) MetricLatency(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return w.metric("Latency", "p99", props)
}

// MetricHTTPCodeELB5XX is the 5XX responses the load balancer itself
// returns (HTTP listeners): no healthy instance, a full surge queue, or
// its own capacity exceeded. Statistic: Sum.
func (w *webTier) MetricHTTPCodeELB5XX(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return w.metric("HTTPCode_ELB_5XX", "Sum", props)
}

// MetricHTTPCodeELB4XX is the 4XX responses the load balancer itself
// returns to malformed or incomplete requests (HTTP listeners).
// Statistic: Sum.
func (w *webTier) MetricHTTPCodeELB4XX(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return w.metric("HTTPCode_ELB_4XX", "Sum", props)
}

// MetricHTTPCodeBackend2XX is the 2XX responses of the instances (HTTP
// listeners). Statistic: Sum.
func (w *webTier) MetricHTTPCodeBackend2XX(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return w.metric("HTTPCode_Backend_2XX", "Sum", props)
}

// MetricHTTPCodeBackend3XX is the 3XX responses of the instances (HTTP
// listeners), such as the default user data's redirects to HTTPS.
// Statistic: Sum.
func (w *webTier) MetricHTTPCodeBackend3XX(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return w.metric("HTTPCode_Backend_3XX", "Sum", props)
}

// MetricHTTPCodeBackend4XX is the 4XX responses of the instances (HTTP
// listeners). Statistic: Sum.
func (w *webTier) MetricHTTPCodeBackend4XX(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return w.metric("HTTPCode_Backend_4XX", "Sum", props)
}

// MetricHTTPCodeBackend5XX is the 5XX responses of the instances (HTTP
// listeners): the application failing. Statistic: Sum.
func (w *webTier) MetricHTTPCodeBackend5XX(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return w.metric("HTTPCode_Backend_5XX", "Sum", props)
}

// MetricBackendConnectionErrors is the load balancer's failed attempts to
// connect to an instance, health checks included; it retries, so the count
// may exceed the requests. Statistic: Sum.
func (w *webTier) MetricBackendConnectionErrors(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return w.metric("BackendConnectionErrors", "Sum", props)
}

// MetricSurgeQueueLength is the requests or connections waiting for an
// instance: the instances do not keep up. The queue holds 1,024; beyond,
// requests spill over. Statistic: Maximum, the peak.
func (w *webTier) MetricSurgeQueueLength(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return w.metric("SurgeQueueLength", "Maximum", props)
}

// MetricSpilloverCount is the requests rejected because the surge queue
// was full (HTTP 503, or the connection closed). Statistic: Sum.
func (w *webTier) MetricSpilloverCount(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return w.metric("SpilloverCount", "Sum", props)
}

// MetricEstimatedALBActiveConnectionCount is AWS's estimate of the
// concurrent connections (client to load balancer, and load balancer to
// instance) an Application Load Balancer would carry for this traffic,
// for weighing a migration; AWS says not to alarm on it. Statistic: Sum.
func (w *webTier) MetricEstimatedALBActiveConnectionCount(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return w.metric("EstimatedALBActiveConnectionCount", "Sum", props)
}

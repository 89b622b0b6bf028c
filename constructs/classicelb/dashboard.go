package classicelb

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawscloudwatch"
	"github.com/aws/jsii-runtime-go"
)

// createDashboard lays out the tier on one CloudWatch dashboard: traffic
// and latency, response codes (HTTP and HTTPS listeners), instance health
// and the queue, the instances' CPU, and the alarms.
func (w *webTier) createDashboard() {
	s := w.spec
	each := w.perMinute()
	with := func(stat, label string) *awscloudwatch.MetricOptions {
		return &awscloudwatch.MetricOptions{Period: w.minute(), Statistic: jsii.String(stat), Label: jsii.String(label)}
	}
	graph := func(title string, left ...awscloudwatch.IMetric) awscloudwatch.IWidget {
		return awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{Title: jsii.String(title), Left: &left, Width: jsii.Number(12), Height: jsii.Number(6)})
	}
	rows := [][]awscloudwatch.IWidget{
		{
			graph("Requests per minute", w.MetricRequestCount(each)),
			graph("Latency (seconds)", w.MetricLatency(with("p50", "p50")), w.MetricLatency(with("p99", "p99"))),
		},
	}
	if s.hasL7Listener() {
		rows = append(rows, []awscloudwatch.IWidget{
			graph("Instance responses", w.MetricHTTPCodeBackend2XX(each), w.MetricHTTPCodeBackend3XX(each), w.MetricHTTPCodeBackend4XX(each), w.MetricHTTPCodeBackend5XX(each)),
			graph("Load balancer errors", w.MetricHTTPCodeELB4XX(each), w.MetricHTTPCodeELB5XX(each), w.MetricBackendConnectionErrors(each)),
		})
	}
	rows = append(rows, []awscloudwatch.IWidget{
		graph("Instances", w.healthyHosts(), w.MetricUnHealthyHostCount(each)),
		graph("Surge queue and spillover", w.MetricSurgeQueueLength(each), w.MetricSpilloverCount(each)),
	})
	cpu := []awscloudwatch.IWidget{graph("Instance CPU (percent)", w.instanceCPU()...)}
	if len(w.alarms) > 0 {
		// By name, as the alarms are named: the widget needs no
		// reference to them.
		alarms := make([]interfacesawscloudwatch.IAlarmRef, len(w.alarms))
		stack := w.stack()
		for i, a := range w.alarmRefs {
			arn := stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("cloudwatch"), Resource: jsii.String("alarm"),
				ResourceName: a.name, ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME})
			alarms[i] = awscloudwatch.Alarm_FromAlarmArn(w, jsii.String("DashboardAlarm"+a.kind), arn)
		}
		cpu = append(cpu, awscloudwatch.NewAlarmStatusWidget(&awscloudwatch.AlarmStatusWidgetProps{
			Title: jsii.String("Alarms"), Alarms: &alarms, Width: jsii.Number(12), Height: jsii.Number(6),
		}))
	}
	rows = append(rows, cpu)
	widgets := make([]*[]awscloudwatch.IWidget, len(rows))
	for i := range rows {
		widgets[i] = &rows[i]
	}
	w.dashboard = awscloudwatch.NewDashboard(w, jsii.String("Dashboard"), &awscloudwatch.DashboardProps{Widgets: &widgets})
}

// instanceCPU is each fixed instance's CPU, or the fleet's average and
// maximum (EC2 names an instance's metrics by instance id alone, so a
// group's instances are read through the group).
func (w *webTier) instanceCPU() []awscloudwatch.IMetric {
	cpu := func(dims map[string]*string, stat, label string) awscloudwatch.IMetric {
		return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
			Namespace: jsii.String("AWS/EC2"), MetricName: jsii.String("CPUUtilization"), DimensionsMap: &dims,
			Statistic: jsii.String(stat), Label: jsii.String(label), Period: w.minute(),
		})
	}
	if w.group != nil {
		dims := map[string]*string{"AutoScalingGroupName": w.group.AutoScalingGroupName()}
		return []awscloudwatch.IMetric{cpu(dims, "Average", "Fleet average"), cpu(dims, "Maximum", "Busiest instance")}
	}
	var out []awscloudwatch.IMetric
	for _, in := range w.instanceRefs {
		out = append(out, cpu(map[string]*string{"InstanceId": in.id}, "Average", in.name))
	}
	return out
}

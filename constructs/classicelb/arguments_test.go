package classicelb

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
)

// TestMissingArgumentsAreNamed: a public method or function given nil
// panics with a *ValidationError that names the argument and what it
// takes, not with a nil dereference.
func TestMissingArgumentsAreNamed(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	tier, _ := build(t, stack, &WebTierProps{Vpc: vpc, InstanceCount: jsii.Number(1)})
	cases := []struct {
		name string
		call func()
		want []string
	}{
		{"Metric(nil, nil)", func() { tier.Metric(nil, nil) }, []string{
			"Test/WebTier: 1 invalid setting", `Metric(metricName): is required; give a metric name of the AWS/ELB namespace, such as "RequestCount"`}},
		{`Metric("", nil)`, func() { tier.Metric(jsii.String(""), nil) }, []string{
			`Metric(metricName): is empty; give a metric name of the AWS/ELB namespace, such as "RequestCount"`}},
		{"AttachAutoScalingGroup(nil)", func() { tier.AttachAutoScalingGroup(nil) }, []string{
			"Test/WebTier: 1 invalid setting", "AttachAutoScalingGroup(group): is required; pass an awsautoscaling.AutoScalingGroup"}},
		{"NewAliasTarget(nil)", func() { NewAliasTarget(nil) }, []string{
			"NewAliasTarget: 1 invalid setting", "tier: is required; pass the WebTier that NewWebTier returned"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := panicOf(c.call)
			var verr *ValidationError
			if err, ok := got.(error); !ok || !errors.As(err, &verr) {
				t.Fatalf("want a *ValidationError panic, got %T: %v", got, got)
			}
			for _, want := range c.want {
				if !strings.Contains(verr.Error(), want) {
					t.Errorf("lacks %q:\n%v", want, verr)
				}
			}
		})
	}
}

// panicOf calls f and returns what it panicked with, nil if nothing.
func panicOf(f func()) (r interface{}) {
	defer func() { r = recover() }()
	f()
	return nil
}

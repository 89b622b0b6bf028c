package classicelb

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/jsii-runtime-go"
)

// createRecord adds the A alias (a VPC classic load balancer has no IPv6, so no
// AAAA) to the load balancer's "dualstack." name in its canonical zone.
func (w *webTier) createRecord() {
	s := w.spec
	var name *string
	if s.hasRecordName {
		name = jsii.String(s.recordName)
		// The full name, so that aws-cdk-lib does not append the zone to a
		// name that already ends in it with other letter case.
		if full, ok := s.recordFullName(); ok && !s.isUnchecked("RecordName") && !s.isUnchecked("HostedZone") {
			name = jsii.String(full)
		}
	}
	props := &awsroute53.ARecordProps{
		Zone:       s.zone,
		RecordName: name,
		Target:     awsroute53.RecordTarget_FromAlias(NewAliasTarget(w)),
		Comment:    jsii.String("Alias to the web tier's classic load balancer"),
	}
	if rt := s.routing; rt != nil && rt.siteHealthCheck {
		w.siteCheck = w.createSiteHealthCheck()
	}
	w.routingProps(props)
	w.record = awsroute53.NewARecord(w, jsii.String("AliasRecord"), props)
}

// NewAliasTarget is an alias target for more Route 53 names of the tier's
// load balancer, as aws-cdk-lib's route53-targets ClassicLoadBalancerTarget
// is for its L2 (which does not take the WebTier's L1):
//
//	awsroute53.NewARecord(stack, jsii.String("Apex"), &awsroute53.ARecordProps{
//		Zone:   zone,
//		Target: awsroute53.RecordTarget_FromAlias(classicelb.NewAliasTarget(tier)),
//	})
//
// It points at the load balancer's "dualstack." name in its canonical zone;
// Route 53 evaluates the load balancer's health for it when the tier's
// EvaluateTargetHealth says so. A nil tier panics with a *ValidationError.
func NewAliasTarget(tier WebTier) awsroute53.IAliasRecordTarget {
	if tier == nil {
		panic(argumentError("NewAliasTarget", "tier", "is required; pass the WebTier that NewWebTier returned"))
	}
	health := false
	if w, ok := tier.(*webTier); ok {
		health = w.spec.evaluateTargetHealth
	}
	return &aliasTarget{
		dnsName: awscdk.Fn_Join(jsii.String(""), jsii.Strings("dualstack.", *tier.LoadBalancerDnsName())),
		zoneID:  tier.LoadBalancerCanonicalHostedZoneNameId(),
		health:  health,
	}
}

// aliasTarget is the IAliasRecordTarget NewAliasTarget returns.
type aliasTarget struct {
	dnsName *string
	zoneID  *string
	health  bool
}

// Bind implements awsroute53.IAliasRecordTarget.
func (t *aliasTarget) Bind(_ awsroute53.IRecordSet, _ awsroute53.IHostedZone) *awsroute53.AliasRecordTargetConfig {
	return &awsroute53.AliasRecordTargetConfig{
		DnsName:              t.dnsName,
		HostedZoneId:         t.zoneID,
		EvaluateTargetHealth: jsii.Bool(t.health),
	}
}

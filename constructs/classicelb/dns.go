package classicelb

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/jsii-runtime-go"
)

// createRecord adds the A alias (a VPC classic load balancer has no IPv6, so no
// AAAA) to the load balancer's "dualstack." name in its canonical zone.
func (w *webTier) createRecord(p *WebTierProps, s *spec) {
	// The full name, so that aws-cdk-lib does not append the zone to a name
	// that already ends in it with other letter case.
	name := p.RecordName
	if full, ok := s.recordFullName(); p.RecordName != nil && ok && !s.isUnchecked("RecordName") && !s.isUnchecked("HostedZone") {
		name = jsii.String(full)
	}
	w.record = awsroute53.NewARecord(w, jsii.String("AliasRecord"), &awsroute53.ARecordProps{
		Zone:       p.HostedZone,
		RecordName: name,
		Target: awsroute53.RecordTarget_FromAlias(&aliasTarget{
			dnsName: awscdk.Fn_Join(jsii.String(""), jsii.Strings("dualstack.", *w.LoadBalancerDnsName())),
			zoneID:  w.LoadBalancerCanonicalHostedZoneNameId(),
			health:  boolOr(p.EvaluateTargetHealth, false),
		}),
		Comment: jsii.String("Alias to the web tier's classic load balancer"),
	})
}

// aliasTarget is aws-cdk-lib's ClassicLoadBalancerTarget for the L1 load
// balancer (the aws-route53-targets one needs the L2).
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

package classicelb

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancing"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/regioninfo"
	"github.com/aws/jsii-runtime-go"
)

// createLoadBalancer builds the L1 load balancer from the resolved spec, so
// that every CloudFormation property is set (the L2 cannot express draining,
// idle timeout, name or its own security group).
func (w *webTier) createLoadBalancer(p *WebTierProps, s *spec, sel *awsec2.SelectedSubnets) {
	scheme := "internet-facing"
	if s.internal {
		scheme = "internal"
	}
	instanceIDs := make([]*string, len(w.instances))
	for i, inst := range w.instances {
		instanceIDs[i] = inst.InstanceId()
	}
	props := &awselasticloadbalancing.CfnLoadBalancerProps{
		Scheme:         jsii.String(scheme),
		Subnets:        jsii.AnySlice(sel.SubnetIds),
		SecurityGroups: jsii.AnySlice(&[]*string{w.lbSG.SecurityGroupId()}),
		Listeners:      s.cfnListeners(),
		HealthCheck:    s.cfnHealthCheck(),
		Instances:      jsii.AnySlice(&instanceIDs),
		CrossZone:      jsii.Bool(s.crossZone),
		ConnectionSettings: &awselasticloadbalancing.CfnLoadBalancer_ConnectionSettingsProperty{
			IdleTimeout: jsii.Number(s.idleTimeout),
		},
		ConnectionDrainingPolicy: &awselasticloadbalancing.CfnLoadBalancer_ConnectionDrainingPolicyProperty{
			Enabled: jsii.Bool(s.draining),
			Timeout: jsii.Number(s.drainingTimeout),
		},
		Policies: p.Policies,
	}
	if s.name != "" {
		props.LoadBalancerName = jsii.String(s.name)
	}
	if len(s.lbCookies) > 0 {
		props.LbCookieStickinessPolicy = s.cfnLbCookies()
	}
	if len(s.appCookies) > 0 {
		props.AppCookieStickinessPolicy = s.cfnAppCookies()
	}
	if a := p.AccessLogging; a != nil {
		props.AccessLoggingPolicy = &awselasticloadbalancing.CfnLoadBalancer_AccessLoggingPolicyProperty{
			Enabled:        jsii.Bool(true),
			S3BucketName:   a.Bucket.BucketName(),
			S3BucketPrefix: a.Prefix,
			EmitInterval:   jsii.Number(s.accessLog.intervalMinutes),
		}
	}
	w.lb = awselasticloadbalancing.NewCfnLoadBalancer(w, jsii.String("Resource"), props)
	// An internet-facing load balancer needs the internet gateway attached
	// before it is created (as aws-cdk-lib's L2 does).
	w.lb.Node().AddDependency(sel.InternetConnectivityEstablished)
	if a := p.AccessLogging; a != nil {
		grantLogDelivery(w, a, w.lb)
	}
}

func (s *spec) cfnListeners() *[]*awselasticloadbalancing.CfnLoadBalancer_ListenersProperty {
	out := make([]*awselasticloadbalancing.CfnLoadBalancer_ListenersProperty, len(s.listeners))
	for i, l := range s.listeners {
		cfn := &awselasticloadbalancing.CfnLoadBalancer_ListenersProperty{
			LoadBalancerPort: jsii.String(portText(l.externalPort)),
			Protocol:         jsii.String(l.externalProtocol),
			InstancePort:     jsii.String(portText(l.internalPort)),
			InstanceProtocol: jsii.String(l.internalProtocol),
		}
		if l.certificateArn != "" {
			cfn.SslCertificateId = jsii.String(l.certificateArn)
		}
		if len(l.policyNames) > 0 {
			cfn.PolicyNames = jsii.Strings(l.policyNames...)
		}
		out[i] = cfn
	}
	return &out
}

// cfnHealthCheck renders the target "PROTOCOL:PORT[/path]".
func (s *spec) cfnHealthCheck() *awselasticloadbalancing.CfnLoadBalancer_HealthCheckProperty {
	h := s.healthCheck
	target := h.protocol + ":" + portText(h.port)
	if h.protocol == "HTTP" || h.protocol == "HTTPS" {
		target += h.path
	}
	return &awselasticloadbalancing.CfnLoadBalancer_HealthCheckProperty{
		Target:             jsii.String(target),
		Timeout:            jsii.String(portText(h.timeout)),
		Interval:           jsii.String(portText(h.interval)),
		UnhealthyThreshold: jsii.String(portText(h.unhealthyThreshold)),
		HealthyThreshold:   jsii.String(portText(h.healthyThreshold)),
	}
}

func (s *spec) cfnLbCookies() *[]*awselasticloadbalancing.CfnLoadBalancer_LBCookieStickinessPolicyProperty {
	out := make([]*awselasticloadbalancing.CfnLoadBalancer_LBCookieStickinessPolicyProperty, len(s.lbCookies))
	for i, c := range s.lbCookies {
		out[i] = &awselasticloadbalancing.CfnLoadBalancer_LBCookieStickinessPolicyProperty{PolicyName: jsii.String(c.name)}
		if c.hasExpiration {
			out[i].CookieExpirationPeriod = jsii.String(portText(c.expiration))
		}
	}
	return &out
}

func (s *spec) cfnAppCookies() *[]*awselasticloadbalancing.CfnLoadBalancer_AppCookieStickinessPolicyProperty {
	out := make([]*awselasticloadbalancing.CfnLoadBalancer_AppCookieStickinessPolicyProperty, len(s.appCookies))
	for i, c := range s.appCookies {
		out[i] = &awselasticloadbalancing.CfnLoadBalancer_AppCookieStickinessPolicyProperty{
			PolicyName: jsii.String(c.name),
			CookieName: jsii.String(c.cookieName),
		}
	}
	return &out
}

// elbLogDeliveryService is the principal that writes access logs in regions
// opened after August 2022, which have no regional ELB account.
const elbLogDeliveryService = "logdelivery.elasticloadbalancing.amazonaws.com"

// grantLogDelivery lets the region's ELB log delivery write into the bucket:
// the regional ELB account in older regions (Seoul: 600734575887), the service
// principal in newer ones. aws-cdk-lib's region table decides which.
func grantLogDelivery(w *webTier, a *AccessLogging, lb awselasticloadbalancing.CfnLoadBalancer) {
	stack := awscdk.Stack_Of(w)
	var principal awsiam.IPrincipal = awsiam.NewServicePrincipal(jsii.String(elbLogDeliveryService), nil)
	if *awscdk.Token_IsUnresolved(stack.Region()) {
		// Environment-agnostic: a mapping of every known region's ELB account.
		principal = awsiam.NewAccountPrincipal(stack.RegionalFact(regioninfo.FactName_ELBV2_ACCOUNT(), nil))
	} else if account := regioninfo.RegionInfo_Get(stack.Region()).Elbv2Account(); account != nil {
		principal = awsiam.NewAccountPrincipal(account)
	}
	prefix := ""
	if a.Prefix != nil && *a.Prefix != "" {
		prefix = strings.Trim(*a.Prefix, "/") + "/"
	}
	result := a.Bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("ElbAccessLogDelivery"),
		Principals: &[]awsiam.IPrincipal{principal},
		Actions:    jsii.Strings("s3:PutObject"),
		Resources:  jsii.Strings(*a.Bucket.ArnForObjects(jsii.String(prefix + "AWSLogs/" + *stack.Account() + "/*"))),
	}))
	// ELB checks that it may write when the load balancer is created.
	if result.PolicyDependable != nil {
		lb.Node().AddDependency(result.PolicyDependable)
	}
}

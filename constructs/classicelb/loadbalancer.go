package classicelb

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancing"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
)

// createLoadBalancer builds the L1 load balancer from the resolved spec, so
// that every CloudFormation property is set (the L2 cannot express draining,
// idle timeout, name or its own security group).
func (w *webTier) createLoadBalancer() {
	s, sel := w.spec, w.spec.lbSubnets
	scheme := "internet-facing"
	if s.internal {
		scheme = "internal"
	}
	instanceIDs := make([]*string, len(w.instanceRefs))
	for i, in := range w.instanceRefs {
		instanceIDs[i] = in.id
	}
	props := &awselasticloadbalancing.CfnLoadBalancerProps{
		Scheme:         jsii.String(scheme),
		Subnets:        jsii.AnySlice(sel.SubnetIds),
		SecurityGroups: jsii.AnySlice(&[]*string{w.lbSG.SecurityGroupId()}),
		Listeners:      s.cfnListeners(),
		HealthCheck:    s.cfnHealthCheck(),
		CrossZone:      jsii.Bool(s.crossZone),
		ConnectionSettings: &awselasticloadbalancing.CfnLoadBalancer_ConnectionSettingsProperty{
			IdleTimeout: jsii.Number(s.idleTimeout),
		},
		ConnectionDrainingPolicy: &awselasticloadbalancing.CfnLoadBalancer_ConnectionDrainingPolicyProperty{
			Enabled: jsii.Bool(s.draining),
			Timeout: jsii.Number(s.drainingTimeout),
		},
		Policies: s.cfnPolicies(),
	}
	// A fleet's group registers its own instances.
	if len(instanceIDs) > 0 {
		props.Instances = jsii.AnySlice(&instanceIDs)
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
	var logPolicy *awsiam.AddToResourcePolicyResult
	if s.accessLog.enabled {
		w.logBucket, logPolicy = w.accessLogBucket()
		props.AccessLoggingPolicy = &awselasticloadbalancing.CfnLoadBalancer_AccessLoggingPolicyProperty{
			Enabled:        jsii.Bool(true),
			S3BucketName:   w.logBucket.BucketName(),
			S3BucketPrefix: optString(s.accessLog.prefix),
			EmitInterval:   jsii.Number(s.accessLog.intervalMinutes),
		}
	} else {
		// Said explicitly: CloudFormation leaves a removed policy as it
		// was, so a deployed tier would go on logging.
		props.AccessLoggingPolicy = disabledAccessLogging()
	}
	w.lb = awselasticloadbalancing.NewCfnLoadBalancer(w, jsii.String("Resource"), props)
	w.lbRef = w.lb.Ref()
	w.suppress(one(w.lb), s.loadBalancerNagRules()...)
	if s.tlsEndsAtLoadBalancer() && !s.plainSideIsPrivate() {
		awscdk.Annotations_Of(w).AddWarningV2(jsii.String("@classic-webtier/classicelb:plainBackend"),
			jsii.String("TLS ends at the load balancer, and the plain HTTP/TCP side reaches instances in public subnets or ports open to the world, so cdk-nag's AwsSolutions-ELB5 is not suppressed; put the instances in private subnets (InstanceSubnets), keep OpenInstancePortsToWorld off, or use an HTTPS/SSL instance protocol with a TLS server on the instances"), nil)
	}
	// An internet-facing load balancer needs the internet gateway attached
	// before it is created (as aws-cdk-lib's L2 does).
	w.lb.Node().AddDependency(sel.InternetConnectivityEstablished)
	// ELB checks that it may write the logs when the load balancer is created.
	if logPolicy != nil && logPolicy.PolicyDependable != nil {
		w.lb.Node().AddDependency(logPolicy.PolicyDependable)
	}
}

func (s *spec) cfnListeners() *[]*awselasticloadbalancing.CfnLoadBalancer_ListenersProperty {
	out := make([]*awselasticloadbalancing.CfnLoadBalancer_ListenersProperty, len(s.listeners))
	for i, l := range s.listeners {
		cfn := &awselasticloadbalancing.CfnLoadBalancer_ListenersProperty{
			LoadBalancerPort: jsii.String(portText(l.externalPort)),
			Protocol:         jsii.String(string(l.externalProtocol)),
			InstancePort:     jsii.String(portText(l.internalPort)),
			InstanceProtocol: jsii.String(string(l.internalProtocol)),
		}
		if l.certificateArn != "" {
			cfn.SslCertificateId = jsii.String(l.certificateArn)
		}
		if l.certificate != nil {
			cfn.SslCertificateId = l.certificate.CertificateArn()
		}
		names := l.policyNames
		if l.sslPolicy != "" {
			names = append(append([]string(nil), names...), negotiationPolicyName(l.sslPolicy))
		}
		if len(names) > 0 {
			cfn.PolicyNames = jsii.Strings(names...)
		}
		out[i] = cfn
	}
	return &out
}

// cfnHealthCheck renders the target "PROTOCOL:PORT[/path]".
func (s *spec) cfnHealthCheck() *awselasticloadbalancing.CfnLoadBalancer_HealthCheckProperty {
	h := s.healthCheck
	target := h.target()
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

// loadBalancerNagRules are the findings the mission itself demands.
func (s *spec) loadBalancerNagRules() []nagRule {
	rules := []nagRule{{id: "AwsSolutions-ELB1", reason: "A classic load balancer is what this construct builds: it codifies the classic ELB web tier of the console tutorial."}}
	// cdk-nag's ELB5 flags an HTTPS or SSL listener whose instance side is
	// plain (HTTP or TCP listeners themselves pass it). TLS that ends at the
	// load balancer is sound when nothing else can reach the plain side.
	if s.tlsEndsAtLoadBalancer() && s.plainSideIsPrivate() {
		rules = append(rules, nagRule{id: "AwsSolutions-ELB5", reason: "TLS from clients ends at the load balancer, which forwards plain HTTP/TCP inside the VPC to instances in private subnets whose instance ports only the load balancer's security group may reach (AWS's documented TLS termination); end-to-end TLS needs an HTTPS or SSL instance protocol and a TLS server on the instances."})
	}
	return rules
}

// tlsEndsAtLoadBalancer reports an HTTPS or SSL listener with a plain HTTP
// or TCP instance side.
func (s *spec) tlsEndsAtLoadBalancer() bool {
	for _, l := range s.listeners {
		if l.externalProtocol.IsTLS() && !l.internalProtocol.IsTLS() {
			return true
		}
	}
	return false
}

// plainSideIsPrivate: the instances sit in private subnets and only the load
// balancer may reach their ports.
func (s *spec) plainSideIsPrivate() bool {
	return !s.instancesPublic && !s.openInstancePorts
}

// negotiationPolicyName names the SSL negotiation policy that refers to a
// predefined security policy.
func negotiationPolicyName(securityPolicy string) string {
	return "SSLNegotiation-" + securityPolicy
}

// cfnPolicies are the user's policies plus one SSL negotiation policy per
// predefined security policy the listeners use.
func (s *spec) cfnPolicies() *[]*awselasticloadbalancing.CfnLoadBalancer_PoliciesProperty {
	out := append([]*awselasticloadbalancing.CfnLoadBalancer_PoliciesProperty(nil), s.policies...)
	out = append(out, s.cfnBackendPolicies()...)
	seen := map[string]bool{}
	for _, l := range s.listeners {
		if l.sslPolicy == "" || seen[l.sslPolicy] {
			continue
		}
		seen[l.sslPolicy] = true
		out = append(out, &awselasticloadbalancing.CfnLoadBalancer_PoliciesProperty{
			PolicyName: jsii.String(negotiationPolicyName(l.sslPolicy)),
			PolicyType: jsii.String("SSLNegotiationPolicyType"),
			Attributes: &[]interface{}{map[string]interface{}{"Name": "Reference-Security-Policy", "Value": l.sslPolicy}},
		})
	}
	if len(out) == 0 {
		return nil
	}
	return &out
}

// backendAuthPolicy names the back-end authentication policy of the TLS
// instance ports; backendKeyPolicy the public key policy of key i.
const backendAuthPolicy = "BackendServerAuthentication"

func backendKeyPolicy(i int) string { return fmt.Sprintf("BackendPublicKey%d", i+1) }

// backendPolicyNames are the names of the policies BackendPublicKeys makes.
func (s *spec) backendPolicyNames() []string {
	if len(s.backendKeys) == 0 {
		return nil
	}
	names := []string{backendAuthPolicy}
	for i := range s.backendKeys {
		names = append(names, backendKeyPolicy(i))
	}
	return names
}

// cfnBackendPolicies make the load balancer verify the instances'
// certificates on the TLS instance ports: one PublicKeyPolicyType policy per
// key, and a BackendServerAuthenticationPolicyType policy naming them.
func (s *spec) cfnBackendPolicies() []*awselasticloadbalancing.CfnLoadBalancer_PoliciesProperty {
	if len(s.backendKeys) == 0 {
		return nil
	}
	var out []*awselasticloadbalancing.CfnLoadBalancer_PoliciesProperty
	refs := make([]interface{}, len(s.backendKeys))
	for i, key := range s.backendKeys {
		out = append(out, &awselasticloadbalancing.CfnLoadBalancer_PoliciesProperty{
			PolicyName: jsii.String(backendKeyPolicy(i)),
			PolicyType: jsii.String("PublicKeyPolicyType"),
			Attributes: &[]interface{}{map[string]interface{}{"Name": "PublicKey", "Value": key}},
		})
		refs[i] = map[string]interface{}{"Name": "PublicKeyPolicyName", "Value": backendKeyPolicy(i)}
	}
	_, tls := s.instancePortsBySide()
	return append(out, &awselasticloadbalancing.CfnLoadBalancer_PoliciesProperty{
		PolicyName:    jsii.String(backendAuthPolicy),
		PolicyType:    jsii.String("BackendServerAuthenticationPolicyType"),
		Attributes:    &refs,
		InstancePorts: jsii.Strings(portTexts(tls)...),
	})
}

// target is the health check target "PROTOCOL:PORT[/path]": HTTP and HTTPS
// pings take a path.
func (h healthCheckSpec) target() string {
	target := string(h.protocol) + ":" + portText(h.port)
	if h.protocol.IsL7() {
		target += h.path
	}
	return target
}

func optString(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

package classicelb

import (
	"fmt"
	"sort"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"
)

// resolveProps copies props into a spec, filling in every default. It never
// writes to props. It uses jsii only to read Durations and to detect tokens.
func resolveProps(props *WebTierProps) *spec {
	p := props
	if p == nil {
		p = &WebTierProps{}
	}
	r := &resolver{unchecked: map[string]bool{}}
	s := &spec{
		hasVpc:   p.Vpc != nil,
		name:     r.str("LoadBalancerName", p.LoadBalancerName, ""),
		internal: boolOr(p.Internal, false),

		crossZone:       boolOr(p.CrossZone, DefaultCrossZone),
		draining:        boolOr(p.ConnectionDraining, DefaultConnectionDraining),
		drainingTimeout: r.seconds("ConnectionDrainingTimeout", p.ConnectionDrainingTimeout, DefaultConnectionDrainingTimeoutSeconds),
		idleTimeout:     r.seconds("IdleTimeout", p.IdleTimeout, DefaultIdleTimeoutSeconds),

		instanceCount:     r.num("InstanceCount", p.InstanceCount, DefaultInstanceCount),
		userDataReplaces:  boolOr(p.UserDataCausesReplacement, true),
		openInstancePorts: boolOr(p.OpenInstancePortsToWorld, false),
		ruleQuota:         r.num("SecurityGroupRulesQuota", p.SecurityGroupRulesQuota, defaultSecurityGroupRules),

		hasZone:              p.HostedZone != nil,
		hasRecordName:        p.RecordName != nil,
		recordName:           r.str("RecordName", p.RecordName, ""),
		evaluateTargetHealth: boolOr(p.EvaluateTargetHealth, false),
	}
	if p.HostedZone != nil {
		name, problem := zoneName(p.HostedZone)
		s.zoneName, s.zoneNameProblem = r.str("HostedZone", &name, ""), problem
	}
	s.listeners = r.listeners(p.Listeners)
	s.healthCheck = r.healthCheck(p.HealthCheck, s.listeners)
	a := p.AccessLogging
	if a == nil {
		a = &AccessLogging{}
	}
	s.accessLog = accessLogSpec{
		enabled:         boolOr(a.Enabled, true),
		hasBucket:       a.Bucket != nil,
		prefix:          r.str("AccessLogging.Prefix", a.Prefix, ""),
		intervalMinutes: r.minutes("AccessLogging.EmitInterval", a.EmitInterval, DefaultAccessLogEmitIntervalMinutes),
		hasExpiration:   a.Expiration != nil,
		expirationDays:  r.days("AccessLogging.Expiration", a.Expiration, DefaultAccessLogExpirationDays),
		deliveryGranted: boolOr(a.DeliveryGrantedByBucketPolicy, false),
	}
	if a.Bucket != nil {
		s.accessLog.bucketKMS, s.accessLog.bucketImported, s.accessLog.bucketName = bucketFacts(a.Bucket)
	}
	if p.LbCookieStickinessPolicies != nil {
		for i, c := range *p.LbCookieStickinessPolicies {
			key := fmt.Sprintf("LbCookieStickinessPolicies[%d]", i)
			if c == nil {
				c = &LbCookieStickinessPolicy{}
			}
			s.lbCookies = append(s.lbCookies, lbCookieSpec{
				name:          r.str(key+".PolicyName", c.PolicyName, ""),
				hasExpiration: c.CookieExpirationPeriod != nil,
				expiration:    r.seconds(key+".CookieExpirationPeriod", c.CookieExpirationPeriod, 0),
			})
		}
	}
	if p.AppCookieStickinessPolicies != nil {
		for i, c := range *p.AppCookieStickinessPolicies {
			key := fmt.Sprintf("AppCookieStickinessPolicies[%d]", i)
			if c == nil {
				c = &AppCookieStickinessPolicy{}
			}
			s.appCookies = append(s.appCookies, appCookieSpec{
				name:       r.str(key+".PolicyName", c.PolicyName, ""),
				cookieName: r.str(key+".CookieName", c.CookieName, ""),
			})
		}
	}
	s.negotiationPolicies = map[string]bool{}
	if p.Policies != nil {
		for i, pol := range *p.Policies {
			name := ""
			if pol != nil {
				name = r.str(fmt.Sprintf("Policies[%d].PolicyName", i), pol.PolicyName, "")
				if pol.PolicyType != nil && *pol.PolicyType == "SSLNegotiationPolicyType" {
					s.negotiationPolicies[name] = true
				}
			}
			s.otherPolicies = append(s.otherPolicies, name)
		}
	}
	s.applyDefaultSslPolicy()
	s.allowedPeers = s.peers("AllowedPeers", p.AllowedPeers)
	if p.AllowedPeers == nil {
		// The console's: the world, or the VPC's own (IPv4) block when internal.
		s.allowedPeers, s.defaultPeers = []peerSpec{{id: "0.0.0.0/0"}}, true
	}
	s.sshPeers = s.peers("SshPeers", p.SshPeers)
	s.egress = s.egressRules(p.InstanceEgress)
	if p.Tags != nil {
		for k, v := range *p.Tags {
			if v == nil {
				s.nilEntries = append(s.nilEntries, fmt.Sprintf("Tags[%q]", k))
			}
		}
		sort.Strings(s.nilEntries)
	}
	s.unchecked = r.unchecked
	return s
}

// peers resolves a list of peers, recording nil entries.
func (s *spec) peers(setting string, peers *[]awsec2.IPeer) []peerSpec {
	if peers == nil {
		return nil
	}
	var out []peerSpec
	for i, peer := range *peers {
		if peer == nil {
			s.nilEntries = append(s.nilEntries, fmt.Sprintf("%s[%d]", setting, i))
			continue
		}
		out = append(out, peerOf(peer))
	}
	return out
}

// defaultInstanceEgress is HTTPS to anywhere: the Session Manager agent and
// the package repositories in S3 speak HTTPS.
func defaultInstanceEgress() []*EgressRule {
	return []*EgressRule{{
		Peer:        awsec2.Peer_AnyIpv4(),
		Port:        awsec2.Port_Tcp(jsii.Number(443)),
		Description: jsii.String("HTTPS to AWS services: Session Manager, and Amazon Linux's package repositories in S3"),
	}}
}

// egressRules resolves InstanceEgress (nil: the default), recording nil
// entries; a missing peer or port is reported by validate.
func (s *spec) egressRules(rules *[]*EgressRule) []egressSpec {
	list := defaultInstanceEgress()
	if rules != nil {
		list = *rules
	}
	out := make([]egressSpec, 0, len(list))
	for i, rule := range list {
		if rule == nil {
			s.nilEntries = append(s.nilEntries, fmt.Sprintf("InstanceEgress[%d]", i))
			continue
		}
		e := egressSpec{rule: rule, index: i, hasPeer: rule.Peer != nil, hasPort: rule.Port != nil}
		if rule.Peer != nil {
			e.peer = peerOf(rule.Peer)
		}
		if rule.Description != nil {
			e.description = *rule.Description
		} else if rule.Peer != nil && rule.Port != nil {
			e.description = fmt.Sprintf("%s to %s", *rule.Port.ToString(), e.peer.id)
		}
		out = append(out, e)
	}
	return out
}

func (r *resolver) listeners(ls *[]*Listener) []listenerSpec {
	if ls == nil {
		return []listenerSpec{{
			hasExternalPort: true, externalPort: DefaultListenerPort, externalProtocol: "HTTP",
			internalPort: DefaultListenerPort, internalProtocol: "HTTP",
		}}
	}
	out := make([]listenerSpec, 0, len(*ls))
	for i, l := range *ls {
		key := fmt.Sprintf("Listeners[%d]", i)
		if l == nil {
			l = &Listener{}
		}
		front := protocolOr(l.ExternalProtocol, "HTTP")
		back := protocolOr(l.InternalProtocol, defaultInternalProtocol(front))
		ext := r.num(key+".ExternalPort", l.ExternalPort, 0)
		// A missing or token front-end port leaves its derived default unchecked.
		if (l.ExternalPort == nil || r.unchecked[key+".ExternalPort"]) && l.InternalPort == nil {
			r.unchecked[key+".InternalPort"] = true
		}
		spec := listenerSpec{
			hasExternalPort:     l.ExternalPort != nil,
			externalPort:        ext,
			externalProtocol:    front,
			internalPort:        r.num(key+".InternalPort", l.InternalPort, defaultInternalPort(front, back, ext)),
			internalPortDerived: l.InternalPort == nil && defaultInternalPort(front, back, ext) == ext,
			internalProtocol:    back,
			certificateArn:      r.str(key+".SslCertificateArn", l.SslCertificateArn, ""),
			hasSslPolicy:        l.SslPolicy != nil,
			sslPolicy:           r.str(key+".SslPolicy", l.SslPolicy, ""),
		}
		if l.PolicyNames != nil {
			for j, n := range *l.PolicyNames {
				spec.policyNames = append(spec.policyNames, r.str(fmt.Sprintf("%s.PolicyNames[%d]", key, j), n, ""))
				if r.unchecked[fmt.Sprintf("%s.PolicyNames[%d]", key, j)] {
					r.unchecked[key+".PolicyNames"] = true
				}
			}
		}
		out = append(out, spec)
	}
	return out
}

func (r *resolver) healthCheck(h *HealthCheck, ls []listenerSpec) healthCheckSpec {
	if h == nil {
		h = &HealthCheck{}
	}
	// The console pings the first listener's instance protocol and port.
	protocol, port := "HTTP", float64(DefaultListenerPort)
	if len(ls) > 0 {
		protocol, port = ls[0].internalProtocol, ls[0].internalPort
		if r.unchecked["Listeners[0].InternalPort"] && h.Port == nil {
			r.unchecked["HealthCheck.Port"] = true
		}
	}
	protocol = protocolOr(h.Protocol, protocol)
	path := ""
	if protocol == "HTTP" || protocol == "HTTPS" {
		path = DefaultHealthCheckPath
	}
	return healthCheckSpec{
		protocol:           protocol,
		port:               r.num("HealthCheck.Port", h.Port, port),
		portDerived:        h.Port == nil && len(ls) > 0,
		path:               r.str("HealthCheck.Path", h.Path, path),
		hasPath:            h.Path != nil,
		timeout:            r.seconds("HealthCheck.Timeout", h.Timeout, DefaultHealthCheckTimeoutSeconds),
		interval:           r.seconds("HealthCheck.Interval", h.Interval, DefaultHealthCheckIntervalSeconds),
		unhealthyThreshold: r.num("HealthCheck.UnhealthyThreshold", h.UnhealthyThreshold, DefaultUnhealthyThreshold),
		healthyThreshold:   r.num("HealthCheck.HealthyThreshold", h.HealthyThreshold, DefaultHealthyThreshold),
	}
}

// resolver reads optional props, records which ones are tokens, and returns
// the default for unset ones.
type resolver struct {
	unchecked map[string]bool
}

func (r *resolver) str(setting string, v *string, def string) string {
	if v == nil {
		return def
	}
	if *awscdk.Token_IsUnresolved(v) {
		r.unchecked[setting] = true
	}
	return *v
}

func (r *resolver) num(setting string, v *float64, def float64) float64 {
	if v == nil {
		return def
	}
	if *awscdk.Token_IsUnresolved(v) {
		r.unchecked[setting] = true
	}
	return *v
}

// durationIn reads a Duration in one unit (fractions kept, so validation can
// name them), recording tokens.
func (r *resolver) durationIn(setting string, d awscdk.Duration, def float64, unit func(awscdk.Duration, *awscdk.TimeConversionOptions) *float64) float64 {
	if d == nil {
		return def
	}
	if *d.IsUnresolved() {
		r.unchecked[setting] = true
	}
	return *unit(d, &awscdk.TimeConversionOptions{Integral: boolPtr(false)})
}

func (r *resolver) seconds(setting string, d awscdk.Duration, def float64) float64 {
	return r.durationIn(setting, d, def, awscdk.Duration.ToSeconds)
}

func (r *resolver) minutes(setting string, d awscdk.Duration, def float64) float64 {
	return r.durationIn(setting, d, def, awscdk.Duration.ToMinutes)
}

func (r *resolver) days(setting string, d awscdk.Duration, def float64) float64 {
	return r.durationIn(setting, d, def, awscdk.Duration.ToDays)
}

func boolOr(v *bool, def bool) bool {
	if v == nil {
		return def
	}
	return *v
}

func boolPtr(v bool) *bool { return &v }

func optString(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

func protocolOr(p Protocol, def string) string {
	if p == "" {
		return def
	}
	return string(p)
}

// applyDefaultSslPolicy gives HTTPS and SSL listeners the default TLS policy,
// unless they choose one or name an SSL negotiation policy of their own.
func (s *spec) applyDefaultSslPolicy() {
	for i := range s.listeners {
		l := &s.listeners[i]
		if l.hasSslPolicy || !(l.externalProtocol == "HTTPS" || l.externalProtocol == "SSL") {
			continue
		}
		if !s.namesNegotiationPolicy(*l) {
			l.sslPolicy = DefaultSslPolicy
		}
	}
}

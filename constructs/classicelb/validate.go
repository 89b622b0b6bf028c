package classicelb

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

var (
	nameChars = regexp.MustCompile(`^[A-Za-z0-9-]+$`)
	protocols = []string{"HTTP", "HTTPS", "TCP", "SSL"}
)

// validate checks a spec against the limits of the service and returns every
// problem found. Settings that hold tokens are skipped.
func (s *spec) validate() problems {
	var ps problems
	if !s.hasVpc {
		ps.add("Vpc", "is required; pass an awsec2.IVpc (awsec2.Vpc_FromLookup with IsDefault: true for the console's default VPC)")
	}
	s.validateName(&ps)
	s.validateListeners(&ps)
	s.validateHealthCheck(&ps)
	s.rangeCheck(&ps, "ConnectionDrainingTimeout", s.drainingTimeout, minDrainingTimeout, maxDrainingTimeout, "seconds")
	s.rangeCheck(&ps, "IdleTimeout", s.idleTimeout, minIdleTimeout, maxIdleTimeout, "seconds")
	s.validateAccessLog(&ps)
	s.validatePolicies(&ps)
	if !s.isUnchecked("InstanceCount") && (s.instanceCount < 1 || s.instanceCount != math.Trunc(s.instanceCount)) {
		ps.add("InstanceCount", "%s is not allowed; use a whole number of at least 1", num(s.instanceCount))
	}
	s.validateDNS(&ps)
	for _, setting := range s.nilEntries {
		ps.add(setting, "is nil; remove the entry or give a value")
	}
	return ps
}

func (s *spec) validateName(ps *problems) {
	n := s.name
	if n == "" || s.isUnchecked("LoadBalancerName") {
		return
	}
	const allowed = "allowed: at most 32 letters, digits and hyphens, no hyphen at either end, not starting with \"internal-\""
	switch {
	case len(n) > maxNameLength:
		ps.add("LoadBalancerName", "%q is %d characters long; %s", n, len(n), allowed)
	case !nameChars.MatchString(n):
		ps.add("LoadBalancerName", "%q has characters other than letters, digits and hyphens; %s", n, allowed)
	case strings.HasPrefix(n, "-") || strings.HasSuffix(n, "-"):
		ps.add("LoadBalancerName", "%q starts or ends with a hyphen; %s", n, allowed)
	case strings.HasPrefix(strings.ToLower(n), "internal-"):
		ps.add("LoadBalancerName", "%q starts with \"internal-\", which ELB reserves for internal load balancers' DNS names; %s", n, allowed)
	}
}

func (s *spec) validateListeners(ps *problems) {
	if len(s.listeners) == 0 {
		ps.add("Listeners", "is empty; give at least one listener (the console's default is HTTP 80 to HTTP 80)")
		return
	}
	seen := map[float64]int{}
	for i, l := range s.listeners {
		key := fmt.Sprintf("Listeners[%d]", i)
		if !l.hasExternalPort {
			ps.add(key+".ExternalPort", "is required; give the load balancer port, 1-65535 (the console's default listener is 80)")
		} else if s.portCheck(ps, key+".ExternalPort", l.externalPort) && !s.isUnchecked(key+".ExternalPort") {
			if j, dup := seen[l.externalPort]; dup {
				ps.add(key+".ExternalPort", "%s is already the port of listener %d; a load balancer port takes one listener", num(l.externalPort), j)
			} else {
				seen[l.externalPort] = i
			}
		}
		s.portCheck(ps, key+".InternalPort", l.internalPort)
		front := protocolCheck(ps, key+".ExternalProtocol", l.externalProtocol)
		back := protocolCheck(ps, key+".InternalProtocol", l.internalProtocol)
		if front && back && layer(l.externalProtocol) != layer(l.internalProtocol) {
			ps.add(key+".InternalProtocol", "%s cannot follow a %s front end; allowed: %s", l.internalProtocol, l.externalProtocol, pairsFor(l.externalProtocol))
		}
		secure := l.externalProtocol == "HTTPS" || l.externalProtocol == "SSL"
		switch {
		case front && secure && l.certificateArn == "":
			ps.add(key+".SslCertificateArn", "is required for an %s listener; set it to an ACM or IAM server certificate ARN", l.externalProtocol)
		case front && !secure && l.certificateArn != "":
			ps.add(key+".SslCertificateArn", "is set on a %s listener, which does not use it; remove it or make the listener %s", l.externalProtocol, secureOf(l.externalProtocol))
		case secure && l.certificateArn != "" && !s.isUnchecked(key+".SslCertificateArn") && !strings.HasPrefix(l.certificateArn, "arn:"):
			ps.add(key+".SslCertificateArn", "%q is not an ARN; allowed: arn:<partition>:acm:... or arn:<partition>:iam::<account>:server-certificate/...", l.certificateArn)
		}
		switch {
		case front && !secure && l.hasSslPolicy:
			ps.add(key+".SslPolicy", "is set on a %s listener, which does not negotiate TLS; remove it or make the listener %s", l.externalProtocol, secureOf(l.externalProtocol))
		case l.hasSslPolicy && !s.isUnchecked(key+".SslPolicy") && !strings.HasPrefix(l.sslPolicy, "ELBSecurityPolicy-"):
			ps.add(key+".SslPolicy", "%q is not a predefined security policy; allowed: ELBSecurityPolicy-... such as %q (or your own SSLNegotiationPolicyType policy in Policies and PolicyNames)", l.sslPolicy, DefaultSslPolicy)
		case l.hasSslPolicy && s.namesNegotiationPolicy(l):
			ps.add(key+".SslPolicy", "is set while PolicyNames already names an SSL negotiation policy; keep one of them")
		}
	}
}

func (s *spec) validateHealthCheck(ps *problems) {
	h := s.healthCheck
	ok := protocolCheck(ps, "HealthCheck.Protocol", h.protocol)
	s.portCheck(ps, "HealthCheck.Port", h.port)
	if ok && !s.isUnchecked("HealthCheck.Path") {
		web := h.protocol == "HTTP" || h.protocol == "HTTPS"
		switch {
		case web && !strings.HasPrefix(h.path, "/"):
			ps.add("HealthCheck.Path", "%q does not start with \"/\"; an %s health check pings a path such as %q", h.path, h.protocol, DefaultHealthCheckPath)
		case !web && h.hasPath:
			ps.add("HealthCheck.Path", "%q is set on a %s health check, which only opens a connection; remove it or use HTTP/HTTPS", h.path, h.protocol)
		case strings.ContainsAny(h.path, " \t\r\n"):
			ps.add("HealthCheck.Path", "%q contains white space; encode it (%%20)", h.path)
		}
	}
	timeoutOK := s.rangeCheck(ps, "HealthCheck.Timeout", h.timeout, minHealthTimeout, maxHealthTimeout, "seconds")
	intervalOK := s.rangeCheck(ps, "HealthCheck.Interval", h.interval, minHealthInterval, maxHealthInterval, "seconds")
	if timeoutOK && intervalOK && !s.isUnchecked("HealthCheck.Timeout") && !s.isUnchecked("HealthCheck.Interval") && h.timeout >= h.interval {
		ps.add("HealthCheck.Timeout", "%s seconds is not shorter than the interval (%s seconds); make the timeout shorter or the interval longer", num(h.timeout), num(h.interval))
	}
	s.rangeCheck(ps, "HealthCheck.UnhealthyThreshold", h.unhealthyThreshold, minThreshold, maxThreshold, "checks")
	s.rangeCheck(ps, "HealthCheck.HealthyThreshold", h.healthyThreshold, minThreshold, maxThreshold, "checks")
}

func (s *spec) validateAccessLog(ps *problems) {
	a := s.accessLog
	if !a.enabled {
		return
	}
	if a.hasBucket && a.hasExpiration {
		ps.add("AccessLogging.Expiration", "is set together with Bucket; it applies only to the bucket the WebTier creates, so set the expiry on your bucket or drop Bucket")
	}
	if a.hasExpiration && !s.isUnchecked("AccessLogging.Expiration") && (a.expirationDays < 1 || a.expirationDays != math.Trunc(a.expirationDays)) {
		ps.add("AccessLogging.Expiration", "%s days is not allowed; use a whole number of days of at least 1", num(a.expirationDays))
	}
	if !s.isUnchecked("AccessLogging.EmitInterval") && a.intervalMinutes != shortAccessLogInterval && a.intervalMinutes != longAccessLogInterval {
		ps.add("AccessLogging.EmitInterval", "%s minutes is not allowed; allowed: 5 or 60 minutes", num(a.intervalMinutes))
	}
	if strings.HasPrefix(a.prefix, "/") || strings.HasSuffix(a.prefix, "/") {
		ps.add("AccessLogging.Prefix", "%q starts or ends with \"/\"; give the prefix without them", a.prefix)
	}
}

// validatePolicies checks stickiness policies and that every policy a
// listener names is defined.
func (s *spec) validatePolicies(ps *problems) {
	defined := map[string]string{}
	define := func(setting, name string) {
		if name == "" {
			ps.add(setting, "is empty; give the policy a name that listeners' PolicyNames can refer to")
			return
		}
		if first, dup := defined[name]; dup {
			ps.add(setting, "%q is already the name of %s; policy names must be unique", name, first)
			return
		}
		defined[name] = strings.TrimSuffix(setting, ".PolicyName")
	}
	// The negotiation policies generated for SslPolicy come first, so that a
	// policy of the user's with the same name is reported.
	for i, l := range s.listeners {
		if l.sslPolicy != "" {
			if _, done := defined[negotiationPolicyName(l.sslPolicy)]; !done {
				defined[negotiationPolicyName(l.sslPolicy)] = fmt.Sprintf("the policy generated for Listeners[%d].SslPolicy", i)
			}
		}
	}
	for i, p := range s.lbCookies {
		key := fmt.Sprintf("LbCookieStickinessPolicies[%d]", i)
		define(key+".PolicyName", p.name)
		if p.hasExpiration && !s.isUnchecked(key+".CookieExpirationPeriod") && (p.expiration < 1 || p.expiration != math.Trunc(p.expiration)) {
			ps.add(key+".CookieExpirationPeriod", "%s seconds is not allowed; use a whole number of seconds of at least 1, or leave it unset for a session cookie", num(p.expiration))
		}
	}
	for i, p := range s.appCookies {
		key := fmt.Sprintf("AppCookieStickinessPolicies[%d]", i)
		define(key+".PolicyName", p.name)
		if strings.TrimSpace(p.cookieName) == "" {
			ps.add(key+".CookieName", "is empty; name the application cookie the load balancer should follow")
		}
	}
	for i, name := range s.otherPolicies {
		define(fmt.Sprintf("Policies[%d].PolicyName", i), name)
	}
	for i, l := range s.listeners {
		for j, name := range l.policyNames {
			if _, ok := defined[name]; !ok && !s.isUnchecked(fmt.Sprintf("Listeners[%d].PolicyNames", i)) {
				ps.add(fmt.Sprintf("Listeners[%d].PolicyNames[%d]", i, j), "%q is not a defined policy; define it in LbCookieStickinessPolicies, AppCookieStickinessPolicies or Policies (defined: %s)", name, list(keys(defined)))
			}
		}
	}
}

func (s *spec) validateDNS(ps *problems) {
	if !s.hasZone {
		if s.hasRecordName {
			ps.add("RecordName", "%q is set without HostedZone; pass the awsroute53.IHostedZone the record belongs in", s.recordName)
		}
		if s.evaluateTargetHealth {
			ps.add("EvaluateTargetHealth", "is set without HostedZone, so there is no record to evaluate; pass HostedZone or drop it")
		}
		return
	}
	if !s.hasRecordName || s.isUnchecked("RecordName") || s.isUnchecked("HostedZone") {
		return
	}
	zone := strings.TrimSuffix(strings.ToLower(s.zoneName), ".")
	name := strings.ToLower(s.recordName)
	if strings.HasSuffix(name, ".") {
		// An absolute name: it must lie inside the zone.
		abs := strings.TrimSuffix(name, ".")
		if abs != zone && !strings.HasSuffix(abs, "."+zone) {
			ps.add("RecordName", "%q is not inside the hosted zone %q; use a name that ends with %q or one relative to the zone", s.recordName, zone, zone)
		}
	}
	if strings.ContainsAny(name, " /\\") || strings.Contains(name, "..") || strings.HasPrefix(name, ".") {
		ps.add("RecordName", "%q is not a valid DNS name; allowed: labels of letters, digits and hyphens separated by single dots", s.recordName)
	}
}

func (s *spec) namesNegotiationPolicy(l listenerSpec) bool {
	for _, n := range l.policyNames {
		if s.negotiationPolicies[n] {
			return true
		}
	}
	return false
}

// portCheck reports a port outside 1-65535 or not whole; it returns whether
// the port is usable.
func (s *spec) portCheck(ps *problems, setting string, v float64) bool {
	return s.rangeCheck(ps, setting, v, minPort, maxPort, "")
}

// rangeCheck reports a number outside [lo, hi] or not whole; it returns
// whether the value is acceptable (tokens are).
func (s *spec) rangeCheck(ps *problems, setting string, v float64, lo, hi int, unit string) bool {
	if s.isUnchecked(setting) {
		return true
	}
	u := ""
	if unit != "" {
		u = " " + unit
	}
	if v != math.Trunc(v) { // NaN too
		ps.add(setting, "%s%s is not a whole number; allowed %d-%d%s", num(v), u, lo, hi, u)
		return false
	}
	if v < float64(lo) || v > float64(hi) {
		ps.add(setting, "%s%s is out of range; allowed %d-%d%s", num(v), u, lo, hi, u)
		return false
	}
	return true
}

// protocolCheck reports a protocol that is not HTTP, HTTPS, TCP or SSL.
func protocolCheck(ps *problems, setting, p string) bool {
	for _, ok := range protocols {
		if p == ok {
			return true
		}
	}
	ps.add(setting, "%q is not a classic load balancer protocol; allowed: %s", p, strings.Join(protocols, ", "))
	return false
}

// layer is 7 for HTTP/HTTPS and 4 for TCP/SSL: a listener's two protocols
// must be on the same layer.
func layer(p string) int {
	if p == "HTTP" || p == "HTTPS" {
		return 7
	}
	return 4
}

func pairsFor(front string) string {
	if layer(front) == 7 {
		return "HTTP or HTTPS"
	}
	return "TCP or SSL"
}

func secureOf(p string) string {
	if p == "TCP" {
		return "SSL"
	}
	return "HTTPS"
}

// num renders a number the way a user typed it: 80, not 80.000000.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func list(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

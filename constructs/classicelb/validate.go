package classicelb

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
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
	if !s.isUnchecked("InstanceCount") && (s.instanceCount < 1 || s.instanceCount > maxInstances || s.instanceCount != math.Trunc(s.instanceCount)) {
		ps.add("InstanceCount", "%s is not allowed; use a whole number from 1 to %d (one CloudFormation stack holds at most %d resources, and each instance is two: the instance and its instance profile)", num(s.instanceCount), maxInstances, maxStackResources)
	}
	s.validateSecurityGroupRules(&ps)
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
	case utf8.RuneCountInString(n) > maxNameLength:
		ps.add("LoadBalancerName", "%q is %d characters long; %s", n, utf8.RuneCountInString(n), allowed)
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
	if len(s.listeners) > maxListeners {
		ps.add("Listeners", "has %d listeners; a classic load balancer takes at most %d", len(s.listeners), maxListeners)
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
		// An instance port that follows a bad front-end port is not blamed
		// a second time.
		if !l.internalPortDerived || s.externalPortValid(i) {
			s.portCheck(ps, key+".InternalPort", l.internalPort)
		}
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
		case secure && s.region != "" && !s.isUnchecked(key+".SslCertificateArn"):
			if region := acmRegion(l.certificateArn); region != "" && region != s.region {
				ps.add(key+".SslCertificateArn", "%q is an ACM certificate of %s, but the stack deploys to %s; a load balancer uses certificates of its own region: request or import the certificate in %s", l.certificateArn, region, s.region, s.region)
			}
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
	// A port that follows the first listener's bad instance port is not
	// blamed a second time.
	if !h.portDerived || s.internalPortValid(0) {
		s.portCheck(ps, "HealthCheck.Port", h.port)
	}
	if ok && !s.isUnchecked("HealthCheck.Path") {
		web := h.protocol == "HTTP" || h.protocol == "HTTPS"
		switch {
		case web && !strings.HasPrefix(h.path, "/"):
			ps.add("HealthCheck.Path", "%q does not start with \"/\"; an %s health check pings a path such as %q", h.path, h.protocol, DefaultHealthCheckPath)
		case !web && h.hasPath:
			ps.add("HealthCheck.Path", "%q is set on a %s health check, which only opens a connection; remove it or use HTTP/HTTPS", h.path, h.protocol)
		case strings.ContainsAny(h.path, " \t\r\n"):
			ps.add("HealthCheck.Path", "%q contains white space; encode it (%%20)", h.path)
		case web && utf8.RuneCountInString(h.protocol+":"+portText(h.port)+h.path) > maxHealthCheckTarget:
			prefix := h.protocol + ":" + portText(h.port)
			ps.add("HealthCheck.Path", "makes the health check target %s<path> %d characters long; ELB takes at most %d, so the path may have at most %d", prefix, utf8.RuneCountInString(prefix+h.path), maxHealthCheckTarget, maxHealthCheckTarget-utf8.RuneCountInString(prefix))
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
	if a.bucketKMS {
		ps.add("AccessLogging.Bucket", "%s is encrypted with a KMS key; a classic load balancer writes access logs only to buckets with SSE-S3 (awss3.BucketEncryption_S3_MANAGED) encryption", a.bucketName)
	}
	if a.bucketImported && !a.deliveryGranted {
		ps.add("AccessLogging.Bucket", "%s is imported, so this stack cannot add the statement that lets ELB log delivery write to it; grant it in the bucket's own policy and set DeliveryGrantedByBucketPolicy, or pass a bucket defined in this app", a.bucketName)
	}
	if a.deliveryGranted && !a.bucketImported {
		ps.add("AccessLogging.DeliveryGrantedByBucketPolicy", "is set, but the log bucket is defined in this app and the WebTier grants delivery itself; drop it")
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
	if s.zoneNameProblem != "" {
		ps.add("HostedZone", "%s", s.zoneNameProblem)
		return
	}
	if !s.hasRecordName || s.isUnchecked("RecordName") || s.isUnchecked("HostedZone") {
		return
	}
	name := strings.ToLower(s.recordName)
	if strings.ContainsAny(name, " /\\") || strings.Contains(name, "..") || strings.HasPrefix(name, ".") || name == "" {
		ps.add("RecordName", "%q is not a valid DNS name; allowed: labels of letters, digits and hyphens separated by single dots", s.recordName)
		return
	}
	if _, ok := s.recordFullName(); !ok {
		zone := strings.TrimSuffix(strings.ToLower(s.zoneName), ".")
		first, _, _ := strings.Cut(strings.TrimSuffix(name, "."), ".")
		ps.add("RecordName", "%q is not inside the hosted zone %q: a name with dots must end in the zone's name; give the full name (%s.%s) or one label relative to the zone (%s)", s.recordName, zone, first, zone, first)
	}
}

// recordFullName is the alias record's fully qualified name, lower case with
// the final dot, and whether RecordName lies in the zone. A name that ends
// in the zone's name (in any case) is full; one label is relative to the
// zone; any other name with dots is outside it. aws-cdk-lib alone would
// append the zone to both ("www.example.net.example.org.").
func (s *spec) recordFullName() (string, bool) {
	zone := strings.TrimSuffix(strings.ToLower(s.zoneName), ".")
	name := strings.ToLower(s.recordName)
	absolute := strings.HasSuffix(name, ".")
	name = strings.TrimSuffix(name, ".")
	switch {
	case name == zone || strings.HasSuffix(name, "."+zone):
		return name + ".", true
	case absolute || strings.Contains(name, "."):
		return "", false
	default:
		return name + "." + zone + ".", true
	}
}

// validateSecurityGroupRules checks that the rules the WebTier adds fit the
// quota of rules per security group, direction and IP family, and blames
// each excess on the setting that adds it, once.
func (s *spec) validateSecurityGroupRules(ps *problems) {
	for _, e := range s.egress {
		key := fmt.Sprintf("InstanceEgress[%d]", e.index)
		if !e.hasPeer {
			ps.add(key+".Peer", "is required; give the awsec2.IPeer the instances may connect to")
		}
		if !e.hasPort {
			ps.add(key+".Port", "is required; give the awsec2.Port the instances may connect to")
		}
	}
	if s.isUnchecked("SecurityGroupRulesQuota") || !s.rangeCheck(ps, "SecurityGroupRulesQuota", s.ruleQuota, 1, 1000, "rules") {
		return
	}
	quota := int(s.ruleQuota)
	listenerPorts, instancePorts := len(s.listenerPorts()), len(s.instancePorts())
	setting := "Listeners"
	if !s.defaultPeers {
		setting = "AllowedPeers"
	}
	v4, v6 := families(s.allowedPeers)
	for _, c := range []struct {
		family string
		peers  int
	}{{"IPv4", v4}, {"IPv6", v6}} {
		if n := listenerPorts * c.peers; n > quota {
			ps.add(setting, "%d listener ports x %d %s peers make %d inbound %s rules on the load balancer's security group; a security group takes %d (the quota of rules per security group): use fewer ports or peers", listenerPorts, c.peers, c.family, n, c.family, quota)
		}
	}
	// The instances' group: instance ports from the load balancer (and from
	// anywhere with OpenInstancePortsToWorld), then SSH.
	if instancePorts > quota {
		ps.add("Listeners", "%d instance ports make %d outbound rules on the load balancer's security group and as many inbound rules on the instances'; a security group takes %d (the quota of rules per security group)", instancePorts, instancePorts, quota)
		return
	}
	inbound := instancePorts
	if s.openInstancePorts {
		inbound += instancePorts
		if inbound > quota {
			ps.add("OpenInstancePortsToWorld", "doubles the instances' %d inbound rules to %d (from the load balancer and from anywhere); a security group takes %d (the quota of rules per security group)", instancePorts, inbound, quota)
			return
		}
	}
	sshV4, sshV6 := families(s.sshPeers)
	if inbound+sshV4 > quota || sshV6 > quota {
		ps.add("SshPeers", "%d SSH peers (%d IPv4, %d IPv6) beside %d rules for the instance ports make more inbound rules than the instances' security group takes: %d of each IP family (the quota of rules per security group)", len(s.sshPeers), sshV4, sshV6, inbound, quota)
	}
	var out []peerSpec
	for _, e := range s.egress {
		out = append(out, e.peer)
	}
	if eV4, eV6 := families(out); eV4 > quota || eV6 > quota {
		ps.add("InstanceEgress", "has %d IPv4 and %d IPv6 rules; a security group takes %d outbound rules of each (the quota of rules per security group)", eV4, eV6, quota)
	}
}

func families(peers []peerSpec) (v4, v6 int) {
	for _, p := range peers {
		if p.ipv6 {
			v6++
		} else {
			v4++
		}
	}
	return v4, v6
}

// givenPeers reports whether AllowedPeers came from the props (not the
// console's default).
func (s *spec) givenPeers() bool {
	return !s.defaultPeers
}

// acmRegion is the region of an ACM certificate ARN, empty for IAM server
// certificates (global) and anything else.
func acmRegion(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 && parts[2] == "acm" {
		return parts[3]
	}
	return ""
}

func (s *spec) namesNegotiationPolicy(l listenerSpec) bool {
	for _, n := range l.policyNames {
		if s.negotiationPolicies[n] {
			return true
		}
	}
	return false
}

// externalPortValid reports whether listener i's front-end port is given and
// usable (tokens are).
func (s *spec) externalPortValid(i int) bool {
	l := s.listeners[i]
	return l.hasExternalPort && s.valueValid(fmt.Sprintf("Listeners[%d].ExternalPort", i), l.externalPort, minPort, maxPort)
}

// internalPortValid reports whether listener i's instance port is usable,
// following a front-end port it was derived from.
func (s *spec) internalPortValid(i int) bool {
	if i >= len(s.listeners) {
		return true
	}
	if s.listeners[i].internalPortDerived {
		return s.externalPortValid(i)
	}
	return s.valueValid(fmt.Sprintf("Listeners[%d].InternalPort", i), s.listeners[i].internalPort, minPort, maxPort)
}

// valueValid is rangeCheck without reporting.
func (s *spec) valueValid(setting string, v float64, lo, hi int) bool {
	return s.isUnchecked(setting) || (v == math.Trunc(v) && v >= float64(lo) && v <= float64(hi))
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

// num renders a number the way a user typed it: 80, not 80.000000, and
// 1e+308, not 309 digits.
func num(v float64) string {
	if math.Abs(v) >= 1e21 {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

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

package classicelb

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/classic-webtier/cdk-classic-webtier/internal/clb"
	"github.com/classic-webtier/cdk-classic-webtier/internal/dnsname"
)

var (
	nameChars = regexp.MustCompile(`^[A-Za-z0-9-]+$`)
	// certificateFormat is an ACM certificate or an IAM server certificate,
	// in any partition.
	certificateFormat = regexp.MustCompile(`^arn:aws[a-z-]*:(acm:[a-z0-9-]+:[0-9]{12}:certificate/|iam::[0-9]{12}:server-certificate/).+$`)
)

// allowedCertificate says what SslCertificateArn takes.
const allowedCertificate = "an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID) or an IAM server certificate ARN (arn:aws:iam::ACCOUNT:server-certificate/NAME)"

// validate checks a spec against the limits of the service and returns every
// problem found. Settings that hold tokens are skipped.
func (s *spec) validate() problems {
	var ps problems
	if !s.hasVpc {
		ps.add("Vpc", "is required; pass an awsec2.IVpc (awsec2.Vpc_FromLookup with IsDefault: true for the console's default VPC)")
	}
	s.validateName(&ps)
	s.validateSubnets(&ps)
	s.validateListeners(&ps)
	s.validateHealthCheck(&ps)
	s.validateInstancePorts(&ps)
	s.rangeCheck(&ps, "ConnectionDrainingTimeout", s.drainingTimeout, clb.DrainingTimeout)
	s.rangeCheck(&ps, "IdleTimeout", s.idleTimeout, clb.IdleTimeout)
	s.validateAccessLog(&ps)
	s.validatePolicies(&ps)
	if n := s.instances.count; s.fleet == nil && !s.isUnchecked("InstanceCount") && !clb.Instances.Contains(n) {
		ps.add("InstanceCount", "%s is not allowed; use a whole number from %d to %d (one CloudFormation stack holds at most %d resources, and each instance is two: the instance and its instance profile)", num(n), clb.Instances.Min, clb.Instances.Max, clb.MaxStackResources)
	}
	s.validateFleet(&ps)
	s.validateAlarms(&ps)
	s.validateInstanceRole(&ps)
	s.validateSecurityGroups(&ps)
	s.validateTLS(&ps)
	s.validateSecurityGroupRules(&ps)
	s.validateDNS(&ps)
	s.validateRouting(&ps)
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
	allowed := fmt.Sprintf("allowed: at most %d letters, digits and hyphens, no hyphen at either end, not starting with \"internal-\"", clb.MaxNameLength)
	switch {
	case utf8.RuneCountInString(n) > clb.MaxNameLength:
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
	if n := len(s.listeners); n > clb.Listeners.Max {
		ps.add("Listeners", "has %d listeners; a classic load balancer takes at most %d", n, clb.Listeners.Max)
	}
	seen := map[float64]int{}
	for i, l := range s.listeners {
		key := fmt.Sprintf("Listeners[%d]", i)
		if !l.hasExternalPort {
			ps.add(key+".ExternalPort", "is required; give the load balancer port, %s (the console's default listener is %d)", clb.Port, DefaultListenerPort)
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
		if front && back && l.externalProtocol.IsL7() != l.internalProtocol.IsL7() {
			ps.add(key+".InternalProtocol", "%s cannot follow a %s front end; allowed: %s", l.internalProtocol, l.externalProtocol, l.externalProtocol.SameLayer())
		}
		secure := l.externalProtocol.IsTLS()
		switch {
		case l.certificate != nil && l.certificateArn != "":
			ps.add(key+".Certificate", "is set together with SslCertificateArn; give one of them")
		case front && !secure && l.certificate != nil:
			ps.add(key+".Certificate", "is set on a %s listener, which does not use it; remove it or make the listener %s", l.externalProtocol, l.externalProtocol.Secure())
		case secure && l.certificate != nil && s.region != "" && l.certificateRegion != "" && l.certificateRegion != s.region:
			ps.add(key+".Certificate", "%s is a certificate of %s, but the stack deploys to %s; a load balancer uses certificates of its own region: request or import the certificate in %s", l.certificateName, l.certificateRegion, s.region, s.region)
		case l.certificate != nil:
		case front && secure && l.certificateArn == "":
			ps.add(key+".SslCertificateArn", "is required for an %s listener; set it to an ACM or IAM server certificate ARN", l.externalProtocol)
		case front && !secure && l.certificateArn != "":
			ps.add(key+".SslCertificateArn", "is set on a %s listener, which does not use it; remove it or make the listener %s", l.externalProtocol, l.externalProtocol.Secure())
		case secure && l.certificateArn != "" && !s.isUnchecked(key+".SslCertificateArn") && !certificateFormat.MatchString(l.certificateArn):
			ps.add(key+".SslCertificateArn", "%q is not a certificate ARN; allowed: %s", l.certificateArn, allowedCertificate)
		case secure && s.region != "" && !s.isUnchecked(key+".SslCertificateArn"):
			if region := clb.ACMRegion(l.certificateArn); region != "" && region != s.region {
				ps.add(key+".SslCertificateArn", "%q is an ACM certificate of %s, but the stack deploys to %s; a load balancer uses certificates of its own region: request or import the certificate in %s", l.certificateArn, region, s.region, s.region)
			}
		}
		switch {
		case front && !secure && l.hasSslPolicy:
			ps.add(key+".SslPolicy", "is set on a %s listener, which does not negotiate TLS; remove it or make the listener %s", l.externalProtocol, l.externalProtocol.Secure())
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
		web := h.protocol.IsL7()
		switch {
		case web && !strings.HasPrefix(h.path, "/"):
			ps.add("HealthCheck.Path", "%q does not start with \"/\"; an %s health check pings a path such as %q", h.path, h.protocol, DefaultHealthCheckPath)
		case !web && h.hasPath:
			ps.add("HealthCheck.Path", "%q is set on a %s health check, which only opens a connection; remove it or use HTTP/HTTPS", h.path, h.protocol)
		case strings.ContainsAny(h.path, " \t\r\n"):
			ps.add("HealthCheck.Path", "%q contains white space; encode it (%%20)", h.path)
		case web && utf8.RuneCountInString(h.target()) > clb.MaxHealthCheckTarget:
			prefix := strings.TrimSuffix(h.target(), h.path)
			ps.add("HealthCheck.Path", "makes the health check target %s<path> %d characters long; ELB takes at most %d, so the path may have at most %d", prefix, utf8.RuneCountInString(h.target()), clb.MaxHealthCheckTarget, clb.MaxHealthCheckTarget-utf8.RuneCountInString(prefix))
		}
	}
	timeoutOK := s.rangeCheck(ps, "HealthCheck.Timeout", h.timeout, clb.HealthCheckTimeout)
	intervalOK := s.rangeCheck(ps, "HealthCheck.Interval", h.interval, clb.HealthCheckInterval)
	if timeoutOK && intervalOK && !s.isUnchecked("HealthCheck.Timeout") && !s.isUnchecked("HealthCheck.Interval") && h.timeout >= h.interval {
		ps.add("HealthCheck.Timeout", "%s seconds is not shorter than HealthCheck.Interval (%s seconds); make the timeout shorter or the interval longer", num(h.timeout), num(h.interval))
	}
	s.rangeCheck(ps, "HealthCheck.UnhealthyThreshold", h.unhealthyThreshold, clb.Threshold)
	s.rangeCheck(ps, "HealthCheck.HealthyThreshold", h.healthyThreshold, clb.Threshold)
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
	if !s.isUnchecked("AccessLogging.EmitInterval") && !slices.Contains(clb.AccessLogIntervals, a.intervalMinutes) {
		ps.add("AccessLogging.EmitInterval", "%s minutes is not allowed; allowed: %s or %s minutes", num(a.intervalMinutes), num(clb.AccessLogIntervals[0]), num(clb.AccessLogIntervals[1]))
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
	for _, name := range s.backendPolicyNames() {
		defined[name] = "a policy generated for BackendPublicKeys"
	}
	for i, name := range s.otherPolicies {
		define(fmt.Sprintf("Policies[%d].PolicyName", i), name)
	}
	for i, l := range s.listeners {
		if s.isUnchecked(fmt.Sprintf("Listeners[%d].PolicyNames", i)) {
			continue
		}
		for j, name := range l.policyNames {
			setting := fmt.Sprintf("Listeners[%d].PolicyNames[%d]", i, j)
			what, ok := defined[name]
			switch {
			case strings.HasPrefix(what, "the policy generated for"):
				// Named again, it would be written twice on its own
				// listener, or given to a listener it does not belong to.
				ps.add(setting, "%q is %s, which the WebTier adds to the listeners that use it; give this listener SslPolicy instead of naming the policy", name, what)
			case !ok:
				ps.add(setting, "%q is not a defined policy; define it in LbCookieStickinessPolicies, AppCookieStickinessPolicies or Policies (defined: %s)", name, list(keys(defined)))
			case s.negotiationPolicies[name] && !l.externalProtocol.IsTLS():
				ps.add(setting, "%q is an SSL negotiation policy, which a %s listener does not negotiate; name it on an HTTPS or SSL listener", name, l.externalProtocol)
			}
		}
	}
}

func (s *spec) validateDNS(ps *problems) {
	if !s.hasZone {
		if s.hasRecordName {
			ps.add("RecordName", "%q is set without HostedZone; pass the awsroute53.IHostedZone the record belongs in", s.recordName)
		}
		return
	}
	if s.zoneNameProblem != "" {
		ps.add("HostedZone", "%s", s.zoneNameProblem)
		return
	}
	zoneOK := s.isUnchecked("HostedZone") || dnsname.Valid(s.zoneName, false)
	if !zoneOK {
		ps.add("HostedZone", "names the zone %q, which is not a DNS name; %s", s.zoneName, allowedDNSName)
	}
	if !s.hasRecordName || s.isUnchecked("RecordName") || s.isUnchecked("HostedZone") {
		return
	}
	if !dnsname.Valid(s.recordName, true) {
		ps.add("RecordName", "%q is not a valid DNS name; %s (the first may be *)", s.recordName, allowedDNSName)
		return
	}
	if !zoneOK {
		return
	}
	if _, ok := s.recordFullName(); !ok {
		zone := strings.TrimSuffix(strings.ToLower(s.zoneName), ".")
		first, _, _ := strings.Cut(strings.TrimSuffix(strings.ToLower(s.recordName), "."), ".")
		ps.add("RecordName", "%q is not inside the hosted zone %q: a name with dots must end in the zone's name; give the full name (%s.%s) or one label relative to the zone (%s)", s.recordName, zone, first, zone, first)
	}
}

// allowedDNSName says what a DNS name may be.
var allowedDNSName = fmt.Sprintf("allowed: at most %d characters in labels of letters, digits, hyphens and underscores (no hyphen at either end) separated by single dots, such as www.example.com", dnsname.MaxLength)

// recordFullName is the alias record's fully qualified name, lower case with
// the final dot, and whether RecordName lies in the zone (dnsname.Full).
// aws-cdk-lib alone would append the zone to a full name in another letter
// case, and to a name outside the zone ("www.example.net.example.org.").
func (s *spec) recordFullName() (string, bool) {
	name, ok := dnsname.Full(s.zoneName, s.recordName)
	return name + ".", ok
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
	if s.isUnchecked("SecurityGroupRulesQuota") || !s.rangeCheck(ps, "SecurityGroupRulesQuota", s.ruleQuota, clb.SecurityGroupRules) {
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

// externalPortValid reports whether listener i's front-end port is given and
// usable (tokens are).
func (s *spec) externalPortValid(i int) bool {
	l := s.listeners[i]
	return l.hasExternalPort && s.valueValid(fmt.Sprintf("Listeners[%d].ExternalPort", i), l.externalPort, clb.Port)
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
	return s.valueValid(fmt.Sprintf("Listeners[%d].InternalPort", i), s.listeners[i].internalPort, clb.Port)
}

// valueValid is rangeCheck without reporting.
func (s *spec) valueValid(setting string, v float64, r clb.Range) bool {
	return s.isUnchecked(setting) || r.Contains(v)
}

// portCheck reports a port outside 1-65535 or not whole; it returns whether
// the port is usable.
func (s *spec) portCheck(ps *problems, setting string, v float64) bool {
	return s.rangeCheck(ps, setting, v, clb.Port)
}

// rangeCheck reports a number outside the range or not whole; it returns
// whether the value is acceptable (tokens are).
func (s *spec) rangeCheck(ps *problems, setting string, v float64, r clb.Range) bool {
	if s.isUnchecked(setting) {
		return true
	}
	u := ""
	if r.Unit != "" {
		u = " " + r.Unit
	}
	if v != math.Trunc(v) { // NaN too
		ps.add(setting, "%s%s is not a whole number; allowed %s", num(v), u, r)
		return false
	}
	if !r.Contains(v) {
		ps.add(setting, "%s%s is out of range; allowed %s", num(v), u, r)
		return false
	}
	return true
}

// protocolCheck reports a protocol that is not HTTP, HTTPS, TCP or SSL.
func protocolCheck(ps *problems, setting string, p clb.Protocol) bool {
	if p.Valid() {
		return true
	}
	ps.add(setting, "%q is not a classic load balancer protocol; allowed: %s", p, clb.List())
	return false
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

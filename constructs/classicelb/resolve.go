package classicelb

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/jsii-runtime-go"

	"github.com/classic-webtier/cdk-classic-webtier/internal/clb"
)

// resolveProps copies props into a spec, filling in every default (see
// defaults.go). It never writes to props, and it creates no construct:
// ValidateProps runs it too. The caller sets the region the spec is
// checked against.
func resolveProps(props *WebTierProps) *spec {
	p := props
	if p == nil {
		p = &WebTierProps{}
	}
	r := &resolver{unchecked: map[string]bool{}}
	s := &spec{
		vpc:      p.Vpc,
		hasVpc:   p.Vpc != nil,
		name:     r.str("LoadBalancerName", p.LoadBalancerName, ""),
		internal: boolOr(p.Internal, defaultInternal),

		crossZone:       boolOr(p.CrossZone, defaultCrossZone),
		draining:        boolOr(p.ConnectionDraining, defaultConnectionDraining),
		drainingTimeout: r.seconds("ConnectionDrainingTimeout", p.ConnectionDrainingTimeout, defaultConnectionDrainingTimeoutSeconds),
		idleTimeout:     r.seconds("IdleTimeout", p.IdleTimeout, defaultIdleTimeoutSeconds),

		openInstancePorts: boolOr(p.OpenInstancePortsToWorld, defaultOpenInstancePortsToWorld),
		ruleQuota:         r.num("SecurityGroupRulesQuota", p.SecurityGroupRulesQuota, defaultSecurityGroupRules),

		zone:                 p.HostedZone,
		hasZone:              p.HostedZone != nil,
		hasRecordName:        p.RecordName != nil,
		recordName:           r.str("RecordName", p.RecordName, ""),
		evaluateTargetHealth: boolOr(p.EvaluateTargetHealth, defaultEvaluateTargetHealth || p.Routing != nil),
		nagSuppressions:      boolOr(p.CdkNagSuppressions, defaultCdkNagSuppressions),
		dashboard:            boolOr(p.Dashboard, defaultDashboard),
		alarms: alarmsSpec{
			enabled:    boolOr(p.Alarms, defaultAlarms),
			topic:      p.AlarmTopic,
			hasEmail:   p.AlarmEmail != nil,
			hasLatency: p.LatencyThreshold != nil,
		},
	}
	s.alarms.email = r.str("AlarmEmail", p.AlarmEmail, "")
	s.alarms.latency = r.seconds("LatencyThreshold", p.LatencyThreshold, defaultLatencyThresholdSeconds)
	if p.HostedZone != nil {
		name, problem := zoneName(p.HostedZone)
		s.zoneName, s.zoneNameProblem = r.str("HostedZone", &name, ""), problem
	}
	s.routing = r.routing(p, s.internal)
	s.listeners = r.listeners(p.Listeners)
	s.healthCheck = r.healthCheck(p.HealthCheck, s.listeners)
	s.accessLog = r.accessLog(p.AccessLogging)
	s.resolvePolicies(r, p)
	s.applyDefaultSslPolicy()

	if p.Vpc != nil {
		lbSel := p.LoadBalancerSubnets
		if lbSel == nil {
			lbSel = defaultLoadBalancerSubnets(s.internal)
		}
		s.lbSubnets, s.lbSubnetProblem = selectSubnets(p.Vpc, lbSel)
		if s.lbSubnets != nil {
			s.lbSubnetFacts = subnetFacts(s.lbSubnets)
			// Only an internet-facing load balancer needs public subnets;
			// a lookup not done yet has placeholder subnets.
			if !s.internal && !boolOr(s.lbSubnets.IsPendingLookup, false) {
				markPublic(p.Vpc, lbSel, *s.lbSubnets.Subnets, s.lbSubnetFacts)
				s.lbPublicChecked = true
			}
		}
		instSel := p.InstanceSubnets
		narrowed := false
		if instSel == nil {
			instSel = defaultInstanceSubnets()
			// Instances keep to the load balancer's zones: elsewhere the
			// load balancer reports them OutOfService and sends them
			// nothing (and a fleet would replace them over and over).
			if zones, known := zonesOf(s.lbSubnetFacts); known {
				instSel.AvailabilityZones = jsii.Strings(zones...)
				narrowed = true
			}
		}
		s.instanceSubnets, s.instanceSubnetProblem = selectSubnets(p.Vpc, instSel)
		if narrowed && p.AutoScaling == nil && (s.instanceSubnets == nil || len(*s.instanceSubnets.Subnets) == 0) {
			// No subnet of those zones is known (a VPC whose zones are
			// tokens, of an account-agnostic stack): fixed instances keep
			// the VPC's spread, and unservedZones says where it differs.
			s.instanceSubnets, s.instanceSubnetProblem = selectSubnets(p.Vpc, defaultInstanceSubnets())
		}
		if s.instanceSubnets != nil {
			s.instanceSubnetFacts = subnetFacts(s.instanceSubnets)
			s.hasInstanceSubnets = len(*s.instanceSubnets.Subnets) > 0
			s.instancesPublic = *s.instanceSubnets.HasPublic
		}
	}

	s.lbSecurityGroup = groupFacts(p.SecurityGroup)
	s.instanceSecurityGroup = groupFacts(p.InstanceSecurityGroup)
	if p.AllowedPeers != nil {
		s.allowedPeers = s.peers("AllowedPeers", *p.AllowedPeers)
	} else {
		s.allowedPeers, s.defaultPeers = s.peers("AllowedPeers", defaultAllowedPeers(s.internal, p.Vpc)), true
	}
	if p.SshPeers != nil {
		s.sshPeers = s.peers("SshPeers", *p.SshPeers)
	}
	s.egressGiven = p.InstanceEgress != nil
	// A given instance group's owner decides what it may reach: the
	// default egress is for the group the WebTier creates.
	switch {
	case p.InstanceEgress != nil:
		s.egress = s.egressRules(*p.InstanceEgress)
	case p.InstanceSecurityGroup == nil:
		s.egress = s.egressRules(defaultInstanceEgress())
	}
	s.httpsRedirectGiven = p.HttpsRedirect != nil && *p.HttpsRedirect
	s.httpsRedirect = boolOr(p.HttpsRedirect, p.UserData == nil && s.hasFront(clb.HTTP) && s.hasFront(clb.HTTPS))
	if p.BackendPublicKeys != nil {
		for i, k := range *p.BackendPublicKeys {
			if k == nil {
				s.nilEntries = append(s.nilEntries, fmt.Sprintf("BackendPublicKeys[%d]", i))
				continue
			}
			s.backendKeys = append(s.backendKeys, r.str(fmt.Sprintf("BackendPublicKeys[%d]", i), k, ""))
		}
	}
	s.instances = s.resolveInstances(r, p)
	if p.AutoScaling != nil {
		s.fleet = r.fleet(p)
	}

	if p.Tags != nil {
		for k, v := range *p.Tags {
			if v == nil {
				s.nilEntries = append(s.nilEntries, fmt.Sprintf("Tags[%q]", k))
				continue
			}
			s.tags = append(s.tags, tag{k, *v})
		}
		sort.Strings(s.nilEntries)
		sort.Slice(s.tags, func(i, j int) bool { return s.tags[i].key < s.tags[j].key })
	}
	s.unchecked = r.unchecked
	return s
}

// markPublic records which selected subnets are public. A selection by
// type says it for all of them (no call into aws-cdk-lib); otherwise each
// subnet is looked for among the VPC's public, private and isolated
// subnets, as an object or else by id (one imported on its own), and one
// found in none is of unknown type.
func markPublic(vpc awsec2.IVpc, sel *awsec2.SubnetSelection, subnets []awsec2.ISubnet, facts []subnetSpec) {
	if sel.Subnets == nil && sel.SubnetGroupName == nil && sel.SubnetType != "" {
		public := notPublic
		if sel.SubnetType == awsec2.SubnetType_PUBLIC {
			public = isPublic
		}
		for i := range facts {
			facts[i].public = public
		}
		return
	}
	groups := []struct {
		subnets *[]awsec2.ISubnet
		public  publicness
	}{{vpc.PublicSubnets(), isPublic}, {vpc.PrivateSubnets(), notPublic}, {vpc.IsolatedSubnets(), notPublic}}
	known := map[awsec2.ISubnet]publicness{}
	for _, g := range groups {
		for _, sn := range *g.subnets {
			known[sn] = g.public
		}
	}
	var byID map[string]publicness
	for i, sn := range subnets {
		if public, ok := known[sn]; ok {
			facts[i].public = public
			continue
		}
		id := sn.SubnetId()
		if unresolvedPtr(id) {
			continue
		}
		if byID == nil {
			byID = map[string]publicness{}
			for vsn, public := range known {
				if vid := vsn.SubnetId(); !unresolvedPtr(vid) {
					byID[*vid] = public
				}
			}
		}
		facts[i].public = byID[*id]
	}
}

// resolveInstances fills in the instances' defaults: the image follows the
// instance type's architecture, and the user data serves the instance
// ports the load balancer reaches over plain HTTP or TCP.
func (s *spec) resolveInstances(r *resolver, p *WebTierProps) instancesSpec {
	in := instancesSpec{
		count:              r.num("InstanceCount", p.InstanceCount, defaultInstanceCount),
		instanceType:       p.InstanceType,
		image:              p.MachineImage,
		keyPair:            p.KeyPair,
		userData:           p.UserData,
		userDataReplaces:   boolOr(p.UserDataCausesReplacement, defaultUserDataCausesReplacement),
		blockDevices:       p.BlockDevices,
		publicIP:           p.AssociatePublicIpAddress,
		detailedMonitoring: boolOr(p.DetailedMonitoring, defaultDetailedMonitoring),
		sessionManager:     boolOr(p.SessionManager, defaultSessionManager),
		role:               roleFacts(p.InstanceRole),
	}
	// An imported role's policies are its owner's: the default does not
	// attach one (a warning says so); an explicit SessionManager: true is
	// refused by validate.
	if in.role.imported && p.SessionManager == nil && in.sessionManager {
		in.sessionManager, in.sessionManagerLeft = false, true
	}
	if in.instanceType == nil {
		in.instanceType = awsec2.NewInstanceType(jsii.String(defaultInstanceType))
	}
	if in.image == nil {
		in.image = defaultMachineImage(in.instanceType)
	}
	if in.userData == nil {
		in.userData, in.defaultUserData = defaultUserData(s.pageServer()), true
	}
	if in.blockDevices == nil {
		in.blockDevices = defaultBlockDevices()
	}
	// No public address in private subnets; public ones keep the subnet's
	// setting.
	if in.publicIP == nil && s.instanceSubnets != nil && !s.instancesPublic {
		in.publicIP = jsii.Bool(false)
	}
	return in
}

// fleet reads AutoScaling, whose every field is optional.
func (r *resolver) fleet(p *WebTierProps) *fleetSpec {
	a := p.AutoScaling
	minCapacity := r.num("AutoScaling.MinCapacity", a.MinCapacity, defaultMinCapacity)
	f := &fleetSpec{
		minCapacity:        minCapacity,
		maxCapacity:        r.num("AutoScaling.MaxCapacity", a.MaxCapacity, math.Max(defaultMaxCapacity, minCapacity)),
		hasDesired:         a.DesiredCapacity != nil,
		desiredCapacity:    r.num("AutoScaling.DesiredCapacity", a.DesiredCapacity, minCapacity),
		targetCpu:          r.num("AutoScaling.TargetCpuUtilization", a.TargetCpuUtilization, defaultTargetCpuUtilization),
		hasTargetCpu:       a.TargetCpuUtilization != nil,
		minHealthy:         r.num("AutoScaling.MinHealthyPercentage", a.MinHealthyPercentage, defaultMinHealthyPercentage),
		maxHealthy:         r.num("AutoScaling.MaxHealthyPercentage", a.MaxHealthyPercentage, defaultMaxHealthyPercentage),
		maxGiven:           a.MaxHealthyPercentage != nil,
		maxBatchSize:       r.num("AutoScaling.MaxBatchSize", a.MaxBatchSize, 0),
		batchGiven:         a.MaxBatchSize != nil,
		bakeSeconds:        r.seconds("AutoScaling.BakeTime", a.BakeTime, defaultBakeSeconds(p)),
		hasBake:            a.BakeTime != nil,
		topic:              a.Notifications,
		instanceCountGiven: p.InstanceCount != nil,
		replacementGiven:   p.UserDataCausesReplacement != nil,
	}
	// The deprecated batch size, as the share of the group it is.
	if f.batchGiven && !f.maxGiven && f.minCapacity > 0 {
		f.maxHealthy = math.Min(defaultMaxHealthyPercentage, 100+math.Ceil(100*f.maxBatchSize/f.minCapacity))
	}
	if rs := a.RequestCountScaling; rs != nil {
		f.hasRequestScaling = true
		f.adjustmentType = rs.AdjustmentType
		if f.adjustmentType == "" {
			f.adjustmentType = awsautoscaling.AdjustmentType_CHANGE_IN_CAPACITY
		}
		entries(rs.Steps, "AutoScaling.RequestCountScaling.Steps", func(key string, st *awsautoscaling.ScalingInterval) {
			f.requestSteps = append(f.requestSteps, stepSpec{
				lower: r.num(key+".Lower", st.Lower, 0), hasLower: st.Lower != nil,
				upper: r.num(key+".Upper", st.Upper, 0), hasUpper: st.Upper != nil,
				change: r.num(key+".Change", st.Change, 0), hasChange: st.Change != nil,
			})
		})
	}
	return f
}

// defaultBakeSeconds is the bake time of an instance refresh: the longest
// window of the alarms that can only go off once the new instances serve
// (HealthyHosts, 5 minutes; the error rates, 3), or none without alarms.
func defaultBakeSeconds(p *WebTierProps) float64 {
	if !boolOr(p.Alarms, defaultAlarms) {
		return 0
	}
	return healthyHostsMinutes * 60
}

// instanceZonesUsed are the known zones of the load balancer and of the
// instance subnets that instances take: a fleet all of them, fixed ones
// the first InstanceCount (round-robin); none when any zone is a token.
func (s *spec) instanceZonesUsed() (lb, instances []string) {
	lbZones, lbKnown := zonesOf(s.lbSubnetFacts)
	used := s.instanceSubnetFacts
	if n := int(s.instances.count); s.fleet == nil && n >= 0 && n < len(used) {
		used = used[:n]
	}
	zones, known := zonesOf(used)
	if !lbKnown || !known {
		return nil, nil
	}
	return lbZones, zones
}

// unservedZones are the zones instances take where the load balancer
// has no subnet.
func (s *spec) unservedZones() []string {
	lbZones, zones := s.instanceZonesUsed()
	var out []string
	for _, z := range zones {
		if !slices.Contains(lbZones, z) {
			out = append(out, z)
		}
	}
	return out
}

// hasFront reports whether a listener speaks p to clients.
func (s *spec) hasFront(p clb.Protocol) bool {
	for _, l := range s.listeners {
		if l.externalProtocol == p {
			return true
		}
	}
	return false
}

// peers resolves a list of peers, recording nil entries.
func (s *spec) peers(setting string, peers []awsec2.IPeer) []peerSpec {
	var out []peerSpec
	for i, peer := range peers {
		if peer == nil {
			s.nilEntries = append(s.nilEntries, fmt.Sprintf("%s[%d]", setting, i))
			continue
		}
		out = append(out, peerOf(peer))
	}
	return out
}

// egressRules resolves the instances' egress rules, recording nil entries;
// a missing peer or port is reported by validate.
func (s *spec) egressRules(list []*EgressRule) []egressSpec {
	out := make([]egressSpec, 0, len(list))
	for i, rule := range list {
		if rule == nil {
			s.nilEntries = append(s.nilEntries, fmt.Sprintf("InstanceEgress[%d]", i))
			continue
		}
		e := egressSpec{index: i, port: rule.Port, hasPeer: rule.Peer != nil, hasPort: rule.Port != nil}
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

// routing resolves Routing; the site health check defaults on for the
// PRIMARY of an internet-facing tier.
func (r *resolver) routing(p *WebTierProps, internal bool) *routingSpec {
	rt := p.Routing
	if rt == nil {
		return nil
	}
	s := &routingSpec{
		policy:           rt.Policy,
		hasSetIdentifier: rt.SetIdentifier != nil,
		setIdentifier:    r.str("Routing.SetIdentifier", rt.SetIdentifier, ""),
		failover:         rt.Failover,
		hasWeight:        rt.Weight != nil,
		weight:           r.num("Routing.Weight", rt.Weight, 0),
		// Who may reach the listeners is the user's: Route 53's checkers
		// are among them only with the default, open AllowedPeers.
		peersRestricted: p.AllowedPeers != nil || p.SecurityGroup != nil,
	}
	s.siteHealthCheck = boolOr(rt.SiteHealthCheck, s.policy == RoutingFailover && s.failover == awsroute53.Failover_PRIMARY && !internal && !s.peersRestricted)
	return s
}

func (r *resolver) listeners(ls *[]*Listener) []listenerSpec {
	if ls == nil {
		return []listenerSpec{{
			hasExternalPort: true, externalPort: DefaultListenerPort, externalProtocol: defaultProtocol,
			internalPort: DefaultListenerPort, internalProtocol: defaultInternalProtocol(defaultProtocol),
		}}
	}
	out := make([]listenerSpec, 0, len(*ls))
	for i, l := range *ls {
		key := fmt.Sprintf("Listeners[%d]", i)
		if l == nil {
			l = &Listener{}
		}
		front := protocolOr(l.ExternalProtocol, defaultProtocol)
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
		if l.Certificate != nil {
			spec.certificate = l.Certificate
			spec.certificateName, spec.certificateRegion = certificateFacts(l.Certificate)
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
	protocol, port := defaultInternalProtocol(defaultProtocol), float64(DefaultListenerPort)
	if len(ls) > 0 {
		protocol, port = ls[0].internalProtocol, ls[0].internalPort
		if r.unchecked["Listeners[0].InternalPort"] && h.Port == nil {
			r.unchecked["HealthCheck.Port"] = true
		}
	}
	protocol = protocolOr(h.Protocol, protocol)
	path := ""
	if protocol.IsL7() {
		path = DefaultHealthCheckPath
	}
	return healthCheckSpec{
		protocol:           protocol,
		port:               r.num("HealthCheck.Port", h.Port, port),
		portDerived:        h.Port == nil && len(ls) > 0,
		path:               r.str("HealthCheck.Path", h.Path, path),
		hasPath:            h.Path != nil,
		timeout:            r.seconds("HealthCheck.Timeout", h.Timeout, defaultHealthCheckTimeoutSeconds),
		interval:           r.seconds("HealthCheck.Interval", h.Interval, defaultHealthCheckIntervalSeconds),
		unhealthyThreshold: r.num("HealthCheck.UnhealthyThreshold", h.UnhealthyThreshold, defaultUnhealthyThreshold),
		healthyThreshold:   r.num("HealthCheck.HealthyThreshold", h.HealthyThreshold, defaultHealthyThreshold),
	}
}

func (r *resolver) accessLog(a *AccessLogging) accessLogSpec {
	if a == nil {
		a = &AccessLogging{}
	}
	out := accessLogSpec{
		enabled:         boolOr(a.Enabled, defaultAccessLogs),
		bucket:          a.Bucket,
		hasBucket:       a.Bucket != nil,
		prefix:          r.str("AccessLogging.Prefix", a.Prefix, ""),
		intervalMinutes: r.minutes("AccessLogging.EmitInterval", a.EmitInterval, defaultAccessLogEmitIntervalMinutes),
		hasExpiration:   a.Expiration != nil,
		expirationDays:  r.days("AccessLogging.Expiration", a.Expiration, defaultAccessLogExpirationDays),
		deliveryGranted: boolOr(a.DeliveryGrantedByBucketPolicy, defaultDeliveryGrantedByBucketPolicy),
	}
	if a.Bucket != nil {
		out.bucketKMS, out.bucketImported, out.bucketName = bucketFacts(a.Bucket)
	}
	return out
}

// resolvePolicies reads the stickiness policies and the further policies.
func (s *spec) resolvePolicies(r *resolver, p *WebTierProps) {
	entries(p.LbCookieStickinessPolicies, "LbCookieStickinessPolicies", func(key string, c *LbCookieStickinessPolicy) {
		s.lbCookies = append(s.lbCookies, lbCookieSpec{
			name:          r.str(key+".PolicyName", c.PolicyName, ""),
			hasExpiration: c.CookieExpirationPeriod != nil,
			expiration:    r.seconds(key+".CookieExpirationPeriod", c.CookieExpirationPeriod, 0),
		})
	})
	entries(p.AppCookieStickinessPolicies, "AppCookieStickinessPolicies", func(key string, c *AppCookieStickinessPolicy) {
		s.appCookies = append(s.appCookies, appCookieSpec{
			name:       r.str(key+".PolicyName", c.PolicyName, ""),
			cookieName: r.str(key+".CookieName", c.CookieName, ""),
		})
	})
	s.negotiationPolicies = map[string]bool{}
	if p.Policies != nil {
		for i, pol := range *p.Policies {
			name := ""
			if pol != nil {
				name = r.str(fmt.Sprintf("Policies[%d].PolicyName", i), pol.PolicyName, "")
				if pol.PolicyType != nil && *pol.PolicyType == "SSLNegotiationPolicyType" {
					s.negotiationPolicies[name] = true
				}
				s.policies = append(s.policies, pol)
			}
			s.otherPolicies = append(s.otherPolicies, name)
		}
	}
}

// applyDefaultSslPolicy gives HTTPS and SSL listeners the default TLS policy,
// unless they choose one or name an SSL negotiation policy of their own.
func (s *spec) applyDefaultSslPolicy() {
	for i := range s.listeners {
		l := &s.listeners[i]
		if l.hasSslPolicy || !l.externalProtocol.IsTLS() {
			continue
		}
		if !s.namesNegotiationPolicy(*l) {
			l.sslPolicy = DefaultSslPolicy
		}
	}
}

// namesNegotiationPolicy reports whether a listener names an SSL
// negotiation policy of the user's own.
func (s *spec) namesNegotiationPolicy(l listenerSpec) bool {
	for _, n := range l.policyNames {
		if s.negotiationPolicies[n] {
			return true
		}
	}
	return false
}

// entries calls f for each entry of an optional list with the entry's
// setting name; a nil entry is read as an empty one, whose missing
// required fields validate reports.
func entries[T any](list *[]*T, setting string, f func(key string, entry *T)) {
	if list == nil {
		return
	}
	for i, entry := range *list {
		if entry == nil {
			entry = new(T)
		}
		f(fmt.Sprintf("%s[%d]", setting, i), entry)
	}
}

// resolver reads optional props, records which ones are tokens, and returns
// the default for unset ones.
type resolver struct {
	unchecked map[string]bool
}

func (r *resolver) str(setting string, v *string, def string) string {
	return resolved(r, setting, v, def)
}

func (r *resolver) num(setting string, v *float64, def float64) float64 {
	return resolved(r, setting, v, def)
}

// resolved is *v, or def when v is nil, recording a token.
func resolved[T string | float64](r *resolver, setting string, v *T, def T) T {
	if v == nil {
		return def
	}
	if unresolved(*v) {
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
	return *unit(d, &awscdk.TimeConversionOptions{Integral: jsii.Bool(false)})
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

// protocolOr is the protocol as given (the construct's Protocol is
// aws-cdk-lib's enum, whose values are the upper-case names), or def.
func protocolOr(p Protocol, def clb.Protocol) clb.Protocol {
	if p == "" {
		return def
	}
	return clb.Protocol(p)
}

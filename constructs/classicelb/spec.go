package classicelb

// spec is WebTierProps with every default applied and every Duration turned
// into a plain number, so that validation is plain Go and needs no jsii.
// unchecked holds the settings whose checks are left out: tokens, which
// CloudFormation checks, and defaults derived from a missing required
// setting, which is reported once.
type spec struct {
	hasVpc      bool
	name        string
	internal    bool
	listeners   []listenerSpec
	healthCheck healthCheckSpec

	crossZone       bool
	draining        bool
	drainingTimeout float64
	idleTimeout     float64

	accessLog  accessLogSpec
	lbCookies  []lbCookieSpec
	appCookies []appCookieSpec
	// nilEntries names entries of AllowedPeers, SshPeers and Tags that are nil.
	nilEntries []string
	// otherPolicies names the entries of WebTierProps.Policies;
	// negotiationPolicies those of type SSLNegotiationPolicyType.
	otherPolicies       []string
	negotiationPolicies map[string]bool

	instanceCount float64
	// userDataReplaces gives the instances a logical ID that follows their
	// user data.
	userDataReplaces bool

	// region is the stack's region, empty when it is a token
	// (environment-agnostic stacks) or unknown (ValidateProps).
	region string
	// instancesPublic tells whether the instance subnets are public; set
	// once the VPC's subnets are selected.
	instancesPublic bool
	// openInstancePorts lets the world reach the instance ports directly.
	openInstancePorts bool

	// Security group rules the WebTier adds, by peer family, and the quota
	// they must fit.
	allowedPeers []peerSpec
	defaultPeers bool
	sshPeers     []peerSpec
	egress       []egressSpec
	// ruleQuota is the quota the rules the WebTier adds must fit; rules a
	// given security group already holds are not known, so not counted.
	ruleQuota float64

	hasZone bool
	// zoneNameProblem says why the zone's name cannot be read (a zone
	// imported by id alone).
	zoneNameProblem      string
	zoneName             string
	recordName           string
	hasRecordName        bool
	evaluateTargetHealth bool

	unchecked map[string]bool
}

type listenerSpec struct {
	hasExternalPort  bool
	externalPort     float64
	externalProtocol string
	internalPort     float64
	// internalPortDerived: InternalPort was not given and follows the
	// front-end port, whose problem is reported once, there.
	internalPortDerived bool
	internalProtocol    string
	certificateArn      string
	policyNames         []string
	// sslPolicy is the predefined TLS policy; empty for HTTP/TCP listeners
	// and when a policy of the user's own negotiates.
	sslPolicy    string
	hasSslPolicy bool
}

type healthCheckSpec struct {
	protocol string
	port     float64
	// portDerived: Port was not given and follows the first listener's
	// instance port.
	portDerived        bool
	path               string
	hasPath            bool
	timeout            float64
	interval           float64
	unhealthyThreshold float64
	healthyThreshold   float64
}

type accessLogSpec struct {
	enabled   bool
	hasBucket bool
	// bucketKMS: the given bucket encrypts with a KMS key, which ELB cannot
	// write to.
	bucketKMS bool
	// bucketImported: the given bucket is not defined in this app, so its
	// policy cannot be changed; deliveryGranted says its owner granted
	// log delivery already.
	bucketImported  bool
	bucketName      string
	deliveryGranted bool
	prefix          string
	intervalMinutes float64
	expirationDays  float64
	hasExpiration   bool
}

// peerSpec is one peer of a security group rule, by IP family (quotas
// count IPv4 and IPv6 rules apart).
type peerSpec struct {
	id   string
	ipv6 bool
}

type egressSpec struct {
	// rule is the rule the builder adds; index its place in InstanceEgress
	// (nil entries are skipped here and reported on their own).
	rule        *EgressRule
	index       int
	peer        peerSpec
	hasPeer     bool
	hasPort     bool
	description string
}

type lbCookieSpec struct {
	name          string
	expiration    float64
	hasExpiration bool
}

type appCookieSpec struct {
	name       string
	cookieName string
}

// isUnchecked reports whether the setting holds a token.
func (s *spec) isUnchecked(setting string) bool { return s.unchecked[setting] }

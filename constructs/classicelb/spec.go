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

	hasZone              bool
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
	internalProtocol string
	certificateArn   string
	policyNames      []string
	// sslPolicy is the predefined TLS policy; empty for HTTP/TCP listeners
	// and when a policy of the user's own negotiates.
	sslPolicy    string
	hasSslPolicy bool
}

type healthCheckSpec struct {
	protocol           string
	port               float64
	path               string
	hasPath            bool
	timeout            float64
	interval           float64
	unhealthyThreshold float64
	healthyThreshold   float64
}

type accessLogSpec struct {
	enabled         bool
	hasBucket       bool
	prefix          string
	intervalMinutes float64
	expirationDays  float64
	hasExpiration   bool
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

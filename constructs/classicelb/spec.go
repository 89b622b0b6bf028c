package classicelb

import (
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancing"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"

	"github.com/classic-webtier/cdk-classic-webtier/internal/clb"
)

// spec is WebTierProps with every default applied: the one input of both
// validation and the builders. Data flows one way: resolveProps reads the
// props into a spec, validate checks it, and the builders read only the
// spec, never the props.
//
// Validation reads the plain Go facts (numbers, strings, booleans), so it
// needs no jsii; the builders also read the jsii objects resolved here (the
// VPC, the selected subnets, peers, the image ...). unchecked holds the
// settings whose checks are left out: tokens, which CloudFormation checks,
// and defaults derived from a missing required setting, which is reported
// once.
type spec struct {
	vpc         awsec2.IVpc
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
	// nilEntries names entries of lists and maps that are nil.
	nilEntries []string
	// otherPolicies names the entries of WebTierProps.Policies;
	// negotiationPolicies those of type SSLNegotiationPolicyType; policies
	// holds them for the template.
	otherPolicies       []string
	negotiationPolicies map[string]bool
	policies            []*awselasticloadbalancing.CfnLoadBalancer_PoliciesProperty
	tags                []tag

	// region is the stack's region, empty when it is a token
	// (environment-agnostic stacks) or unknown.
	region string

	// Subnets: the selections, and what validation needs to know of them.
	lbSubnets       *awsec2.SelectedSubnets
	instanceSubnets *awsec2.SelectedSubnets
	lbSubnetFacts   []subnetSpec
	// lbPublicChecked: the load balancer subnets' publicness was read (an
	// internet-facing load balancer, and no lookup pending).
	lbPublicChecked bool
	// instanceSubnetFacts are the instance subnets' names and zones.
	instanceSubnetFacts []subnetSpec
	// lbSubnetProblem and instanceSubnetProblem say why a selection failed
	// (aws-cdk-lib's message), empty when it did not.
	lbSubnetProblem       string
	instanceSubnetProblem string
	// hasInstanceSubnets: the instance selection names at least one subnet.
	hasInstanceSubnets bool
	// instancesPublic tells whether the instance subnets are public.
	instancesPublic bool

	instances instancesSpec
	// fleet is the Auto Scaling group that replaces the fixed instances,
	// nil without AutoScaling.
	fleet *fleetSpec
	// httpsRedirect: the default user data sends plain HTTP to HTTPS;
	// httpsRedirectGiven: the props asked for it.
	httpsRedirect      bool
	httpsRedirectGiven bool
	// backendKeys are BackendPublicKeys; nil entries are in nilEntries.
	backendKeys []string

	// Security groups: given ones (nil: create), their rules, and the quota
	// the rules must fit.
	lbSecurityGroup       givenGroup
	instanceSecurityGroup givenGroup
	allowedPeers          []peerSpec
	defaultPeers          bool
	sshPeers              []peerSpec
	egress                []egressSpec
	egressGiven           bool
	openInstancePorts     bool
	// ruleQuota is the quota the rules the WebTier adds must fit; rules a
	// given security group already holds are not known, so not counted.
	ruleQuota float64

	zone    awsroute53.IHostedZone
	hasZone bool
	// zoneNameProblem says why the zone's name cannot be read (a zone
	// imported by id alone).
	zoneNameProblem      string
	zoneName             string
	recordName           string
	hasRecordName        bool
	evaluateTargetHealth bool
	routing              *routingSpec

	nagSuppressions bool
	alarms          alarmsSpec
	dashboard       bool

	unchecked map[string]bool
}

// instancesSpec is everything each instance is built from.
type instancesSpec struct {
	count        float64
	instanceType awsec2.InstanceType
	image        awsec2.IMachineImage
	keyPair      awsec2.IKeyPair
	userData     awsec2.UserData
	// defaultUserData: userData is the WebTier's own script.
	defaultUserData bool
	// userDataReplaces gives the instances a logical ID that follows their
	// user data.
	userDataReplaces   bool
	blockDevices       *[]*awsec2.BlockDevice
	publicIP           *bool
	detailedMonitoring bool
	sessionManager     bool
	// sessionManagerLeft: Session Manager was left at its default, but the
	// given role is imported, so its policy is not attached (a warning).
	sessionManagerLeft bool
	role               givenRole
}

// fleetSpec is the Auto Scaling group: its size, scaling and instance
// refresh. The launch template is built from instancesSpec.
type fleetSpec struct {
	minCapacity, maxCapacity float64
	desiredCapacity          float64
	hasDesired               bool
	targetCpu                float64
	hasTargetCpu             bool
	// minHealthy and maxHealthy are the instance refresh's percentages
	// (maxHealthy from MaxBatchSize when only that is given: batchGiven);
	// bakeSeconds its bake time, hasBake: given.
	minHealthy, maxHealthy float64
	maxBatchSize           float64
	batchGiven, maxGiven   bool
	bakeSeconds            float64
	hasBake                bool
	requestSteps           []stepSpec
	hasRequestScaling      bool
	adjustmentType         awsautoscaling.AdjustmentType
	topic                  awssns.ITopic
	// instanceCountGiven and replacementGiven: fixed-instance settings
	// given with a fleet (refused).
	instanceCountGiven bool
	replacementGiven   bool
}

// stepSpec is one step of RequestCountScaling: its bounds (hasLower,
// hasUpper say which were given) and change.
type stepSpec struct {
	lower, upper       float64
	hasLower, hasUpper bool
	change             float64
	hasChange          bool
}

// givenGroup is a security group from the props, or none (create one).
type givenGroup struct {
	group awsec2.ISecurityGroup
	// path names it in messages; imported: not defined in this app;
	// allowAllOutbound: it takes no egress rule.
	path             string
	imported         bool
	allowAllOutbound bool
}

// givenRole is the instance role from the props, or none (create one).
type givenRole struct {
	role awsiam.IRole
	// path names it; imported: its policies cannot be changed here;
	// trustsEC2: its trust policy lets EC2 assume it (unknown for imported
	// roles, taken as true).
	path      string
	imported  bool
	trustsEC2 bool
}

type tag struct{ key, value string }

// subnetSpec is one selected load balancer subnet: its name for messages
// (id, or construct path before deploy), read only when a message needs it
// (each read is a call into aws-cdk-lib), its zone, and whether it is
// public.
type subnetSpec struct {
	name      func() string
	zone      string
	zoneKnown bool
	public    publicness
}

// publicness says whether a subnet is public, as far as aws-cdk-lib knows:
// it knows the subnets of a VPC (its own, imported with their types, or
// looked up, where the CLI read the route tables), not a subnet imported
// on its own (Subnet_FromSubnetId, Subnet_FromSubnetAttributes), whose
// routes it never sees.
type publicness int

const (
	publicUnknown publicness = iota
	isPublic
	notPublic
)

// zonesOf are the subnets' Availability Zones, each once, in subnet order,
// and whether every one is known (not a token; false for no subnet).
func zonesOf(subnets []subnetSpec) (zones []string, known bool) {
	known = len(subnets) > 0
	for _, sn := range subnets {
		known = known && sn.zoneKnown
		if !slices.Contains(zones, sn.zone) {
			zones = append(zones, sn.zone)
		}
	}
	return zones, known
}

type listenerSpec struct {
	hasExternalPort  bool
	externalPort     float64
	externalProtocol clb.Protocol
	internalPort     float64
	// internalPortDerived: InternalPort was not given and follows the
	// front-end port, whose problem is reported once, there.
	internalPortDerived bool
	internalProtocol    clb.Protocol
	certificateArn      string
	// certificate is the given ICertificate; certificateName names it in
	// messages, certificateRegion is its region when known (from its ARN
	// or its stack), else empty.
	certificate       awscertificatemanager.ICertificate
	certificateName   string
	certificateRegion string
	policyNames       []string
	// sslPolicy is the predefined TLS policy; empty for HTTP/TCP listeners
	// and when a policy of the user's own negotiates.
	sslPolicy    string
	hasSslPolicy bool
}

type healthCheckSpec struct {
	protocol clb.Protocol
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
	enabled bool
	// bucket is the given bucket, nil to create one.
	bucket    awss3.IBucket
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
	peer awsec2.IPeer
	id   string
	ipv6 bool
}

type egressSpec struct {
	// index is the rule's place in InstanceEgress (nil entries are skipped
	// here and reported on their own).
	index       int
	peer        peerSpec
	port        awsec2.Port
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

// alarmsSpec is the alarms and where they notify.
type alarmsSpec struct {
	enabled  bool
	topic    awssns.ITopic
	email    string
	hasEmail bool
	// latency is LatencyThreshold in seconds; hasLatency: given.
	latency    float64
	hasLatency bool
}

// isUnchecked reports whether the setting holds a token.
func (s *spec) isUnchecked(setting string) bool { return s.unchecked[setting] }

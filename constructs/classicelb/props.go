package classicelb

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancing"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
)

// Protocol is a classic load balancer protocol: HTTP, HTTPS, TCP or SSL. It is
// aws-cdk-lib's own enum, so its constants (awselasticloadbalancing.LoadBalancingProtocol_HTTP
// and so on) can be passed directly.
type Protocol = awselasticloadbalancing.LoadBalancingProtocol

// WebTierProps configures a WebTier. Every field is optional except Vpc; the
// defaults are the AWS console's (which differ from the ELB API's and from
// aws-cdk-lib's L2 LoadBalancer), so a WebTier built from a Vpc alone matches the
// console tutorial.
type WebTierProps struct {
	// Vpc the load balancer and the instances live in. Required. For the
	// console's default VPC use awsec2.Vpc_FromLookup with IsDefault: true.
	Vpc awsec2.IVpc

	// LoadBalancerName is the classic load balancer's name: at most 32 letters,
	// digits and hyphens, with no hyphen at either end and not starting with
	// "internal-". A fixed name stops two stacks in one account and region from
	// both deploying, and renaming replaces the load balancer.
	// Default: a name CloudFormation generates.
	LoadBalancerName *string

	// Internal makes the load balancer internal (scheme "internal"), reachable
	// only from inside the VPC, instead of internet-facing.
	// Default: false (internet-facing).
	Internal *bool

	// LoadBalancerSubnets selects the subnets the load balancer lives in, at most
	// one per Availability Zone (the console's "advanced VPC configuration").
	// An internet-facing load balancer needs public subnets: ones the VPC
	// knows as private or isolated are refused, and subnets imported on
	// their own (awsec2.Subnet_FromSubnetAttributes), whose routes
	// aws-cdk-lib does not know, get a warning.
	// Default: one public subnet per Availability Zone for an internet-facing load
	// balancer; one private subnet per Availability Zone for an internal one.
	LoadBalancerSubnets *awsec2.SubnetSelection

	// SecurityGroup is an existing security group for the load balancer. Ingress
	// rules for the listeners and egress rules to the instances are added to it,
	// so an imported group must be mutable (the default of
	// awsec2.SecurityGroup_FromSecurityGroupId).
	// Default: a new security group that allows only the listener ports in and only
	// the instance ports out.
	SecurityGroup awsec2.ISecurityGroup

	// AllowedPeers may reach the listener ports.
	// Default: any IPv4 address for an internet-facing load balancer, the VPC's
	// CIDR block for an internal one.
	AllowedPeers *[]awsec2.IPeer

	// Listeners of the load balancer, one per load balancer port, at most 100.
	// Default: one listener, HTTP 80 to HTTP 80 (the console's).
	Listeners *[]*Listener

	// HealthCheck the load balancer runs against each instance.
	// Default: the console's: HTTP:80/index.html (the first listener's instance
	// protocol and port), timeout 5 s, interval 30 s, unhealthy threshold 2,
	// healthy threshold 10.
	HealthCheck *HealthCheck

	// CrossZone spreads requests evenly over the instances of every Availability
	// Zone instead of evenly over the zones.
	// Default: true (the console's; the ELB API's default is false).
	CrossZone *bool

	// ConnectionDraining lets in-flight requests finish on an instance that is
	// deregistered or unhealthy.
	// Default: true (the console's; the ELB API's default is false).
	ConnectionDraining *bool

	// ConnectionDrainingTimeout is how long draining waits, 1-3600 seconds. Used
	// only when ConnectionDraining is on.
	// Default: 300 seconds.
	ConnectionDrainingTimeout awscdk.Duration

	// IdleTimeout closes a connection that sent no data for this long, 1-3600
	// seconds.
	// Default: 60 seconds.
	IdleTimeout awscdk.Duration

	// AccessLogging configures the load balancer's access logs.
	// Default: access logs every 60 minutes to a bucket the WebTier creates
	// (SSE-S3, public access blocked, TLS enforced, versioned, kept when the
	// stack is deleted, objects expiring after 90 days).
	AccessLogging *AccessLogging

	// LbCookieStickinessPolicies are duration-based stickiness policies, named by
	// listeners' PolicyNames.
	// Default: none.
	LbCookieStickinessPolicies *[]*LbCookieStickinessPolicy

	// AppCookieStickinessPolicies follow an application cookie, named by
	// listeners' PolicyNames.
	// Default: none.
	AppCookieStickinessPolicies *[]*AppCookieStickinessPolicy

	// Policies are further load balancer policies (SSL negotiation, back-end
	// server authentication, proxy protocol ...), passed to CloudFormation as they
	// are.
	// Default: none.
	Policies *[]*awselasticloadbalancing.CfnLoadBalancer_PoliciesProperty

	// Tags are added to every resource the WebTier creates.
	// Default: none.
	Tags *map[string]*string

	// AutoScaling runs the instances as an Auto Scaling group instead of a
	// fixed set: a fleet that replaces an instance the load balancer finds
	// unhealthy, grows and shrinks with CPU (and, if asked, with the load
	// balancer's request count), and rolls a changed launch template
	// (image, instance type, user data) out beside the old instances,
	// watching the health check and the alarms, and rolls it back when the
	// new ones fail (see AutoScalingOptions). The instances' settings (InstanceType, MachineImage,
	// KeyPair, UserData, BlockDevices, DetailedMonitoring,
	// AssociatePublicIpAddress, InstanceRole, InstanceSecurityGroup,
	// InstanceSubnets) go into its launch template; InstanceCount and
	// UserDataCausesReplacement are for fixed instances and are refused
	// with it. Switching a deployed stack from fixed instances to a fleet
	// deregisters the fixed instances when the load balancer is updated,
	// before the group's instances pass the health check: an outage of
	// about two minutes of boot plus HealthCheck.HealthyThreshold x
	// HealthCheck.Interval (7 minutes with the defaults). Switching back,
	// the fixed instances are created before the group is deleted, but
	// they too need that long to pass the health check: plan for the same
	// outage either way.
	// Default: none: InstanceCount fixed instances.
	AutoScaling *AutoScalingOptions

	// InstanceCount is how many instances to run, 1-250 (one CloudFormation
	// stack holds at most 500 resources, and each instance is two: the
	// instance and its instance profile). They are
	// spread one per Availability Zone over InstanceSubnets, round-robin when
	// there are more instances than zones.
	// Default: 2.
	InstanceCount *float64

	// InstanceType of every instance. Changing it on a deployed stack stops,
	// changes and starts every fixed instance at once (replaces them, across
	// architectures): the site answers 503 until they pass the health check
	// again, boot plus HealthCheck.HealthyThreshold x HealthCheck.Interval
	// (7 minutes with the defaults); `make deploy` warns and asks. With
	// AutoScaling it is an instance refresh instead (AutoScalingOptions).
	// Default: t3.micro.
	InstanceType awsec2.InstanceType

	// MachineImage of every instance. Changing the image replaces every
	// fixed instance at once (an outage of boot plus HealthyThreshold x
	// Interval; with AutoScaling an instance refresh), so pin one (awsec2.MachineImage_GenericLinux with an
	// AMI id per region) to decide when that happens; its architecture must
	// match InstanceType's.
	// Default: the latest Amazon Linux 2023 for InstanceType's architecture
	// (arm64 for Graviton types such as t4g), read from AWS's public SSM
	// parameter at every deploy: when AWS publishes a new image, the next
	// deploy of the stack, whatever it changes, replaces every instance.
	MachineImage awsec2.IMachineImage

	// KeyPair lets SSH log in with that key (SSH also needs SshPeers).
	// Default: no key pair.
	KeyPair awsec2.IKeyPair

	// DetailedMonitoring sends the instances' metrics to CloudWatch every
	// minute instead of every five (about 2.10 USD a month per instance).
	// Default: true.
	DetailedMonitoring *bool

	// BlockDevices of every instance.
	// Default: an encrypted 8 GiB gp3 root volume at /dev/xvda (Amazon Linux's
	// root device; give your own for an image with another root device name).
	BlockDevices *[]*awsec2.BlockDevice

	// AssociatePublicIpAddress gives the instances public IPv4 addresses.
	// Default: false in private or isolated subnets; left to the subnet's
	// setting in public ones (a VPC without private subnets, such as the
	// default VPC, as in the tutorial, where SSH needs a public address).
	AssociatePublicIpAddress *bool

	// InstanceRole is an existing IAM role for the instances; it must trust
	// ec2.amazonaws.com. The WebTier adds only what it needs to it (the
	// Session Manager policy, unless SessionManager is off); grant it what the
	// application needs, or use the WebTier itself as the grantee
	// (GrantPrincipal). A role imported from another stack or account cannot
	// be changed here: the WebTier attaches nothing to it (a warning says so
	// unless SessionManager is false), so attach AmazonSSMManagedInstanceCore
	// where it is defined. Changing it on a deployed stack updates the
	// instance profiles in place.
	// Default: a new role that EC2 may assume.
	InstanceRole awsiam.IRole

	// SessionManager lets AWS Systems Manager Session Manager open shells on
	// the instances (the AmazonSSMManagedInstanceCore policy on their role), so
	// SSH can stay closed. In isolated subnets the instances also need the
	// ssm, ssmmessages and ec2messages interface endpoints (or a NAT gateway).
	// False attaches nothing; a given InstanceRole may still allow it. True
	// with an imported InstanceRole is an error (its policies are not this
	// stack's to change).
	// Default: true, except for an imported InstanceRole: false.
	SessionManager *bool

	// UserData runs on each instance's first boot (cloud-init, as root).
	//
	// Your own must serve what the load balancer asks, from the instance's
	// private address, on every instance port, or the instances stay
	// OutOfService:
	//   - the health check (HealthCheck): every Interval, a TCP connection
	//     to HealthCheck.Port within Timeout (TCP); a TLS handshake there
	//     (SSL; the certificate is not verified unless BackendPublicKeys
	//     names its key); or a GET of Path, its query string as given
	//     (user agent ELB-HealthChecker/1.0, no X-Forwarded-* headers; over
	//     TLS for HTTPS), which passes only with a 200 within Timeout: a redirect,
	//     a 404 or a slow answer counts as a failure. HealthyThreshold passes
	//     in a row put an instance in service, UnhealthyThreshold failures
	//     take it out;
	//   - each listener's InternalPort with its InternalProtocol: for HTTP
	//     and HTTPS the client's request with X-Forwarded-For,
	//     X-Forwarded-Proto (the listener's front-end protocol) and
	//     X-Forwarded-Port; for TCP and SSL the client's own bytes.
	// Your servers must run again after a reboot (enabled units), since
	// cloud-init runs user data on the first boot only.
	//
	// Default: a script that serves /index.html, showing the instance id and
	// Availability Zone, with the Python that Amazon Linux 2023 ships, on
	// every instance port: plain on HTTP and TCP ones, TLS 1.2 or later
	// only (a self-signed certificate made at first boot, common name the
	// instance id) on HTTPS and SSL ones; it answers the health check path with 200
	// (the page of that name, else "ok"), whatever the query string, and
	// sends plain HTTP to HTTPS as HttpsRedirect says. It
	// downloads no package (openssl only if the image lacks it). The boot
	// test of this repository runs it under systemd and asks it all of the
	// above.
	UserData awsec2.UserData

	// HttpsRedirect makes the default user data answer a request that
	// reached the load balancer over plain HTTP (the X-Forwarded-Proto: http
	// header the load balancer adds) with a 301 to the same URL over HTTPS,
	// on the first HTTPS listener's port; the load balancer's own health
	// checks carry no such header and are answered as they are. A classic load balancer cannot redirect by itself; an own
	// UserData must do it itself (see the package doc). It is part of the
	// user data: changing it replaces the instances
	// (UserDataCausesReplacement).
	// Default: true when the listeners include both HTTP and HTTPS and
	// UserData is the default; false otherwise.
	HttpsRedirect *bool

	// BackendPublicKeys are the public keys (base64 of the DER
	// SubjectPublicKeyInfo: openssl x509 -pubkey -noout -in cert.pem |
	// openssl pkey -pubin -outform DER | base64 -w0) of the certificates the
	// instances present on their HTTPS and SSL instance ports. With them the
	// load balancer verifies the instances: it talks only to back ends whose
	// certificate carries one of these keys (a
	// BackendServerAuthenticationPolicyType policy on those ports; changing
	// them updates the load balancer in place). They need an own UserData:
	// the default one makes its certificate at boot.
	// Default: none: the load balancer encrypts to HTTPS and SSL instance
	// ports but verifies no certificate (a classic load balancer checks none
	// unless this policy is set).
	BackendPublicKeys *[]*string

	// UserDataCausesReplacement replaces the instances (a new logical ID)
	// when their user data changes. cloud-init runs user data only on an
	// instance's first boot, so without it a changed script (a new instance
	// port, say) never reaches the running instances while the load balancer
	// already checks the new port. The fixed instances are replaced together:
	// an outage until the new ones pass the health check, boot plus
	// HealthCheck.HealthyThreshold x HealthCheck.Interval (7 minutes with
	// the defaults), which `make deploy` announces and asks about; with
	// AutoScaling a changed user data is an instance refresh that keeps the
	// site serving.
	// Default: true.
	UserDataCausesReplacement *bool

	// InstanceEgress are the only connections the instances may open: the
	// outbound rules of their security group. The instance metadata service
	// and the VPC's DNS resolver stay reachable whatever they say. An empty
	// list allows no outbound connection.
	// Default: HTTPS (TCP 443) to any IPv4 address, which the Session
	// Manager agent and Amazon Linux's package repositories (S3) use; with
	// a given InstanceSecurityGroup, none (its own rules decide).
	InstanceEgress *[]*EgressRule

	// InstanceSecurityGroup is an existing security group for every
	// instance. The WebTier adds only its rules to it: the instance ports
	// from the load balancer's group, SshPeers, OpenInstancePortsToWorld and
	// InstanceEgress (none unless given: the group's own outbound rules
	// decide). A group that allows all outbound traffic takes no egress
	// rule, so giving InstanceEgress with it is an error. An imported
	// group must be mutable (awsec2.SecurityGroup_FromSecurityGroupId's
	// default). Changing it on a deployed stack replaces the instances in
	// private subnets, whose network interface carries the group.
	// Default: a new group that allows the instance ports from the load
	// balancer only, and out only what InstanceEgress names.
	InstanceSecurityGroup awsec2.ISecurityGroup

	// InstanceSubnets selects the subnets the instances are spread over.
	// Default: one subnet per Availability Zone of the VPC's private subnets, or of
	// its public subnets when it has no private one, in the load balancer's
	// zones only (elsewhere the load balancer reports an instance
	// OutOfService and sends it nothing). A selection given here is taken
	// as it is, with a warning for each zone the load balancer lacks.
	InstanceSubnets *awsec2.SubnetSelection

	// SshPeers may reach port 22 of the instances.
	// Default: none (SSH closed).
	SshPeers *[]awsec2.IPeer

	// SecurityGroupRulesQuota is how many inbound, and how many outbound,
	// rules of one IP family a security group may hold in your account,
	// 1-1000; the rules the WebTier adds (listener ports x AllowedPeers,
	// instance ports, SshPeers, InstanceEgress) are checked against it
	// before deploy.
	// Default: 60, the default Amazon VPC quota; give your raised quota.
	SecurityGroupRulesQuota *float64

	// OpenInstancePortsToWorld also lets any IPv4 address reach the instance
	// ports (every listener's instance port and the health check port)
	// directly, bypassing the load balancer, as the console tutorial did with
	// port 80.
	// Default: false (instance ports are open only to the load balancer's
	// security group).
	OpenInstancePortsToWorld *bool

	// HostedZone gets an A alias record for the load balancer. Its name must
	// be known: import a zone with awsroute53.HostedZone_FromHostedZoneAttributes
	// or HostedZone_FromLookup, not HostedZone_FromHostedZoneId.
	// Default: no DNS record.
	HostedZone awsroute53.IHostedZone

	// RecordName is the alias record's name, inside HostedZone: a full name
	// ("www.example.com", with or without the final dot) or one label relative
	// to the zone ("www"). Names are compared with the zone's without regard
	// to case; a name with dots that does not end in the zone's name is an
	// error, not a name below it.
	// Default: the zone apex.
	RecordName *string

	// EvaluateTargetHealth makes Route 53 check the load balancer's health when
	// it answers for the alias, and for every alias that NewAliasTarget makes
	// for this WebTier.
	// Default: true with Routing, else false.
	EvaluateTargetHealth *bool

	// Routing makes the alias record one of several of its name, each
	// pointing at a web tier in another region (one stack per region), and
	// says how Route 53 picks among them: the closest region, a primary
	// with a standby, or shares of the traffic. Each stack adds its own
	// record to the shared zone, so no stack refers to another. Every
	// record of the name must use the same policy, and Route 53 does not
	// let a simple record share a name with these.
	// Default: a simple record, the only one of its name.
	Routing *Routing

	// Alarms are CloudWatch alarms on the load balancer's metrics, each
	// description saying what to look at first: an instance failing the
	// health check, fewer healthy instances than there should be
	// (InstanceCount, or AutoScaling.MinCapacity), the load balancer's own
	// and the instances' 5XX rates (HTTP and HTTPS listeners), p99 latency
	// above LatencyThreshold, a surge queue that stays, and requests
	// spilled over. ELB publishes nothing while no request comes (host
	// counts: while no instance is registered); the alarms read that as
	// fine. They only alarm: AlarmTopic or AlarmEmail tells someone.
	// Turning them on or off on a deployed stack adds or removes them.
	// Default: true.
	Alarms *bool

	// AlarmTopic receives every alarm's ALARM and OK notifications. Not
	// together with AlarmEmail. An encrypted topic must let CloudWatch
	// (cloudwatch.amazonaws.com) use its KMS key.
	// Default: none, unless AlarmEmail makes one.
	AlarmTopic awssns.ITopic

	// AlarmEmail subscribes an address to a topic the WebTier creates for
	// the alarms' ALARM and OK notifications, encrypted with a KMS key of
	// its own that CloudWatch may use (rotated yearly; about 1 USD a
	// month; deleted 7 days after the stack). The address is sent a
	// confirmation mail first. Not together with AlarmTopic.
	// Default: none.
	AlarmEmail *string

	// LatencyThreshold is the p99 latency above which the latency alarm
	// fires, more than 0 and below IdleTimeout (the load balancer stops
	// waiting then).
	// Default: 1 second.
	LatencyThreshold awscdk.Duration

	// Dashboard creates a CloudWatch dashboard of the tier: requests,
	// latency p50 and p99, response codes, healthy and unhealthy
	// instances, surge queue and spillover, the instances' CPU, and the
	// alarms. Beyond an account's three free dashboards it costs 3 USD a
	// month.
	// Default: true.
	Dashboard *bool

	// CdkNagSuppressions records, on the resources, cdk-nag suppressions for
	// the findings this construct's purpose demands (a classic load balancer,
	// listener ports open to the world, the Session Manager managed policy,
	// TLS ending at the load balancer in front of private instances ...),
	// each with its reason and only when the setting causing it is present.
	// False records none, for teams that own every suppression. Only
	// template metadata changes: no resource is touched.
	// Default: true.
	CdkNagSuppressions *bool
}

// EgressRule lets the instances open connections to Peer on Port.
type EgressRule struct {
	// Peer the instances may connect to: a CIDR block, a prefix list
	// (awsec2.Peer_PrefixList) or a security group. Required.
	Peer awsec2.IPeer

	// Port, or port range, they may connect to. Required.
	Port awsec2.Port

	// Description of the rule: why the instances need it.
	// Default: "<port> to <peer>".
	Description *string
}

// Listener maps a load balancer port to an instance port (the console's
// "Listener Configuration" row).
type Listener struct {
	// ExternalPort is the load balancer port, 1-65535. Required.
	ExternalPort *float64

	// ExternalProtocol is the protocol clients speak to the load balancer.
	// Default: HTTP.
	ExternalProtocol Protocol

	// InternalPort is the instance port, 1-65535.
	// Default: ExternalPort, except 80 for an HTTPS front end with an HTTP back
	// end (as the console suggests: TLS ends at the load balancer).
	InternalPort *float64

	// InternalProtocol is the protocol the load balancer speaks to the instances:
	// HTTP or HTTPS behind an HTTP/HTTPS front end, TCP or SSL behind a TCP/SSL
	// one.
	// Default: HTTP behind HTTP/HTTPS, TCP behind TCP/SSL.
	InternalProtocol Protocol

	// SslCertificateArn is the ACM or IAM certificate of an HTTPS or SSL
	// listener. HTTPS and SSL listeners need it or Certificate (not both);
	// HTTP and TCP listeners take neither. An ACM certificate must be in the
	// stack's region.
	// Default: none.
	SslCertificateArn *string

	// Certificate is the ACM certificate of an HTTPS or SSL listener as an
	// aws-cdk-lib object: one this app requests
	// (awscertificatemanager.NewCertificate with
	// CertificateValidation_FromDns, so that it renews itself) or one it
	// imports. Instead of SslCertificateArn; it must be in the stack's
	// region. Changing either on a deployed stack updates the listener in
	// place.
	// Default: none.
	Certificate awscertificatemanager.ICertificate

	// PolicyNames are the names of policies (stickiness, SSL negotiation ...)
	// that this listener uses; each must be defined in the WebTierProps.
	// Default: none.
	PolicyNames *[]*string

	// SslPolicy is the predefined security policy that an HTTPS or SSL
	// listener negotiates TLS with. Not allowed on HTTP and TCP listeners, nor
	// together with an SSL negotiation policy of your own in PolicyNames.
	// Default: "ELBSecurityPolicy-TLS-1-2-2017-01" (TLS 1.2 only) for HTTPS and
	// SSL listeners, unless PolicyNames names an SSLNegotiationPolicyType policy.
	SslPolicy *string
}

// HealthCheck is the console's "Configure Health Check" page.
type HealthCheck struct {
	// Protocol of the ping: HTTP, HTTPS, TCP or SSL.
	// Default: the first listener's instance protocol (HTTP).
	Protocol Protocol

	// Port of the ping, 1-65535.
	// Default: the first listener's instance port (80).
	Port *float64

	// Path of an HTTP or HTTPS ping; it must start with "/" and may carry a
	// query string, sent as given. TCP and SSL pings take no path. The
	// default user data answers any path with 200; your own UserData must
	// answer this one with 200 (see UserData).
	// Default: "/index.html" for HTTP and HTTPS.
	Path *string

	// Timeout of one ping, 2-60 seconds and shorter than Interval.
	// Default: 5 seconds.
	Timeout awscdk.Duration

	// Interval between pings, 5-300 seconds.
	// Default: 30 seconds.
	Interval awscdk.Duration

	// UnhealthyThreshold is how many failed pings in a row mark an instance
	// unhealthy, 2-10.
	// Default: 2.
	UnhealthyThreshold *float64

	// HealthyThreshold is how many good pings in a row mark an instance healthy
	// again, 2-10.
	// Default: 10.
	HealthyThreshold *float64
}

// AccessLogging configures access logs. The WebTier grants the region's
// Elastic Load Balancing log delivery write access to the prefix.
type AccessLogging struct {
	// Enabled turns access logs on or off. Off, no bucket is created and
	// the template says so explicitly (AccessLoggingPolicy Enabled: false,
	// with a placeholder bucket name that CloudFormation requires and ELB
	// does not use). Turning it off on a deployed stack updates the load
	// balancer in place, which stops writing logs; the bucket the WebTier
	// created leaves the stack but is kept with its logs (it is retained,
	// and its lifecycle rules still expire them), and the statement that
	// let ELB write is removed. Turning it on again creates a new bucket.
	// Default: true.
	Enabled *bool

	// Bucket receives the logs. It must use SSE-S3 encryption (ELB cannot write
	// to a KMS-encrypted bucket). The WebTier adds the statement that lets the
	// region's ELB log delivery write to it; an imported bucket's policy
	// cannot be changed from this stack, so an imported bucket also needs
	// DeliveryGrantedByBucketPolicy.
	// Default: a bucket the WebTier creates (see WebTierProps.AccessLogging).
	Bucket awss3.IBucket

	// DeliveryGrantedByBucketPolicy states that an imported Bucket's own
	// policy already lets the region's ELB log delivery (the regional ELB
	// account, or logdelivery.elasticloadbalancing.amazonaws.com) put objects
	// under Prefix/AWSLogs/<account>/. Only for imported buckets.
	// Default: false (an imported Bucket is reported as a problem).
	DeliveryGrantedByBucketPolicy *bool

	// Expiration deletes log objects of the bucket the WebTier creates after
	// this many whole days (at least one). Not allowed with Bucket.
	// Default: 90 days.
	Expiration awscdk.Duration

	// Prefix of the log objects, without leading or trailing "/".
	// Default: no prefix.
	Prefix *string

	// EmitInterval is how often logs are published: 5 or 60 minutes.
	// Default: 60 minutes.
	EmitInterval awscdk.Duration
}

// LbCookieStickinessPolicy binds a client to one instance with a cookie the load
// balancer issues.
type LbCookieStickinessPolicy struct {
	// PolicyName is what listeners' PolicyNames refer to. Required.
	PolicyName *string

	// CookieExpirationPeriod is how long the cookie is valid, at least one second.
	// Default: the browser session.
	CookieExpirationPeriod awscdk.Duration
}

// AppCookieStickinessPolicy binds a client to one instance for as long as the
// application's own cookie lives.
type AppCookieStickinessPolicy struct {
	// PolicyName is what listeners' PolicyNames refer to. Required.
	PolicyName *string

	// CookieName is the application cookie to follow. Required.
	CookieName *string
}

// AutoScalingOptions shape the Auto Scaling group that WebTierProps.AutoScaling
// asks for. The group registers its instances with the load balancer,
// takes the load balancer's health check as its own (an instance that
// fails it is replaced), and spreads over InstanceSubnets' Availability
// Zones.
//
// A deploy that changes its launch template (image, instance type, user
// data, instance port) is an instance refresh (CloudFormation's
// AutoScalingInstanceRefresh update policy): new instances are launched
// beside the old ones (MinHealthyPercentage to MaxHealthyPercentage of the
// desired capacity), each given boot plus HealthCheck.HealthyThreshold x
// HealthCheck.Interval to pass the load balancer's health check (7 minutes
// with the defaults), and only then are the old ones deregistered
// (connection draining) and terminated. Throughout, and for BakeTime
// after, the refresh watches the tier's UnhealthyHosts, HealthyHosts,
// ElbErrorRate and BackendErrorRate alarms (those there are): when one goes
// into ALARM, or the new instances never become healthy, the refresh fails,
// the deploy fails, and CloudFormation rolls the stack back, which refreshes
// the group back to the launch template version before (another warm-up;
// about 20-30 minutes in all with the defaults). A refresh that starts while
// one of those alarms is already in ALARM fails at once: mend the site
// first. Why not cfn-signal: an instance would need the CloudFormation and
// ELB APIs to report its health from isolated subnets (interface endpoints,
// about 38 USD a month in ap-northeast-2, or a NAT gateway), and instance
// refresh takes no signal; the load balancer's own health check and the
// alarms need nothing on the instances. With Alarms off the refresh still
// waits for the health check but watches nothing after it (synth warns).
type AutoScalingOptions struct {
	// MinCapacity is the fewest instances the group runs, at least 1.
	// Changing it updates the group in place.
	// Default: 2.
	MinCapacity *float64

	// MaxCapacity is the most instances the group runs, at least
	// MinCapacity. Your account's EC2 vCPU quota must fit it.
	// Default: 4, or MinCapacity when that is more.
	MaxCapacity *float64

	// DesiredCapacity is how many instances the group runs when it is
	// created, from MinCapacity to MaxCapacity. Once given, every deploy
	// that changes the group sets it again, undoing what scaling did
	// since, so leave it out unless you mean it.
	// Default: none: the group starts at MinCapacity, and the scaling
	// policies move it.
	DesiredCapacity *float64

	// TargetCpuUtilization is the average CPU utilization, in percent
	// (1-100), that a target tracking policy keeps the group at by adding
	// and removing instances.
	// Default: 50.
	TargetCpuUtilization *float64

	// RequestCountScaling adds step scaling on the load balancer's
	// RequestCount (requests per minute, all instances together).
	// Default: none: CPU alone scales the group.
	RequestCountScaling *RequestCountScaling

	// MinHealthyPercentage is the share of the desired capacity, in
	// percent (0-100), that an instance refresh keeps in service and
	// healthy: 100 replaces no instance before its replacement passes the
	// health check. Below 100, old instances are terminated before their
	// replacements serve, and the site runs on fewer for a warm-up.
	// Changing it updates the group's update policy in place (it applies to
	// the next refresh).
	// Default: 100.
	MinHealthyPercentage *float64

	// MaxHealthyPercentage is the share of the desired capacity, in
	// percent (100-200, at most MinHealthyPercentage + 100), that may be in
	// service or pending during an instance refresh: how many are replaced
	// at a time. 200 launches every replacement at once, so a refresh
	// takes one warm-up whatever the size, and the group briefly runs twice
	// its desired capacity (the account's EC2 vCPU quota must fit that).
	// Lower values replace in batches of (MaxHealthyPercentage - 100)
	// percent, one warm-up each; a batch's new instances are out of service
	// meanwhile, which the UnhealthyHosts alarm allows for one warm-up, not
	// for batches run back to back, so keep it at 200 unless the quota or
	// the cost of the doubled capacity rules that out.
	// Default: 200, or what MaxBatchSize asks for.
	MaxHealthyPercentage *float64

	// BakeTime is how long an instance refresh keeps watching the alarms
	// after the last new instance is in service, before the deploy counts
	// as done: time for an error rate to show. 0 to 48 hours, whole
	// seconds.
	// Default: 5 minutes, the longest window of the HealthyHosts and the
	// error rate alarms; 0 with Alarms off.
	BakeTime awscdk.Duration

	// MaxBatchSize is how many instances an update replaces at a time.
	//
	// Deprecated: updates are instance refreshes now, which count in
	// percent of the desired capacity; use MaxHealthyPercentage. Given, it
	// sets MaxHealthyPercentage to 100 + 100 x MaxBatchSize / MinCapacity,
	// at most 200.
	MaxBatchSize *float64

	// Notifications receives the group's launch, termination and failure
	// notifications. A topic encrypted with a customer managed KMS key
	// must let the account's principals use the key through SNS
	// (kms:CallerAccount and kms:ViaService conditions, as SNS's AWS
	// managed key does), or Auto Scaling cannot publish to it.
	// Default: a topic the WebTier creates, encrypted with the AWS managed
	// key for SNS (alias/aws/sns), which takes only TLS requests;
	// subscribe to it (NotificationTopic) to read them.
	Notifications awssns.ITopic
}

// RequestCountScaling is step scaling on the load balancer's request count:
// each step names a range of requests per minute, summed over all
// instances, and how many instances to add (positive Change) or remove
// (negative Change) while the count stays in it.
type RequestCountScaling struct {
	// Steps are at least two ranges of requests per minute, each with a
	// Lower or an Upper bound (or both), not overlapping, and the Change
	// to apply while the count is in it, for example
	// {Upper: 1000, Change: -1}, {Lower: 5000, Change: +1},
	// {Lower: 20000, Change: +3}. Required.
	Steps *[]*awsautoscaling.ScalingInterval

	// AdjustmentType says how Change counts: instances
	// (CHANGE_IN_CAPACITY), a percentage of the group
	// (PERCENT_CHANGE_IN_CAPACITY) or a group size (EXACT_CAPACITY).
	// Default: CHANGE_IN_CAPACITY.
	AdjustmentType awsautoscaling.AdjustmentType
}

// Package classicelb is an AWS CDK construct for a classic Elastic Load
// Balancer web tier. NewWebTier builds one in a VPC, and the tier takes part
// in the rest of the app as aws-cdk-lib's own constructs do:
//
//	tier := classicelb.NewWebTier(stack, jsii.String("Web"), &classicelb.WebTierProps{
//		Vpc:       vpc,
//		Internal:  jsii.Bool(true),
//		Listeners: &[]*classicelb.Listener{{ExternalPort: jsii.Number(8080)}},
//	})
//	// The office network may reach the listener, the instances may read the
//	// site's bucket, and a second name points at the load balancer.
//	tier.LoadBalancerConnections().AllowDefaultPortFrom(awsec2.Peer_Ipv4(jsii.String("10.20.0.0/16")), jsii.String("Office VPN"))
//	site.GrantRead(tier, nil)
//	awsroute53.NewARecord(stack, jsii.String("Intranet"), &awsroute53.ARecordProps{
//		Zone:   zone,
//		Target: awsroute53.RecordTarget_FromAlias(classicelb.NewAliasTarget(tier)),
//	})
//
// The web tier is two or more Amazon Linux instances spread over Availability
// Zones, their security groups, a classic load balancer
// (AWS::ElasticLoadBalancing::LoadBalancer) with listeners, health check,
// cross-zone balancing and connection draining, and a Route 53 A alias for a
// custom domain.
//
// NewWebTier needs only a VPC; every other setting defaults to what the AWS
// console's "Create Load Balancer" wizard fills in, not to the ELB API's or
// aws-cdk-lib's L2 defaults:
//
//	setting               console and WebTier   aws-cdk-lib L2            ELB API
//	listener              HTTP 80 -> HTTP 80    none                      none
//	health check path     /index.html           /                         -
//	unhealthy / healthy   2 / 10                5 / 2                     -
//	cross-zone            on                    on                        off
//	connection draining   on, 300 s             not settable              off
//	idle timeout          60 s                  not settable              60 s
//	scheme                internet-facing       internal                  internet-facing
//
// It builds on the L1 CfnLoadBalancer, so every CloudFormation property is
// reachable through typed props (stickiness, access logs, further policies,
// tags), and it checks every setting against the service's limits before
// anything is created: NewWebTierE returns a *ValidationError listing every
// invalid setting, the value given and what is allowed, and adds nothing to
// the scope; NewWebTier panics with it, as aws-cdk-lib constructs throw (as
// regexp.MustCompile is to Compile); ValidateProps returns it without
// building.
// Values that are CloudFormation tokens are left for CloudFormation to check.
//
// The security groups follow least privilege: the load balancer's group lets
// the listener ports in from AllowedPeers (any IPv4 address when
// internet-facing, the VPC when internal) and lets traffic out only to the
// instance ports; the instances' group lets the instance ports in only from the
// load balancer's group. SSH stays closed unless SshPeers names who may
// connect, and OpenInstancePortsToWorld brings back the tutorial's open port 80.
//
// Other defaults pass the scanners AWS users run (cdk-nag's AwsSolutions pack,
// cfn-lint, checkov, cfn-guard with the Control Tower rules): access logs to a
// bucket the WebTier creates (SSE-S3, public access blocked, TLS enforced,
// versioned, retained, expiring), TLS 1.2 negotiation on HTTPS and SSL
// listeners, IMDSv2, detailed monitoring, encrypted gp3 root volumes, no
// public IP outside public subnets, and Session Manager instead of SSH. The
// few cdk-nag findings the mission itself demands (a classic load balancer,
// an HTTP listener, a public listener port ...) are suppressed on the
// resources, each with its reason, and only when the setting causing it is
// present.
//
// HTTPS: an HTTPS or SSL listener takes an ACM certificate (Certificate, an
// awscertificatemanager.ICertificate such as one requested with DNS
// validation, or SslCertificateArn) and the TLS 1.2 policy. The default user
// data serves every instance port the way the load balancer reaches it: TLS
// (a certificate made at first boot) on HTTPS and SSL instance ports, plain
// elsewhere; and, when HTTP and HTTPS listeners meet, it answers requests
// that reached the load balancer over plain HTTP (X-Forwarded-Proto: http)
// with a 301 to HTTPS (the load balancer's own health checks carry no such
// header); it answers the health check path with 200 whatever the path. A
// classic load balancer cannot redirect by itself, so an own UserData must
// do the same.
// It verifies no back-end certificate unless BackendPublicKeys names the
// keys it accepts.
//
// The WebTier is built for the life of a stack, not one synth: a change of
// the instances' user data (a new instance or listener port) gives them new
// logical IDs, so CloudFormation replaces them rather than restarting them
// with a script cloud-init never runs again (UserDataCausesReplacement);
// Graviton instance types get the arm64 image; the instances may open only
// the connections InstanceEgress names (HTTPS by default); and the rules it
// adds must fit the account's security group quota.
//
// A fleet: AutoScaling replaces the fixed instances with an Auto Scaling
// group whose launch template carries the same secure defaults. The group
// takes the load balancer's health check as its own (an instance that fails
// it is replaced, after a grace period of boot plus HealthyThreshold x
// Interval), tracks a CPU target between MinCapacity and MaxCapacity, and
// rolls a changed launch template (image, instance type, user data) one
// batch at a time while MinCapacity instances keep serving.
// AttachAutoScalingGroup registers a group built by hand instead.
//
// Operating it: metric helpers for every useful AWS/ELB metric with the
// statistic AWS documents (MetricRequestCount, MetricLatency p99,
// MetricHTTPCodeBackend5XX ...), default alarms (Alarms) whose
// descriptions say what to look at first, notified through AlarmTopic or
// AlarmEmail, and a dashboard (Dashboard).
//
// Several regions serve one name with a stack per region, each holding a
// WebTier whose Routing makes its alias one of several of the name:
// RoutingLatency (the closest healthy region), RoutingFailover (a PRIMARY,
// with a Route 53 health check of its site, and a SECONDARY) or
// RoutingWeighted (shares of the traffic). See ExampleRouting.
//
// Everything created is exposed: LoadBalancer (construct ID "Resource"),
// LoadBalancerName, LoadBalancerDnsName, LoadBalancerCanonicalHostedZoneNameId,
// the security groups, Instances or AutoScalingGroup and NotificationTopic,
// InstanceRole, AccessLogBucket, Record, SiteHealthCheck, Connections (the instances') and
// LoadBalancerConnections. An app may bring its own parts instead (SecurityGroup,
// InstanceSecurityGroup, InstanceRole, AccessLogging.Bucket), to which the
// WebTier adds only its rules and policies, and keep its own cdk-nag
// suppressions (CdkNagSuppressions: false).
package classicelb

// Package webtierapp turns the CDK app's settings (cdk.json context or
// `cdk -c key=value`) into the classic ELB web tier stack.
// cmd/cdk-classic-webtier is a thin main around it; the tests in test/
// build the same stack.
package webtierapp

import (
	"github.com/classic-webtier/cdk-classic-webtier/constructs/classicelb"
	"github.com/classic-webtier/cdk-classic-webtier/internal/stackenv"
)

// Defaults of the app that differ from the construct's.
const (
	// DefaultRegion is the tutorial's region, Seoul.
	DefaultRegion = stackenv.DefaultRegion
	// DefaultLoadBalancerName is the tutorial's load balancer name.
	DefaultLoadBalancerName = "exampleelb"
	// DefaultStackName is the stack's name (and construct id) unless
	// stackName says otherwise.
	DefaultStackName = stackenv.DefaultStackName
)

// Environment is what the app reads from the process environment.
type Environment struct {
	// Account is CDK_DEFAULT_ACCOUNT, which the CLI sets when it has
	// credentials; lookups need it.
	Account string
	// Region is AWS_REGION, else AWS_DEFAULT_REGION: where the AWS CLI and
	// SDKs deploy unless -c region says otherwise.
	Region string
	// RegionVar names the variable Region came from.
	RegionVar string
}

// EnvironmentFrom reads the Environment with getenv (os.Getenv).
func EnvironmentFrom(getenv func(string) string) Environment {
	env := Environment{Account: getenv("CDK_DEFAULT_ACCOUNT")}
	if region, from := stackenv.Region(getenv); from != "" {
		env.Region, env.RegionVar = region, from
	}
	return env
}

// Settings are the app's settings after parsing. A nil pointer or empty value
// leaves the construct's (the console's) default in place.
type Settings struct {
	// Account to deploy to; empty keeps the stack account-agnostic (lookups need it).
	Account string
	// Region to deploy to: key region, else AWS_REGION or AWS_DEFAULT_REGION,
	// else Seoul.
	Region string
	// regionFrom names where Region came from (the key or the variable).
	regionFrom string
	// StackName is the stack's name and construct id (key stackName); with
	// Regions, the first part of each stack's name.
	StackName string
	// Regions deploys one stack per region behind one name (key regions);
	// nil deploys one stack to Region.
	Regions []string
	// Routing is how Route 53 picks among the regions (key routing):
	// latency (the default with Regions), failover or weighted.
	Routing string
	// Weights are the regions' shares with routing=weighted (key weights).
	Weights map[string]float64
	// SiteHealthCheck turns the Route 53 health check of the primary
	// region's site on or off (key siteHealthCheck; routing=failover).
	SiteHealthCheck *bool
	// regional holds the region=value lists of regionalKeys, by key and
	// region.
	regional map[string]map[string]string
	// recordRouting is the record's routing in one region's stack
	// (ForRegion); nil for a single stack.
	recordRouting *classicelb.Routing

	// VpcID names an existing VPC to look up (key vpcId).
	VpcID string
	// UseDefaultVpc looks up the account's default VPC (key useDefaultVpc).
	UseDefaultVpc bool
	// SubnetIDs are the load balancer's subnets in the looked-up VPC (key subnetIds).
	SubnetIDs []string

	// LoadBalancerName is the load balancer's name (key loadBalancerName).
	LoadBalancerName string
	// Internal selects the internal scheme (key internal).
	Internal bool
	// Listeners, in order; nil keeps the console's HTTP 80 -> HTTP 80 (key
	// listeners, or the first-row keys, or https).
	Listeners []ListenerSetting
	// HTTPS builds HTTPS 443 and HTTP 80 (key https).
	HTTPS bool

	// HealthCheckProtocol is the ping protocol (key healthCheckProtocol).
	HealthCheckProtocol string
	// HealthCheckPort is the ping port (key healthCheckPort).
	HealthCheckPort *float64
	// HealthCheckPath is the ping path (key healthCheckPath).
	HealthCheckPath *string
	// HealthCheckTimeout is the response timeout in seconds (key healthCheckTimeout).
	HealthCheckTimeout *float64
	// HealthCheckInterval is the interval in seconds (key healthCheckInterval).
	HealthCheckInterval *float64
	// UnhealthyThreshold is the unhealthy threshold (key unhealthyThreshold).
	UnhealthyThreshold *float64
	// HealthyThreshold is the healthy threshold (key healthyThreshold).
	HealthyThreshold *float64

	// CrossZone turns cross-zone load balancing on or off (key crossZone).
	CrossZone *bool
	// ConnectionDraining turns connection draining on or off (key connectionDraining).
	ConnectionDraining *bool
	// ConnectionDrainingTimeout is the draining timeout in seconds (key connectionDrainingTimeout).
	ConnectionDrainingTimeout *float64
	// IdleTimeout is the idle timeout in seconds (key idleTimeout).
	IdleTimeout *float64

	// InstanceCount is the number of instances (key instanceCount).
	InstanceCount *float64
	// AutoScaling runs the instances as an Auto Scaling group (key autoScaling).
	AutoScaling bool
	// MinCapacity is the group's minimum size (key minCapacity).
	MinCapacity *float64
	// MaxCapacity is the group's maximum size (key maxCapacity).
	MaxCapacity *float64
	// DesiredCapacity is the group's size at creation (key desiredCapacity).
	DesiredCapacity *float64
	// TargetCpuUtilization is the CPU the group is kept at, in percent
	// (key targetCpuUtilization).
	TargetCpuUtilization *float64
	// InstanceType is the EC2 instance type (key instanceType).
	InstanceType string
	// AmiID pins the instances' image in Region (key amiId).
	AmiID string
	// KeyName is the EC2 key pair for SSH (key keyName).
	KeyName string
	// SSHCidrs may reach port 22, in canonical form (key sshCidr).
	SSHCidrs []string
	// SecurityGroupRulesQuota is the account's rules-per-group quota (key
	// securityGroupRulesQuota).
	SecurityGroupRulesQuota *float64

	// DomainName is the hosted zone's domain (key domainName).
	DomainName string
	// HostedZoneID is the hosted zone's id, which skips the lookup (key hostedZoneId).
	HostedZoneID string
	// RecordName is the alias record's name in the zone (key recordName).
	RecordName string

	// Alarms creates the CloudWatch alarms (key alarms).
	Alarms *bool
	// AlarmEmail subscribes an address to the alarms (key alarmEmail).
	AlarmEmail string
	// Dashboard creates the CloudWatch dashboard (key dashboard).
	Dashboard *bool

	// NatGateways is the number of NAT gateways of the app's own VPC (key natGateways).
	NatGateways float64
	// InterfaceEndpoints adds the Session Manager interface endpoints to the
	// app's own VPC (key interfaceEndpoints).
	InterfaceEndpoints bool
	// S3PrefixListID is the region's S3 prefix list, so the instances' HTTPS
	// egress can name S3 alone (key s3PrefixListId).
	S3PrefixListID string
	// Nag applies cdk-nag's AwsSolutions checks (key nag).
	Nag bool

	// listenersFromJSON tells whether Listeners came from the `listeners` key
	// (rather than the first-row keys), to name the key in errors.
	listenersFromJSON bool
}

// ListenerSetting is one listener of the `listeners` setting, or the one built
// from the first-row keys (listenerProtocol, listenerPort, instanceProtocol,
// instancePort, certificateArn).
type ListenerSetting struct {
	// Protocol of the load balancer side: HTTP, HTTPS, TCP or SSL.
	Protocol string `json:"protocol,omitempty"`
	// Port of the load balancer side; nil takes the protocol's (80 or 443).
	Port *float64 `json:"port,omitempty"`
	// InstanceProtocol; empty keeps the construct's default.
	InstanceProtocol string `json:"instanceProtocol,omitempty"`
	// InstancePort; nil keeps the construct's default.
	InstancePort *float64 `json:"instancePort,omitempty"`
	// CertificateArn of an HTTPS or SSL listener.
	CertificateArn string `json:"certificateArn,omitempty"`
	// certificateArns: with several regions, CertificateArn of each region.
	certificateArns map[string]string
	// autoCertificate: the listener gets the certificate the app requests
	// for the record's name (key https without certificateArn).
	autoCertificate bool
}

package classicelb

import (
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"

	"github.com/classic-webtier/cdk-classic-webtier/internal/clb"
)

// The console's defaults, in one place. The ELB API (cross-zone and draining
// off) and aws-cdk-lib's L2 LoadBalancer (internal, health check "/" with
// thresholds 2/5, no draining) default differently; these are the values the
// console tutorial shows. The three exported ones are those a user's own
// code repeats: the port and path an own UserData must serve, and the TLS
// policy an own listener may want to match.
const (
	// DefaultListenerPort is the load balancer and instance port of the
	// default listener (HTTP 80 to HTTP 80), and so the port the default
	// health check pings.
	DefaultListenerPort = 80
	// DefaultHealthCheckPath is the ping path of an HTTP or HTTPS health
	// check: what an own UserData must serve.
	DefaultHealthCheckPath = "/index.html"
	// DefaultSslPolicy is the security policy of HTTPS and SSL listeners:
	// TLS 1.2 only.
	DefaultSslPolicy = "ELBSecurityPolicy-TLS-1-2-2017-01"
)

// The other defaults, each documented on its field. Optional strings
// (names, ARNs, prefixes) default to none: the empty string.
const (
	defaultInternal                         = false
	defaultOpenInstancePortsToWorld         = false
	defaultEvaluateTargetHealth             = false
	defaultDeliveryGrantedByBucketPolicy    = false
	defaultHealthCheckTimeoutSeconds        = 5
	defaultHealthCheckIntervalSeconds       = 30
	defaultUnhealthyThreshold               = 2
	defaultHealthyThreshold                 = 10
	defaultCrossZone                        = true
	defaultConnectionDraining               = true
	defaultConnectionDrainingTimeoutSeconds = 300
	defaultIdleTimeoutSeconds               = 60
	defaultAccessLogs                       = true
	defaultAccessLogEmitIntervalMinutes     = 60
	defaultAccessLogExpirationDays          = 90
	defaultInstanceCount                    = 2
	defaultInstanceType                     = "t3.micro"
	defaultDetailedMonitoring               = true
	defaultSessionManager                   = true
	defaultUserDataCausesReplacement        = true
	defaultRootVolumeGiB                    = 8
	// defaultRootDeviceName is Amazon Linux's root device.
	defaultRootDeviceName = "/dev/xvda"
	// defaultSecurityGroupRules is Amazon VPC's default quota of inbound (and
	// of outbound) rules per security group, per IP family.
	defaultSecurityGroupRules = 60
	defaultCdkNagSuppressions = true
	// The Auto Scaling group's: the tutorial's two instances at least,
	// room to double, CPU kept at half, one instance replaced at a time.
	defaultMinCapacity          = 2
	defaultMaxCapacity          = 4
	defaultTargetCpuUtilization = 50
	// A launch template change replaces every instance at once beside
	// the old ones (100 to 200 percent of the desired capacity): the site
	// keeps its capacity, and a healthy change takes one warm-up.
	defaultMinHealthyPercentage = 100
	defaultMaxHealthyPercentage = 200
	defaultAlarms               = true
	defaultDashboard            = true
	// defaultLatencyThresholdSeconds is the p99 latency alarm's: a second
	// is long for a page.
	defaultLatencyThresholdSeconds = 1
	// defaultProtocol is the console's listener protocol.
	defaultProtocol = clb.HTTP
)

// defaultInternalProtocol is what the console fills in as the instance
// protocol for a front-end protocol: TLS ends at the load balancer.
func defaultInternalProtocol(external clb.Protocol) clb.Protocol {
	return external.Plain()
}

// defaultInternalPort is the console's instance port: 80 where TLS ends at
// the load balancer (HTTPS in front, HTTP behind), else the front-end port.
func defaultInternalPort(external, internal clb.Protocol, externalPort float64) float64 {
	if external == clb.HTTPS && internal == clb.HTTP {
		return DefaultListenerPort
	}
	return externalPort
}

// defaultInstanceEgress is HTTPS to anywhere: the Session Manager agent and
// the package repositories in S3 speak HTTPS.
func defaultInstanceEgress() []*EgressRule {
	return []*EgressRule{{
		Peer:        awsec2.Peer_AnyIpv4(),
		Port:        awsec2.Port_Tcp(jsii.Number(443)),
		Description: jsii.String("HTTPS to AWS services: Session Manager, and Amazon Linux's package repositories in S3"),
	}}
}

// defaultBlockDevices is an encrypted gp3 root volume.
func defaultBlockDevices() *[]*awsec2.BlockDevice {
	return &[]*awsec2.BlockDevice{{
		DeviceName: jsii.String(defaultRootDeviceName),
		Volume: awsec2.BlockDeviceVolume_Ebs(jsii.Number(defaultRootVolumeGiB), &awsec2.EbsDeviceOptions{
			Encrypted:  jsii.Bool(true),
			VolumeType: awsec2.EbsDeviceVolumeType_GP3,
		}),
	}}
}

// defaultMachineImage is the latest Amazon Linux 2023 of the instance type's
// architecture.
func defaultMachineImage(t awsec2.InstanceType) awsec2.IMachineImage {
	return awsec2.MachineImage_LatestAmazonLinux2023(&awsec2.AmazonLinux2023ImageSsmParameterProps{
		CpuType: cpuTypeOf(t),
	})
}

// defaultLoadBalancerSubnets is the console's: one subnet per zone, public
// ones for an internet-facing load balancer.
func defaultLoadBalancerSubnets(internal bool) *awsec2.SubnetSelection {
	if internal {
		return &awsec2.SubnetSelection{OnePerAz: jsii.Bool(true)}
	}
	return &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PUBLIC, OnePerAz: jsii.Bool(true)}
}

// defaultInstanceSubnets is one subnet per zone of the VPC's private
// subnets (aws-cdk-lib's default type order: private, then public).
func defaultInstanceSubnets() *awsec2.SubnetSelection {
	return &awsec2.SubnetSelection{OnePerAz: jsii.Bool(true)}
}

// defaultAllowedPeers is the console's: the world for an internet-facing
// load balancer, the VPC's own (IPv4) block for an internal one.
func defaultAllowedPeers(internal bool, vpc awsec2.IVpc) []awsec2.IPeer {
	if internal && vpc != nil {
		return []awsec2.IPeer{awsec2.Peer_Ipv4(vpc.VpcCidrBlock())}
	}
	return []awsec2.IPeer{awsec2.Peer_AnyIpv4()}
}

// cpuTypeOf is the Amazon Linux image architecture an instance type needs:
// arm64 for Graviton types (t4g, m7g ...), which cannot boot x86_64 images.
// aws-cdk-lib's Architecture throws on a name it cannot parse (u-6tb1.metal,
// a token): those are x86_64, and only a name of its form is asked.
func cpuTypeOf(t awsec2.InstanceType) awsec2.AmazonLinuxCpuType {
	if parsableInstanceType.MatchString(*t.ToString()) && t.Architecture() == awsec2.InstanceArchitecture_ARM_64 {
		return awsec2.AmazonLinuxCpuType_ARM_64
	}
	return awsec2.AmazonLinuxCpuType_X86_64
}

// parsableInstanceType is the form of name aws-cdk-lib's
// InstanceType.Architecture parses (aws-ec2/lib/instance-types.ts, 2.276):
// family, generation, capabilities, size.
var parsableInstanceType = regexp.MustCompile(`^([a-z]+)(\d{1,2})([a-z\-]*)\.([a-z0-9\-]+)$`)

package classicelb

// The console's defaults, in one place. The ELB API (cross-zone and draining
// off) and aws-cdk-lib's L2 LoadBalancer (internal, health check "/" with
// thresholds 2/5, no draining) default differently; these are the values the
// console tutorial shows.
const (
	// DefaultListenerPort is the load balancer and instance port of the default
	// listener (HTTP 80 to HTTP 80).
	DefaultListenerPort = 80
	// DefaultHealthCheckPath is the ping path of an HTTP or HTTPS health check.
	DefaultHealthCheckPath = "/index.html"
	// DefaultHealthCheckTimeoutSeconds is the console's response timeout.
	DefaultHealthCheckTimeoutSeconds = 5
	// DefaultHealthCheckIntervalSeconds is the console's health check interval.
	DefaultHealthCheckIntervalSeconds = 30
	// DefaultUnhealthyThreshold is the console's unhealthy threshold.
	DefaultUnhealthyThreshold = 2
	// DefaultHealthyThreshold is the console's healthy threshold.
	DefaultHealthyThreshold = 10
	// DefaultConnectionDrainingTimeoutSeconds is the console's draining timeout.
	DefaultConnectionDrainingTimeoutSeconds = 300
	// DefaultIdleTimeoutSeconds is the ELB idle timeout.
	DefaultIdleTimeoutSeconds = 60
	// DefaultAccessLogEmitIntervalMinutes is how often access logs are published.
	DefaultAccessLogEmitIntervalMinutes = 60
	// DefaultInstanceCount is the tutorial's two instances.
	DefaultInstanceCount = 2
	// DefaultInstanceType is the instance type of every instance.
	DefaultInstanceType = "t3.micro"
	// DefaultCrossZone is the console's cross-zone load balancing setting.
	DefaultCrossZone = true
	// DefaultConnectionDraining is the console's connection draining setting.
	DefaultConnectionDraining = true
	// DefaultSslPolicy is the security policy of HTTPS and SSL listeners:
	// TLS 1.2 only.
	DefaultSslPolicy = "ELBSecurityPolicy-TLS-1-2-2017-01"
	// DefaultAccessLogExpirationDays is how long the created log bucket keeps
	// log objects.
	DefaultAccessLogExpirationDays = 90
	// DefaultRootVolumeGiB is the size of the default encrypted gp3 root volume.
	DefaultRootVolumeGiB = 8
	// DefaultRootDeviceName is Amazon Linux's root device.
	DefaultRootDeviceName = "/dev/xvda"
)

// Limits of the classic load balancer service, checked before synth.
const (
	maxNameLength          = 32
	minPort, maxPort       = 1, 65535
	minHealthTimeout       = 2
	maxHealthTimeout       = 60
	minHealthInterval      = 5
	maxHealthInterval      = 300
	minThreshold           = 2
	maxThreshold           = 10
	minDrainingTimeout     = 1
	maxDrainingTimeout     = 3600
	minIdleTimeout         = 1
	maxIdleTimeout         = 3600
	shortAccessLogInterval = 5
	longAccessLogInterval  = 60
	// maxListeners is ELB's quota of listeners per load balancer.
	maxListeners = 100
	// maxHealthCheckTarget is the ELB API's limit on "PROTOCOL:PORT/path".
	maxHealthCheckTarget = 1024
	// maxStackResources is what one CloudFormation stack holds; each instance
	// is two resources (aws-cdk-lib gives each its own instance profile), so
	// no more than maxInstances can ever fit.
	maxStackResources = 500
	maxInstances      = maxStackResources / 2
	// defaultSecurityGroupRules is Amazon VPC's default quota of inbound (and
	// of outbound) rules per security group, per IP family.
	defaultSecurityGroupRules = 60
)

// defaultInternalProtocol is what the console fills in as the instance
// protocol for a front-end protocol: TLS ends at the load balancer.
func defaultInternalProtocol(external string) string {
	switch external {
	case "HTTP", "HTTPS":
		return "HTTP"
	default:
		return "TCP"
	}
}

// defaultInternalPort is the console's instance port: 80 where TLS ends at
// the load balancer (HTTPS in front, HTTP behind), else the front-end port.
func defaultInternalPort(external, internal string, externalPort float64) float64 {
	if external == "HTTPS" && internal == "HTTP" {
		return DefaultListenerPort
	}
	return externalPort
}

// Package webtierapp turns the CDK app's settings (cdk.json context or
// `cdk -c key=value`) into the classic ELB web tier stack. app.go at the module
// root is a thin main around it; the tests in test/ build the same stack.
package webtierapp

// Defaults of the app that differ from the construct's.
const (
	// DefaultRegion is the tutorial's region, Seoul.
	DefaultRegion = "ap-northeast-2"
	// DefaultLoadBalancerName is the tutorial's load balancer name.
	DefaultLoadBalancerName = "exampleelb"
	// StackID is the id (and default name) of the stack.
	StackID = "ClassicWebTier"
)

// Settings are the app's settings after parsing. A nil pointer or empty value
// leaves the construct's (the console's) default in place.
type Settings struct {
	// Account to deploy to; empty keeps the stack account-agnostic (lookups need it).
	Account string
	// Region to deploy to.
	Region string

	VpcID         string
	UseDefaultVpc bool
	SubnetIDs     []string

	LoadBalancerName string
	Internal         bool
	// Listeners, in order; nil keeps the console's HTTP 80 -> HTTP 80.
	Listeners []ListenerSetting

	HealthCheckProtocol string
	HealthCheckPort     *float64
	HealthCheckPath     *string
	HealthCheckTimeout  *float64
	HealthCheckInterval *float64
	UnhealthyThreshold  *float64
	HealthyThreshold    *float64

	CrossZone                 *bool
	ConnectionDraining        *bool
	ConnectionDrainingTimeout *float64
	IdleTimeout               *float64

	InstanceCount *float64
	InstanceType  string
	KeyName       string
	SSHCidrs      []string

	DomainName   string
	HostedZoneID string
	RecordName   string
}

// ListenerSetting is one listener of the `listeners` setting, or the one built
// from the first-row keys (listenerProtocol, listenerPort, instanceProtocol,
// instancePort, certificateArn).
type ListenerSetting struct {
	Protocol         string   `json:"protocol,omitempty"`
	Port             float64  `json:"port,omitempty"`
	InstanceProtocol string   `json:"instanceProtocol,omitempty"`
	InstancePort     float64  `json:"instancePort,omitempty"`
	CertificateArn   string   `json:"certificateArn,omitempty"`
	PolicyNames      []string `json:"policyNames,omitempty"`
}

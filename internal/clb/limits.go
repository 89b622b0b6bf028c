package clb

import (
	"fmt"
	"math"
)

// Range is the allowed range of a whole-numbered setting, bounds included.
type Range struct {
	Min, Max int
	// Unit of the value ("seconds"), empty for plain counts and ports.
	Unit string
}

// String is "2-60 seconds", or "1-65535" without a unit.
func (r Range) String() string {
	if r.Unit == "" {
		return fmt.Sprintf("%d-%d", r.Min, r.Max)
	}
	return fmt.Sprintf("%d-%d %s", r.Min, r.Max, r.Unit)
}

// Contains reports whether v is a whole number within the range.
func (r Range) Contains(v float64) bool {
	return v == math.Trunc(v) && v >= float64(r.Min) && v <= float64(r.Max)
}

// The limits of the service's settings (the Elastic Load Balancing API
// reference and quotas), and of the stack around them.
var (
	// Port is any load balancer, instance or health check port.
	Port = Range{1, 65535, ""}
	// HealthCheckTimeout is the response timeout of one ping.
	HealthCheckTimeout = Range{2, 60, "seconds"}
	// HealthCheckInterval is the time between pings.
	HealthCheckInterval = Range{5, 300, "seconds"}
	// Threshold is the healthy and the unhealthy threshold.
	Threshold = Range{2, 10, "checks"}
	// DrainingTimeout is the connection draining timeout.
	DrainingTimeout = Range{1, 3600, "seconds"}
	// IdleTimeout is the idle connection timeout.
	IdleTimeout = Range{1, 3600, "seconds"}
	// Listeners is how many listeners one load balancer takes.
	Listeners = Range{1, 100, ""}
	// Instances is how many instances fit one CloudFormation stack (500
	// resources), each being two: the instance and its instance profile.
	Instances = Range{1, MaxStackResources / 2, ""}
	// SecurityGroupRules is the range of the rules-per-security-group quota
	// Amazon VPC allows an account to have.
	SecurityGroupRules = Range{1, 1000, "rules"}
	// Capacity is an Auto Scaling group's size in instances: at least one
	// (a web tier with none serves nothing), at most what the Auto
	// Scaling API's 32-bit sizes hold.
	Capacity = Range{1, math.MaxInt32, "instances"}
	// CpuUtilization is a CPU target tracking value, in percent.
	CpuUtilization = Range{1, 100, "percent"}
	// MinHealthyPercentage is an instance refresh's lower bound on the
	// group's capacity kept in service, in percent of the desired capacity.
	MinHealthyPercentage = Range{0, 100, "percent"}
	// MaxHealthyPercentage is its upper bound on the capacity in service
	// or pending, in percent of the desired capacity.
	MaxHealthyPercentage = Range{100, 200, "percent"}
	// BakeTime is how long an instance refresh keeps watching its alarms
	// after the last replacement.
	BakeTime = Range{0, 172800, "seconds"}
)

// Other limits.
const (
	// MaxNameLength is the longest load balancer name.
	MaxNameLength = 32
	// MaxHealthCheckTarget is the longest health check target
	// "PROTOCOL:PORT/path".
	MaxHealthCheckTarget = 1024
	// MaxStackResources is what one CloudFormation stack holds.
	MaxStackResources = 500
	// MaxHealthyPercentageSpread is how far an instance refresh's maximum
	// healthy percentage may lie above its minimum.
	MaxHealthyPercentageSpread = 100
	// InstanceBootSeconds is what a new instance is given to boot and
	// start serving before the health check's count starts: Amazon Linux
	// 2023 runs the default user data within a minute; twice that leaves
	// room for a slower own UserData. A new instance serves after this
	// plus HealthyThreshold x Interval (HealthyAfterSeconds).
	InstanceBootSeconds = 120
)

// HealthyAfterSeconds is how long a new instance needs before a load
// balancer with this health check sends it requests: its boot, then
// healthyThreshold pings interval seconds apart.
func HealthyAfterSeconds(healthyThreshold, interval float64) float64 {
	return InstanceBootSeconds + healthyThreshold*interval
}

// AccessLogIntervals are the two emit intervals of access logs, in minutes.
var AccessLogIntervals = []float64{5, 60}

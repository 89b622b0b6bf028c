package classicelb

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/jsii-runtime-go"

	"github.com/classic-webtier/cdk-classic-webtier/internal/clb"
)

// RoutingPolicy is how Route 53 chooses among the alias records of one name.
type RoutingPolicy string

const (
	// RoutingLatency answers with the record of the region closest to the
	// asker in network latency, among the regions whose load balancer has a
	// healthy instance (EvaluateTargetHealth).
	RoutingLatency RoutingPolicy = "LATENCY"
	// RoutingFailover answers with the PRIMARY record while it is healthy,
	// else with the SECONDARY one.
	RoutingFailover RoutingPolicy = "FAILOVER"
	// RoutingWeighted answers with each record in proportion to its Weight:
	// a gradual move of traffic from one region to another.
	RoutingWeighted RoutingPolicy = "WEIGHTED"
)

// routingPolicies are the policies, in the order messages list them.
var routingPolicies = []RoutingPolicy{RoutingLatency, RoutingFailover, RoutingWeighted}

// Routing makes the tier's alias record one of several of the same name
// (WebTierProps.Routing). Route 53 keeps records of one name apart by their
// SetIdentifier; every one of them must use the same policy.
//
// On a deployed stack, changing Weight, Failover or SiteHealthCheck updates
// the record in place; changing SetIdentifier replaces it, and Route 53
// refuses the new record while the old one of another policy holds the name
// (remove Routing, or the record, in one deploy and add it in the next).
type Routing struct {
	// Policy is how Route 53 picks among the records of the name. Required.
	Policy RoutingPolicy

	// SetIdentifier tells this record from the others of its name: 1 to 128
	// characters, unique among them.
	// Default: the stack's region, such as "ap-northeast-2".
	SetIdentifier *string

	// Failover is this record's role with RoutingFailover:
	// awsroute53.Failover_PRIMARY or awsroute53.Failover_SECONDARY (one of
	// each per name). Required with RoutingFailover, refused with the
	// others.
	Failover awsroute53.Failover

	// Weight is this record's share with RoutingWeighted: a whole number
	// from 0 to 255, against the sum of the weights of every record of the
	// name. A record of weight 0 gets nothing while another has more, and
	// all of weight 0 share equally. Required with RoutingWeighted, refused
	// with the others.
	Weight *float64

	// SiteHealthCheck creates a Route 53 health check that requests the
	// site through this tier's load balancer from Route 53's checkers on the
	// internet, and makes the record follow it. The check uses the first
	// HTTPS listener, else the first listener (HTTP or HTTPS on the load
	// balancer's health check path, TCP for TCP and SSL listeners), every 30
	// seconds, and fails after 3 failures in a row. It catches what the
	// load balancer's own check of the instances cannot: a broken listener,
	// security group or load balancer. Only with RoutingFailover, and not
	// for an internal load balancer, which the checkers cannot reach. With
	// AllowedPeers or SecurityGroup, let the checkers in (the
	// ROUTE53_HEALTHCHECKS ranges of AWS's ip-ranges.json), or a PRIMARY
	// that always fails its check sends everyone to the SECONDARY.
	// Default: true for the PRIMARY record of an internet-facing tier whose
	// listeners are open to all (no AllowedPeers, no SecurityGroup), else
	// false.
	SiteHealthCheck *bool
}

// routingSpec is Routing with its defaults.
type routingSpec struct {
	policy           RoutingPolicy
	setIdentifier    string
	hasSetIdentifier bool
	failover         awsroute53.Failover
	weight           float64
	hasWeight        bool
	siteHealthCheck  bool
	// peersRestricted: AllowedPeers or SecurityGroup decide who reaches the
	// listeners, perhaps not Route 53's health checkers.
	peersRestricted bool
}

// Route 53's limits on a record set.
const (
	maxSetIdentifier = 128
	maxWeight        = 255
	// Route 53 health check of the site: its interval in seconds (30 is
	// the standard one; 10 costs more) and failures before unhealthy.
	siteCheckIntervalSeconds = 30
	siteCheckFailures        = 3
)

// routingProps adds the routing fields to the alias record's props.
func (w *webTier) routingProps(props *awsroute53.ARecordProps) {
	rt := w.spec.routing
	if rt == nil {
		return
	}
	region := w.stack().Region()
	props.SetIdentifier = region
	if rt.hasSetIdentifier {
		props.SetIdentifier = jsii.String(rt.setIdentifier)
	}
	switch rt.policy {
	case RoutingLatency:
		props.Region = region
	case RoutingFailover:
		props.Failover = rt.failover
	case RoutingWeighted:
		props.Weight = jsii.Number(rt.weight)
	}
	props.HealthCheck = w.siteCheck
}

// createSiteHealthCheck checks the site through the load balancer's own
// DNS name, not the record's: through the record, a failed-over name would
// check the standby and call the primary healthy again.
func (w *webTier) createSiteHealthCheck() awsroute53.HealthCheck {
	s := w.spec
	l := s.siteListener()
	props := &awsroute53.HealthCheckProps{
		Fqdn:             w.LoadBalancerDnsName(),
		Port:             jsii.Number(l.externalPort),
		RequestInterval:  awscdk.Duration_Seconds(jsii.Number(siteCheckIntervalSeconds)),
		FailureThreshold: jsii.Number(siteCheckFailures),
	}
	switch l.externalProtocol {
	case clb.HTTP, clb.HTTPS:
		props.Type = awsroute53.HealthCheckType_HTTP
		if l.externalProtocol == clb.HTTPS {
			props.Type, props.EnableSNI = awsroute53.HealthCheckType_HTTPS, jsii.Bool(true)
		}
		props.ResourcePath = jsii.String(s.sitePath())
	default:
		props.Type = awsroute53.HealthCheckType_TCP
	}
	return awsroute53.NewHealthCheck(w, jsii.String("SiteHealthCheck"), props)
}

// siteListener is the listener a browser uses: the first HTTPS one, else
// the first.
func (s *spec) siteListener() listenerSpec {
	for _, l := range s.listeners {
		if l.externalProtocol == clb.HTTPS {
			return l
		}
	}
	return s.listeners[0]
}

// sitePath is the path the site health check requests: the load balancer's
// own health check path, which the instances serve, else "/".
func (s *spec) sitePath() string {
	if s.healthCheck.protocol.IsL7() && s.healthCheck.path != "" {
		return s.healthCheck.path
	}
	return "/"
}

package classicelb

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
)

// validateRouting checks Routing against Route 53's rules for a record set
// of its policy, and the site health check against what can reach it.
func (s *spec) validateRouting(ps *problems) {
	rt := s.routing
	if rt == nil {
		return
	}
	if !s.hasZone {
		ps.add("Routing", "is set without HostedZone; routing picks among alias records of a hosted zone: pass the awsroute53.IHostedZone")
	}
	names := make([]string, len(routingPolicies))
	for i, p := range routingPolicies {
		names[i] = string(p)
	}
	known := false
	for _, p := range routingPolicies {
		known = known || rt.policy == p
	}
	if !known {
		ps.add("Routing.Policy", "%q is not a routing policy; allowed: %s (RoutingLatency, RoutingFailover, RoutingWeighted)", string(rt.policy), strings.Join(names, ", "))
	}
	if rt.hasSetIdentifier && !s.isUnchecked("Routing.SetIdentifier") {
		if n := utf8.RuneCountInString(rt.setIdentifier); n < 1 || n > maxSetIdentifier {
			ps.add("Routing.SetIdentifier", "%q is %d characters long; allowed: 1 to %d characters, unique among the records of the name", rt.setIdentifier, n, maxSetIdentifier)
		}
	}
	switch {
	case rt.policy == RoutingFailover && rt.failover == "":
		ps.add("Routing.Failover", "is required with %s; give awsroute53.Failover_PRIMARY for the region that serves while healthy, Failover_SECONDARY for the standby", RoutingFailover)
	case rt.policy == RoutingFailover && rt.failover != awsroute53.Failover_PRIMARY && rt.failover != awsroute53.Failover_SECONDARY:
		ps.add("Routing.Failover", "%q is not allowed; allowed: PRIMARY or SECONDARY (awsroute53.Failover_PRIMARY, Failover_SECONDARY)", string(rt.failover))
	case rt.policy != RoutingFailover && rt.failover != "" && known:
		ps.add("Routing.Failover", "%q is for %s; %s records take no failover role: drop it", string(rt.failover), RoutingFailover, rt.policy)
	}
	switch {
	case rt.policy == RoutingWeighted && !rt.hasWeight:
		ps.add("Routing.Weight", "is required with %s; give this record's share, 0 to %d", RoutingWeighted, maxWeight)
	case rt.policy == RoutingWeighted && !s.isUnchecked("Routing.Weight") && (rt.weight < 0 || rt.weight > maxWeight || rt.weight != math.Trunc(rt.weight)):
		ps.add("Routing.Weight", "%s is not allowed; allowed: a whole number from 0 to %d", num(rt.weight), maxWeight)
	case rt.policy != RoutingWeighted && rt.hasWeight && known:
		ps.add("Routing.Weight", "is for %s; %s records take no weight: drop it", RoutingWeighted, rt.policy)
	}
	if rt.siteHealthCheck {
		switch {
		case rt.policy != RoutingFailover && known:
			ps.add("Routing.SiteHealthCheck", "is for %s; %s records already leave out a region whose load balancer has no healthy instance (EvaluateTargetHealth): drop it", RoutingFailover, rt.policy)
		case s.internal:
			ps.add("Routing.SiteHealthCheck", "true cannot check an internal load balancer: Route 53's health checkers are on the internet; drop it (EvaluateTargetHealth still follows the instances' health)")
		}
	}
	if rt.policy == RoutingFailover && !s.evaluateTargetHealth {
		ps.add("EvaluateTargetHealth", "false is not allowed with %s: Route 53 takes a failover alias record's health from its target (the load balancer has a healthy instance); drop EvaluateTargetHealth=false", RoutingFailover)
	}
}

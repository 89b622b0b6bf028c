package classicelb

import "strings"

// Checks of the parts a user passes in: subnets, security groups and the
// instance role.

// validateSubnets reports an empty selection, and for the load balancer more
// than one subnet in a zone (ELB rejects that at deploy time).
func (s *spec) validateSubnets(ps *problems) {
	if !s.hasVpc {
		return
	}
	const none = "selects no subnet of the VPC; select at least one subnet"
	switch {
	case s.lbSubnetProblem != "":
		ps.add("LoadBalancerSubnets", "%s (%s)", none, s.lbSubnetProblem)
	case len(s.lbSubnetFacts) == 0:
		ps.add("LoadBalancerSubnets", "%s (the VPC has none of the requested type)", none)
	}
	switch {
	case s.instanceSubnetProblem != "":
		ps.add("InstanceSubnets", "%s (%s)", none, s.instanceSubnetProblem)
	case !s.hasInstanceSubnets:
		ps.add("InstanceSubnets", "%s (the VPC has none of the requested type)", none)
	}
	if names := s.lbSubnetsOf(notPublic); s.lbPublicChecked && len(names) > 0 {
		ps.add("LoadBalancerSubnets", "selects %s, %s not public: an internet-facing load balancer there cannot be reached from the internet; select public subnets (as the default does), or set Internal: true", andList(names), whichAre(len(names)))
	}
	byZone := map[string]subnetSpec{}
	for _, sn := range s.lbSubnetFacts {
		other, dup := byZone[sn.zone]
		if !dup {
			byZone[sn.zone] = sn
			continue
		}
		zone := "one Availability Zone"
		if sn.zoneKnown {
			zone = sn.zone
		}
		ps.add("LoadBalancerSubnets", "selects subnets %s and %s, both in %s; a load balancer takes at most one subnet per Availability Zone (set OnePerAz: true or pick one per zone)", other.name(), sn.name(), zone)
	}
}

// validateInstanceRole: a given role must let EC2 assume it, and take the
// Session Manager policy when that is on.
func (s *spec) validateInstanceRole(ps *problems) {
	r := s.instances.role
	if r.role == nil {
		return
	}
	if !r.trustsEC2 {
		ps.add("InstanceRole", "%s does not trust ec2.amazonaws.com, so the instances cannot use it; create it with AssumedBy: awsiam.NewServicePrincipal(jsii.String(\"ec2.amazonaws.com\"), nil)", r.path)
	}
	if r.imported && s.instances.sessionManager {
		ps.add("SessionManager", "is true, but InstanceRole %s is imported, so this stack cannot attach %s to it; attach it where the role is defined and leave SessionManager unset (or false), or pass a role defined in this app", r.path, ssmCorePolicy)
	}
}

// validateSecurityGroups: rules for a given instance group must have an
// effect.
func (s *spec) validateSecurityGroups(ps *problems) {
	g := s.instanceSecurityGroup
	if g.group != nil && g.allowAllOutbound && s.egressGiven {
		ps.add("InstanceEgress", "is set, but InstanceSecurityGroup %s allows all outbound traffic, so the rules would change nothing; create the group with AllowAllOutbound: false, or drop InstanceEgress", g.path)
	}
}

// lbSubnetsOf names the load balancer subnets of one publicness, in
// selection order.
func (s *spec) lbSubnetsOf(public publicness) []string {
	var names []string
	for _, sn := range s.lbSubnetFacts {
		if sn.public == public {
			names = append(names, sn.name())
		}
	}
	return names
}

// andList joins names as "a", "a and b", "a, b and c".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// whichAre is "which is" for one, "which are" for more.
func whichAre(n int) string {
	if n == 1 {
		return "which is"
	}
	return "which are"
}

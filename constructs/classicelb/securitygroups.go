package classicelb

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// createSecurityGroups makes (or adopts) the two groups, opens the listener
// ports to the allowed peers, and opens the instance ports only to the load
// balancer: the load balancer may send only to the instance ports.
func (w *webTier) createSecurityGroups() {
	s := w.spec
	w.lbSG = w.groupOr(s.lbSecurityGroup, "LoadBalancerSecurityGroup", "Classic load balancer: listener ports in, instance ports out")
	w.instanceSG = w.groupOr(s.instanceSecurityGroup, "InstanceSecurityGroup", "Web tier instances: instance ports from the load balancer only")
	// A group that allows all outbound traffic takes no egress rule (and a
	// given InstanceEgress on it is refused by validate).
	if !s.instanceSecurityGroup.allowAllOutbound {
		for _, e := range s.egress {
			w.instanceSG.AddEgressRule(e.peer.peer, e.port, jsii.String(e.description), jsii.Bool(false))
		}
	}

	// The listener rules to the world (or to the VPC's CIDR, a reference)
	// carry a cdk-nag suppression. On a group the WebTier creates, or an
	// imported one (whose rules become resources under it), it goes on what
	// holds them; a given group of this app would hold them inline, beside
	// its owner's own rules, so they become resources of the WebTier's.
	ingress := newRules(w.lbSG)
	var own []constructs.IConstruct
	for _, port := range s.listenerPorts() {
		for _, peer := range s.allowedPeers {
			description := fmt.Sprintf("Listener port %s from %s", portText(port), peer.id)
			if g := s.lbSecurityGroup; g.group != nil && !g.imported && s.nagExplains(peer) {
				own = append(own, w.ownIngress(peer, port, description))
				continue
			}
			w.lbSG.AddIngressRule(peer.peer, w.tcp(port), jsii.String(description), jsii.Bool(false))
		}
	}
	held := ingress.resources()
	if s.lbSecurityGroup.group != nil && !s.lbSecurityGroup.imported {
		held = own
	}
	switch {
	case opensToInternet(s.allowedPeers):
		w.suppress(held, nagRule{id: "AwsSolutions-EC23", reason: "An internet-facing load balancer serves the public: its listener ports (and only those) are open to any IPv4 address."})
	case s.defaultPeers && s.internal:
		// The VPC's CIDR block is a reference that EC23 cannot evaluate;
		// it is not open to the internet.
		w.suppress(held, nagRule{id: "CdkNagValidationFailure", reason: "The internal load balancer's listener ports are open to the VPC's own CIDR block, a CloudFormation reference that AwsSolutions-EC23 cannot evaluate.", appliesTo: []string{"AwsSolutions-EC23"}})
	}
	for _, port := range s.instancePorts() {
		w.lbSG.Connections().AllowTo(w.instanceSG, w.tcp(port), jsii.String(fmt.Sprintf("Load balancer to instance port %s", portText(port))))
		if s.openInstancePorts {
			w.instanceSG.AddIngressRule(awsec2.Peer_AnyIpv4(), w.tcp(port), jsii.String(fmt.Sprintf("Instance port %s from anywhere (OpenInstancePortsToWorld)", portText(port))), jsii.Bool(false))
		}
	}
	for _, peer := range s.sshPeers {
		w.instanceSG.AddIngressRule(peer.peer, w.tcp(22), jsii.String(fmt.Sprintf("SSH from %s", peer.id)), jsii.Bool(false))
	}
	w.lbConns = awsec2.NewConnections(&awsec2.ConnectionsProps{
		SecurityGroups: &[]awsec2.ISecurityGroup{w.lbSG},
		DefaultPort:    w.tcp(s.listeners[0].externalPort),
	})
	w.connections = awsec2.NewConnections(&awsec2.ConnectionsProps{
		SecurityGroups: &[]awsec2.ISecurityGroup{w.instanceSG},
		DefaultPort:    w.tcp(s.listeners[0].internalPort),
	})
}

// httpsOut reports whether the instances' group lets TCP 443 out, as far as
// this app can tell: a group it creates, or one it imports, is taken at its
// word (InstanceEgress, or rules this app cannot see); a given group of this
// app is read, its inline rules and its egress resources.
func (w *webTier) httpsOut() bool {
	g := w.spec.instanceSecurityGroup
	if g.group == nil || g.imported || g.allowAllOutbound || w.spec.egressGiven {
		return true
	}
	covers := func(protocol string, from, to float64) bool {
		return protocol == "-1" || (strings.EqualFold(protocol, "tcp") && from <= 443 && 443 <= to)
	}
	if cfn, ok := g.group.Node().DefaultChild().(awsec2.CfnSecurityGroup); ok {
		raw, _ := json.Marshal(awscdk.Stack_Of(cfn).Resolve(cfn.SecurityGroupEgress()))
		var rules []map[string]interface{}
		_ = json.Unmarshal(raw, &rules)
		for _, r := range rules {
			lower := map[string]interface{}{}
			for k, v := range r {
				lower[strings.ToLower(k)] = v
			}
			protocol, _ := lower["ipprotocol"].(string)
			from, _ := lower["fromport"].(float64)
			to, _ := lower["toport"].(float64)
			if covers(protocol, from, to) {
				return true
			}
		}
	}
	for _, c := range *g.group.Node().Children() {
		if e, ok := c.(awsec2.CfnSecurityGroupEgress); ok {
			from, to := e.FromPort(), e.ToPort()
			if from != nil && to != nil && covers(*e.IpProtocol(), *from, *to) || *e.IpProtocol() == "-1" {
				return true
			}
		}
	}
	return false
}

// nagExplains reports whether cdk-nag's EC23 would flag a listener rule
// from peer, with a reason the WebTier gives: the world, or the VPC's own
// CIDR block of an internal load balancer.
func (s *spec) nagExplains(peer peerSpec) bool {
	return isWorld(peer) || (s.defaultPeers && s.internal)
}

// ownIngress adds a listener rule to the given load balancer group as a
// resource of the WebTier's, so that a suppression on it covers it alone.
func (w *webTier) ownIngress(peer peerSpec, port float64, description string) constructs.IConstruct {
	props := &awsec2.CfnSecurityGroupIngressProps{
		GroupId:     w.lbSG.SecurityGroupId(),
		IpProtocol:  jsii.String("tcp"),
		FromPort:    jsii.Number(port),
		ToPort:      jsii.Number(port),
		Description: jsii.String(description),
	}
	// Only CIDR peers come here (the world, the VPC's block).
	cfg := peer.peer.ToIngressRuleConfig()
	props.CidrIp, props.CidrIpv6 = cfg.CidrIp, cfg.CidrIpv6
	family := "Ipv4"
	if props.CidrIpv6 != nil {
		family = "Ipv6"
	}
	id := "ListenerIngress" + family
	if !unresolved(port) {
		id += num(port)
	} else {
		id += fmt.Sprint(len(*w.Node().Children()))
	}
	return awsec2.NewCfnSecurityGroupIngress(w, jsii.String(id), props)
}

// groupOr is the given group, or a new one that allows no outbound traffic
// until rules say so.
func (w *webTier) groupOr(given givenGroup, id, description string) awsec2.ISecurityGroup {
	if given.group != nil {
		return given.group
	}
	return awsec2.NewSecurityGroup(w, jsii.String(id), &awsec2.SecurityGroupProps{
		Vpc:              w.spec.vpc,
		Description:      jsii.String(description),
		AllowAllOutbound: jsii.Bool(false),
	})
}

// rules finds the CloudFormation resources that hold the rules added to a
// group after it was made: the group itself when its rules are inline (a
// group of this stack), else the SecurityGroupIngress and Egress resources
// aws-cdk-lib adds under an imported group.
type rules struct {
	group  awsec2.ISecurityGroup
	before map[string]bool
}

func newRules(group awsec2.ISecurityGroup) rules {
	before := map[string]bool{}
	for _, c := range *group.Node().Children() {
		before[*c.Node().Id()] = true
	}
	return rules{group: group, before: before}
}

// resources are the resources to record a suppression on.
func (r rules) resources() []constructs.IConstruct {
	if cfn, ok := r.group.Node().DefaultChild().(awsec2.CfnSecurityGroup); ok {
		return []constructs.IConstruct{cfn}
	}
	var out []constructs.IConstruct
	for _, c := range *r.group.Node().Children() {
		if !r.before[*c.Node().Id()] && *awscdk.CfnResource_IsCfnResource(c) {
			out = append(out, c)
		}
	}
	return out
}

// ruleSnapshot lists the security group rule resources of the whole app,
// for checkGivenSecurityGroups to find the ones the WebTier added: rules
// between groups of different stacks live in either stack.
func (w *webTier) ruleSnapshot() map[string]bool {
	seen := map[string]bool{}
	if !w.spec.lbSecurityGroup.imported && !w.spec.instanceSecurityGroup.imported {
		return seen
	}
	for _, c := range *w.Node().Root().Node().FindAll(constructs.ConstructOrder_PREORDER) {
		if _, ok := ruleGroupID(c); ok {
			seen[*c.Node().Path()] = true
		}
	}
	return seen
}

// ruleGroupID is the GroupId of a security group rule resource.
func ruleGroupID(c constructs.IConstruct) (*string, bool) {
	switch r := c.(type) {
	case awsec2.CfnSecurityGroupIngress:
		return r.GroupId(), true
	case awsec2.CfnSecurityGroupEgress:
		return r.GroupId(), true
	}
	return nil, false
}

// checkGivenSecurityGroups reports an imported group that took none of the
// rules just added: one imported with Mutable: false, on which aws-cdk-lib
// drops every rule without a word. Rules for an imported mutable group
// become resources (under it, or under the peer's group in another stack)
// whose GroupId is its id. An id that is a token (an import from another
// stack) cannot be compared, so such a group is not checked.
func (w *webTier) checkGivenSecurityGroups(before map[string]bool) error {
	s := w.spec
	if !s.lbSecurityGroup.imported && !s.instanceSecurityGroup.imported {
		return nil
	}
	// The groups the new rules name, found in one walk of the app.
	named := map[string]bool{}
	for _, c := range *w.Node().Root().Node().FindAll(constructs.ConstructOrder_PREORDER) {
		if gid, ok := ruleGroupID(c); ok && !before[*c.Node().Path()] && gid != nil {
			named[*gid] = true
		}
	}
	var ps problems
	check := func(setting string, g givenGroup, takesRules bool) {
		if g.group == nil || !g.imported || !takesRules || unresolvedPtr(g.group.SecurityGroupId()) || named[*g.group.SecurityGroupId()] {
			return
		}
		ps.add(setting, "%s is imported as immutable, so the WebTier's rules cannot be added to it; import it with Mutable: true (awsec2.SecurityGroup_FromSecurityGroupId's default) or let the WebTier create the group", g.path)
	}
	// The load balancer's group takes an ingress rule for each allowed
	// peer, and an egress rule to the instances unless it already allows
	// all outbound traffic (then aws-cdk-lib adds none); the instances'
	// group always takes the instance ports from the load balancer.
	check("SecurityGroup", s.lbSecurityGroup, len(s.allowedPeers) > 0 || !s.lbSecurityGroup.allowAllOutbound)
	check("InstanceSecurityGroup", s.instanceSecurityGroup, true)
	return ps.err(*w.Node().Path())
}

// removeAdded takes out of the app what NewWebTierE added before
// checkGivenSecurityGroups found a problem: the rules it put on groups
// outside the tier (resources that were not there before), then the tier
// itself, so that the error leaves the app as it was.
func (w *webTier) removeAdded(before map[string]bool) {
	own := *w.Node().Path() + "/"
	for _, c := range *w.Node().Root().Node().FindAll(constructs.ConstructOrder_PREORDER) {
		if _, ok := ruleGroupID(c); ok && !before[*c.Node().Path()] && !strings.HasPrefix(*c.Node().Path(), own) {
			c.Node().Scope().Node().TryRemoveChild(c.Node().Id())
		}
	}
	w.Node().Scope().Node().TryRemoveChild(w.Node().Id())
}

// opensToInternet reports whether a peer is any IPv4 or IPv6 address.
func opensToInternet(peers []peerSpec) bool {
	for _, peer := range peers {
		if isWorld(peer) {
			return true
		}
	}
	return false
}

func isWorld(peer peerSpec) bool { return peer.id == "0.0.0.0/0" || peer.id == "::/0" }

// listenerPorts are the distinct load balancer ports, in listener order.
func (s *spec) listenerPorts() []float64 {
	var ports []float64
	for _, l := range s.listeners {
		ports = appendNew(ports, l.externalPort)
	}
	return ports
}

// instancePorts are the distinct ports the load balancer sends to: every
// listener's instance port and the health check port.
func (s *spec) instancePorts() []float64 {
	var ports []float64
	for _, u := range s.portUses() {
		ports = appendNew(ports, u.port)
	}
	return ports
}

// tcp is the TCP port p, made once per tier: a Port is a value, and each
// Port_Tcp is a call into aws-cdk-lib.
func (w *webTier) tcp(p float64) awsec2.Port {
	if port, ok := w.ports[p]; ok {
		return port
	}
	if w.ports == nil {
		w.ports = map[float64]awsec2.Port{}
	}
	w.ports[p] = awsec2.Port_Tcp(jsii.Number(p))
	return w.ports[p]
}

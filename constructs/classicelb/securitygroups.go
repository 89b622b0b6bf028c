package classicelb

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"
)

// createSecurityGroups makes (or adopts) the load balancer's group, opens the
// listener ports to the allowed peers, and opens the instance ports only to the
// load balancer: the load balancer may send only to the instance ports.
func (w *webTier) createSecurityGroups(p *WebTierProps, s *spec) {
	w.lbSG = p.SecurityGroup
	if w.lbSG == nil {
		w.lbSG = awsec2.NewSecurityGroup(w, jsii.String("LoadBalancerSecurityGroup"), &awsec2.SecurityGroupProps{
			Vpc:              p.Vpc,
			Description:      jsii.String("Classic load balancer: listener ports in, instance ports out"),
			AllowAllOutbound: jsii.Bool(false),
		})
	}
	w.instanceSG = awsec2.NewSecurityGroup(w, jsii.String("InstanceSecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc:              p.Vpc,
		Description:      jsii.String("Web tier instances: instance ports from the load balancer only"),
		AllowAllOutbound: jsii.Bool(false),
	})
	for _, e := range s.egress {
		w.instanceSG.AddEgressRule(e.rule.Peer, e.rule.Port, jsii.String(e.description), jsii.Bool(false))
	}

	peers := allowedPeers(p, s)
	if p.SecurityGroup == nil {
		switch {
		case opensToInternet(peers):
			suppress(w.lbSG, nagRule{id: "AwsSolutions-EC23", reason: "An internet-facing load balancer serves the public: its listener ports (and only those) are open to any IPv4 address."})
		case p.AllowedPeers == nil && s.internal:
			// The VPC's CIDR block is a reference that EC23 cannot evaluate;
			// it is not open to the internet.
			suppress(w.lbSG, nagRule{id: "CdkNagValidationFailure", reason: "The internal load balancer's listener ports are open to the VPC's own CIDR block, a CloudFormation reference that AwsSolutions-EC23 cannot evaluate.", appliesTo: []string{"AwsSolutions-EC23"}})
		}
	}
	for _, port := range s.listenerPorts() {
		for _, peer := range peers {
			w.lbSG.AddIngressRule(peer, tcpPort(port), jsii.String(fmt.Sprintf("Listener port %s from %s", portText(port), *peer.UniqueId())), jsii.Bool(false))
		}
	}
	for _, port := range s.instancePorts() {
		w.lbSG.Connections().AllowTo(w.instanceSG, tcpPort(port), jsii.String(fmt.Sprintf("Load balancer to instance port %s", portText(port))))
		if boolOr(p.OpenInstancePortsToWorld, false) {
			w.instanceSG.AddIngressRule(awsec2.Peer_AnyIpv4(), tcpPort(port), jsii.String(fmt.Sprintf("Instance port %s from anywhere (OpenInstancePortsToWorld)", portText(port))), jsii.Bool(false))
		}
	}
	if p.SshPeers != nil {
		for _, peer := range *p.SshPeers {
			w.instanceSG.AddIngressRule(peer, awsec2.Port_Tcp(jsii.Number(22)), jsii.String(fmt.Sprintf("SSH from %s", *peer.UniqueId())), jsii.Bool(false))
		}
	}
	w.connections = awsec2.NewConnections(&awsec2.ConnectionsProps{
		SecurityGroups: &[]awsec2.ISecurityGroup{w.lbSG},
		DefaultPort:    tcpPort(s.listeners[0].externalPort),
	})
}

// checkGivenSecurityGroup reports a given load balancer group that took none
// of the rules just added: an imported group with Mutable: false, on which
// aws-cdk-lib drops every rule without a word. Rules on an imported mutable
// group become resources under it; on a group of this app they are inline.
func (w *webTier) checkGivenSecurityGroup(p *WebTierProps, s *spec) error {
	sg := p.SecurityGroup
	if sg == nil || *awscdk.Resource_IsOwnedResource(sg) || len(*sg.Node().Children()) > 0 {
		return nil
	}
	// A rule must have become a resource: an ingress rule for each allowed
	// peer, or an egress rule to the instances unless the group already
	// allows all outbound traffic (then aws-cdk-lib adds none).
	if len(s.allowedPeers) == 0 && *sg.AllowAllOutbound() {
		return nil
	}
	var ps problems
	ps.add("SecurityGroup", "%s is imported as immutable, so the listener and instance-port rules cannot be added to it; import it with Mutable: true (awsec2.SecurityGroup_FromSecurityGroupId's default) or let the WebTier create the group", *sg.Node().Path())
	return ps.err(*w.Node().Path())
}

// allowedPeers is the console's: the world for an internet-facing load
// balancer, the VPC for an internal one.
func allowedPeers(p *WebTierProps, s *spec) []awsec2.IPeer {
	if p.AllowedPeers != nil {
		return *p.AllowedPeers
	}
	if s.internal {
		return []awsec2.IPeer{awsec2.Peer_Ipv4(p.Vpc.VpcCidrBlock())}
	}
	return []awsec2.IPeer{awsec2.Peer_AnyIpv4()}
}

// opensToInternet reports whether a peer is any IPv4 or IPv6 address.
func opensToInternet(peers []awsec2.IPeer) bool {
	for _, peer := range peers {
		if id := *peer.UniqueId(); id == "0.0.0.0/0" || id == "::/0" {
			return true
		}
	}
	return false
}

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
	for _, l := range s.listeners {
		ports = appendNew(ports, l.internalPort)
	}
	return appendNew(ports, s.healthCheck.port)
}

func appendNew(ports []float64, p float64) []float64 {
	for _, q := range ports {
		if q == p {
			return ports
		}
	}
	return append(ports, p)
}

func tcpPort(p float64) awsec2.Port { return awsec2.Port_Tcp(jsii.Number(p)) }

// portText renders a port, or its token, for descriptions and templates.
func portText(p float64) string {
	if *awscdk.Token_IsUnresolved(jsii.Number(p)) {
		return *awscdk.Token_AsString(jsii.Number(p), nil)
	}
	return num(p)
}

package classicelb

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/classic-webtier/cdk-classic-webtier/internal/clb"
)

// prepareInstances makes what fixed instances and a fleet's launch
// template share: the role, and a word when Session Manager cannot work.
func (w *webTier) prepareInstances() {
	s, in := w.spec, w.spec.instances
	w.role = w.instanceRole()
	if in.sessionManager && !w.httpsOut() {
		awscdk.Annotations_Of(w).AddWarningV2(jsii.String("@classic-webtier/classicelb:noHttpsOut"),
			jsii.String(fmt.Sprintf("InstanceSecurityGroup %s allows no HTTPS (TCP 443) out, which the Session Manager agent needs (to the ssm, ssmmessages and ec2messages endpoints); add such an egress rule or give InstanceEgress", s.instanceSecurityGroup.path)), nil)
	}
}

// instanceRef is a fixed instance's construct id and its InstanceId token.
type instanceRef struct {
	name string
	id   *string
}

// createInstances spreads the fixed instances round-robin over the
// selected subnets, one zone after another.
func (w *webTier) createInstances() {
	s, in := w.spec, w.spec.instances
	subnets := *s.instanceSubnets.Subnets
	for i := 0; i < int(in.count); i++ {
		subnet := subnets[i%len(subnets)]
		name := fmt.Sprintf("Instance%d", i+1)
		inst := awsec2.NewInstance(w, jsii.String(name), &awsec2.InstanceProps{
			Vpc:                      s.vpc,
			VpcSubnets:               &awsec2.SubnetSelection{Subnets: &[]awsec2.ISubnet{subnet}},
			InstanceType:             in.instanceType,
			MachineImage:             in.image,
			KeyPair:                  in.keyPair,
			UserData:                 in.userData,
			SecurityGroup:            w.instanceSG,
			Role:                     w.role,
			HttpTokens:               awsec2.HttpTokens_REQUIRED,
			DetailedMonitoring:       jsii.Bool(in.detailedMonitoring),
			BlockDevices:             in.blockDevices,
			AssociatePublicIpAddress: in.publicIP,
			// cloud-init runs user data on first boot only: a changed
			// script must come with new instances.
			UserDataCausesReplacement: jsii.Bool(in.userDataReplaces),
		})
		w.suppress(one(inst), nagRule{id: "AwsSolutions-EC29", reason: "The instances are interchangeable web servers behind the load balancer; termination protection would block cdk destroy and instance replacement."})
		w.instances = append(w.instances, inst)
		w.instanceRefs = append(w.instanceRefs, instanceRef{name: name, id: inst.InstanceId()})
	}
}

// ssmCorePolicy is the AWS managed policy Session Manager documents for
// instances.
const ssmCorePolicy = "AmazonSSMManagedInstanceCore"

// instanceRole is the given role, or one new role for all instances; either
// gets Session Manager access (instead of SSH) unless turned off.
func (w *webTier) instanceRole() awsiam.IRole {
	in := w.spec.instances
	role := in.role.role
	if role == nil {
		role = awsiam.NewRole(w, jsii.String("InstanceRole"), &awsiam.RoleProps{
			AssumedBy:   awsiam.NewServicePrincipal(jsii.String("ec2.amazonaws.com"), nil),
			Description: jsii.String("Web tier instances"),
		})
	}
	if in.sessionManagerLeft {
		awscdk.Annotations_Of(w).AddWarningV2(jsii.String("@classic-webtier/classicelb:sessionManagerPolicy"),
			jsii.String(fmt.Sprintf("InstanceRole %s is imported, so this stack does not attach %s to it: Session Manager works only if the role's owner attached it (set SessionManager: false to silence this)", in.role.path, ssmCorePolicy)), nil)
	}
	if in.sessionManager {
		// validate refuses an imported role here: it would take the policy
		// without a word of error and never attach it.
		role.AddManagedPolicy(awsiam.ManagedPolicy_FromAwsManagedPolicyName(jsii.String(ssmCorePolicy)))
		// A LazyRole makes its role when first read: before the suppression
		// is recorded on it.
		role.RoleName()
		w.suppress(one(role), nagRule{
			id:        "AwsSolutions-IAM4",
			reason:    "AmazonSSMManagedInstanceCore is the policy AWS maintains and documents for Session Manager on instances; it replaces SSH.",
			appliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/" + ssmCorePolicy},
		})
	}
	return role
}

// pageServer is what the default user data serves: every instance port
// the load balancer reaches, over TLS where a listener's instance protocol
// (or the health check) is HTTPS or SSL, the health check's path, and the
// redirect of plain HTTP to the first HTTPS listener's port when
// HttpsRedirect is on.
func (s *spec) pageServer() pageServer {
	plain, tls := s.instancePortsBySide()
	p := pageServer{Ports: portTexts(plain), TLSPorts: portTexts(tls)}
	if h := s.healthCheck; h.protocol.IsL7() {
		// The load balancer sends the query string too; the server
		// answers the path whatever follows it.
		p.HealthPath, _, _ = strings.Cut(h.path, "?")
	}
	if s.httpsRedirect {
		for _, l := range s.listeners {
			if l.externalProtocol == clb.HTTPS {
				p.Redirect = portText(l.externalPort)
				break
			}
		}
	}
	return p
}

// instancePortsBySide splits the instance ports into those the load
// balancer reaches in plain text and those it reaches over TLS, in
// listener order, the health check's last.
func (s *spec) instancePortsBySide() (plain, tls []float64) {
	for _, u := range s.portUses() {
		if u.protocol.IsTLS() {
			tls = appendNew(tls, u.port)
		} else {
			plain = appendNew(plain, u.port)
		}
	}
	return plain, tls
}

// portUse is one way the load balancer reaches an instance port: a
// listener's instance side or the health check, with the setting that
// sets the port and words for it in messages.
type portUse struct {
	setting, what string
	protocol      clb.Protocol
	port          float64
	// listener is the listener's index, -1 for the health check.
	listener int
}

// portUses are the listeners' instance sides, in order, then the health
// check. A TCP health check only opens a connection, which a port served
// over TLS accepts as well as a plain one: on a listener's instance port it
// adds no use of its own (on another port, the page is served there in
// plain text).
func (s *spec) portUses() []portUse {
	uses := make([]portUse, 0, len(s.listeners)+1)
	h := s.healthCheck
	ownPort := true
	for i, l := range s.listeners {
		uses = append(uses, portUse{fmt.Sprintf("Listeners[%d].InternalPort", i), fmt.Sprintf("listener %d (%s)", i, l.internalProtocol), l.internalProtocol, l.internalPort, i})
		ownPort = ownPort && !(h.protocol == clb.TCP && l.internalPort == h.port)
	}
	if !ownPort {
		return uses
	}
	return append(uses, portUse{"HealthCheck.Port", fmt.Sprintf("the %s health check", h.protocol), h.protocol, h.port, -1})
}

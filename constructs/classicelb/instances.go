package classicelb

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
)

// createInstances spreads the instances round-robin over the selected
// subnets, one zone after another.
func (w *webTier) createInstances(p *WebTierProps, s *spec, sel *awsec2.SelectedSubnets) {
	instanceType := p.InstanceType
	if instanceType == nil {
		instanceType = awsec2.NewInstanceType(jsii.String(DefaultInstanceType))
	}
	image := p.MachineImage
	if image == nil {
		image = awsec2.MachineImage_LatestAmazonLinux2023(nil)
	}
	userData := p.UserData
	if userData == nil {
		userData = defaultUserData(s.servedPorts())
		if len(s.servedPorts()) < len(s.instancePorts()) {
			awscdk.Annotations_Of(w).AddWarningV2(jsii.String("@classic-webtier/classicelb:tlsBackend"),
				jsii.String("the default user data serves plain HTTP only; an HTTPS or SSL instance protocol needs your own UserData with a TLS server"), nil)
		}
	}
	// One role for all instances, with Session Manager access instead of SSH.
	w.role = awsiam.NewRole(w, jsii.String("InstanceRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("ec2.amazonaws.com"), nil),
		Description: jsii.String("Web tier instances"),
	})
	subnets := *sel.Subnets
	count := int(s.instanceCount)
	for i := 0; i < count; i++ {
		subnet := subnets[i%len(subnets)]
		inst := awsec2.NewInstance(w, jsii.String(fmt.Sprintf("Instance%d", i+1)), &awsec2.InstanceProps{
			Vpc:           p.Vpc,
			VpcSubnets:    &awsec2.SubnetSelection{Subnets: &[]awsec2.ISubnet{subnet}},
			InstanceType:  instanceType,
			MachineImage:  image,
			KeyPair:       p.KeyPair,
			UserData:      userData,
			SecurityGroup: w.instanceSG,
			Role:          w.role,
			RequireImdsv2: jsii.Bool(true),
		})
		w.instances = append(w.instances, inst)
	}
}

// servedPorts are the instance ports the default user data serves: those the
// load balancer reaches over plain HTTP or TCP.
func (s *spec) servedPorts() []string {
	var ports []float64
	for _, l := range s.listeners {
		if l.internalProtocol == "HTTP" || l.internalProtocol == "TCP" {
			ports = appendNew(ports, l.internalPort)
		}
	}
	if h := s.healthCheck; h.protocol == "HTTP" || h.protocol == "TCP" {
		ports = appendNew(ports, h.port)
	}
	out := make([]string, len(ports))
	for i, p := range ports {
		out[i] = portText(p)
	}
	return out
}

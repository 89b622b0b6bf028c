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
		image = awsec2.MachineImage_LatestAmazonLinux2023(&awsec2.AmazonLinux2023ImageSsmParameterProps{
			CpuType: cpuTypeOf(instanceType),
		})
	}
	userData := p.UserData
	if userData == nil {
		userData = defaultUserData(s.servedPorts())
		if s.hasTLSBackend() {
			awscdk.Annotations_Of(w).AddWarningV2(jsii.String("@classic-webtier/classicelb:tlsBackend"),
				jsii.String("the default user data serves plain HTTP only; an HTTPS or SSL instance protocol needs your own UserData with a TLS server"), nil)
		}
	}
	blockDevices := p.BlockDevices
	if blockDevices == nil {
		blockDevices = &[]*awsec2.BlockDevice{{
			DeviceName: jsii.String(DefaultRootDeviceName),
			Volume: awsec2.BlockDeviceVolume_Ebs(jsii.Number(DefaultRootVolumeGiB), &awsec2.EbsDeviceOptions{
				Encrypted:  jsii.Bool(true),
				VolumeType: awsec2.EbsDeviceVolumeType_GP3,
			}),
		}}
	}
	publicIP := p.AssociatePublicIpAddress
	if publicIP == nil && !*sel.HasPublic {
		publicIP = jsii.Bool(false)
	}
	w.role = w.createInstanceRole(p)
	subnets := *sel.Subnets
	count := int(s.instanceCount)
	for i := 0; i < count; i++ {
		subnet := subnets[i%len(subnets)]
		inst := awsec2.NewInstance(w, jsii.String(fmt.Sprintf("Instance%d", i+1)), &awsec2.InstanceProps{
			Vpc:                      p.Vpc,
			VpcSubnets:               &awsec2.SubnetSelection{Subnets: &[]awsec2.ISubnet{subnet}},
			InstanceType:             instanceType,
			MachineImage:             image,
			KeyPair:                  p.KeyPair,
			UserData:                 userData,
			SecurityGroup:            w.instanceSG,
			Role:                     w.role,
			HttpTokens:               awsec2.HttpTokens_REQUIRED,
			DetailedMonitoring:       jsii.Bool(boolOr(p.DetailedMonitoring, true)),
			BlockDevices:             blockDevices,
			AssociatePublicIpAddress: publicIP,
			// cloud-init runs user data on first boot only: a changed
			// script must come with new instances.
			UserDataCausesReplacement: jsii.Bool(s.userDataReplaces),
		})
		suppress(inst, nagRule{id: "AwsSolutions-EC29", reason: "The instances are interchangeable web servers behind the load balancer; termination protection would block cdk destroy and instance replacement."})
		w.instances = append(w.instances, inst)
	}
}

// cpuTypeOf is the Amazon Linux image architecture an instance type needs:
// arm64 for Graviton types (t4g, m7g ...), which cannot boot x86_64 images.
// aws-cdk-lib cannot parse some real type names (u-6tb1.metal); those are
// x86_64.
func cpuTypeOf(t awsec2.InstanceType) (cpu awsec2.AmazonLinuxCpuType) {
	defer func() {
		if recover() != nil {
			cpu = awsec2.AmazonLinuxCpuType_X86_64
		}
	}()
	if t.Architecture() == awsec2.InstanceArchitecture_ARM_64 {
		return awsec2.AmazonLinuxCpuType_ARM_64
	}
	return awsec2.AmazonLinuxCpuType_X86_64
}

// ssmCorePolicy is the AWS managed policy Session Manager documents for
// instances.
const ssmCorePolicy = "AmazonSSMManagedInstanceCore"

// createInstanceRole makes one role for all instances, with Session Manager
// access (instead of SSH) unless turned off.
func (w *webTier) createInstanceRole(p *WebTierProps) awsiam.IRole {
	role := awsiam.NewRole(w, jsii.String("InstanceRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("ec2.amazonaws.com"), nil),
		Description: jsii.String("Web tier instances"),
	})
	if boolOr(p.SessionManager, true) {
		role.AddManagedPolicy(awsiam.ManagedPolicy_FromAwsManagedPolicyName(jsii.String(ssmCorePolicy)))
		suppress(role, nagRule{
			id:        "AwsSolutions-IAM4",
			reason:    "AmazonSSMManagedInstanceCore is the policy AWS maintains and documents for Session Manager on instances; it replaces SSH.",
			appliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/" + ssmCorePolicy},
		})
	}
	return role
}

// hasTLSBackend reports whether the load balancer speaks TLS to the instances
// (a listener's instance protocol or the health check is HTTPS or SSL).
func (s *spec) hasTLSBackend() bool {
	tls := s.healthCheck.protocol == "HTTPS" || s.healthCheck.protocol == "SSL"
	for _, l := range s.listeners {
		tls = tls || l.internalProtocol == "HTTPS" || l.internalProtocol == "SSL"
	}
	return tls
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

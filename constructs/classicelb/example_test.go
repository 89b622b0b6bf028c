package classicelb_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancing"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/classic-webtier/cdk-classic-webtier/constructs/classicelb"
)

// The console tutorial in code: two instances in two zones behind an
// internet-facing classic load balancer named exampleelb, with the console's
// health check, cross-zone balancing and draining, SSH from one network, and
// www.example.com as an alias.
func ExampleNewWebTier() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Web"), &awscdk.StackProps{
		Env: &awscdk.Environment{Region: jsii.String("ap-northeast-2")},
	})
	vpc := awsec2.NewVpc(stack, jsii.String("Vpc"), &awsec2.VpcProps{MaxAzs: jsii.Number(2), NatGateways: jsii.Number(0)})
	zone := awsroute53.HostedZone_FromHostedZoneAttributes(stack, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
		HostedZoneId: jsii.String("Z0123456789EXAMPLE"),
		ZoneName:     jsii.String("example.com"),
	})

	tier := classicelb.NewWebTier(stack, jsii.String("WebTier"), &classicelb.WebTierProps{
		Vpc:              vpc,
		LoadBalancerName: jsii.String("exampleelb"),
		Listeners: &[]*classicelb.Listener{{
			ExternalPort:     jsii.Number(80),
			ExternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_HTTP,
		}},
		SshPeers:   &[]awsec2.IPeer{awsec2.Peer_Ipv4(jsii.String("203.0.113.0/24"))},
		HostedZone: zone,
		RecordName: jsii.String("www"),
	})
	awscdk.NewCfnOutput(stack, jsii.String("Url"), &awscdk.CfnOutputProps{Value: tier.LoadBalancerDnsName()})

	fmt.Println(len(tier.Instances()), "instances behind", *tier.LoadBalancer().Node().Path())
	// Output: 2 instances behind Web/WebTier/Resource
}

// More names for the tier's load balancer, in a tier composed with an
// app's own security group and role, and used where aws-cdk-lib takes a
// connectable or a grantee.
func ExampleNewAliasTarget() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Web"), &awscdk.StackProps{
		Env: &awscdk.Environment{Region: jsii.String("ap-northeast-2")},
	})
	vpc := awsec2.NewVpc(stack, jsii.String("Vpc"), &awsec2.VpcProps{MaxAzs: jsii.Number(2), NatGateways: jsii.Number(0)})
	zone := awsroute53.HostedZone_FromHostedZoneAttributes(stack, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
		HostedZoneId: jsii.String("Z0123456789EXAMPLE"),
		ZoneName:     jsii.String("example.com"),
	})
	appSG := awsec2.NewSecurityGroup(stack, jsii.String("AppInstances"), &awsec2.SecurityGroupProps{Vpc: vpc, AllowAllOutbound: jsii.Bool(false)})
	appRole := awsiam.NewRole(stack, jsii.String("AppRole"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("ec2.amazonaws.com"), nil),
	})

	tier := classicelb.NewWebTier(stack, jsii.String("WebTier"), &classicelb.WebTierProps{
		Vpc:                   vpc,
		InstanceSecurityGroup: appSG,
		InstanceRole:          appRole,
		HostedZone:            zone,
		RecordName:            jsii.String("www"),
	})
	// The apex too.
	awsroute53.NewARecord(stack, jsii.String("Apex"), &awsroute53.ARecordProps{
		Zone:   zone,
		Target: awsroute53.RecordTarget_FromAlias(classicelb.NewAliasTarget(tier)),
	})
	// The tier as a grantee (its instance role), and the way in.
	content := awss3.NewBucket(stack, jsii.String("Content"), nil)
	content.GrantRead(tier, nil)
	tier.LoadBalancerConnections().AllowDefaultPortFrom(awsec2.Peer_Ipv4(jsii.String("198.51.100.0/24")), jsii.String("partners"))
	awscdk.NewCfnOutput(stack, jsii.String("LoadBalancerName"), &awscdk.CfnOutputProps{Value: tier.LoadBalancerName()})

	fmt.Println(tier.InstanceRole() == appRole, tier.InstanceSecurityGroup() == appSG)
	// Output: true true
}

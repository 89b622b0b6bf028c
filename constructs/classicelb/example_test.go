package classicelb_test

import (
	"errors"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsautoscaling"
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

// Settings that come from users are input, not bugs: NewWebTierE returns
// every invalid one at once, as a *ValidationError whose Problems name the
// setting, and leaves the stack as it was.
func ExampleNewWebTierE() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Web"), &awscdk.StackProps{
		Env: &awscdk.Environment{Region: jsii.String("ap-northeast-2")},
	})
	vpc := awsec2.NewVpc(stack, jsii.String("Vpc"), &awsec2.VpcProps{MaxAzs: jsii.Number(2), NatGateways: jsii.Number(0)})

	_, err := classicelb.NewWebTierE(stack, jsii.String("WebTier"), &classicelb.WebTierProps{
		Vpc:              vpc,
		LoadBalancerName: jsii.String("example_elb"),
		InstanceCount:    jsii.Number(0),
	})
	var invalid *classicelb.ValidationError
	if errors.As(err, &invalid) {
		for _, p := range invalid.Problems {
			fmt.Println(p.Setting)
		}
	}
	fmt.Println(stack.Node().TryFindChild(jsii.String("WebTier")) == nil)
	// Output:
	// LoadBalancerName
	// InstanceCount
	// true
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

// The tier as a fleet: an Auto Scaling group of 2 to 6 instances, on
// Graviton, replacing an instance the load balancer finds unhealthy and
// rolling image and user data changes out one instance at a time.
func ExampleAutoScalingOptions() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Web"), &awscdk.StackProps{
		Env: &awscdk.Environment{Region: jsii.String("ap-northeast-2")},
	})
	vpc := awsec2.NewVpc(stack, jsii.String("Vpc"), &awsec2.VpcProps{MaxAzs: jsii.Number(2), NatGateways: jsii.Number(0)})

	tier := classicelb.NewWebTier(stack, jsii.String("WebTier"), &classicelb.WebTierProps{
		Vpc:          vpc,
		InstanceType: awsec2.NewInstanceType(jsii.String("t4g.small")),
		AutoScaling: &classicelb.AutoScalingOptions{
			MinCapacity:          jsii.Number(2),
			MaxCapacity:          jsii.Number(6),
			TargetCpuUtilization: jsii.Number(60),
		},
	})
	// Any aws-cdk-lib scaling on top: more instances in business hours.
	tier.AutoScalingGroup().ScaleOnSchedule(jsii.String("BusinessHours"), &awsautoscaling.BasicScheduledActionProps{
		Schedule:    awsautoscaling.Schedule_Cron(&awsautoscaling.CronOptions{Hour: jsii.String("8"), Minute: jsii.String("0"), WeekDay: jsii.String("MON-FRI")}),
		MinCapacity: jsii.Number(3),
		TimeZone:    jsii.String("Asia/Seoul"),
	})

	fmt.Println(len(tier.Instances()), "fixed instances;", *tier.AutoScalingGroup().Node().Path(), "behind", *tier.LoadBalancer().Node().Path())
	// Output: 0 fixed instances; Web/WebTier/Fleet behind Web/WebTier/Resource
}

// A group built by hand joins the tier's load balancer: its instances are
// registered as the group launches them, the load balancer may reach their
// instance port, and the load balancer's health check becomes the group's.
func ExampleWebTier_attachAutoScalingGroup() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Web"), &awscdk.StackProps{
		Env: &awscdk.Environment{Region: jsii.String("ap-northeast-2")},
	})
	vpc := awsec2.NewVpc(stack, jsii.String("Vpc"), &awsec2.VpcProps{MaxAzs: jsii.Number(2), NatGateways: jsii.Number(0)})
	tier := classicelb.NewWebTier(stack, jsii.String("WebTier"), &classicelb.WebTierProps{Vpc: vpc, InstanceCount: jsii.Number(1)})

	group := awsautoscaling.NewAutoScalingGroup(stack, jsii.String("Workers"), &awsautoscaling.AutoScalingGroupProps{
		Vpc:          vpc,
		VpcSubnets:   &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_ISOLATED},
		InstanceType: awsec2.NewInstanceType(jsii.String("t3.small")),
		MachineImage: awsec2.MachineImage_LatestAmazonLinux2023(nil),
		MinCapacity:  jsii.Number(2),
	})
	tier.AttachAutoScalingGroup(group)

	cfn := group.Node().DefaultChild().(awsautoscaling.CfnAutoScalingGroup)
	fmt.Println(*cfn.HealthCheckType(), *cfn.HealthCheckGracePeriod(), "s")
	// Output: ELB 420 s
}

// Two regions behind one name: a stack per region, each adding its own
// record of www.example.com to the shared zone, so no stack refers to
// another. Seoul serves while healthy (a Route 53 health check requests its
// site); Oregon takes over when it is not. RoutingLatency instead sends
// each visitor to the closest healthy region, RoutingWeighted shares the
// traffic.
func ExampleRouting() {
	app := awscdk.NewApp(nil)
	for _, region := range []struct {
		name string
		role awsroute53.Failover
	}{
		{"ap-northeast-2", awsroute53.Failover_PRIMARY},
		{"us-west-2", awsroute53.Failover_SECONDARY},
	} {
		stack := awscdk.NewStack(app, jsii.String("Web-"+region.name), &awscdk.StackProps{
			Env: &awscdk.Environment{Region: jsii.String(region.name)},
		})
		vpc := awsec2.NewVpc(stack, jsii.String("Vpc"), &awsec2.VpcProps{MaxAzs: jsii.Number(2), NatGateways: jsii.Number(0)})
		zone := awsroute53.HostedZone_FromHostedZoneAttributes(stack, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
			HostedZoneId: jsii.String("Z0123456789EXAMPLE"),
			ZoneName:     jsii.String("example.com"),
		})
		tier := classicelb.NewWebTier(stack, jsii.String("WebTier"), &classicelb.WebTierProps{
			Vpc:        vpc,
			HostedZone: zone,
			RecordName: jsii.String("www"),
			Routing:    &classicelb.Routing{Policy: classicelb.RoutingFailover, Failover: region.role},
		})
		fmt.Println(region.name, region.role, "site health check:", tier.SiteHealthCheck() != nil)
	}
	// Output:
	// ap-northeast-2 PRIMARY site health check: true
	// us-west-2 SECONDARY site health check: false
}

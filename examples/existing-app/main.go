// Command existing-app is a CDK app of a platform team that adds the classic
// ELB web tier to a stack of its own: its own VPC, hosted zone, instance
// security group and instance role, a second DNS name, and a bucket the
// instances read.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/classic-webtier/cdk-classic-webtier/constructs/classicelb"
)

func main() { os.Exit(run()) }

// run returns the exit code, so that the deferred jsii.Close runs before
// os.Exit.
func run() int {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	if _, err := newStack(app); err != nil {
		// A *classicelb.ValidationError lists every invalid setting.
		fmt.Fprintln(os.Stderr, "error:", err)
		return 1
	}
	app.Synth(nil)
	return 0
}

// newStack builds the stack: the web tier in the team's own network, with
// the team's own security group and role for its instances. A setting the
// web tier cannot take is an error, not a panic.
func newStack(app awscdk.App) (awscdk.Stack, error) {
	stack := awscdk.NewStack(app, jsii.String("ExistingApp"), &awscdk.StackProps{Env: environment()})

	vpc := awsec2.NewVpc(stack, jsii.String("Vpc"), &awsec2.VpcProps{
		MaxAzs:      jsii.Number(2),
		NatGateways: jsii.Number(0),
		SubnetConfiguration: &[]*awsec2.SubnetConfiguration{
			{Name: jsii.String("Public"), SubnetType: awsec2.SubnetType_PUBLIC, CidrMask: jsii.Number(24), MapPublicIpOnLaunch: jsii.Bool(false)},
			{Name: jsii.String("App"), SubnetType: awsec2.SubnetType_PRIVATE_ISOLATED, CidrMask: jsii.Number(24)},
		},
	})
	zone := awsroute53.HostedZone_FromHostedZoneAttributes(stack, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
		HostedZoneId: jsii.String("Z0123456789EXAMPLE"),
		ZoneName:     jsii.String("example.com"),
	})

	// The team's own security group and role for the instances. The web tier
	// adds only its own rule (the instance port from the load balancer) and
	// the Session Manager policy.
	instanceSG := awsec2.NewSecurityGroup(stack, jsii.String("WebInstances"), &awsec2.SecurityGroupProps{
		Vpc:              vpc,
		Description:      jsii.String("Web servers of the existing app"),
		AllowAllOutbound: jsii.Bool(false),
	})
	// The group's owner decides what the instances may reach.
	instanceSG.AddEgressRule(awsec2.Peer_AnyIpv4(), awsec2.Port_Tcp(jsii.Number(443)),
		jsii.String("HTTPS to AWS services (Session Manager)"), jsii.Bool(false))
	instanceRole := awsiam.NewRole(stack, jsii.String("WebInstanceRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("ec2.amazonaws.com"), nil),
		Description: jsii.String("Web servers of the existing app"),
	})

	tier, err := classicelb.NewWebTierE(stack, jsii.String("WebTier"), &classicelb.WebTierProps{
		Vpc:                   vpc,
		InstanceSecurityGroup: instanceSG,
		InstanceRole:          instanceRole,
		HostedZone:            zone,
		RecordName:            jsii.String("www"),
	})
	if err != nil {
		return nil, err
	}
	// aws-cdk-lib takes the tier wherever it takes a connectable (the
	// instances' security group, as for an AutoScalingGroup) or a grantee
	// (the instance role).
	var _ awsec2.IConnectable = tier
	var _ awsiam.IGrantable = tier

	// A second name for the same load balancer: the zone apex.
	awsroute53.NewARecord(stack, jsii.String("ApexAlias"), &awsroute53.ARecordProps{
		Zone:    zone,
		Target:  awsroute53.RecordTarget_FromAlias(classicelb.NewAliasTarget(tier)),
		Comment: jsii.String("example.com, as www.example.com"),
	})

	// Content the instances read, granted to the tier (its instance role).
	content := awss3.NewBucket(stack, jsii.String("Content"), &awss3.BucketProps{
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:        jsii.Bool(true),
		Versioned:         jsii.Bool(true),
	})
	content.GrantRead(tier, nil)

	awscdk.NewCfnOutput(stack, jsii.String("LoadBalancerName"), &awscdk.CfnOutputProps{
		Description: jsii.String("Name of the classic load balancer"),
		Value:       tier.LoadBalancerName(),
	})
	return stack, nil
}

// environment is Seoul, in the account the CLI takes from your credentials
// (CDK_DEFAULT_ACCOUNT). Without credentials the stack has no account and
// synth needs no AWS call; with one, the VPC asks the account which
// Availability Zones it has (and the CLI keeps the answer in
// cdk.context.json).
func environment() *awscdk.Environment {
	env := &awscdk.Environment{Region: jsii.String("ap-northeast-2")}
	if account := os.Getenv("CDK_DEFAULT_ACCOUNT"); account != "" {
		env.Account = jsii.String(account)
	}
	return env
}

package classicelb

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"
)

// lookedUpStack is a stack whose VPC is looked up (the CLI's answer in the
// context): public subnets a and b, private subnets a and c.
func lookedUpStack() (awscdk.Stack, awsec2.IVpc) {
	const account, vpcID = "123456789012", "vpc-0a1b2c3d4e5f67890"
	subnet := func(id, az string) map[string]interface{} {
		return map[string]interface{}{"subnetId": id, "cidr": "10.20.0.0/24", "availabilityZone": az, "routeTableId": "rtb-" + id[len("subnet-"):]}
	}
	group := func(typ string, subnets ...interface{}) interface{} {
		return map[string]interface{}{"name": typ, "type": typ, "subnets": subnets}
	}
	app := awscdk.NewApp(&awscdk.AppProps{Context: &map[string]interface{}{
		"vpc-provider:account=" + account + ":filter.vpc-id=" + vpcID + ":region=ap-northeast-2:returnAsymmetricSubnets=true": map[string]interface{}{
			"vpcId": vpcID, "vpcCidrBlock": "10.20.0.0/16", "ownerAccountId": account, "availabilityZones": []interface{}{},
			"subnetGroups": []interface{}{
				group("Public", subnet("subnet-0000000000000000a", "ap-northeast-2a"), subnet("subnet-0000000000000000b", "ap-northeast-2b")),
				group("Private", subnet("subnet-1000000000000000a", "ap-northeast-2a"), subnet("subnet-1000000000000000c", "ap-northeast-2c")),
			},
		},
	}})
	stack := awscdk.NewStack(app, jsii.String("Test"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String("ap-northeast-2")}})
	return stack, awsec2.Vpc_FromLookup(stack, jsii.String("Vpc"), &awsec2.VpcLookupOptions{VpcId: jsii.String(vpcID)})
}

// TestInternetFacingNeedsPublicSubnets: an internet-facing load balancer
// in subnets aws-cdk-lib knows are private or isolated can never be
// reached from the internet: refused, naming the subnets and the fix.
func TestInternetFacingNeedsPublicSubnets(t *testing.T) {
	const fix = "which are not public: an internet-facing load balancer there cannot be reached from the internet; select public subnets (as the default does), or set Internal: true"
	cases := []struct {
		name  string
		props func(stack awscdk.Stack, vpc awsec2.IVpc) *WebTierProps
		want  string
	}{
		{"isolated by type", func(_ awscdk.Stack, vpc awsec2.IVpc) *WebTierProps {
			return &WebTierProps{Vpc: vpc, LoadBalancerSubnets: &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_ISOLATED}}
		}, `LoadBalancerSubnets: selects "Test/Vpc/PrivateSubnet1" and "Test/Vpc/PrivateSubnet2", ` + fix},
		{"default type of a selection", func(_ awscdk.Stack, vpc awsec2.IVpc) *WebTierProps {
			return &WebTierProps{Vpc: vpc, LoadBalancerSubnets: &awsec2.SubnetSelection{OnePerAz: jsii.Bool(true)}}
		}, `LoadBalancerSubnets: selects "Test/Vpc/PrivateSubnet1" and "Test/Vpc/PrivateSubnet2", ` + fix},
		{"one given subnet of two", func(_ awscdk.Stack, vpc awsec2.IVpc) *WebTierProps {
			return &WebTierProps{Vpc: vpc, LoadBalancerSubnets: &awsec2.SubnetSelection{Subnets: &[]awsec2.ISubnet{(*vpc.PublicSubnets())[0], (*vpc.IsolatedSubnets())[1]}}}
		}, `LoadBalancerSubnets: selects "Test/Vpc/PrivateSubnet2", which is not public:`},
		{"a subnet group", func(_ awscdk.Stack, vpc awsec2.IVpc) *WebTierProps {
			return &WebTierProps{Vpc: vpc, LoadBalancerSubnets: &awsec2.SubnetSelection{SubnetGroupName: jsii.String("Private")}}
		}, `LoadBalancerSubnets: selects "Test/Vpc/PrivateSubnet1" and "Test/Vpc/PrivateSubnet2", ` + fix},
		{"imported VPC's private subnets", func(stack awscdk.Stack, _ awsec2.IVpc) *WebTierProps {
			vpc := awsec2.Vpc_FromVpcAttributes(stack, jsii.String("Imported"), &awsec2.VpcAttributes{
				VpcId: jsii.String("vpc-1"), AvailabilityZones: jsii.Strings("ap-northeast-2a", "ap-northeast-2c"),
				PublicSubnetIds: jsii.Strings("subnet-0a", "subnet-0c"), PrivateSubnetIds: jsii.Strings("subnet-1a", "subnet-1c"),
			})
			return &WebTierProps{Vpc: vpc, LoadBalancerSubnets: &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_WITH_EGRESS}}
		}, "LoadBalancerSubnets: selects subnet-1a and subnet-1c, " + fix},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stack, vpc := newStack("ap-northeast-2")
			verr := buildErr(t, stack, c.props(stack, vpc))
			if !strings.Contains(verr.Error(), c.want) {
				t.Errorf("lacks %q:\n%v", c.want, verr)
			}
		})
	}
	t.Run("looked-up VPC's private subnets", func(t *testing.T) {
		stack, vpc := lookedUpStack()
		verr := buildErr(t, stack, &WebTierProps{Vpc: vpc, LoadBalancerSubnets: &awsec2.SubnetSelection{Subnets: vpc.PrivateSubnets()}})
		if want := "LoadBalancerSubnets: selects subnet-1000000000000000a and subnet-1000000000000000c, " + fix; !strings.Contains(verr.Error(), want) {
			t.Errorf("lacks %q:\n%v", want, verr)
		}
		if err := ValidateProps(&WebTierProps{Vpc: vpc, LoadBalancerSubnets: &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_WITH_EGRESS}}); err == nil || !strings.Contains(err.Error(), "which are not public") {
			t.Errorf("ValidateProps: %v", err)
		}
		// A subnet imported on its own by the id of one of the VPC's
		// private subnets is that subnet.
		byID := awsec2.Subnet_FromSubnetAttributes(stack, jsii.String("ById"), &awsec2.SubnetAttributes{
			SubnetId: jsii.String("subnet-1000000000000000c"), AvailabilityZone: jsii.String("ap-northeast-2c"),
		})
		err := ValidateProps(&WebTierProps{Vpc: vpc, LoadBalancerSubnets: &awsec2.SubnetSelection{Subnets: &[]awsec2.ISubnet{(*vpc.PublicSubnets())[0], byID}}})
		if want := "LoadBalancerSubnets: selects subnet-1000000000000000c, which is not public"; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("lacks %q: %v", want, err)
		}
	})
}

// TestPublicOrInternalSubnetsAreAccepted: public subnets, however
// selected, and private ones for an internal load balancer build without
// a word about them.
func TestPublicOrInternalSubnetsAreAccepted(t *testing.T) {
	for name, props := range map[string]func(vpc awsec2.IVpc) *WebTierProps{
		"default": func(vpc awsec2.IVpc) *WebTierProps { return &WebTierProps{Vpc: vpc} },
		"given public": func(vpc awsec2.IVpc) *WebTierProps {
			return &WebTierProps{Vpc: vpc, LoadBalancerSubnets: &awsec2.SubnetSelection{Subnets: vpc.PublicSubnets()}}
		},
		"public group": func(vpc awsec2.IVpc) *WebTierProps {
			return &WebTierProps{Vpc: vpc, LoadBalancerSubnets: &awsec2.SubnetSelection{SubnetGroupName: jsii.String("Public")}}
		},
		"internal": func(vpc awsec2.IVpc) *WebTierProps { return &WebTierProps{Vpc: vpc, Internal: jsii.Bool(true)} },
		"internal isolated": func(vpc awsec2.IVpc) *WebTierProps {
			return &WebTierProps{Vpc: vpc, Internal: jsii.Bool(true), LoadBalancerSubnets: &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_ISOLATED}}
		},
	} {
		t.Run(name, func(t *testing.T) {
			stack, vpc := newStack("ap-northeast-2")
			build(t, stack, props(vpc))
			if w := *assertions.Annotations_FromStack(stack).FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("public"))); len(w) != 0 {
				t.Errorf("warned: %v", js(w))
			}
		})
	}
	stack, vpc := lookedUpStack()
	build(t, stack, &WebTierProps{Vpc: vpc, LoadBalancerSubnets: &awsec2.SubnetSelection{Subnets: vpc.PublicSubnets()}})
}

// TestSubnetsOfUnknownTypeWarn: subnets imported on their own carry no
// route table aws-cdk-lib can read, so whether they are public is not
// known: a warning names them instead of a refusal.
func TestSubnetsOfUnknownTypeWarn(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	a := awsec2.Subnet_FromSubnetAttributes(stack, jsii.String("A"), &awsec2.SubnetAttributes{
		SubnetId: jsii.String("subnet-0123456789abcdef0"), AvailabilityZone: jsii.String("ap-northeast-2a"),
	})
	c := awsec2.Subnet_FromSubnetAttributes(stack, jsii.String("C"), &awsec2.SubnetAttributes{
		SubnetId: jsii.String("subnet-0123456789abcdef1"), AvailabilityZone: jsii.String("ap-northeast-2c"), RouteTableId: jsii.String("rtb-0123456789abcdef0"),
	})
	build(t, stack, &WebTierProps{Vpc: vpc, LoadBalancerSubnets: &awsec2.SubnetSelection{Subnets: &[]awsec2.ISubnet{a, c}}})
	warnings := assertions.Annotations_FromStack(stack).FindWarning(jsii.String("/Test/WebTier"), assertions.Match_StringLikeRegexp(jsii.String("LoadBalancerSubnets selects subnet-0123456789abcdef0 and subnet-0123456789abcdef1, which may not be public")))
	if len(*warnings) != 1 {
		t.Errorf("want one warning naming both subnets, got %s", js(assertions.Annotations_FromStack(stack).FindWarning(jsii.String("*"), assertions.Match_AnyValue())))
	}
	if got := js(warnings); !strings.Contains(got, "@classic-webtier/classicelb:") {
		t.Errorf("the warning has no @classic-webtier/classicelb id: %s", got)
	}
}

// TestValidateNamesNonPublicSubnets: the check itself, in plain Go: only
// the subnets known not to be public are named, and only once their
// publicness was read (an internet-facing load balancer).
func TestValidateNamesNonPublicSubnets(t *testing.T) {
	s := validSpec()
	s.lbPublicChecked = true
	s.lbSubnetFacts[0].public, s.lbSubnetFacts[1].public = isPublic, notPublic
	wantProblem(t, s, "LoadBalancerSubnets", "selects subnet-c, which is not public: an internet-facing load balancer there cannot be reached from the internet; select public subnets (as the default does), or set Internal: true")
	s.lbSubnetFacts[0].public = publicUnknown
	if ps := s.validate(); len(ps) != 1 {
		t.Errorf("a subnet of unknown type is refused: %v", ps.err(""))
	}
	s.lbPublicChecked = false
	if ps := s.validate(); len(ps) != 0 {
		t.Errorf("subnets not read are refused: %v", ps.err(""))
	}
}

package classicelb

import (
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancing"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
)

// instanceIDs are the logical IDs of the template's instances, sorted.
func instanceIDs(t *testing.T, tmpl assertions.Template) []string {
	t.Helper()
	var ids []string
	for id := range *tmpl.FindResources(jsii.String("AWS::EC2::Instance"), nil) {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// TestUserDataChangesReplaceTheInstances: a change the running instances
// cannot pick up (their user data: here a new instance port) gives them new
// logical IDs, so CloudFormation replaces them; a change of the load
// balancer alone (the health check interval) keeps them.
func TestUserDataChangesReplaceTheInstances(t *testing.T) {
	ids := func(props func(vpc awsec2.IVpc) *WebTierProps) []string {
		stack, vpc := newStack("")
		_, tmpl := build(t, stack, props(vpc))
		return instanceIDs(t, tmpl)
	}
	base := ids(func(vpc awsec2.IVpc) *WebTierProps { return &WebTierProps{Vpc: vpc} })
	port := ids(func(vpc awsec2.IVpc) *WebTierProps {
		return &WebTierProps{Vpc: vpc, Listeners: &[]*Listener{{ExternalPort: jsii.Number(80), InternalPort: jsii.Number(8080)}}}
	})
	interval := ids(func(vpc awsec2.IVpc) *WebTierProps {
		return &WebTierProps{Vpc: vpc, HealthCheck: &HealthCheck{Interval: awscdk.Duration_Seconds(jsii.Number(10)), HealthyThreshold: jsii.Number(3)}}
	})
	if len(base) != 2 || len(port) != 2 {
		t.Fatalf("instances: %v, %v", base, port)
	}
	for i := range base {
		if base[i] == port[i] {
			t.Errorf("instance port 80 -> 8080 keeps %s: the instances would never serve 8080", base[i])
		}
		if base[i] != interval[i] {
			t.Errorf("a health check change replaces %s with %s", base[i], interval[i])
		}
	}
	// Turned off, the IDs stay whatever the user data says.
	off := func(port float64) []string {
		return ids(func(vpc awsec2.IVpc) *WebTierProps {
			return &WebTierProps{Vpc: vpc, UserDataCausesReplacement: jsii.Bool(false), Listeners: &[]*Listener{{ExternalPort: jsii.Number(80), InternalPort: jsii.Number(port)}}}
		})
	}
	if a, b := off(80), off(8080); strings.Join(a, ",") != strings.Join(b, ",") {
		t.Errorf("UserDataCausesReplacement false still replaces: %v, %v", a, b)
	}
}

// TestImageFollowsTheInstanceArchitecture: a Graviton type gets the arm64
// Amazon Linux image, which is the only one it boots.
func TestImageFollowsTheInstanceArchitecture(t *testing.T) {
	// u-6tb1.metal is real, and aws-cdk-lib cannot tell its architecture.
	for typ, arch := range map[string]string{"t4g.micro": "arm64", "m7g.large": "arm64", "t3.micro": "x86_64", "u-6tb1.metal": "x86_64"} {
		stack, vpc := newStack("")
		_, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, InstanceType: awsec2.NewInstanceType(jsii.String(typ))})
		params := js((*tmpl.ToJSON())["Parameters"])
		if !strings.Contains(params, `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-`+arch+`"`) {
			t.Errorf("%s: no %s image parameter", typ, arch)
		}
	}
}

func TestGivenObjectsTheConstructCannotUse(t *testing.T) {
	cases := []struct {
		name  string
		props func(stack awscdk.Stack, vpc awsec2.IVpc) *WebTierProps
		want  []string
	}{
		{"immutable security group", func(stack awscdk.Stack, vpc awsec2.IVpc) *WebTierProps {
			sg := awsec2.SecurityGroup_FromSecurityGroupId(stack, jsii.String("Shared"), jsii.String("sg-0123456789abcdef0"), &awsec2.SecurityGroupImportOptions{Mutable: jsii.Bool(false)})
			return &WebTierProps{Vpc: vpc, SecurityGroup: sg}
		}, []string{"SecurityGroup: Test/Shared is imported as immutable"}},
		{"zone without a name", func(stack awscdk.Stack, vpc awsec2.IVpc) *WebTierProps {
			zone := awsroute53.HostedZone_FromHostedZoneId(stack, jsii.String("Zone"), jsii.String("Z0123456789EXAMPLE"))
			return &WebTierProps{Vpc: vpc, HostedZone: zone, RecordName: jsii.String("www")}
		}, []string{"HostedZone: has no zone name", "HostedZone_FromHostedZoneAttributes"}},
		{"KMS-managed log bucket", func(stack awscdk.Stack, vpc awsec2.IVpc) *WebTierProps {
			b := awss3.NewBucket(stack, jsii.String("Logs"), &awss3.BucketProps{Encryption: awss3.BucketEncryption_KMS_MANAGED})
			return &WebTierProps{Vpc: vpc, AccessLogging: &AccessLogging{Bucket: b}}
		}, []string{"AccessLogging.Bucket: Test/Logs is encrypted with a KMS key"}},
		{"log bucket with a key", func(stack awscdk.Stack, vpc awsec2.IVpc) *WebTierProps {
			b := awss3.NewBucket(stack, jsii.String("Logs"), &awss3.BucketProps{EncryptionKey: awskms.NewKey(stack, jsii.String("Key"), nil)})
			return &WebTierProps{Vpc: vpc, AccessLogging: &AccessLogging{Bucket: b}}
		}, []string{"is encrypted with a KMS key"}},
		{"imported log bucket", func(stack awscdk.Stack, vpc awsec2.IVpc) *WebTierProps {
			b := awss3.Bucket_FromBucketName(stack, jsii.String("Logs"), jsii.String("central-logs"))
			return &WebTierProps{Vpc: vpc, AccessLogging: &AccessLogging{Bucket: b}}
		}, []string{"AccessLogging.Bucket: central-logs is imported, so this stack cannot add the statement"}},
		{"certificate of another region", func(stack awscdk.Stack, vpc awsec2.IVpc) *WebTierProps {
			return &WebTierProps{Vpc: vpc, Listeners: &[]*Listener{{ExternalPort: jsii.Number(443), ExternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_HTTPS,
				SslCertificateArn: jsii.String("arn:aws:acm:us-east-1:123456789012:certificate/abc")}}}
		}, []string{"Listeners[0].SslCertificateArn: \"arn:aws:acm:us-east-1:123456789012:certificate/abc\" is an ACM certificate of us-east-1, but the stack deploys to ap-northeast-2"}},
		{"two subnets of a zone, named by path", func(stack awscdk.Stack, vpc awsec2.IVpc) *WebTierProps {
			pub, iso := *vpc.PublicSubnets(), *vpc.IsolatedSubnets()
			return &WebTierProps{Vpc: vpc, LoadBalancerSubnets: &awsec2.SubnetSelection{Subnets: &[]awsec2.ISubnet{pub[0], iso[0]}}}
		}, []string{`LoadBalancerSubnets: selects subnets "Test/Vpc/PublicSubnet1" and "Test/Vpc/PrivateSubnet1", both in`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stack, vpc := newStack("ap-northeast-2")
			verr := buildErr(t, stack, c.props(stack, vpc))
			for _, want := range c.want {
				if !strings.Contains(verr.Error(), want) {
					t.Errorf("lacks %q:\n%v", want, verr)
				}
			}
			if strings.Contains(verr.Error(), "${Token") {
				t.Errorf("a token in the message: %v", verr)
			}
		})
	}
	// A mutable imported group that keeps all outbound traffic and takes no
	// listener rule (no allowed peers) holds no rule resource, and is fine.
	stackSG, vpcSG := newStack("ap-northeast-2")
	sg := awsec2.SecurityGroup_FromSecurityGroupId(stackSG, jsii.String("Shared"), jsii.String("sg-0123456789abcdef0"), nil)
	build(t, stackSG, &WebTierProps{Vpc: vpcSG, SecurityGroup: sg, AllowedPeers: &[]awsec2.IPeer{}})

	// An imported bucket whose owner granted delivery is used as it is: no
	// policy is written for it.
	stack, vpc := newStack("ap-northeast-2")
	b := awss3.Bucket_FromBucketName(stack, jsii.String("Logs"), jsii.String("central-logs"))
	_, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, AccessLogging: &AccessLogging{Bucket: b, DeliveryGrantedByBucketPolicy: jsii.Bool(true)}})
	if n := len(*tmpl.FindResources(jsii.String("AWS::S3::BucketPolicy"), nil)); n != 0 {
		t.Errorf("%d bucket policies for an imported bucket", n)
	}
	if got := js(lbProps(t, tmpl)["AccessLoggingPolicy"]); !strings.Contains(got, `"S3BucketName":"central-logs"`) {
		t.Errorf("AccessLoggingPolicy %s", got)
	}
}

// TestRecordNameCaseIsNotDoubled: aws-cdk-lib compares a record name with
// the zone's case-sensitively and would make WWW.EXAMPLE.ORG.Example.ORG.
func TestRecordNameCaseIsNotDoubled(t *testing.T) {
	stack, vpc := newStack("")
	zone := awsroute53.HostedZone_FromHostedZoneAttributes(stack, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{HostedZoneId: jsii.String("Z1"), ZoneName: jsii.String("Example.ORG")})
	_, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, HostedZone: zone, RecordName: jsii.String("WWW.EXAMPLE.ORG")})
	assert(t, func() {
		tmpl.HasResourceProperties(jsii.String("AWS::Route53::RecordSet"), obj{"Name": "www.example.org."})
	})
}

// TestInstanceEgress: by default the instances may open HTTPS connections
// and nothing else; a list replaces that; an empty list allows nothing.
func TestInstanceEgress(t *testing.T) {
	egressOf := func(rules *[]*EgressRule) string {
		stack, vpc := newStack("")
		build(t, stack, &WebTierProps{Vpc: vpc, InstanceEgress: rules})
		// Inline rules on the group, separate ones (prefix lists) beside it.
		return resourcesJSON(t, stack, "AWS::EC2::SecurityGroup") + resourcesJSON(t, stack, "AWS::EC2::SecurityGroupEgress")
	}
	if got := egressOf(nil); !strings.Contains(got, `"SecurityGroupEgress":[{"CidrIp":"0.0.0.0/0","Description":"HTTPS to AWS services: Session Manager, and Amazon Linux's package repositories in S3","FromPort":443,"IpProtocol":"tcp","ToPort":443}]`) {
		t.Errorf("default egress: %s", got)
	}
	own := &[]*EgressRule{{Peer: awsec2.Peer_PrefixList(jsii.String("pl-78a54011")), Port: awsec2.Port_Tcp(jsii.Number(443))}}
	if got := egressOf(own); !strings.Contains(got, `"Description":"443 to pl-78a54011","DestinationPrefixListId":"pl-78a54011","FromPort":443`) || strings.Contains(got, `"CidrIp":"0.0.0.0/0","Description":"HTTPS`) {
		t.Errorf("own egress: %s", got)
	}
	if got := egressOf(&[]*EgressRule{}); strings.Contains(got, `"CidrIp":"0.0.0.0/0","Description":"HTTPS`) || !strings.Contains(got, "Disallow all traffic") {
		t.Errorf("no egress: %s", got)
	}
}

// TestOperatingSettingsOnlyAddOrRemove: turning the alarms, the dashboard
// or an alarm address on or off on a deployed stack adds or removes those
// resources only; every other resource keeps its logical ID and its
// properties, so CloudFormation touches nothing else.
func TestOperatingSettingsOnlyAddOrRemove(t *testing.T) {
	own := map[string]bool{"AWS::CloudWatch::Alarm": true, "AWS::CloudWatch::Dashboard": true, "AWS::SNS::Topic": true,
		"AWS::SNS::TopicPolicy": true, "AWS::SNS::Subscription": true, "AWS::KMS::Key": true}
	others := func(props *WebTierProps) map[string]string {
		stack, vpc := newStack("ap-northeast-2")
		props.Vpc = vpc
		_, tmpl := build(t, stack, props)
		out := map[string]string{}
		for id, r := range (*tmpl.ToJSON())["Resources"].(map[string]interface{}) {
			if !own[r.(map[string]interface{})["Type"].(string)] {
				out[id] = js(r)
			}
		}
		return out
	}
	base := others(&WebTierProps{})
	for name, props := range map[string]*WebTierProps{
		"alarms off":       {Alarms: jsii.Bool(false)},
		"dashboard off":    {Dashboard: jsii.Bool(false)},
		"an alarm address": {AlarmEmail: jsii.String("ops@example.org")},
	} {
		got := others(props)
		if len(got) != len(base) {
			t.Errorf("%s: %d other resources, want %d", name, len(got), len(base))
		}
		for id, r := range base {
			if got[id] != r {
				t.Errorf("%s changes %s", name, id)
			}
		}
	}
}

// TestFleetSizesUpdateInPlace: the group's sizes, CPU target and instance
// refresh settings change its properties or update policy, not its logical
// ID nor the launch template's: CloudFormation
// updates the group in place (moto replaces a changed group, so the deploy
// test cannot show it).
func TestFleetSizesUpdateInPlace(t *testing.T) {
	ids := func(a *AutoScalingOptions) (string, string) {
		stack, vpc := newStack("ap-northeast-2")
		tier, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, AutoScaling: a})
		var lt string
		for id := range *tmpl.FindResources(jsii.String("AWS::EC2::LaunchTemplate"), nil) {
			lt = id
		}
		return *stack.GetLogicalId(tier.AutoScalingGroup().Node().DefaultChild().(awscdk.CfnElement)), lt
	}
	group, lt := ids(&AutoScalingOptions{})
	for _, a := range []*AutoScalingOptions{
		{MinCapacity: jsii.Number(3), MaxCapacity: jsii.Number(8)},
		{DesiredCapacity: jsii.Number(3)},
		{TargetCpuUtilization: jsii.Number(70), MaxBatchSize: jsii.Number(2)},
		// The refresh's settings are the update policy's: no property of
		// any resource.
		{MinHealthyPercentage: jsii.Number(50), MaxHealthyPercentage: jsii.Number(150), BakeTime: awscdk.Duration_Minutes(jsii.Number(10))},
	} {
		if g, l := ids(a); g != group || l != lt {
			t.Errorf("%+v: group %s and launch template %s, want %s and %s kept", *a, g, l, group, lt)
		}
	}
}

package classicelb

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancing"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
)

func resourcesJSON(t *testing.T, stack awscdk.Stack, typ string) string {
	t.Helper()
	var out string
	assert(t, func() {
		out = js(assertionsTemplate(stack).FindResources(jsii.String(typ), nil))
	})
	return out
}

func TestHTTPSListenersNegotiateTLS12ByDefault(t *testing.T) {
	stack, vpc := newStack("")
	cert := jsii.String("arn:aws:acm:ap-northeast-2:123456789012:certificate/abc")
	_, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, Listeners: &[]*Listener{
		{ExternalPort: jsii.Number(443), ExternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_HTTPS, SslCertificateArn: cert},
		{ExternalPort: jsii.Number(8443), ExternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_HTTPS, SslCertificateArn: cert},
		{ExternalPort: jsii.Number(465), ExternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_SSL, SslCertificateArn: cert, SslPolicy: jsii.String("ELBSecurityPolicy-TLS-1-1-2017-01")},
	}})
	p := lbProps(t, tmpl)
	// One negotiation policy per security policy, each listener naming its own.
	if got := js(p["Policies"]); got != `[{"Attributes":[{"Name":"Reference-Security-Policy","Value":"ELBSecurityPolicy-TLS-1-2-2017-01"}],"PolicyName":"SSLNegotiation-ELBSecurityPolicy-TLS-1-2-2017-01","PolicyType":"SSLNegotiationPolicyType"},`+
		`{"Attributes":[{"Name":"Reference-Security-Policy","Value":"ELBSecurityPolicy-TLS-1-1-2017-01"}],"PolicyName":"SSLNegotiation-ELBSecurityPolicy-TLS-1-1-2017-01","PolicyType":"SSLNegotiationPolicyType"}]` {
		t.Errorf("Policies %s", got)
	}
	ls := js(p["Listeners"])
	for _, want := range []string{`"LoadBalancerPort":"443","PolicyNames":["SSLNegotiation-ELBSecurityPolicy-TLS-1-2-2017-01"]`, `"LoadBalancerPort":"465","PolicyNames":["SSLNegotiation-ELBSecurityPolicy-TLS-1-1-2017-01"]`} {
		if !strings.Contains(ls, want) {
			t.Errorf("listeners lack %s: %s", want, ls)
		}
	}
}

func TestAccessLogsDefaultGivenAndOff(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	tier, _ := build(t, stack, &WebTierProps{Vpc: vpc, AccessLogging: &AccessLogging{Expiration: awscdk.Duration_Days(jsii.Number(30)), EmitInterval: awscdk.Duration_Minutes(jsii.Number(5))}})
	if tier.AccessLogBucket() == nil {
		t.Fatal("no access log bucket")
	}
	buckets := resourcesJSON(t, stack, "AWS::S3::Bucket")
	for _, want := range []string{`"ExpirationInDays":30`, `"SSEAlgorithm":"AES256"`, `"DeletionPolicy":"Retain"`, `"Status":"Enabled"`, `"id":"AwsSolutions-S1"`} {
		if !strings.Contains(buckets, want) {
			t.Errorf("log bucket lacks %s: %s", want, buckets)
		}
	}
	if lb := js(lbProps(t, assertionsTemplate(stack))["AccessLoggingPolicy"]); !strings.Contains(lb, `"EmitInterval":5`) {
		t.Errorf("AccessLoggingPolicy %s", lb)
	}

	stack2, vpc2 := newStack("")
	own := awss3.NewBucket(stack2, jsii.String("Mine"), nil)
	tier2, _ := build(t, stack2, &WebTierProps{Vpc: vpc2, AccessLogging: &AccessLogging{Bucket: own}})
	if n := strings.Count(resourcesJSON(t, stack2, "AWS::S3::Bucket"), `"Type":"AWS::S3::Bucket"`); n != 1 || tier2.AccessLogBucket() != own {
		t.Errorf("a given bucket should be used as it is, found %d buckets", n)
	}

	stack3, vpc3 := newStack("")
	tier3, tmpl3 := build(t, stack3, &WebTierProps{Vpc: vpc3, AccessLogging: &AccessLogging{Enabled: jsii.Bool(false)}})
	if tier3.AccessLogBucket() != nil || !strings.Contains(js(lbProps(t, tmpl3)["AccessLoggingPolicy"]), `"Enabled":false`) {
		t.Error("access logs off still made logs")
	}
}

func TestInstanceHardeningOptions(t *testing.T) {
	// Public subnets only (like the default VPC): the public IP is left to the
	// subnet, so the tutorial's SSH works.
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Public"), nil)
	vpc := awsec2.NewVpc(stack, jsii.String("Vpc"), &awsec2.VpcProps{NatGateways: jsii.Number(0), MaxAzs: jsii.Number(2),
		SubnetConfiguration: &[]*awsec2.SubnetConfiguration{{Name: jsii.String("Public"), SubnetType: awsec2.SubnetType_PUBLIC}}})
	build(t, stack, &WebTierProps{Vpc: vpc, DetailedMonitoring: jsii.Bool(false), SessionManager: jsii.Bool(false),
		BlockDevices: &[]*awsec2.BlockDevice{{DeviceName: jsii.String("/dev/sda1"), Volume: awsec2.BlockDeviceVolume_Ebs(jsii.Number(20), &awsec2.EbsDeviceOptions{Encrypted: jsii.Bool(true)})}}})
	insts := resourcesJSON(t, stack, "AWS::EC2::Instance")
	for _, absent := range []string{`"AssociatePublicIpAddress"`, `"Monitoring":true`, `/dev/xvda`} {
		if strings.Contains(insts, absent) {
			t.Errorf("instances carry %s: %s", absent, insts)
		}
	}
	if !strings.Contains(insts, `"DeviceName":"/dev/sda1"`) || !strings.Contains(insts, `"HttpTokens":"required"`) {
		t.Errorf("instances: %s", insts)
	}
	if roles := resourcesJSON(t, stack, "AWS::IAM::Role"); strings.Contains(roles, "AmazonSSMManagedInstanceCore") || strings.Contains(roles, "IAM4") {
		t.Errorf("Session Manager off still grants it: %s", roles)
	}
}

func TestNagSuppressionsFollowTheSettings(t *testing.T) {
	stack, vpc := newStack("")
	build(t, stack, &WebTierProps{Vpc: vpc, AllowedPeers: &[]awsec2.IPeer{awsec2.Peer_Ipv4(jsii.String("198.51.100.0/24"))}})
	if sgs := resourcesJSON(t, stack, "AWS::EC2::SecurityGroup"); strings.Contains(sgs, "AwsSolutions-EC23") {
		t.Errorf("EC23 suppressed though nothing is open to the internet: %s", sgs)
	}
	// cdk-nag's ELB5 passes plain HTTP listeners: nothing to suppress.
	if lb := resourcesJSON(t, stack, "AWS::ElasticLoadBalancing::LoadBalancer"); !strings.Contains(lb, `"id":"AwsSolutions-ELB1"`) || strings.Contains(lb, "AwsSolutions-ELB5") {
		t.Errorf("load balancer suppressions: %s", lb)
	}

	// HTTPS that ends at the load balancer, in front of private instances:
	// ELB5 is suppressed with that reason.
	cert := jsii.String("arn:aws:acm:ap-northeast-2:123456789012:certificate/abc")
	https := &[]*Listener{{ExternalPort: jsii.Number(443), ExternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_HTTPS, SslCertificateArn: cert}}
	stack2, vpc2 := newStack("")
	build(t, stack2, &WebTierProps{Vpc: vpc2, Listeners: https})
	if lb := resourcesJSON(t, stack2, "AWS::ElasticLoadBalancing::LoadBalancer"); !strings.Contains(lb, `"id":"AwsSolutions-ELB5","reason":"TLS from clients ends at the load balancer`) {
		t.Errorf("ELB5 not explained for TLS ending at the load balancer: %s", lb)
	}
	if sgs := resourcesJSON(t, stack2, "AWS::EC2::SecurityGroup"); !strings.Contains(sgs, `"id":"AwsSolutions-EC23"`) {
		t.Errorf("EC23 not explained on the public listener group: %s", sgs)
	}

	// End-to-end TLS needs no suppression.
	stack3, vpc3 := newStack("")
	build(t, stack3, &WebTierProps{Vpc: vpc3, Listeners: &[]*Listener{{ExternalPort: jsii.Number(443), ExternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_HTTPS,
		InternalProtocol: awselasticloadbalancing.LoadBalancingProtocol_HTTPS, SslCertificateArn: cert}}})
	if lb := resourcesJSON(t, stack3, "AWS::ElasticLoadBalancing::LoadBalancer"); strings.Contains(lb, "AwsSolutions-ELB5") {
		t.Errorf("ELB5 suppressed for end-to-end TLS: %s", lb)
	}

	// Plain HTTP to instance ports the world can reach: not suppressed, and
	// the construct says why.
	stack4, vpc4 := newStack("")
	build(t, stack4, &WebTierProps{Vpc: vpc4, Listeners: https, OpenInstancePortsToWorld: jsii.Bool(true)})
	if lb := resourcesJSON(t, stack4, "AWS::ElasticLoadBalancing::LoadBalancer"); strings.Contains(lb, "AwsSolutions-ELB5") {
		t.Errorf("ELB5 suppressed though the plain side is open to the world: %s", lb)
	}
	assert(t, func() {
		assertions.Annotations_FromStack(stack4).HasWarning(jsii.String("/Test/WebTier"), assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-ELB5 is not suppressed")))
	})
}

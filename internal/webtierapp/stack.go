package webtierapp

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/classic-webtier/cdk-classic-webtier/constructs/classicelb"
	"github.com/classic-webtier/cdk-classic-webtier/internal/clb"
	"github.com/classic-webtier/cdk-classic-webtier/internal/dnsname"
)

// NewStack builds the web tier stack from settings. It returns an error when a
// setting does not fit the VPC or the construct rejects one: a
// *SettingsError listing every invalid setting by its context key.
func NewStack(scope constructs.Construct, s *Settings) (awscdk.Stack, error) {
	if err := s.checkEnvironment(); err != nil {
		return nil, err
	}
	env := &awscdk.Environment{Region: jsii.String(s.Region)}
	if s.Account != "" {
		env.Account = jsii.String(s.Account)
	}
	stack := awscdk.NewStack(scope, jsii.String(s.StackName), &awscdk.StackProps{
		Env:         env,
		Description: jsii.String("Classic ELB web tier: a classic load balancer over Amazon Linux instances in several Availability Zones (cdk-classic-webtier)"),
	})
	if err := Build(stack, s); err != nil {
		return nil, err
	}
	if s.Nag {
		awscdk.Aspects_Of(stack).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	}
	return stack, nil
}

// Build adds the web tier, its VPC (unless looked up) and the outputs
// under scope: the stack itself in the app. It returns a *SettingsError
// when a setting does not fit the VPC or the construct rejects one.
// Several scopes in one stack each get a web tier of their own (make
// bench measures that).
func Build(scope constructs.Construct, s *Settings) error {
	props, err := s.webTierProps(scope)
	if err != nil {
		return err
	}
	tier, err := classicelb.NewWebTierE(scope, jsii.String("WebTier"), props)
	if err != nil {
		return s.asSettingsError(err)
	}
	if s.AmiID != "" {
		// aws-cdk-lib's template validation flags a literal AMI id (W9010,
		// portability); here it is the point: the image moves only on request.
		awscdk.Validations_Of(tier).Acknowledge(&awscdk.Acknowledgment{
			Id:     jsii.String("CloudFormation-Validate::W9010"),
			Reason: jsii.String("amiId pins the instances' image on purpose, so that it changes only when the setting does"),
		})
	}
	if vpc, own := props.Vpc.(awsec2.Vpc); own {
		if s.InterfaceEndpoints {
			s.addSessionManagerEndpoints(vpc, tier)
		}
		// Flow logs of the app's own VPC go next to the access logs, under
		// AWS's own layout (AWSLogs/<account>/vpcflowlogs/ beside
		// .../elasticloadbalancing/), so no prefix is needed.
		vpc.AddFlowLog(jsii.String("FlowLog"), &awsec2.FlowLogOptions{
			Destination: awsec2.FlowLogDestination_ToS3(tier.AccessLogBucket(), nil, nil),
		})
	}
	if len(s.SSHCidrs) > 0 && !s.looksUpVpc() {
		awscdk.Annotations_Of(scope).AddWarningV2(jsii.String("@classic-webtier/app:sshUnreachable"),
			jsii.String("sshCidr opens port 22 on instances that nothing outside can reach: the app's own VPC puts them in private subnets without public IP addresses; use useDefaultVpc=true (public subnets) for the tutorial's SSH, or Session Manager (interfaceEndpoints=true or natGateways=1) instead of SSH"), nil)
	}
	if err := s.checkResourceCount(scope, tier.Instances()); err != nil {
		return err
	}

	awscdk.NewCfnOutput(scope, jsii.String("LoadBalancerName"), &awscdk.CfnOutputProps{
		Description: jsii.String("Name of the classic load balancer (make verify reads its instances' health)"),
		Value:       tier.LoadBalancerName(),
	})
	awscdk.NewCfnOutput(scope, jsii.String("LoadBalancerDnsName"), &awscdk.CfnOutputProps{
		Description: jsii.String("DNS name of the classic load balancer"),
		Value:       tier.LoadBalancerDnsName(),
	})
	if url := siteURL(s.firstListener(), tier.LoadBalancerDnsName()); url != nil {
		awscdk.NewCfnOutput(scope, jsii.String("LoadBalancerUrl"), &awscdk.CfnOutputProps{
			Description: jsii.String("URL of the web tier through the load balancer's DNS name"),
			Value:       url,
		})
	}
	if d := tier.Dashboard(); d != nil {
		awscdk.NewCfnOutput(scope, jsii.String("DashboardUrl"), &awscdk.CfnOutputProps{
			Description: jsii.String("The web tier's CloudWatch dashboard"),
			Value: awscdk.Fn_Join(jsii.String(""), jsii.Strings("https://", s.Region, ".console.aws.amazon.com/cloudwatch/home?region=", s.Region,
				"#dashboards/dashboard/", *d.DashboardName())),
		})
	}
	if topic := tier.AlarmTopic(); topic != nil {
		awscdk.NewCfnOutput(scope, jsii.String("AlarmTopicArn"), &awscdk.CfnOutputProps{
			Description: jsii.String("SNS topic of the alarms (alarmEmail)"),
			Value:       topic.TopicArn(),
		})
	}
	if group := tier.AutoScalingGroup(); group != nil {
		awscdk.NewCfnOutput(scope, jsii.String("AutoScalingGroupName"), &awscdk.CfnOutputProps{
			Description: jsii.String("Auto Scaling group whose instances the load balancer serves (autoScaling)"),
			Value:       group.AutoScalingGroupName(),
		})
	}
	if bucket := tier.AccessLogBucket(); bucket != nil {
		awscdk.NewCfnOutput(scope, jsii.String("AccessLogBucketName"), &awscdk.CfnOutputProps{
			Description: jsii.String("Bucket of the access and flow logs; cdk destroy keeps it (see the README to remove it)"),
			Value:       bucket.BucketName(),
		})
	}
	// The record's full name, not its Ref, which CloudFormation may give
	// with the final dot (a URL host a certificate does not match).
	// A wildcard record has no one URL.
	if site, _ := dnsname.Full(s.DomainName, s.RecordName); tier.Record() != nil && !strings.HasPrefix(site, "*") {
		if url := siteURL(s.siteListener(), jsii.String(site)); url != nil {
			awscdk.NewCfnOutput(scope, jsii.String("SiteUrl"), &awscdk.CfnOutputProps{
				Description: jsii.String("URL of the web tier through the Route 53 alias"),
				Value:       url,
			})
		}
	}
	return nil
}

// webTierProps maps the settings onto the construct's props.
func (s *Settings) webTierProps(scope constructs.Construct) (*classicelb.WebTierProps, error) {
	vpc := s.vpc(scope)
	p := &classicelb.WebTierProps{
		Vpc:                       vpc,
		LoadBalancerName:          optString(s.LoadBalancerName),
		Internal:                  jsii.Bool(s.Internal),
		CrossZone:                 s.CrossZone,
		ConnectionDraining:        s.ConnectionDraining,
		ConnectionDrainingTimeout: optSeconds(s.ConnectionDrainingTimeout),
		IdleTimeout:               optSeconds(s.IdleTimeout),
		InstanceCount:             s.InstanceCount,
		InstanceEgress:            s.instanceEgress(vpc),
		SecurityGroupRulesQuota:   s.SecurityGroupRulesQuota,
		HealthCheck: &classicelb.HealthCheck{
			Protocol:           classicelb.Protocol(s.HealthCheckProtocol),
			Port:               s.HealthCheckPort,
			Path:               s.HealthCheckPath,
			Timeout:            optSeconds(s.HealthCheckTimeout),
			Interval:           optSeconds(s.HealthCheckInterval),
			UnhealthyThreshold: s.UnhealthyThreshold,
			HealthyThreshold:   s.HealthyThreshold,
		},
	}
	p.Alarms, p.Dashboard, p.AlarmEmail = s.Alarms, s.Dashboard, optString(s.AlarmEmail)
	p.Routing = s.recordRouting
	if s.AutoScaling {
		p.AutoScaling = &classicelb.AutoScalingOptions{
			MinCapacity:          s.MinCapacity,
			MaxCapacity:          s.MaxCapacity,
			DesiredCapacity:      s.DesiredCapacity,
			TargetCpuUtilization: s.TargetCpuUtilization,
		}
	}
	if len(s.SubnetIDs) > 0 {
		sel, err := subnetsByID(vpc, s.SubnetIDs)
		if err != nil {
			return nil, err
		}
		p.LoadBalancerSubnets = sel
	}
	if s.DomainName != "" {
		if s.HostedZoneID != "" {
			p.HostedZone = awsroute53.HostedZone_FromHostedZoneAttributes(scope, jsii.String("HostedZone"), &awsroute53.HostedZoneAttributes{
				HostedZoneId: jsii.String(s.HostedZoneID),
				ZoneName:     jsii.String(s.DomainName),
			})
		} else {
			p.HostedZone = awsroute53.HostedZone_FromLookup(scope, jsii.String("HostedZone"), &awsroute53.HostedZoneProviderProps{
				DomainName: jsii.String(s.DomainName),
			})
		}
		p.RecordName = optString(s.RecordName)
	}
	if s.Listeners != nil {
		ls := make([]*classicelb.Listener, len(s.Listeners))
		for i, l := range s.Listeners {
			ls[i] = &classicelb.Listener{
				ExternalPort:      l.Port,
				InternalPort:      l.InstancePort,
				ExternalProtocol:  classicelb.Protocol(l.Protocol),
				InternalProtocol:  classicelb.Protocol(l.InstanceProtocol),
				SslCertificateArn: optString(l.CertificateArn),
			}
			if l.autoCertificate {
				ls[i].Certificate = s.certificate(scope, p.HostedZone)
			}
		}
		p.Listeners = &ls
	}
	if s.InstanceType != "" {
		p.InstanceType = awsec2.NewInstanceType(jsii.String(s.InstanceType))
	}
	if s.AmiID != "" {
		p.MachineImage = awsec2.MachineImage_GenericLinux(&map[string]*string{s.Region: jsii.String(s.AmiID)}, nil)
	}
	if s.KeyName != "" {
		p.KeyPair = awsec2.KeyPair_FromKeyPairName(scope, jsii.String("KeyPair"), jsii.String(s.KeyName))
	}
	if len(s.SSHCidrs) > 0 {
		peers := make([]awsec2.IPeer, len(s.SSHCidrs))
		for i, c := range s.SSHCidrs {
			if strings.Contains(c, ":") {
				peers[i] = awsec2.Peer_Ipv6(jsii.String(c))
			} else {
				peers[i] = awsec2.Peer_Ipv4(jsii.String(c))
			}
		}
		p.SshPeers = &peers
	}

	return p, nil
}

// certificate requests the ACM certificate of https for the alias record's
// full name, validated by DNS records in the zone (ACM renews it while they
// stay). A record outside the zone is the construct's to report.
func (s *Settings) certificate(scope constructs.Construct, zone awsroute53.IHostedZone) awscertificatemanager.ICertificate {
	name, ok := dnsname.Full(s.DomainName, s.RecordName)
	if !ok || zone == nil {
		return nil
	}
	return awscertificatemanager.NewCertificate(scope, jsii.String("Certificate"), &awscertificatemanager.CertificateProps{
		DomainName: jsii.String(name),
		Validation: awscertificatemanager.CertificateValidation_FromDns(zone),
	})
}

// checkEnvironment: the region is one aws-cdk-lib knows, and a lookup has
// the account, which the CLI knows only with credentials.
func (s *Settings) checkEnvironment() error {
	var errs []error
	if err := knownRegion(s.Region); err != nil {
		hint := ""
		if s.regionFrom != "region" {
			hint = " (or pass -c region=...)"
		}
		errs = append(errs, fmt.Errorf("%s: %w%s", s.regionFrom, err, hint))
	}
	if s.Account != "" {
		if len(errs) > 0 {
			return &SettingsError{Errs: errs}
		}
		return nil
	}
	need := func(key, what, alternative string) {
		errs = append(errs, fmt.Errorf("%s: looking up %s needs the AWS account; run cdk with AWS credentials (it then sets CDK_DEFAULT_ACCOUNT)%s", key, what, alternative))
	}
	switch {
	case s.VpcID != "":
		need("vpcId", "the VPC", "")
	case s.UseDefaultVpc:
		need("useDefaultVpc", "the default VPC", "")
	}
	if s.DomainName != "" && s.HostedZoneID == "" {
		need("domainName", "the hosted zone", ", or give hostedZoneId to skip the lookup")
	}
	if len(errs) > 0 {
		return &SettingsError{Errs: errs}
	}
	return nil
}

// dummyLookupVpcID is the id aws-cdk-lib gives a looked-up VPC until the CLI
// has done the lookup (the first synth pass, or a synth without credentials).
const dummyLookupVpcID = "vpc-12345"

// subnetsByID selects the named subnets of any type of the looked-up VPC.
// Unknown ids are an error that lists the VPC's subnets, except on the
// placeholder VPC of a lookup not done yet, where the CLI synthesizes again
// once it has the real subnets.
func subnetsByID(vpc awsec2.IVpc, ids []string) (*awsec2.SubnetSelection, error) {
	if *vpc.VpcId() == dummyLookupVpcID {
		return nil, nil
	}
	all := map[string]awsec2.ISubnet{}
	var known []string
	for _, group := range []*[]awsec2.ISubnet{vpc.PublicSubnets(), vpc.PrivateSubnets(), vpc.IsolatedSubnets()} {
		for _, sn := range *group {
			all[*sn.SubnetId()] = sn
			known = append(known, *sn.SubnetId())
		}
	}
	picked := make([]awsec2.ISubnet, 0, len(ids))
	var unknown []string
	for _, id := range ids {
		if sn, ok := all[id]; ok {
			picked = append(picked, sn)
		} else {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		return nil, &SettingsError{Errs: []error{fmt.Errorf("subnetIds: %s not in VPC %s; its subnets are %s", strings.Join(unknown, ", "), *vpc.VpcId(), strings.Join(known, ", "))}}
	}
	return &awsec2.SubnetSelection{Subnets: &picked}, nil
}

// vpc looks up the named or default VPC, or creates one that needs no
// credentials to synthesize: two AZs, public subnets for the load balancer,
// isolated subnets for the instances, no NAT gateway.
func (s *Settings) vpc(scope constructs.Construct) awsec2.IVpc {
	switch {
	case s.VpcID != "":
		return awsec2.Vpc_FromLookup(scope, jsii.String("Vpc"), &awsec2.VpcLookupOptions{VpcId: jsii.String(s.VpcID)})
	case s.UseDefaultVpc:
		return awsec2.Vpc_FromLookup(scope, jsii.String("Vpc"), &awsec2.VpcLookupOptions{IsDefault: jsii.Bool(true)})
	}
	instances := awsec2.SubnetType_PRIVATE_ISOLATED
	if s.NatGateways > 0 {
		instances = awsec2.SubnetType_PRIVATE_WITH_EGRESS
	}
	vpc := awsec2.NewVpc(scope, jsii.String("Vpc"), &awsec2.VpcProps{
		MaxAzs:      jsii.Number(2),
		NatGateways: jsii.Number(s.NatGateways),
		SubnetConfiguration: &[]*awsec2.SubnetConfiguration{
			{Name: jsii.String("LoadBalancer"), SubnetType: awsec2.SubnetType_PUBLIC, CidrMask: jsii.Number(24), MapPublicIpOnLaunch: jsii.Bool(false)},
			{Name: jsii.String("Instances"), SubnetType: instances, CidrMask: jsii.Number(24)},
		},
		// The feature flag's custom resource (a Lambda) that empties the default
		// security group is not needed: nothing uses the default group, and the
		// web tier's own groups carry every rule. It also never finishes in an
		// AWS API emulator.
		RestrictDefaultSecurityGroup: jsii.Bool(false),
		// S3 through a gateway endpoint costs nothing and lets the isolated
		// instances reach the Amazon Linux package repositories.
		GatewayEndpoints: &map[string]*awsec2.GatewayVpcEndpointOptions{
			"S3": {Service: awsec2.GatewayVpcEndpointAwsService_S3()},
		},
	})
	return vpc
}

// addSessionManagerEndpoints lets Session Manager reach instances in isolated
// subnets; the endpoints take HTTPS from the instances' security group only.
func (s *Settings) addSessionManagerEndpoints(vpc awsec2.Vpc, tier classicelb.WebTier) {
	// In order: construct order is template order.
	for _, ep := range []struct {
		id  string
		svc awsec2.InterfaceVpcEndpointAwsService
	}{
		{"Ssm", awsec2.InterfaceVpcEndpointAwsService_SSM()},
		{"SsmMessages", awsec2.InterfaceVpcEndpointAwsService_SSM_MESSAGES()},
		{"Ec2Messages", awsec2.InterfaceVpcEndpointAwsService_EC2_MESSAGES()},
	} {
		endpoint := vpc.AddInterfaceEndpoint(jsii.String(ep.id), &awsec2.InterfaceVpcEndpointOptions{
			Service: ep.svc,
			Subnets: &awsec2.SubnetSelection{SubnetGroupName: jsii.String("Instances")},
			Open:    jsii.Bool(false),
		})
		endpoint.Connections().AllowDefaultPortFrom(tier, jsii.String("HTTPS from the web tier instances"))
	}
}

func (s *Settings) firstListener() ListenerSetting {
	if len(s.Listeners) > 0 {
		return s.Listeners[0]
	}
	return ListenerSetting{Protocol: "HTTP", Port: jsii.Number(classicelb.DefaultListenerPort)}
}

// siteListener is the listener a browser should use through the record:
// the first HTTPS one, else the first.
func (s *Settings) siteListener() ListenerSetting {
	for _, l := range s.Listeners {
		if clb.Protocol(l.Protocol) == clb.HTTPS {
			return l
		}
	}
	return s.firstListener()
}

// siteURL is http(s)://host[:port]/ for an HTTP or HTTPS listener.
func siteURL(l ListenerSetting, host *string) *string {
	if !clb.Protocol(l.Protocol).IsL7() {
		return nil
	}
	scheme := strings.ToLower(l.Protocol)
	port := ""
	if !(scheme == "http" && *l.Port == 80) && !(scheme == "https" && *l.Port == 443) {
		port = fmt.Sprintf(":%v", *l.Port)
	}
	return awscdk.Fn_Join(jsii.String(""), jsii.Strings(scheme+"://", *host, port+"/"))
}

func optString(v string) *string {
	if v == "" {
		return nil
	}
	return jsii.String(v)
}

func optSeconds(v *float64) awscdk.Duration {
	if v == nil {
		return nil
	}
	return awscdk.Duration_Seconds(v)
}

package webtierapp

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"

	"github.com/classic-webtier/cdk-classic-webtier/constructs/classicelb"
)

// instanceEgress is what the instances may reach from the app's own VPC,
// each rule with its reason: HTTPS to S3 through the gateway endpoint (the
// only way out of the isolated subnets), and wider only when NAT gateways
// exist: HTTPS to anywhere. The Session Manager endpoints add their own
// HTTPS rules (addSessionManagerEndpoints). A looked-up VPC, whose routes
// are not known at synth, keeps the construct's default (HTTPS anywhere).
func (s *Settings) instanceEgress(vpc awsec2.IVpc) *[]*classicelb.EgressRule {
	if s.looksUpVpc() {
		return nil
	}
	https := awsec2.Port_Tcp(jsii.Number(443))
	if s.NatGateways > 0 {
		// Amazon Linux 2023's repositories and the AWS APIs speak HTTPS only.
		return &[]*classicelb.EgressRule{
			{Peer: awsec2.Peer_AnyIpv4(), Port: https, Description: jsii.String("HTTPS to the internet through the NAT gateway (AWS APIs, package repositories)")},
		}
	}
	if s.S3PrefixListID != "" {
		return &[]*classicelb.EgressRule{{Peer: awsec2.Peer_PrefixList(jsii.String(s.S3PrefixListID)), Port: https,
			Description: jsii.String("HTTPS to S3 through the gateway endpoint (Amazon Linux's package repositories)")}}
	}
	return &[]*classicelb.EgressRule{{Peer: awsec2.Peer_AnyIpv4(), Port: https,
		Description: jsii.String("HTTPS out; from the isolated subnets only S3 answers (gateway endpoint: Amazon Linux's package repositories); s3PrefixListId narrows this to S3")}}
}

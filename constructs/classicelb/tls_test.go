package classicelb

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancing"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/jsii-runtime-go"
)

const (
	protoHTTPS = awselasticloadbalancing.LoadBalancingProtocol_HTTPS
	protoHTTP  = awselasticloadbalancing.LoadBalancingProtocol_HTTP
)

// httpAndHTTPS is the usual pair: HTTPS 443 with a certificate, HTTP 80.
func httpAndHTTPS(cert awscertificatemanager.ICertificate) *[]*Listener {
	return &[]*Listener{
		{ExternalPort: jsii.Number(443), ExternalProtocol: protoHTTPS, Certificate: cert},
		{ExternalPort: jsii.Number(80), ExternalProtocol: protoHTTP},
	}
}

func TestACertificateOfTheAppOnAnHTTPSListener(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	zone := awsroute53.HostedZone_FromHostedZoneAttributes(stack, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
		HostedZoneId: jsii.String("Z0123456789EXAMPLE"), ZoneName: jsii.String("example.org"),
	})
	cert := awscertificatemanager.NewCertificate(stack, jsii.String("Cert"), &awscertificatemanager.CertificateProps{
		DomainName: jsii.String("shop.example.org"),
		Validation: awscertificatemanager.CertificateValidation_FromDns(zone),
	})
	tier, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, Listeners: httpAndHTTPS(cert), HostedZone: zone, RecordName: jsii.String("shop")})
	certID := *stack.GetLogicalId(cert.Node().DefaultChild().(awscdk.CfnElement))
	got := js(lbProps(t, tmpl)["Listeners"])
	if want := `"SSLCertificateId":{"Ref":"` + certID + `"}`; !strings.Contains(got, want) {
		t.Errorf("listeners %s lack %s", got, want)
	}
	if !strings.Contains(got, `"PolicyNames":["SSLNegotiation-ELBSecurityPolicy-TLS-1-2-2017-01"]`) {
		t.Errorf("the HTTPS listener lacks the TLS 1.2 policy: %s", got)
	}
	// Plain HTTP on the same instance port is sent to HTTPS, but for the
	// health check.
	script := *tier.Instances()[0].UserData().Render()
	for _, want := range []string{"/opt/webtier/webserver.py %i --redirect-https 443 --health \"/index.html\"", "webtier-http@80.service"} {
		if !strings.Contains(script, want) {
			t.Errorf("user data lacks %q", want)
		}
	}
	if found := nagFindings(stack); len(found) != 0 {
		t.Errorf("unsuppressed findings %v", found)
	}
}

func TestCertificateProblems(t *testing.T) {
	arn := "arn:aws:acm:ap-northeast-2:123456789012:certificate/abc"
	cases := []struct {
		name      string
		listeners func(stack awscdk.Stack) *[]*Listener
		props     func(p *WebTierProps)
		want      string
	}{
		{"both", func(stack awscdk.Stack) *[]*Listener {
			ls := httpAndHTTPS(awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("C"), jsii.String(arn)))
			(*ls)[0].SslCertificateArn = jsii.String(arn)
			return ls
		}, nil, "Listeners[0].Certificate: is set together with SslCertificateArn; give one of them"},
		{"on HTTP", func(stack awscdk.Stack) *[]*Listener {
			return &[]*Listener{{ExternalPort: jsii.Number(80), Certificate: awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("C"), jsii.String(arn))}}
		}, nil, "Listeners[0].Certificate: is set on a HTTP listener, which does not use it; remove it or make the listener HTTPS"},
		{"imported of another region", func(stack awscdk.Stack) *[]*Listener {
			return httpAndHTTPS(awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("C"), jsii.String("arn:aws:acm:us-east-1:123456789012:certificate/abc")))
		}, nil, `Listeners[0].Certificate: arn:aws:acm:us-east-1:123456789012:certificate/abc is a certificate of us-east-1, but the stack deploys to ap-northeast-2`},
		{"made in a stack of another region", func(stack awscdk.Stack) *[]*Listener {
			other := awscdk.NewStack(stack.Node().Scope().(awscdk.App), jsii.String("Virginia"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("us-east-1")}})
			return httpAndHTTPS(awscertificatemanager.NewCertificate(other, jsii.String("C"), &awscertificatemanager.CertificateProps{DomainName: jsii.String("shop.example.org")}))
		}, nil, `Listeners[0].Certificate: "Virginia/C" is a certificate of us-east-1, but the stack deploys to ap-northeast-2`},
		{"redirect without HTTP", func(stack awscdk.Stack) *[]*Listener {
			return &[]*Listener{{ExternalPort: jsii.Number(443), ExternalProtocol: protoHTTPS, SslCertificateArn: jsii.String(arn)}}
		}, func(p *WebTierProps) { p.HttpsRedirect = jsii.Bool(true) }, "HttpsRedirect: is true, but no listener is plain HTTP"},
		{"redirect without HTTPS", func(stack awscdk.Stack) *[]*Listener { return nil },
			func(p *WebTierProps) { p.HttpsRedirect = jsii.Bool(true) }, "HttpsRedirect: is true, but no listener is HTTPS"},
		{"redirect with an own user data", func(stack awscdk.Stack) *[]*Listener {
			return &[]*Listener{{ExternalPort: jsii.Number(443), ExternalProtocol: protoHTTPS, SslCertificateArn: jsii.String(arn)}, {ExternalPort: jsii.Number(80)}}
		}, func(p *WebTierProps) { p.HttpsRedirect, p.UserData = jsii.Bool(true), awsec2.UserData_ForLinux(nil) }, "HttpsRedirect: is true, but UserData is your own"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stack, vpc := newStack("ap-northeast-2")
			p := &WebTierProps{Vpc: vpc, Listeners: c.listeners(stack)}
			if c.props != nil {
				c.props(p)
			}
			if verr := buildErr(t, stack, p); !strings.Contains(verr.Error(), c.want) {
				t.Errorf("want ...%s...\n got %v", c.want, verr)
			}
		})
	}
}

func TestHttpsRedirectCanBeTurnedOff(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	cert := awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("C"), jsii.String("arn:aws:acm:ap-northeast-2:123456789012:certificate/abc"))
	tier, off := build(t, stack, &WebTierProps{Vpc: vpc, Listeners: httpAndHTTPS(cert), HttpsRedirect: jsii.Bool(false)})
	if script := *tier.Instances()[0].UserData().Render(); strings.Contains(script, "redirect") || !strings.Contains(script, "python3 -m http.server %i") {
		t.Errorf("HttpsRedirect false: the plain page server is expected:\n%s", script)
	}
	// On a deployed stack, switching it changes the user data, so the
	// instances are replaced (new logical IDs), as every user data change.
	stack, vpc = newStack("ap-northeast-2")
	cert = awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("C"), jsii.String("arn:aws:acm:ap-northeast-2:123456789012:certificate/abc"))
	_, on := build(t, stack, &WebTierProps{Vpc: vpc, Listeners: httpAndHTTPS(cert)})
	if a, b := instanceIDs(t, off), instanceIDs(t, on); len(a) != 2 || a[0] == b[0] || a[1] == b[1] {
		t.Errorf("switching HttpsRedirect keeps the instances: %v, %v", a, b)
	}
}

// A real public key (P-256), base64 of its DER SubjectPublicKeyInfo.
const backendKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEYjovCx4f1jzKMsaY7WUGd7grALKS2FGsqPuEKtGwcxoBc8+CDwK+LTLLTtGbOduhv0MFaNtebPdvZlTcrkmllg=="

func TestBackendPublicKeysVerifyTheInstances(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	_, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, UserData: awsec2.UserData_ForLinux(nil),
		Listeners: &[]*Listener{{ExternalPort: jsii.Number(443), ExternalProtocol: protoHTTPS, InternalProtocol: protoHTTPS,
			SslCertificateArn: jsii.String("arn:aws:acm:ap-northeast-2:123456789012:certificate/abc")}},
		BackendPublicKeys: &[]*string{jsii.String(backendKey)},
	})
	assert(t, func() {
		tmpl.HasResourceProperties(jsii.String("AWS::ElasticLoadBalancing::LoadBalancer"), obj{
			"Policies": assertions.Match_ArrayWith(&[]interface{}{
				obj{"PolicyName": "BackendPublicKey1", "PolicyType": "PublicKeyPolicyType", "Attributes": []interface{}{obj{"Name": "PublicKey", "Value": backendKey}}},
				obj{"PolicyName": "BackendServerAuthentication", "PolicyType": "BackendServerAuthenticationPolicyType",
					"Attributes": []interface{}{obj{"Name": "PublicKeyPolicyName", "Value": "BackendPublicKey1"}}, "InstancePorts": []interface{}{"443"}},
			}),
		})
	})
	for _, c := range []struct {
		name  string
		props func(vpc awsec2.IVpc) *WebTierProps
		want  string
	}{
		{"default user data", func(vpc awsec2.IVpc) *WebTierProps {
			return &WebTierProps{Vpc: vpc, Listeners: &[]*Listener{{ExternalPort: jsii.Number(443), ExternalProtocol: protoHTTPS, InternalProtocol: protoHTTPS, SslCertificateArn: jsii.String("arn:aws:acm:ap-northeast-2:123456789012:certificate/abc")}},
				BackendPublicKeys: &[]*string{jsii.String(backendKey)}}
		}, "BackendPublicKeys: are set, but the default user data makes the instances' certificates at first boot"},
		{"plain back end", func(vpc awsec2.IVpc) *WebTierProps {
			return &WebTierProps{Vpc: vpc, UserData: awsec2.UserData_ForLinux(nil), BackendPublicKeys: &[]*string{jsii.String(backendKey)}}
		}, "BackendPublicKeys: are set, but no listener (nor the health check) reaches the instances over HTTPS or SSL"},
		{"base64 of something else", func(vpc awsec2.IVpc) *WebTierProps {
			return &WebTierProps{Vpc: vpc, UserData: awsec2.UserData_ForLinux(nil), BackendPublicKeys: &[]*string{jsii.String("aGVsbG8=")}}
		}, `BackendPublicKeys[0]: "aGVsbG8=" is not base64 of a public key`},
		{"not base64", func(vpc awsec2.IVpc) *WebTierProps {
			return &WebTierProps{Vpc: vpc, UserData: awsec2.UserData_ForLinux(nil), BackendPublicKeys: &[]*string{jsii.String("-----BEGIN PUBLIC KEY-----")}}
		}, `BackendPublicKeys[0]: "-----BEGIN PUBLIC KEY-----" is not base64 of a public key`},
		{"named like a policy of the user's", func(vpc awsec2.IVpc) *WebTierProps {
			return &WebTierProps{Vpc: vpc, UserData: awsec2.UserData_ForLinux(nil), BackendPublicKeys: &[]*string{jsii.String(backendKey)},
				Listeners: &[]*Listener{{ExternalPort: jsii.Number(443), ExternalProtocol: protoHTTPS, InternalProtocol: protoHTTPS, SslCertificateArn: jsii.String("arn:aws:acm:ap-northeast-2:123456789012:certificate/abc")}},
				Policies:  &[]*awselasticloadbalancing.CfnLoadBalancer_PoliciesProperty{{PolicyName: jsii.String("BackendPublicKey1"), PolicyType: jsii.String("PublicKeyPolicyType")}}}
		}, `Policies[0].PolicyName: "BackendPublicKey1" is already the name of a policy generated for BackendPublicKeys`},
	} {
		t.Run(c.name, func(t *testing.T) {
			stack, vpc := newStack("ap-northeast-2")
			if verr := buildErr(t, stack, c.props(vpc)); !strings.Contains(verr.Error(), c.want) {
				t.Errorf("want ...%s...\n got %v", c.want, verr)
			}
		})
	}
}

package test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

type obj = map[string]interface{}
type list = []interface{}

const (
	lbType     = "AWS::ElasticLoadBalancing::LoadBalancer"
	sgType     = "AWS::EC2::SecurityGroup"
	egressType = "AWS::EC2::SecurityGroupEgress"
	ingType    = "AWS::EC2::SecurityGroupIngress"
	instType   = "AWS::EC2::Instance"
	recordType = "AWS::Route53::RecordSet"
)

// consoleHealthCheck is the console's default health check.
var consoleHealthCheck = obj{"HealthyThreshold": "10", "Interval": "30", "Target": "HTTP:80/index.html", "Timeout": "5", "UnhealthyThreshold": "2"}

func checkDefault(t *testing.T, s synthesized) {
	tm := s.template
	lbID, lb := only(t, tm, lbType)
	p := props(lb)
	equalJSON(t, "LoadBalancerName", p["LoadBalancerName"], "exampleelb")
	equalJSON(t, "Scheme", p["Scheme"], "internet-facing")
	equalJSON(t, "CrossZone", p["CrossZone"], true)
	equalJSON(t, "ConnectionDrainingPolicy", p["ConnectionDrainingPolicy"], obj{"Enabled": true, "Timeout": 300})
	equalJSON(t, "ConnectionSettings", p["ConnectionSettings"], obj{"IdleTimeout": 60})
	equalJSON(t, "HealthCheck", p["HealthCheck"], consoleHealthCheck)
	equalJSON(t, "Listeners", p["Listeners"], list{obj{"InstancePort": "80", "InstanceProtocol": "HTTP", "LoadBalancerPort": "80", "Protocol": "HTTP"}})
	// The load balancer sits in the two public subnets, after the internet
	// gateway route exists.
	equalJSON(t, "Subnets", p["Subnets"], list{ref("VpcLoadBalancerSubnet1Subnet17C2855B"), ref("VpcLoadBalancerSubnet2Subnet4ED9E7EA")})
	if deps := describe(lb["DependsOn"]); !strings.Contains(deps, "DefaultRoute") {
		t.Errorf("load balancer does not wait for the public routes: DependsOn %s", deps)
	}
	// Exactly the stack's instances are registered, one per isolated subnet.
	insts := resources(t, tm, instType)
	if len(insts) != 2 {
		t.Fatalf("want 2 instances, got %d", len(insts))
	}
	var registered list
	subnets := map[string]bool{}
	for id, inst := range sortedIDs(insts) {
		registered = append(registered, ref(id))
		subnets[describe(instanceSubnet(inst))] = true
	}
	equalJSON(t, "Instances", p["Instances"], registered)
	equalJSON(t, "instance subnets", subnets, map[string]bool{
		describe(ref("VpcInstancesSubnet1SubnetE38187BB")): true,
		describe(ref("VpcInstancesSubnet2Subnet43CC25DC")): true,
	})
	checkSecurityGroups(t, tm, []float64{80}, []float64{80}, "0.0.0.0/0")
	checkNoSSH(t, tm)
	count(t, tm, recordType, 0)
	count(t, tm, "AWS::EC2::NatGateway", 0)
	count(t, tm, "Custom::VpcRestrictDefaultSG", 0)
	checkUserData(t, tm, []string{"80"})
	checkHardenedInstances(t, tm)
	// The instances may open HTTPS connections and nothing else.
	for _, sg := range resources(t, tm, sgType) {
		if p := props(sg); strings.Contains(describe(p["GroupDescription"]), "Web tier instances") {
			if got := describe(p["SecurityGroupEgress"]); !strings.Contains(got, `"FromPort":443,"IpProtocol":"tcp","ToPort":443`) || strings.Count(got, "CidrIp") != 1 {
				t.Errorf("instance egress: %s", got)
			}
		}
	}
	hasProps(t, tm, instType, obj{"InstanceType": "t3.micro", "ImageId": obj{"Ref": assertions.Match_StringLikeRegexp(jsii.String("al2023"))}})
	checkAccessLogs(t, tm)
	// The app's VPC: flow logs next to the access logs, a free S3 gateway
	// endpoint, no interface endpoints (they cost money).
	bucketID, _ := only(t, tm, "AWS::S3::Bucket")
	hasProps(t, tm, "AWS::EC2::FlowLog", obj{"ResourceType": "VPC", "LogDestinationType": "s3",
		"LogDestination": getAtt(bucketID, "Arn")})
	hasProps(t, tm, "AWS::EC2::VPCEndpoint", obj{"VpcEndpointType": "Gateway"})
	count(t, tm, "AWS::EC2::VPCEndpoint", 1)
	outputs := outputsOf(t, tm)
	equalJSON(t, "LoadBalancerDnsName output", outputs["LoadBalancerDnsName"]["Value"], getAtt(lbID, "DNSName"))
	equalJSON(t, "LoadBalancerUrl output", outputs["LoadBalancerUrl"]["Value"], lbURL("http", lbID))
	if _, ok := outputs["SiteUrl"]; ok {
		t.Error("SiteUrl output without a domain")
	}
}

func checkTutorial(t *testing.T, s synthesized) {
	tm := s.template
	lbID, _ := only(t, tm, lbType)
	// SSH from the named CIDR only, on the instances' group.
	hasProps(t, tm, sgType, obj{
		"GroupDescription":     assertions.Match_StringLikeRegexp(jsii.String("Web tier instances")),
		"SecurityGroupIngress": list{obj{"CidrIp": "203.0.113.0/24", "FromPort": 22, "ToPort": 22, "IpProtocol": "tcp", "Description": "SSH from 203.0.113.0/24"}},
	})
	// The A alias points at dualstack.<LB DNS name> in the LB's canonical zone.
	_, rec := only(t, tm, recordType)
	equalJSON(t, "alias record", props(rec), obj{
		"AliasTarget": obj{
			"DNSName":              obj{"Fn::Join": list{"", list{"dualstack.", getAtt(lbID, "DNSName")}}},
			"EvaluateTargetHealth": false,
			"HostedZoneId":         getAtt(lbID, "CanonicalHostedZoneNameID"),
		},
		"Comment":      "Alias to the web tier's classic load balancer",
		"HostedZoneId": zoneID,
		"Name":         "www.example.com.",
		"Type":         "A",
	})
	count(t, tm, recordType, 1) // no AAAA: a VPC classic load balancer is IPv4 only
	outputs := outputsOf(t, tm)
	// The full name, without the final dot a Ref of the record may carry.
	equalJSON(t, "SiteUrl output", outputs["SiteUrl"]["Value"], "http://www.example.com/")
}

func checkInternal(t *testing.T, s synthesized) {
	tm := s.template
	_, lb := only(t, tm, lbType)
	p := props(lb)
	equalJSON(t, "Scheme", p["Scheme"], "internal")
	equalJSON(t, "LoadBalancerName", p["LoadBalancerName"], "web-internal")
	// An internal load balancer lives in the private (here isolated) subnets
	// and takes traffic from the VPC only.
	equalJSON(t, "Subnets", p["Subnets"], list{ref("VpcInstancesSubnet1SubnetE38187BB"), ref("VpcInstancesSubnet2Subnet43CC25DC")})
	checkSecurityGroups(t, tm, []float64{80}, []float64{80}, getAtt("Vpc8378EB38", "CidrBlock"))
}

func checkHTTPSAndTCP(t *testing.T, s synthesized) {
	tm := s.template
	lbID, lb := only(t, tm, lbType)
	// The HTTPS listener negotiates TLS 1.2 only, by default.
	equalJSON(t, "Listeners", props(lb)["Listeners"], list{
		httpsListener("80", "HTTP", certArn),
		obj{"InstancePort": "8443", "InstanceProtocol": "TCP", "LoadBalancerPort": "8443", "Protocol": "TCP"},
	})
	equalJSON(t, "Policies", props(lb)["Policies"], list{obj{
		"Attributes": list{obj{"Name": "Reference-Security-Policy", "Value": "ELBSecurityPolicy-TLS-1-2-2017-01"}},
		"PolicyName": "SSLNegotiation-ELBSecurityPolicy-TLS-1-2-2017-01", "PolicyType": "SSLNegotiationPolicyType",
	}})
	// The health check follows the first listener's instance side.
	equalJSON(t, "HealthCheck", props(lb)["HealthCheck"], consoleHealthCheck)
	checkSecurityGroups(t, tm, []float64{443, 8443}, []float64{80, 8443}, "0.0.0.0/0")
	checkUserData(t, tm, []string{"80", "8443"})
	outputs := outputsOf(t, tm)
	equalJSON(t, "LoadBalancerUrl output", outputs["LoadBalancerUrl"]["Value"], lbURL("https", lbID))
}

func checkHTTPSOnly(t *testing.T, s synthesized) {
	tm := s.template
	lbID, lb := only(t, tm, lbType)
	equalJSON(t, "Listeners", props(lb)["Listeners"], list{
		httpsListener("80", "HTTP", certArn),
	})
	// ELB5 is explained by TLS ending at the load balancer, nothing else.
	if meta := describe(lb["Metadata"]); !strings.Contains(meta, `"id":"AwsSolutions-ELB5","reason":"TLS from clients ends at the load balancer`) {
		t.Errorf("ELB5 suppression: %s", meta)
	}
	checkSecurityGroups(t, tm, []float64{443}, []float64{80}, "0.0.0.0/0")
	outputs := outputsOf(t, tm)
	equalJSON(t, "LoadBalancerUrl output", outputs["LoadBalancerUrl"]["Value"], lbURL("https", lbID))
}

func checkHTTPSAuto(t *testing.T, s synthesized) {
	tm := s.template
	certID, cert := only(t, tm, "AWS::CertificateManager::Certificate")
	equalJSON(t, "certificate", props(cert), obj{
		"DomainName":              "shop.example.org",
		"DomainValidationOptions": list{obj{"DomainName": "shop.example.org", "HostedZoneId": zoneID}},
		"Tags":                    list{obj{"Key": "Name", "Value": "ClassicWebTier/Certificate"}},
		"ValidationMethod":        "DNS",
	})
	lbID, lb := only(t, tm, lbType)
	equalJSON(t, "Listeners", props(lb)["Listeners"], list{
		httpsListener("80", "HTTP", ref(certID)),
		obj{"InstancePort": "80", "InstanceProtocol": "HTTP", "LoadBalancerPort": "80", "Protocol": "HTTP"},
	})
	checkSecurityGroups(t, tm, []float64{443, 80}, []float64{80}, "0.0.0.0/0")
	// Port 80 serves the page and sends plain HTTP to HTTPS, but for the
	// health check.
	for _, inst := range resources(t, tm, instType) {
		if ud := describe(props(inst)["UserData"]); !strings.Contains(ud, `webserver.py %i --redirect-https 443 --health \"/index.html\"`) {
			t.Errorf("user data lacks the redirect: %.300s", ud)
		}
	}
	_, record := only(t, tm, "AWS::Route53::RecordSet")
	equalJSON(t, "record name", props(record)["Name"], "shop.example.org.")
	outputs := outputsOf(t, tm)
	equalJSON(t, "SiteUrl output", outputs["SiteUrl"]["Value"], "https://shop.example.org/")
	equalJSON(t, "LoadBalancerUrl output", outputs["LoadBalancerUrl"]["Value"], lbURL("https", lbID))
}

func checkHTTPSEndToEnd(t *testing.T, s synthesized) {
	tm := s.template
	_, lb := only(t, tm, lbType)
	equalJSON(t, "Listeners", props(lb)["Listeners"], list{
		httpsListener("443", "HTTPS", certArn),
	})
	equalJSON(t, "HealthCheck target", props(lb)["HealthCheck"].(obj)["Target"], "HTTPS:443/index.html")
	// cdk-nag's ELB5 passes without a suppression: TLS all the way.
	if meta := describe(lb["Metadata"]); strings.Contains(meta, "AwsSolutions-ELB5") {
		t.Errorf("ELB5 is suppressed: %s", meta)
	}
	checkSecurityGroups(t, tm, []float64{443}, []float64{443}, "0.0.0.0/0")
	for _, inst := range resources(t, tm, instType) {
		ud := describe(props(inst)["UserData"])
		if !strings.Contains(ud, "webtier-https@443.service") || !strings.Contains(ud, "openssl req -x509") || strings.Contains(ud, "webtier-http@443") {
			t.Errorf("user data does not serve TLS on 443: %.300s", ud)
		}
	}
}

// httpsListener is an HTTPS 443 listener with the default TLS policy.
func httpsListener(instancePort, instanceProtocol string, certificate interface{}) obj {
	return obj{"InstancePort": instancePort, "InstanceProtocol": instanceProtocol, "LoadBalancerPort": "443",
		"PolicyNames": list{"SSLNegotiation-ELBSecurityPolicy-TLS-1-2-2017-01"}, "Protocol": "HTTPS", "SSLCertificateId": certificate}
}

// lbURL is the LoadBalancerUrl output for a scheme: the load balancer's
// DNS name.
func lbURL(scheme, lbID string) obj {
	return obj{"Fn::Join": list{"", list{scheme + "://", getAtt(lbID, "DNSName"), "/"}}}
}

func checkTCPHealthCheck(t *testing.T, s synthesized) {
	_, lb := only(t, s.template, lbType)
	p := props(lb)
	equalJSON(t, "HealthCheck", p["HealthCheck"], obj{"HealthyThreshold": "5", "Interval": "60", "Target": "TCP:80", "Timeout": "10", "UnhealthyThreshold": "3"})
	equalJSON(t, "CrossZone", p["CrossZone"], false)
	equalJSON(t, "ConnectionDrainingPolicy", p["ConnectionDrainingPolicy"], obj{"Enabled": false, "Timeout": 300})
	equalJSON(t, "ConnectionSettings", p["ConnectionSettings"], obj{"IdleTimeout": 120})
}

func checkThreeInstances(t *testing.T, s synthesized) {
	tm := s.template
	_, lb := only(t, tm, lbType)
	insts := resources(t, tm, instType)
	if len(insts) != 3 {
		t.Fatalf("want 3 instances, got %d", len(insts))
	}
	if got := len(props(lb)["Instances"].(list)); got != 3 {
		t.Errorf("registered %d instances, want 3", got)
	}
	// Round-robin: 1 and 3 share the first zone's subnet, 2 has the second.
	subnetOf := map[string]string{}
	for id, inst := range insts {
		for _, n := range []string{"Instance1", "Instance2", "Instance3"} {
			if strings.HasPrefix(id, "WebTier"+n) {
				subnetOf[n] = describe(instanceSubnet(inst))
			}
		}
		equalJSON(t, id+" InstanceType", props(inst)["InstanceType"], "t3.small")
	}
	if subnetOf["Instance1"] != subnetOf["Instance3"] || subnetOf["Instance1"] == subnetOf["Instance2"] {
		t.Errorf("instances are not spread round-robin over the zones: %v", subnetOf)
	}
}

func checkImportedVpc(t *testing.T, s synthesized) {
	tm := s.template
	_, lb := only(t, tm, lbType)
	// The load balancer takes the two named public subnets (zones a and b);
	// the instances the private subnets of those zones: the VPC has one, in
	// a (its private subnet in c would hold an instance the load balancer
	// never reaches).
	equalJSON(t, "Subnets", props(lb)["Subnets"], list{"subnet-0000000000000000a", "subnet-0000000000000000b"})
	got := map[string]bool{}
	for _, inst := range resources(t, tm, instType) {
		got[describe(instanceSubnet(inst))] = true
	}
	equalJSON(t, "instance subnets", got, map[string]bool{`"subnet-1000000000000000a"`: true})
	if w := assertions.Annotations_FromStack(s.stack).FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("the instances go to ap-northeast-2a only: the VPC has no instance subnet in ap-northeast-2b"))); len(*w) != 1 {
		t.Errorf("want one warning that the instances share a zone, got %d", len(*w))
	}
	hasProps(t, tm, sgType, obj{"VpcId": importedVpc})
	count(t, tm, "AWS::EC2::VPC", 0)
	checkSecurityGroups(t, tm, []float64{80}, []float64{80}, "0.0.0.0/0")
}

// checkSecurityGroups: listener ports in from the allowed peer only; the LB
// sends only to the instance ports; instance ports only from the LB.
func checkSecurityGroups(t *testing.T, tm assertions.Template, listenerPorts, instancePorts []float64, peer interface{}) {
	t.Helper()
	_, lb := only(t, tm, lbType)
	lbSG := props(lb)["SecurityGroups"].(list)[0].(obj)["Fn::GetAtt"].(list)[0].(string)
	sgs := resources(t, tm, sgType)
	var wantIngress list
	for _, port := range listenerPorts {
		wantIngress = append(wantIngress, obj{"FromPort": port, "ToPort": port, "IpProtocol": "tcp", "CidrIp": peer})
	}
	gotIngress := list{}
	for _, r := range props(sgs[lbSG])["SecurityGroupIngress"].(list) {
		rule := r.(obj)
		delete(rule, "Description")
		gotIngress = append(gotIngress, rule)
	}
	equalJSON(t, "LB ingress", gotIngress, wantIngress)
	// No inline egress: the only way out is the rules to the instances.
	equalJSON(t, "LB inline egress", props(sgs[lbSG])["SecurityGroupEgress"], nil)
	var egressPorts, ingressPorts []float64
	for _, e := range resources(t, tm, egressType) {
		p := props(e)
		if describe(p["GroupId"]) != describe(getAtt(lbSG, "GroupId")) {
			t.Errorf("egress rule on another group: %s", describe(p))
		}
		egressPorts = append(egressPorts, p["FromPort"].(float64))
	}
	for _, i := range resources(t, tm, ingType) {
		p := props(i)
		if describe(p["SourceSecurityGroupId"]) != describe(getAtt(lbSG, "GroupId")) {
			t.Errorf("instance ingress not from the load balancer: %s", describe(p))
		}
		if p["Description"] == nil {
			t.Errorf("ingress rule without description: %s", describe(p))
		}
		ingressPorts = append(ingressPorts, p["FromPort"].(float64))
	}
	equalJSON(t, "LB egress ports", sortedFloats(egressPorts), instancePorts)
	equalJSON(t, "instance ingress ports", sortedFloats(ingressPorts), instancePorts)
}

func checkNoSSH(t *testing.T, tm assertions.Template) {
	t.Helper()
	for id, sg := range resources(t, tm, sgType) {
		if strings.Contains(describe(props(sg)["SecurityGroupIngress"]), `"FromPort":22`) {
			t.Errorf("%s opens SSH by default", id)
		}
	}
}

// checkUserData: the default user data serves the page on each port, with no
// package download.
func checkUserData(t *testing.T, tm assertions.Template, ports []string) {
	t.Helper()
	for id, inst := range resources(t, tm, instType) {
		ud := describe(props(inst)["UserData"])
		for _, want := range []string{"/var/www/webtier/index.html", "placement/availability-zone", "instance-id", "X-aws-ec2-metadata-token"} {
			if !strings.Contains(ud, want) {
				t.Errorf("%s user data lacks %q", id, want)
			}
		}
		for _, port := range ports {
			if !strings.Contains(ud, "webtier-http@"+port+".service") {
				t.Errorf("%s user data does not serve port %s", id, port)
			}
		}
		for _, bad := range []string{"dnf ", "yum ", "pip "} {
			if strings.Contains(ud, bad) {
				t.Errorf("%s user data downloads packages (%q)", id, bad)
			}
		}
	}
}

// instanceSubnet is an instance's subnet, which CDK writes on the network
// interface when the public IP setting is explicit.
func instanceSubnet(inst map[string]interface{}) interface{} {
	p := props(inst)
	if nics, ok := p["NetworkInterfaces"].(list); ok && len(nics) > 0 {
		return nics[0].(obj)["SubnetId"]
	}
	return p["SubnetId"]
}

// checkHardenedInstances: IMDSv2, detailed monitoring, an encrypted gp3 root
// volume, no public IP, Session Manager on the one shared role.
func checkHardenedInstances(t *testing.T, tm assertions.Template) {
	t.Helper()
	for id, inst := range resources(t, tm, instType) {
		p := props(inst)
		equalJSON(t, id+" MetadataOptions", p["MetadataOptions"], obj{"HttpTokens": "required"})
		equalJSON(t, id+" Monitoring", p["Monitoring"], true)
		equalJSON(t, id+" BlockDeviceMappings", p["BlockDeviceMappings"], list{obj{"DeviceName": "/dev/xvda", "Ebs": obj{"Encrypted": true, "VolumeSize": 8, "VolumeType": "gp3"}}})
		if nics, ok := p["NetworkInterfaces"].(list); !ok || len(nics) != 1 {
			t.Errorf("%s network interfaces: %s", id, describe(p["NetworkInterfaces"]))
		} else {
			equalJSON(t, id+" public IP", nics[0].(obj)["AssociatePublicIpAddress"], false)
		}
	}
	count(t, tm, "AWS::EC2::LaunchTemplate", 0)
	_, role := only(t, tm, "AWS::IAM::Role")
	if !strings.Contains(describe(props(role)["ManagedPolicyArns"]), "AmazonSSMManagedInstanceCore") {
		t.Errorf("instance role lacks Session Manager: %s", describe(props(role)))
	}
}

// checkAccessLogs: on by default, to a hardened bucket kept on delete, which
// the region's ELB account may write to.
func checkAccessLogs(t *testing.T, tm assertions.Template) {
	t.Helper()
	bucketID, bucket := only(t, tm, "AWS::S3::Bucket")
	_, lb := only(t, tm, lbType)
	equalJSON(t, "AccessLoggingPolicy", props(lb)["AccessLoggingPolicy"], obj{"EmitInterval": 60, "Enabled": true, "S3BucketName": ref(bucketID)})
	equalJSON(t, "bucket DeletionPolicy", bucket["DeletionPolicy"], "Retain")
	p := props(bucket)
	equalJSON(t, "bucket encryption", p["BucketEncryption"], obj{"ServerSideEncryptionConfiguration": list{obj{"ServerSideEncryptionByDefault": obj{"SSEAlgorithm": "AES256"}}}})
	equalJSON(t, "bucket public access", p["PublicAccessBlockConfiguration"], obj{"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true})
	if rules := describe(p["LifecycleConfiguration"]); !strings.Contains(rules, `"ExpirationInDays":90`) {
		t.Errorf("bucket has no expiry: %s", rules)
	}
	_, policy := only(t, tm, "AWS::S3::BucketPolicy")
	doc := describe(props(policy)["PolicyDocument"])
	for _, want := range []string{`"aws:SecureTransport":"false"`, `"Principal":{"AWS":"arn:aws:iam::600734575887:root"}`, `"Sid":"ElbAccessLogDelivery"`} {
		if !strings.Contains(doc, want) {
			t.Errorf("bucket policy lacks %s: %s", want, doc)
		}
	}
	if deps := describe(lb["DependsOn"]); !strings.Contains(deps, "AccessLogsPolicy") {
		t.Errorf("load balancer does not wait for the log bucket policy: %s", deps)
	}
}

func outputsOf(t *testing.T, tm assertions.Template) map[string]obj {
	t.Helper()
	raw, _ := json.Marshal(tm.ToJSON())
	var tmpl struct {
		Outputs map[string]obj
	}
	if err := json.Unmarshal(raw, &tmpl); err != nil {
		t.Fatal(err)
	}
	return tmpl.Outputs
}

package classicelb

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// Composing the WebTier with what a CDK app already has: its own groups and
// role, aws-cdk-lib APIs that take connectables and grantees, more names.

func ec2Role(stack awscdk.Stack) awsiam.Role {
	return awsiam.NewRole(stack, jsii.String("AppRole"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("ec2.amazonaws.com"), nil),
	})
}

func TestGivenInstanceGroupAndRoleTakeOnlyTheWebTiersRules(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	sg := awsec2.NewSecurityGroup(stack, jsii.String("AppSG"), &awsec2.SecurityGroupProps{Vpc: vpc, AllowAllOutbound: jsii.Bool(false)})
	role := ec2Role(stack)
	tier, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, InstanceSecurityGroup: sg, InstanceRole: role})
	if got := js(tmpl.ToJSON()); strings.Contains(got, "HTTPS to AWS services") {
		t.Errorf("the default egress went onto the given group")
	}

	if tier.InstanceSecurityGroup() != sg || tier.InstanceRole() != role {
		t.Errorf("the tier does not expose the given group and role")
	}
	sgID := *stack.GetLogicalId(sg.Node().DefaultChild().(awscdk.CfnElement))
	roleID := *stack.GetLogicalId(role.Node().DefaultChild().(awscdk.CfnElement))
	assert(t, func() {
		// Only the load balancer's group is created; no role.
		tmpl.ResourceCountIs(jsii.String("AWS::EC2::SecurityGroup"), jsii.Number(2))
		tmpl.ResourceCountIs(jsii.String("AWS::IAM::Role"), jsii.Number(1))
		tmpl.AllResourcesProperties(jsii.String("AWS::EC2::Instance"), obj{
			"NetworkInterfaces": []interface{}{assertions.Match_ObjectLike(&map[string]interface{}{"GroupSet": []interface{}{obj{"Fn::GetAtt": []interface{}{sgID, "GroupId"}}}})},
		})
		tmpl.AllResourcesProperties(jsii.String("AWS::IAM::InstanceProfile"), obj{"Roles": []interface{}{obj{"Ref": roleID}}})
		// The instance port from the load balancer on the given group, and
		// no egress rule of the WebTier's: the group's owner decides that.
		tmpl.HasResourceProperties(jsii.String("AWS::EC2::SecurityGroupIngress"), obj{
			"GroupId": obj{"Fn::GetAtt": []interface{}{sgID, "GroupId"}}, "FromPort": 80, "ToPort": 80,
		})
		tmpl.ResourceCountIs(jsii.String("AWS::EC2::SecurityGroupEgress"), jsii.Number(1)) // the load balancer's, to port 80
		// Session Manager's policy on the given role, with its suppression.
		tmpl.HasResource(jsii.String("AWS::IAM::Role"), obj{
			"Properties": obj{"ManagedPolicyArns": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
				"Fn::Join": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ArrayWith(&[]interface{}{":iam::aws:policy/AmazonSSMManagedInstanceCore"})}),
			})})},
			"Metadata": obj{"cdk_nag": obj{"rules_to_suppress": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{"id": "AwsSolutions-IAM4"})})}},
		})
	})
}

func TestTheTierIsAConnectableAndAGrantee(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	tier := NewWebTier(stack, jsii.String("WebTier"), &WebTierProps{Vpc: vpc})
	db := awsec2.NewSecurityGroup(stack, jsii.String("Db"), &awsec2.SecurityGroupProps{Vpc: vpc, AllowAllOutbound: jsii.Bool(false)})
	// aws-cdk-lib APIs that take an IConnectable and an IGrantable.
	db.Connections().AllowFrom(tier, awsec2.Port_Tcp(jsii.Number(5432)), jsii.String("from the web tier's instances"))
	tier.LoadBalancerConnections().AllowDefaultPortFrom(awsec2.Peer_Ipv4(jsii.String("198.51.100.0/24")), jsii.String("partners"))
	content := awss3.NewBucket(stack, jsii.String("Content"), nil)
	content.GrantRead(tier, nil)

	tmpl := assertions.Template_FromStack(stack, nil)
	instSG := *stack.GetLogicalId(tier.InstanceSecurityGroup().Node().DefaultChild().(awscdk.CfnElement))
	roleID := *stack.GetLogicalId(tier.InstanceRole().Node().DefaultChild().(awscdk.CfnElement))
	assert(t, func() {
		// The instances, not the load balancer, reach the database.
		tmpl.HasResourceProperties(jsii.String("AWS::EC2::SecurityGroupIngress"), obj{
			"FromPort": 5432, "SourceSecurityGroupId": obj{"Fn::GetAtt": []interface{}{instSG, "GroupId"}},
		})
		tmpl.HasResourceProperties(jsii.String("AWS::EC2::SecurityGroup"), obj{
			"GroupDescription":     "Classic load balancer: listener ports in, instance ports out",
			"SecurityGroupIngress": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{"CidrIp": "198.51.100.0/24", "FromPort": 80})}),
		})
		tmpl.HasResourceProperties(jsii.String("AWS::IAM::Policy"), obj{
			"Roles":          []interface{}{obj{"Ref": roleID}},
			"PolicyDocument": obj{"Statement": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{"Action": assertions.Match_ArrayWith(&[]interface{}{"s3:GetObject*"})})})},
		})
	})
	lbID := *stack.GetLogicalId(tier.LoadBalancer())
	if got := js(stack.Resolve(tier.LoadBalancerName())); got != `{"Ref":"`+lbID+`"}` {
		t.Errorf("LoadBalancerName() resolves to %s, want the load balancer's Ref", got)
	}
}

func TestNewAliasTargetAddsNamesThatFollowTheTier(t *testing.T) {
	for _, health := range []bool{false, true} {
		stack, vpc := newStack("ap-northeast-2")
		zone := awsroute53.HostedZone_FromHostedZoneAttributes(stack, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
			HostedZoneId: jsii.String("Z0123456789EXAMPLE"), ZoneName: jsii.String("example.com"),
		})
		tier := NewWebTier(stack, jsii.String("WebTier"), &WebTierProps{Vpc: vpc, HostedZone: zone, RecordName: jsii.String("www"), EvaluateTargetHealth: jsii.Bool(health)})
		awsroute53.NewARecord(stack, jsii.String("Apex"), &awsroute53.ARecordProps{
			Zone: zone, Target: awsroute53.RecordTarget_FromAlias(NewAliasTarget(tier)),
		})
		lbID := *stack.GetLogicalId(tier.LoadBalancer())
		want := obj{
			"DNSName":              obj{"Fn::Join": []interface{}{"", []interface{}{"dualstack.", obj{"Fn::GetAtt": []interface{}{lbID, "DNSName"}}}}},
			"HostedZoneId":         obj{"Fn::GetAtt": []interface{}{lbID, "CanonicalHostedZoneNameID"}},
			"EvaluateTargetHealth": health,
		}
		tmpl := assertions.Template_FromStack(stack, nil)
		assert(t, func() {
			tmpl.ResourceCountIs(jsii.String("AWS::Route53::RecordSet"), jsii.Number(2))
			tmpl.HasResourceProperties(jsii.String("AWS::Route53::RecordSet"), obj{"Name": "example.com.", "AliasTarget": want})
			tmpl.HasResourceProperties(jsii.String("AWS::Route53::RecordSet"), obj{"Name": "www.example.com.", "AliasTarget": want})
		})
	}
	// Without a zone of its own, the tier's EvaluateTargetHealth still
	// governs the aliases NewAliasTarget makes.
	if err := ValidateProps(&WebTierProps{Vpc: twoZoneVpc(), EvaluateTargetHealth: jsii.Bool(true)}); err != nil {
		t.Errorf("EvaluateTargetHealth without HostedZone: %v", err)
	}
}

// twoZoneVpc is a VPC of a stack of its own, for ValidateProps.
func twoZoneVpc() awsec2.IVpc {
	_, vpc := newStack("ap-northeast-2")
	return vpc
}

func TestGivenPartsTheWebTierCannotUse(t *testing.T) {
	cases := []struct {
		name  string
		props func(stack awscdk.Stack, vpc awsec2.IVpc) *WebTierProps
		want  string
	}{
		{"imported role with Session Manager", func(stack awscdk.Stack, vpc awsec2.IVpc) *WebTierProps {
			role := awsiam.Role_FromRoleArn(stack, jsii.String("Shared"), jsii.String("arn:aws:iam::123456789012:role/web"), nil)
			return &WebTierProps{Vpc: vpc, InstanceRole: role, SessionManager: jsii.Bool(true)}
		}, "SessionManager: is true, but InstanceRole Test/Shared is imported, so this stack cannot attach AmazonSSMManagedInstanceCore to it"},
		{"role EC2 cannot assume", func(stack awscdk.Stack, vpc awsec2.IVpc) *WebTierProps {
			role := awsiam.NewRole(stack, jsii.String("LambdaRole"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil)})
			return &WebTierProps{Vpc: vpc, InstanceRole: role}
		}, "InstanceRole: Test/LambdaRole does not trust ec2.amazonaws.com"},
		{"egress on a group open outbound", func(stack awscdk.Stack, vpc awsec2.IVpc) *WebTierProps {
			sg := awsec2.NewSecurityGroup(stack, jsii.String("Open"), &awsec2.SecurityGroupProps{Vpc: vpc})
			return &WebTierProps{Vpc: vpc, InstanceSecurityGroup: sg, InstanceEgress: &[]*EgressRule{}}
		}, "InstanceEgress: is set, but InstanceSecurityGroup Test/Open allows all outbound traffic"},
		{"immutable instance group", func(stack awscdk.Stack, vpc awsec2.IVpc) *WebTierProps {
			sg := awsec2.SecurityGroup_FromSecurityGroupId(stack, jsii.String("Fixed"), jsii.String("sg-0123456789abcdef0"), &awsec2.SecurityGroupImportOptions{Mutable: jsii.Bool(false)})
			return &WebTierProps{Vpc: vpc, InstanceSecurityGroup: sg}
		}, "InstanceSecurityGroup: Test/Fixed is imported as immutable"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stack, vpc := newStack("ap-northeast-2")
			if verr := buildErr(t, stack, c.props(stack, vpc)); !strings.Contains(verr.Error(), c.want) {
				t.Errorf("want ...%s...\n got %v", c.want, verr)
			}
		})
	}
	// An imported role serves as it is; left at its default, Session
	// Manager attaches nothing and says so.
	for _, sessionManager := range []*bool{nil, jsii.Bool(false)} {
		stack, vpc := newStack("ap-northeast-2")
		role := awsiam.Role_FromRoleArn(stack, jsii.String("Shared"), jsii.String("arn:aws:iam::123456789012:role/web"), nil)
		_, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, InstanceRole: role, SessionManager: sessionManager})
		assert(t, func() {
			tmpl.ResourceCountIs(jsii.String("AWS::IAM::Role"), jsii.Number(0))
			tmpl.AllResourcesProperties(jsii.String("AWS::IAM::InstanceProfile"), obj{"Roles": []interface{}{"web"}})
		})
		warnings := assertions.Annotations_FromStack(stack).FindWarning(jsii.String("/Test/WebTier"), assertions.Match_StringLikeRegexp(jsii.String("InstanceRole Test/Shared is imported, so this stack does not attach AmazonSSMManagedInstanceCore")))
		if want := sessionManager == nil; (len(*warnings) == 1) != want {
			t.Errorf("SessionManager %v: %d warnings, want one: %v", sessionManager, len(*warnings), want)
		}
	}
	// A LazyRole of this app is no imported role: it takes the policy.
	stack, vpc := newStack("ap-northeast-2")
	lazy := awsiam.NewLazyRole(stack, jsii.String("Lazy"), &awsiam.LazyRoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("ec2.amazonaws.com"), nil)})
	_, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, InstanceRole: lazy})
	assert(t, func() {
		tmpl.HasResourceProperties(jsii.String("AWS::IAM::Role"), obj{"ManagedPolicyArns": assertions.Match_AnyValue()})
	})
	// A mutable group imported in another stack is no immutable one, though
	// the rule from the load balancer lives in this stack, under its group.
	stack, vpc = newStack("ap-northeast-2")
	shared := awscdk.NewStack(stack.Node().Scope().(awscdk.App), jsii.String("Shared"), &awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("ap-northeast-2")}})
	elsewhere := awsec2.SecurityGroup_FromSecurityGroupId(shared, jsii.String("Web"), jsii.String("sg-0123456789abcdef0"), &awsec2.SecurityGroupImportOptions{AllowAllOutbound: jsii.Bool(false)})
	build(t, stack, &WebTierProps{Vpc: vpc, InstanceSecurityGroup: elsewhere})
	// A given group without HTTPS out: Session Manager cannot work, and a
	// warning says so; with a 443 rule of the owner's, no warning.
	for _, withRule := range []bool{false, true} {
		stack, vpc := newStack("ap-northeast-2")
		closed := awsec2.NewSecurityGroup(stack, jsii.String("Closed"), &awsec2.SecurityGroupProps{Vpc: vpc, AllowAllOutbound: jsii.Bool(false)})
		if withRule {
			closed.AddEgressRule(awsec2.Peer_AnyIpv4(), awsec2.Port_Tcp(jsii.Number(443)), jsii.String("HTTPS"), nil)
		}
		build(t, stack, &WebTierProps{Vpc: vpc, InstanceSecurityGroup: closed})
		warnings := assertions.Annotations_FromStack(stack).FindWarning(jsii.String("/Test/WebTier"), assertions.Match_StringLikeRegexp(jsii.String("allows no HTTPS \\(TCP 443\\) out")))
		if (len(*warnings) == 1) == withRule {
			t.Errorf("443 rule %v: %d warnings about HTTPS out", withRule, len(*warnings))
		}
	}
	// A group open outbound keeps the default egress off it: no rule.
	stack, vpc = newStack("ap-northeast-2")
	open := awsec2.NewSecurityGroup(stack, jsii.String("Open"), &awsec2.SecurityGroupProps{Vpc: vpc})
	_, tmpl = build(t, stack, &WebTierProps{Vpc: vpc, InstanceSecurityGroup: open})
	openID := *stack.GetLogicalId(open.Node().DefaultChild().(awscdk.CfnElement))
	if egress := js(tmpl.ToJSON()); strings.Count(egress, `"CidrIp":"0.0.0.0/0","Description":"Allow all outbound traffic by default"`) != 1 || strings.Contains(egress, "HTTPS to AWS services") {
		t.Errorf("%s: want only its own allow-all egress rule", openID)
	}
}

// nagFindings runs cdk-nag's AwsSolutions pack over the stack and returns
// the rule ids of its unsuppressed errors, but for the test's own VPC's.
func nagFindings(stack awscdk.Stack) []string {
	awscdk.Aspects_Of(stack).Add(cdknag.NewAwsSolutionsChecks(nil), nil)
	var ids []string
	for _, m := range *assertions.Annotations_FromStack(stack).FindError(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-"))) {
		if strings.HasPrefix(*m.Id, "/Test/Vpc/") {
			continue
		}
		text := js(m.Entry.Data)
		if i := strings.Index(text, "AwsSolutions-"); i >= 0 {
			id, _, _ := strings.Cut(text[i:], ":")
			ids = append(ids, id)
		}
	}
	return ids
}

func TestCdkNagSuppressionsCanBeLeftOff(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	NewWebTier(stack, jsii.String("WebTier"), &WebTierProps{Vpc: vpc, CdkNagSuppressions: jsii.Bool(false)})
	found := strings.Join(nagFindings(stack), " ")
	if got := js(assertions.Template_FromStack(stack, nil).ToJSON()); strings.Contains(got, "cdk_nag") {
		t.Errorf("CdkNagSuppressions false still records suppressions")
	}
	for _, want := range []string{"AwsSolutions-ELB1", "AwsSolutions-EC23", "AwsSolutions-EC29", "AwsSolutions-IAM4"} {
		if !strings.Contains(found, want) {
			t.Errorf("without the suppressions cdk-nag should report %s; it reported %s", want, found)
		}
	}
	// With them (the default), the same stack has no finding of its own.
	stack, vpc = newStack("ap-northeast-2")
	NewWebTier(stack, jsii.String("WebTier"), &WebTierProps{Vpc: vpc})
	if found := nagFindings(stack); len(found) != 0 {
		t.Errorf("default web tier: unsuppressed findings %v", found)
	}
}

func TestAGivenLoadBalancerGroupOpenToTheWorldGetsTheEC23Suppression(t *testing.T) {
	for _, c := range []struct {
		name  string
		group func(stack awscdk.Stack, vpc awsec2.IVpc) awsec2.ISecurityGroup
	}{
		{"of this app", func(stack awscdk.Stack, vpc awsec2.IVpc) awsec2.ISecurityGroup {
			return awsec2.NewSecurityGroup(stack, jsii.String("Front"), &awsec2.SecurityGroupProps{Vpc: vpc, AllowAllOutbound: jsii.Bool(false)})
		}},
		{"imported", func(stack awscdk.Stack, vpc awsec2.IVpc) awsec2.ISecurityGroup {
			return awsec2.SecurityGroup_FromSecurityGroupId(stack, jsii.String("Front"), jsii.String("sg-0123456789abcdef0"), &awsec2.SecurityGroupImportOptions{AllowAllOutbound: jsii.Bool(false)})
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			stack, vpc := newStack("ap-northeast-2")
			NewWebTier(stack, jsii.String("WebTier"), &WebTierProps{Vpc: vpc, SecurityGroup: c.group(stack, vpc)})
			if found := nagFindings(stack); len(found) != 0 {
				t.Errorf("unsuppressed findings %v", found)
			}
		})
	}
	// The suppression covers the listener rules, not a world-open rule of
	// the group's owner.
	stack, vpc := newStack("ap-northeast-2")
	front := awsec2.NewSecurityGroup(stack, jsii.String("Front"), &awsec2.SecurityGroupProps{Vpc: vpc, AllowAllOutbound: jsii.Bool(false)})
	front.AddIngressRule(awsec2.Peer_AnyIpv4(), awsec2.Port_Tcp(jsii.Number(22)), jsii.String("the owner's own SSH"), nil)
	NewWebTier(stack, jsii.String("WebTier"), &WebTierProps{Vpc: vpc, SecurityGroup: front})
	if found := nagFindings(stack); len(found) != 1 || found[0] != "AwsSolutions-EC23" {
		t.Errorf("the owner's SSH rule open to the world: want one EC23 finding, got %v", found)
	}
}

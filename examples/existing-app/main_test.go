package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// TestMain synthesizes as `cdk synth` does without credentials (no
// account, so no lookup), and closes the jsii kernel once every test has
// run.
func TestMain(m *testing.M) {
	os.Unsetenv("CDK_DEFAULT_ACCOUNT")
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// synth builds the app's stack and its template.
func synth(t *testing.T) (awscdk.Stack, assertions.Template) {
	t.Helper()
	stack, err := newStack(awscdk.NewApp(nil))
	if err != nil {
		t.Fatal(err)
	}
	return stack, assertions.Template_FromStack(stack, nil)
}

// logicalID is the logical ID of the CloudFormation resource of the
// stack's construct id (an L2's default child).
func logicalID(t *testing.T, stack awscdk.Stack, id string) string {
	t.Helper()
	c := stack.Node().TryFindChild(jsii.String(id))
	if c == nil {
		t.Fatalf("the stack has no construct %q", id)
	}
	res, ok := c.Node().DefaultChild().(awscdk.CfnElement)
	if !ok {
		t.Fatalf("%q has no CloudFormation resource", id)
	}
	return *stack.GetLogicalId(res)
}

// onlyResource is the logical ID of the template's one resource of a type.
func onlyResource(t *testing.T, tmpl assertions.Template, typ string) string {
	t.Helper()
	found := *tmpl.FindResources(jsii.String(typ), nil)
	if len(found) != 1 {
		t.Fatalf("%d resources of type %s, want 1", len(found), typ)
	}
	for id := range found {
		return id
	}
	return ""
}

// instanceGroups are the security groups of an AWS::EC2::Instance, as JSON:
// its SecurityGroupIds, or the GroupSet of its network interface (where
// they are when the instance sets AssociatePublicIpAddress).
func instanceGroups(resource map[string]interface{}) string {
	props, _ := resource["Properties"].(map[string]interface{})
	groups := props["SecurityGroupIds"]
	if nics, ok := props["NetworkInterfaces"].([]interface{}); ok && len(nics) == 1 && groups == nil {
		groups = nics[0].(map[string]interface{})["GroupSet"]
	}
	raw, _ := json.Marshal(groups)
	return string(raw)
}

// TestSynthesizesWithoutFindings: the stack synthesizes with no error or
// warning annotation.
func TestSynthesizesWithoutFindings(t *testing.T) {
	stack, _ := synth(t)
	annotations := assertions.Annotations_FromStack(stack)
	annotations.HasNoError(jsii.String("*"), assertions.Match_AnyValue())
	annotations.HasNoWarning(jsii.String("*"), assertions.Match_AnyValue())
}

// TestInstancesUseTheGivenGroupAndRole: the instances run in the app's own
// security group, with the app's own role, and the web tier makes neither.
func TestInstancesUseTheGivenGroupAndRole(t *testing.T) {
	stack, tmpl := synth(t)
	sg, role := logicalID(t, stack, "WebInstances"), logicalID(t, stack, "WebInstanceRole")

	instances := *tmpl.FindResources(jsii.String("AWS::EC2::Instance"), nil)
	if len(instances) != 2 {
		t.Fatalf("%d instances, want 2", len(instances))
	}
	want := fmt.Sprintf(`[{"Fn::GetAtt":[%q,"GroupId"]}]`, sg)
	for id, r := range instances {
		if got := instanceGroups(*r); got != want {
			t.Errorf("instance %s has security groups %s, want %s", id, got, want)
		}
	}
	tmpl.ResourceCountIs(jsii.String("AWS::IAM::InstanceProfile"), jsii.Number(2))
	tmpl.AllResourcesProperties(jsii.String("AWS::IAM::InstanceProfile"), map[string]interface{}{
		"Roles": []interface{}{map[string]interface{}{"Ref": role}},
	})
	// One role and two groups: the app's role and instance group, and the
	// load balancer's group.
	if roles := *tmpl.FindResources(jsii.String("AWS::IAM::Role"), nil); len(roles) != 1 {
		t.Errorf("%d IAM roles, want only the app's %s", len(roles), role)
	}
	tmpl.ResourceCountIs(jsii.String("AWS::EC2::SecurityGroup"), jsii.Number(2))
	// The app's group keeps its own egress rule, and only that: the tier
	// adds no egress to a group it is given.
	tmpl.HasResourceProperties(jsii.String("AWS::EC2::SecurityGroup"), map[string]interface{}{
		"GroupDescription": "Web servers of the existing app",
		"SecurityGroupEgress": []interface{}{map[string]interface{}{
			"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0",
		}},
	})
	// The instance port is open to the load balancer's group, on the app's group.
	tmpl.HasResourceProperties(jsii.String("AWS::EC2::SecurityGroupIngress"), map[string]interface{}{
		"GroupId":    map[string]interface{}{"Fn::GetAtt": []interface{}{sg, "GroupId"}},
		"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
	})
}

// TestTwoAliasesToTheLoadBalancer: the tier's www record and the apex that
// NewAliasTarget made both alias the load balancer's dualstack name.
func TestTwoAliasesToTheLoadBalancer(t *testing.T) {
	_, tmpl := synth(t)
	lb := onlyResource(t, tmpl, "AWS::ElasticLoadBalancing::LoadBalancer")

	tmpl.ResourceCountIs(jsii.String("AWS::Route53::RecordSet"), jsii.Number(2))
	tmpl.AllResourcesProperties(jsii.String("AWS::Route53::RecordSet"), map[string]interface{}{
		"Type":         "A",
		"HostedZoneId": "Z0123456789EXAMPLE",
		"AliasTarget": map[string]interface{}{
			"DNSName": map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{
				"dualstack.", map[string]interface{}{"Fn::GetAtt": []interface{}{lb, "DNSName"}},
			}}},
			"HostedZoneId": map[string]interface{}{"Fn::GetAtt": []interface{}{lb, "CanonicalHostedZoneNameID"}},
		},
	})
	var names []string
	for _, r := range *tmpl.FindResources(jsii.String("AWS::Route53::RecordSet"), nil) {
		name, _ := (*r)["Properties"].(map[string]interface{})["Name"].(string)
		names = append(names, name)
	}
	sort.Strings(names)
	if want := []string{"example.com.", "www.example.com."}; len(names) != 2 || names[0] != want[0] || names[1] != want[1] {
		t.Errorf("record names %q, want %q", names, want)
	}
}

// TestOutputsTheLoadBalancerName: LoadBalancerName() is the load
// balancer's Ref.
func TestOutputsTheLoadBalancerName(t *testing.T) {
	_, tmpl := synth(t)
	lb := onlyResource(t, tmpl, "AWS::ElasticLoadBalancing::LoadBalancer")
	tmpl.HasOutput(jsii.String("LoadBalancerName"), map[string]interface{}{
		"Value": map[string]interface{}{"Ref": lb},
	})
}

// TestContentReadGrantedToTheInstanceRole: GrantRead(tier, nil) lands in a
// policy of the app's instance role.
func TestContentReadGrantedToTheInstanceRole(t *testing.T) {
	stack, tmpl := synth(t)
	role, bucket := logicalID(t, stack, "WebInstanceRole"), logicalID(t, stack, "Content")
	bucketArn := map[string]interface{}{"Fn::GetAtt": []interface{}{bucket, "Arn"}}
	tmpl.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]interface{}{
		"Roles": []interface{}{map[string]interface{}{"Ref": role}},
		"PolicyDocument": map[string]interface{}{
			"Statement": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
				"Effect":   "Allow",
				"Action":   assertions.Match_ArrayWith(&[]interface{}{"s3:GetObject*", "s3:List*"}),
				"Resource": assertions.Match_ArrayWith(&[]interface{}{bucketArn}),
			})}),
		},
	})
	// The bucket keeps the basics: SSE-S3, no public access, TLS only.
	tmpl.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]interface{}{
		"BucketEncryption": map[string]interface{}{"ServerSideEncryptionConfiguration": []interface{}{
			map[string]interface{}{"ServerSideEncryptionByDefault": map[string]interface{}{"SSEAlgorithm": "AES256"}},
		}},
		"PublicAccessBlockConfiguration": map[string]interface{}{
			"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
		},
	})
	tmpl.HasResourceProperties(jsii.String("AWS::S3::BucketPolicy"), map[string]interface{}{
		"Bucket": map[string]interface{}{"Ref": bucket},
		"PolicyDocument": map[string]interface{}{
			"Statement": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
				"Effect":    "Deny",
				"Condition": map[string]interface{}{"Bool": map[string]interface{}{"aws:SecureTransport": "false"}},
			})}),
		},
	})
}

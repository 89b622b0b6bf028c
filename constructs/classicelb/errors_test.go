package classicelb

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"
)

// TestNewWebTierEReturnsTheErrorAndLeavesTheScope: NewWebTierE returns
// what NewWebTier panics with, adds nothing to the scope on an error, so
// that the same id can be tried again, and a tier built after a failed try
// has the very template of one built at once.
func TestNewWebTierEReturnsTheErrorAndLeavesTheScope(t *testing.T) {
	bad := func(vpc awsec2.IVpc) *WebTierProps {
		return &WebTierProps{Vpc: vpc, HealthCheck: &HealthCheck{Interval: awscdk.Duration_Seconds(jsii.Number(1))}, InstanceCount: jsii.Number(0)}
	}
	stack, vpc := newStack("ap-northeast-2")
	tier, err := NewWebTierE(stack, jsii.String("WebTier"), bad(vpc))
	var verr *ValidationError
	if tier != nil || !errors.As(err, &verr) {
		t.Fatalf("NewWebTierE = %v, %v; want nil and a *ValidationError", tier, err)
	}
	if verr.Path != "Test/WebTier" || len(verr.Problems) != 2 || verr.Problems[0].Setting != "InstanceCount" && verr.Problems[1].Setting != "InstanceCount" {
		t.Errorf("NewWebTierE's error names %q and %v; want Test/WebTier, InstanceCount and HealthCheck.Interval", verr.Path, verr.Problems)
	}
	if child := stack.Node().TryFindChild(jsii.String("WebTier")); child != nil {
		t.Errorf("a failed NewWebTierE left %s in the stack", *child.Node().Path())
	}
	// NewWebTier panics with the same error.
	other, otherVpc := newStack("ap-northeast-2")
	if panicked := buildErr(t, other, bad(otherVpc)); !reflect.DeepEqual(panicked, verr) {
		t.Errorf("NewWebTier panics with\n%v\nNewWebTierE returns\n%v", panicked, verr)
	}
	if _, err := NewWebTierE(stack, jsii.String("WebTier"), &WebTierProps{Vpc: vpc}); err != nil {
		t.Fatalf("a second try under the same id: %v", err)
	}
	once, onceVpc := newStack("ap-northeast-2")
	NewWebTier(once, jsii.String("WebTier"), &WebTierProps{Vpc: onceVpc})
	if got, want := js(assertions.Template_FromStack(stack, nil).ToJSON()), js(assertions.Template_FromStack(once, nil).ToJSON()); got != want {
		t.Errorf("a tier built after a failed try differs from one built at once")
	}
}

// TestNewWebTierEUndoesTheRulesOfAFailedTry: an immutable instance group is
// found only once the rules were tried; by then the load balancer's
// imported, mutable group has taken its ingress and egress rules (as
// resources under it, outside the tier). The error takes them out again,
// with the tier.
func TestNewWebTierEUndoesTheRulesOfAFailedTry(t *testing.T) {
	stack, vpc := newStack("ap-northeast-2")
	lbGroup := awsec2.SecurityGroup_FromSecurityGroupId(stack, jsii.String("SharedLb"), jsii.String("sg-0aaaaaaaaaaaaaaa0"), &awsec2.SecurityGroupImportOptions{AllowAllOutbound: jsii.Bool(false)})
	fixed := awsec2.SecurityGroup_FromSecurityGroupId(stack, jsii.String("Fixed"), jsii.String("sg-0123456789abcdef0"), &awsec2.SecurityGroupImportOptions{Mutable: jsii.Bool(false)})
	_, err := NewWebTierE(stack, jsii.String("WebTier"), &WebTierProps{Vpc: vpc, SecurityGroup: lbGroup, InstanceSecurityGroup: fixed})
	if err == nil || !strings.Contains(err.Error(), "InstanceSecurityGroup: Test/Fixed is imported as immutable") {
		t.Fatalf("NewWebTierE: %v; want the immutable group named", err)
	}
	if n := len(*lbGroup.Node().Children()); n != 0 {
		t.Errorf("the load balancer's group keeps %d rule(s) of the failed try", n)
	}
	if child := stack.Node().TryFindChild(jsii.String("WebTier")); child != nil {
		t.Errorf("a failed NewWebTierE left %s in the stack", *child.Node().Path())
	}
	// The same group, then, takes the rules of a tier that works.
	if _, err := NewWebTierE(stack, jsii.String("WebTier"), &WebTierProps{Vpc: vpc, SecurityGroup: lbGroup}); err != nil {
		t.Fatal(err)
	}
	if n := len(*lbGroup.Node().Children()); n == 0 {
		t.Errorf("the load balancer's group took no rule from the tier that works")
	}
}

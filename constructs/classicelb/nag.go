package classicelb

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// nagRule is a cdk-nag finding that the mission demands, with the reason a
// reviewer reads.
type nagRule struct {
	id, reason string
	// appliesTo narrows the suppression to these findings of the rule (for
	// example one managed policy of IAM4).
	appliesTo []string
}

// suppress records cdk-nag suppressions on each construct's CloudFormation
// resource (its default child when given an L2), unless CdkNagSuppressions
// is off. It writes the resource metadata that cdk-nag's
// NagSuppressions.addResourceSuppressions writes and its checks read:
// {"cdk_nag": {"rules_to_suppress": [{"id", "reason", "applies_to"}]}}.
// Writing the metadata keeps cdk-nag out of the library's dependencies; the
// app's tests run cdk-nag itself and fail on any finding not suppressed here.
func (w *webTier) suppress(on []constructs.IConstruct, rules ...nagRule) {
	if !w.spec.nagSuppressions {
		return
	}
	for _, c := range on {
		addSuppressions(c, rules)
	}
}

func addSuppressions(c constructs.IConstruct, rules []nagRule) {
	// An L2's resource is its default child, or its default child's (a
	// LazyRole's Role's CfnRole).
	res, ok := c.(awscdk.CfnResource)
	for at := c; !ok; {
		if at = at.Node().DefaultChild(); at == nil {
			panic("suppress: " + *c.Node().Path() + " has no CloudFormation resource")
		}
		res, ok = at.(awscdk.CfnResource)
	}
	var list []interface{}
	if existing, ok := res.GetMetadata(jsii.String("cdk_nag")).(map[string]interface{}); ok {
		if prior, ok := existing["rules_to_suppress"].([]interface{}); ok {
			list = append(list, prior...)
		}
	}
	for _, r := range rules {
		entry := map[string]interface{}{"id": r.id, "reason": r.reason}
		if len(r.appliesTo) > 0 {
			applies := make([]interface{}, len(r.appliesTo))
			for i, a := range r.appliesTo {
				applies[i] = a
			}
			entry["applies_to"] = applies
		}
		list = append(list, entry)
	}
	res.AddMetadata(jsii.String("cdk_nag"), map[string]interface{}{"rules_to_suppress": list})
}

// one is a single construct to suppress on.
func one(c constructs.IConstruct) []constructs.IConstruct { return []constructs.IConstruct{c} }

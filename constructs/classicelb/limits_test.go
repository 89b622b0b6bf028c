package classicelb

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/classic-webtier/cdk-classic-webtier/internal/clb"
)

// TestPropsDocsStateTheLimits: the doc comment of each numeric field names
// the range that validation enforces (internal/clb), so the two cannot
// drift apart.
func TestPropsDocsStateTheLimits(t *testing.T) {
	want := map[string]clb.Range{
		"Listener.ExternalPort": clb.Port, "Listener.InternalPort": clb.Port, "HealthCheck.Port": clb.Port,
		"HealthCheck.Timeout": clb.HealthCheckTimeout, "HealthCheck.Interval": clb.HealthCheckInterval,
		"HealthCheck.UnhealthyThreshold": clb.Threshold, "HealthCheck.HealthyThreshold": clb.Threshold,
		"WebTierProps.ConnectionDrainingTimeout": clb.DrainingTimeout, "WebTierProps.IdleTimeout": clb.IdleTimeout,
		"WebTierProps.InstanceCount": clb.Instances, "WebTierProps.SecurityGroupRulesQuota": clb.SecurityGroupRules,
	}
	f, err := parser.ParseFile(token.NewFileSet(), "props.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		spec, ok := n.(*ast.TypeSpec)
		if !ok {
			return true
		}
		if st, ok := spec.Type.(*ast.StructType); ok {
			for _, field := range st.Fields.List {
				for _, name := range field.Names {
					docs[spec.Name.Name+"."+name.Name] = strings.Join(strings.Fields(field.Doc.Text()), " ")
				}
			}
		}
		return false
	})
	for field, r := range want {
		if doc, ok := docs[field]; !ok {
			t.Errorf("props.go has no field %s", field)
		} else if bounds := fmt.Sprintf("%d-%d", r.Min, r.Max); !strings.Contains(doc, bounds) {
			t.Errorf("%s's doc does not state its range %s: %q", field, bounds, doc)
		}
	}
	if doc := docs["WebTierProps.Listeners"]; !strings.Contains(doc, fmt.Sprintf("at most %d", clb.Listeners.Max)) {
		t.Errorf("Listeners' doc does not state at most %d: %q", clb.Listeners.Max, doc)
	}
}

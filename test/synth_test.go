package test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/jsii-runtime-go"

	"github.com/classic-webtier/cdk-classic-webtier/internal/webtierapp"
)

// cdkJSONContext is the "context" of the repository's cdk.json: the feature
// flags `cdk init` recommends, which every synth here uses, as the CLI does.
func cdkJSONContext(t *testing.T) map[string]interface{} {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "cdk.json"))
	if err != nil {
		t.Fatalf("read cdk.json: %v", err)
	}
	var cfg struct {
		Context map[string]interface{} `json:"context"`
	}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatalf("parse cdk.json: %v", err)
	}
	if len(cfg.Context) == 0 {
		t.Fatal("cdk.json has no feature flags in context")
	}
	return cfg.Context
}

// synthesized is one scenario's stack.
type synthesized struct {
	stack    awscdk.Stack
	template assertions.Template
}

// synth builds the app exactly as cmd/cdk-classic-webtier does, from cdk.json's context plus
// the scenario's settings, and returns the template of its one stack.
func synth(t *testing.T, settings map[string]interface{}, account string) synthesized {
	t.Helper()
	all := synthAll(t, settings, account)
	if len(all) != 1 {
		t.Fatalf("want one stack, got %d", len(all))
	}
	return all[0]
}

// synthAll is synth for settings that may make several stacks (regions),
// in the order of the regions.
func synthAll(t *testing.T, settings map[string]interface{}, account string) []synthesized {
	t.Helper()
	ctx := cdkJSONContext(t)
	for k, v := range settings {
		ctx[k] = v
	}
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx})
	all, _ := app.Node().GetAllContext(nil).(map[string]interface{})
	s, err := webtierapp.Read(all, webtierapp.Environment{Account: account})
	if err != nil {
		t.Fatalf("settings: %v", err)
	}
	var stacks []awscdk.Stack
	catch(t, func() { stacks, err = webtierapp.NewStacks(app, s) })
	if err != nil {
		t.Fatalf("stack: %v", err)
	}
	out := make([]synthesized, len(stacks))
	for i, stack := range stacks {
		var tmpl assertions.Template
		// With cdk-nag on (the default), an unsuppressed error fails the synth.
		catch(t, func() { tmpl = assertions.Template_FromStack(stack, nil) })
		if s.Nag {
			noNagFindings(t, stack)
		}
		out[i] = synthesized{stack: stack, template: tmpl}
	}
	return out
}

// noNagFindings fails on any cdk-nag warning or error left unsuppressed.
func noNagFindings(t *testing.T, stack awscdk.Stack) {
	t.Helper()
	annotations := assertions.Annotations_FromStack(stack)
	nag := assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-"))
	for kind, found := range map[string]*[]*cxapi.SynthesisMessage{
		"error":   annotations.FindError(jsii.String("*"), nag),
		"warning": annotations.FindWarning(jsii.String("*"), nag),
	} {
		for _, m := range *found {
			t.Errorf("cdk-nag %s at %s: %v", kind, *m.Id, m.Entry.Data)
		}
	}
}

// catch turns a jsii panic (a failed assertion, a construct error) into a
// test failure, so one failure does not end the whole test binary.
func catch(t *testing.T, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%v", r)
		}
	}()
	f()
}

// templateJSON is the template as the golden files hold it: indented JSON
// with sorted keys (encoding/json sorts map keys), ending in a newline.
func templateJSON(t *testing.T, tmpl assertions.Template) []byte {
	t.Helper()
	out, err := json.MarshalIndent(tmpl.ToJSON(), "", "  ")
	if err != nil {
		t.Fatalf("marshal template: %v", err)
	}
	return append(out, '\n')
}

// resources returns the template's resources of one type, by logical id.
func resources(t *testing.T, tmpl assertions.Template, typ string) map[string]map[string]interface{} {
	t.Helper()
	out := map[string]map[string]interface{}{}
	for id, r := range *tmpl.FindResources(jsii.String(typ), nil) {
		out[id] = *r
	}
	return out
}

// only returns the single resource of a type.
func only(t *testing.T, tmpl assertions.Template, typ string) (string, map[string]interface{}) {
	t.Helper()
	rs := resources(t, tmpl, typ)
	if len(rs) != 1 {
		t.Fatalf("want one %s, got %d", typ, len(rs))
	}
	for id, r := range rs {
		return id, r
	}
	panic("unreachable")
}

// props returns a resource's Properties.
func props(r map[string]interface{}) map[string]interface{} {
	p, _ := r["Properties"].(map[string]interface{})
	return p
}

// equalJSON compares two values by their JSON form and reports the difference.
func equalJSON(t *testing.T, what string, got, want interface{}) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if !bytes.Equal(g, w) {
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

func hasProps(t *testing.T, tmpl assertions.Template, typ string, want map[string]interface{}) {
	t.Helper()
	catch(t, func() { tmpl.HasResourceProperties(jsii.String(typ), want) })
}

func count(t *testing.T, tmpl assertions.Template, typ string, n int) {
	t.Helper()
	if got := len(resources(t, tmpl, typ)); got != n {
		t.Errorf("%s: got %d, want %d", typ, got, n)
	}
}

func ref(id string) map[string]interface{} { return map[string]interface{}{"Ref": id} }

func getAtt(id, attr string) map[string]interface{} {
	return map[string]interface{}{"Fn::GetAtt": []interface{}{id, attr}}
}

func describe(v interface{}) string { b, _ := json.Marshal(v); return string(b) }

// sortedIDs returns the resources in logical-id order (the construct order of
// Instance1, Instance2, ...), as an ordered iteration.
func sortedIDs(rs map[string]map[string]interface{}) func(func(string, map[string]interface{}) bool) {
	ids := make([]string, 0, len(rs))
	for id := range rs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return func(yield func(string, map[string]interface{}) bool) {
		for _, id := range ids {
			if !yield(id, rs[id]) {
				return
			}
		}
	}
}

func sortedFloats(v []float64) []float64 {
	sort.Float64s(v)
	return v
}

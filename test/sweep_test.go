package test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/jsii-runtime-go"

	"github.com/classic-webtier/cdk-classic-webtier/internal/webtierapp"
)

// TestEverySettingTakesEveryKindOfValue feeds every key of the app's key
// table values of every kind (negative, zero, the bounds and one beyond,
// fractional, huge, empty, blank, text where a number goes, each JSON type
// cdk.json can give, each allowed form of its format and near misses),
// alone and beside the settings it needs, through the app's own path
// (webtierapp.Read, webtierapp.NewStacks, then the synth), and fails on:
//
//   - a Go panic anywhere on that path (a jsii error from aws-cdk-lib is
//     one: what the user would see as a goroutine trace);
//   - a refusal with a line that does not start with a setting's key, or
//     one that never names the key tried;
//   - an accepted value that the synth refuses after all, in words that
//     name no key: an error annotation (cdk-nag's included, as the app runs
//     it) or a failure in aws-cdk-lib's CloudFormation validation report
//     (the CloudFormation schema check the CLI also fails on).
//
// Values that the app reads to the same settings are synthesized once.
// The figures it logs (inputs, refusals, synthesized stacks) go in the
// issue's note.
func TestEverySettingTakesEveryKindOfValue(t *testing.T) {
	keys := map[string]bool{}
	for _, k := range webtierapp.Keys {
		keys[k.Name] = true
		if _, ok := sweepTable[k.Name]; !ok {
			t.Errorf("key %s has no values in sweepTable: give it the kinds of values its format allows and refuses", k.Name)
		}
	}
	for name := range sweepTable {
		if !keys[name] {
			t.Errorf("sweepTable has %s, which is not a key of the app", name)
		}
	}
	base := cdkJSONContext(t)
	var accepted []sweepCase
	var seen []*webtierapp.Settings
	inputs, refused := 0, 0
	for _, name := range sortedKeys(sweepTable) {
		entry := sweepTable[name]
		for _, value := range entry.values {
			for _, with := range entry.companions() {
				inputs++
				c := sweepCase{key: name, value: value, with: with, account: entry.account}
				ctx := c.context(base)
				var s *webtierapp.Settings
				var err error
				if p := recovered(func() { s, err = webtierapp.Read(ctx, webtierapp.Environment{Account: c.account}) }); p != "" {
					t.Errorf("%s: Read panics: %s", c, p)
					continue
				}
				if err != nil {
					refused++
					checkKeyed(t, c, err, keys)
					continue
				}
				if containsSettings(seen, s) {
					continue
				}
				seen = append(seen, s)
				c.settings, c.ctx = s, ctx
				accepted = append(accepted, c)
			}
		}
	}
	built, constructRefused, synthRefused := sweepSynth(t, accepted, keys)
	t.Logf("%d inputs over %d keys: %d refused by the app's reading, %d read to distinct settings; of these the construct refused %d, and of the %d stacks synthesized the checks at synth refused %d",
		inputs, len(sweepTable), refused, len(accepted), constructRefused, built, synthRefused)
}

// sweepBatch is how many inputs share one app and one synth: the synth's
// CloudFormation validation starts its engine once per app.
const sweepBatch = 20

// sweepSynth builds the accepted inputs' stacks, sweepBatch to an app, and
// synthesizes each app; it returns how many stacks it synthesized, how
// many inputs the construct refused, and how many the checks at synth.
func sweepSynth(t *testing.T, cases []sweepCase, keys map[string]bool) (built, refused, synthRefused int) {
	for len(cases) > 0 {
		n := min(sweepBatch, len(cases))
		batch := cases[:n]
		cases = cases[n:]
		outdir := t.TempDir()
		var app awscdk.App
		ids := map[string]sweepCase{}
		for i, c := range batch {
			if app == nil {
				// The feature flags and the lookups of every input of the
				// batch (keys with ':'); the settings are in c.settings.
				merged := map[string]interface{}{}
				for _, b := range batch {
					for k, v := range b.ctx {
						if strings.Contains(k, ":") {
							merged[k] = v
						}
					}
				}
				app = awscdk.NewApp(&awscdk.AppProps{Context: &merged, Outdir: jsii.String(outdir)})
			}
			// A construct id of its own per input; the settings are the
			// app's reading of its context otherwise.
			s := *c.settings
			s.StackName = fmt.Sprintf("Sweep%d", i)
			var err error
			if p := recovered(func() { _, err = webtierapp.NewStacks(app, &s) }); p != "" {
				t.Errorf("%s: NewStacks panics: %s", c, p)
				app = nil // a half-built tree: start the batch's rest afresh
				cases = append(batch[i+1:], cases...)
				break
			}
			if err != nil {
				refused++
				checkKeyed(t, c, err, keys)
				removeSweepStacks(app, s.StackName)
				continue
			}
			ids[s.StackName] = c
		}
		if app == nil || len(ids) == 0 {
			continue
		}
		// With a failed check, aws-cdk-lib's synth throws ValidationFailed
		// after it wrote the assembly (under the CLI it leaves failing to
		// the CLI); the assembly says why.
		if p := recovered(func() { app.Synth(nil) }); p != "" && !strings.HasPrefix(p, "ValidationFailed:") {
			t.Errorf("synth of %s panics: %s", sweepNames(ids), p)
			continue
		}
		assembly := cxapi.NewCloudAssembly(jsii.String(outdir), nil)
		stacksOf := map[string][]string{}
		for _, st := range *assembly.Stacks() {
			built++
			id := sweepStackID(*st.StackName())
			stacksOf[id] = append(stacksOf[id], *st.StackName())
		}
		// What the app says of a failed check (cdk-nag's, CloudFormation
		// validation's), as cmd/cdk-classic-webtier prints it: keyed like any refusal.
		for id, names := range stacksOf {
			c := ids[id]
			if err := c.settings.SynthProblems(outdir, names...); err != nil {
				synthRefused++
				checkKeyed(t, c, err, keys)
			}
		}
	}
	return built, refused, synthRefused
}

// checkKeyed: every line of a refusal starts with a setting's key (or
// listeners[i].member, or the region variable), and one of them names the
// key tried or the message mentions it.
func checkKeyed(t *testing.T, c sweepCase, err error, keys map[string]bool) {
	t.Helper()
	var serr *webtierapp.SettingsError
	if !errors.As(err, &serr) {
		t.Errorf("%s: refused without naming a setting: %v", c, err)
		return
	}
	// The key, or a text value as given (listenerProtocol=https: "is
	// required for an HTTPS listener").
	named := strings.Contains(err.Error(), c.key)
	if v, ok := c.value.(string); ok && len(strings.TrimSpace(v)) >= 3 {
		named = named || strings.Contains(strings.ToLower(err.Error()), strings.ToLower(strings.TrimSpace(v)))
	}
	for _, e := range serr.Errs {
		msg := e.Error()
		key, _, ok := strings.Cut(msg, ":")
		key, _, _ = strings.Cut(key, " (in ")
		key, _, _ = strings.Cut(key, "[")
		if !ok || !keys[key] && key != "AWS_REGION" && key != "AWS_DEFAULT_REGION" {
			t.Errorf("%s: a line of the refusal names no setting: %q", c, msg)
		}
		if strings.Contains(msg, "goroutine ") || strings.Contains(msg, "panic") {
			t.Errorf("%s: the refusal carries a trace: %q", c, msg)
		}
	}
	if !named {
		t.Errorf("%s: the refusal never names %s: %v", c, c.key, err)
	}
}

// sweepCase is one input: a key's value beside the settings it needs.
type sweepCase struct {
	key     string
	value   interface{}
	with    map[string]interface{}
	account string
	// ctx and settings are the input's context and the app's reading
	// of it, once accepted.
	ctx      map[string]interface{}
	settings *webtierapp.Settings
}

func (c sweepCase) context(base map[string]interface{}) map[string]interface{} {
	ctx := map[string]interface{}{}
	for k, v := range base {
		ctx[k] = v
	}
	// What the CLI's lookups would find for every VPC a value names, so
	// that no synth is of aws-cdk-lib's placeholder VPC (the CLI looks up
	// and synthesizes again before it uses a template).
	for k, v := range sweepLookups {
		ctx[k] = v
	}
	for k, v := range c.with {
		ctx[k] = v
	}
	ctx[c.key] = c.value
	return ctx
}

// sweepLookups are the lookups of the VPCs of sweepTable.
var sweepLookups = map[string]interface{}{
	defaultVpcLookupKey: defaultVpcLookup,
	vpcLookupKey:        importedVpcLookup,
	strings.Replace(vpcLookupKey, importedVpc, "vpc-0a1b2c3d", 1): vpcLookupResponse("vpc-0a1b2c3d", "10.30.0.0/16",
		subnetGroup("Public", subnet("subnet-2000000000000000a", "10.30.0.0/24", "ap-northeast-2a"), subnet("subnet-2000000000000000c", "10.30.2.0/24", "ap-northeast-2c"))),
}

func (c sweepCase) String() string {
	value, _ := json.Marshal(c.value)
	var with []string
	for _, k := range sortedKeys(c.with) {
		if !strings.Contains(k, ":") {
			v, _ := json.Marshal(c.with[k])
			with = append(with, fmt.Sprintf("%s=%s", k, v))
		}
	}
	s := fmt.Sprintf("%s=%s", c.key, clipText(string(value), 120))
	if len(with) > 0 {
		s += " (with " + strings.Join(with, " ") + ")"
	}
	return s
}

// recovered runs f and returns what it panicked with, with the stack, or "".
func recovered(f func()) (panicked string) {
	defer func() {
		if r := recover(); r != nil {
			panicked = fmt.Sprintf("%v\n%s", r, clipText(string(debug.Stack()), 1500))
		}
	}()
	f()
	return ""
}

func containsSettings(seen []*webtierapp.Settings, s *webtierapp.Settings) bool {
	for _, other := range seen {
		if reflect.DeepEqual(other, s) {
			return true
		}
	}
	return false
}

// removeSweepStacks takes a refused input's stacks (its one, or one per
// region) out of the app, so the batch's synth holds only accepted ones.
func removeSweepStacks(app awscdk.App, id string) {
	for _, child := range *app.Node().Children() {
		name := *child.Node().Id()
		if name == id || strings.HasPrefix(name, id+"-") {
			app.Node().TryRemoveChild(jsii.String(name))
		}
	}
}

// sweepStackID is the input's construct id behind a stack name (SweepN,
// or SweepN-REGION).
func sweepStackID(stackName string) string {
	id, _, _ := strings.Cut(stackName, "-")
	return id
}

func sweepNames(ids map[string]sweepCase) string {
	var out []string
	for _, c := range ids {
		out = append(out, c.String())
	}
	sort.Strings(out)
	return strings.Join(out, "; ")
}

func clipText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "..."
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// sweepEntry is what a key is tried with: its values, the settings it
// needs to mean anything (each value is tried alone and beside them), and
// the account, for lookups.
type sweepEntry struct {
	values  []interface{}
	with    map[string]interface{}
	account string
}

// companions are the contexts a value is tried in: alone, and beside the
// settings the key needs (with).
func (e sweepEntry) companions() []map[string]interface{} {
	if e.with == nil {
		return []map[string]interface{}{nil}
	}
	return []map[string]interface{}{nil, e.with}
}

// Values of each kind.

// numbers are values of a numeric key whose range is lo-hi: the bounds and
// one beyond each, zero, negative, fractional, huge, and text forms of
// numbers and of what is none.
func numbers(lo, hi float64, extra ...float64) []interface{} {
	text := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
	var out []interface{}
	for _, f := range append([]float64{-1, 0, lo, hi, lo - 1, hi + 1, lo + 0.5, 1e308, math.Copysign(0, -1)}, extra...) {
		out = append(out, f, text(f))
	}
	return append(out, "1e400", "-1e400", "", " ", "ten", "0x50", "NaN", "Inf", "1_0", " "+text(lo)+" ", "+"+text(hi), text(lo)+"e0",
		true, []interface{}{lo}, []interface{}{}, map[string]interface{}{})
}

// bools are values of an on/off key.
func bools() []interface{} {
	return []interface{}{true, false, "true", "false", "TRUE", " False ", "yes", "1", "0", 1.0, 0.0, "", []interface{}{}, map[string]interface{}{}}
}

// texts are a string key's allowed forms and near misses, then what every
// string key must refuse or survive: blank, long, non-ASCII, other types.
func texts(forms ...string) []interface{} {
	var out []interface{}
	for _, f := range forms {
		out = append(out, f)
	}
	return append(out, "", " ", strings.Repeat("x", 300), "ü", "a\nb", 1.0, true, []interface{}{"x"}, map[string]interface{}{})
}

var (
	sweepZone    = map[string]interface{}{"domainName": "example.org", "hostedZoneId": zoneID}
	sweepRegions = map[string]interface{}{"regions": "ap-northeast-2,ap-northeast-1", "domainName": "example.org", "hostedZoneId": zoneID}
	sweepLookup  = map[string]interface{}{"useDefaultVpc": "true", defaultVpcLookupKey: defaultVpcLookup}
)

func merged(maps ...map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// sweepTable holds every key of the app with the values it is tried with.
var sweepTable = map[string]sweepEntry{
	"region":    {values: texts("ap-northeast-2", "us-east-1", "eu-west-3", "cn-north-1", "us-gov-west-1", "AP-NORTHEAST-2", "ap-northeast-2 ", "ap-northeast", "mars-east-1", "ap-northeast-22")},
	"stackName": {values: texts("ClassicWebTier-staging", "A", strings.Repeat("a", 128), strings.Repeat("a", 129), "1abc", "a_b", "-a", "a-")},
	"regions": {with: sweepZone, values: []interface{}{"ap-northeast-2,ap-northeast-1", []interface{}{"ap-northeast-2", "us-west-2"}, "ap-northeast-2", "ap-northeast-2,ap-northeast-2",
		"ap-northeast-2,,ap-northeast-1", "ap-northeast-2,cn-north-1", "ap-northeast-2,us-gov-west-1", "ap-northeast-2,mars-east-1", "ap-northeast-2,ap-northeast-1,us-west-2",
		"", " ", ",", []interface{}{}, []interface{}{1.0}, map[string]interface{}{}, 1.0, true}},
	"routing": {with: sweepRegions, values: texts("latency", "failover", "weighted", "LATENCY", "geo")},
	"weights": {with: merged(sweepRegions, map[string]interface{}{"routing": "weighted"}), values: []interface{}{"90,10", "0,0", "0,1", "255,255", "256,0", "-1,1", "1.5,1", "1e308,1",
		"ap-northeast-2=90,ap-northeast-1=10", "ap-northeast-2=90", "ap-northeast-2=90,ap-northeast-1=10,us-west-2=1", "90", "90,10,5", []interface{}{90.0, 10.0}, []interface{}{"90", "10"},
		map[string]interface{}{"ap-northeast-2": 90.0, "ap-northeast-1": 10.0}, map[string]interface{}{"x": 1.0}, "", "a,b", 1.0, true}},
	"siteHealthCheck": {with: merged(sweepRegions, map[string]interface{}{"routing": "failover"}), values: bools()},
	"vpcId": {account: testAccount, values: []interface{}{importedVpc, "vpc-0a1b2c3d", "vpc-0A1B2C3D4E5F67890", "vpc-0a1b2c3d4e5f6789", "vpc-xyz", "VPC-0a1b2c3d", "", " ", 1.0, true, []interface{}{importedVpc}},
		with: map[string]interface{}{vpcLookupKey: importedVpcLookup}},
	"useDefaultVpc":    {account: testAccount, with: map[string]interface{}{defaultVpcLookupKey: defaultVpcLookup}, values: bools()},
	"loadBalancerName": {values: texts("exampleelb", "a", strings.Repeat("a", 32), strings.Repeat("a", 33), "web-1", "internal-web", "-web", "web-", "web_1", "웹")},
	"internal":         {values: bools()},
	"subnetIds": {account: testAccount, with: sweepLookup, values: []interface{}{"subnet-0d0000000000000a0,subnet-0d0000000000000b0", "subnet-0d0000000000000a0",
		[]interface{}{"subnet-0d0000000000000a0", "subnet-0d0000000000000b0"}, "subnet-0000000000000000f", "subnet-0d0000000000000a0,subnet-0d0000000000000a0",
		"subnet-0d0000000000000a0 subnet-0d0000000000000b0", "subnet-xyz", ",", "", " ", []interface{}{}, []interface{}{1.0}, 1.0, true}},
	"listenerProtocol": {values: texts("HTTP", "https", "TCP", "ssl", "udp", " http ")},
	"listenerPort":     {values: numbers(1, 65535, 22, 53, 443, 8080)},
	"instanceProtocol": {values: texts("HTTP", "HTTPS", "tcp", "SSL", "udp")},
	"instancePort":     {values: numbers(1, 65535, 22, 53, 443, 8080), with: map[string]interface{}{"sshCidr": "203.0.113.0/24"}},
	"certificateArn": {with: map[string]interface{}{"listenerProtocol": "HTTPS"}, values: texts(certArn, "arn:aws:iam::123456789012:server-certificate/web", "arn:aws:acm:us-east-1:123456789012:certificate/abc",
		"arn:aws-cn:acm:cn-north-1:123456789012:certificate/abc", "arn:aws:acm:ap-northeast-2:123456789012:certificate/", "arn:aws:s3:::bucket", "my-cert")},
	"https": {with: sweepZone, values: bools()},
	"listeners": {values: []interface{}{`[{"protocol":"HTTP","port":80}]`, `[{"protocol":"TCP","port":8080,"instancePort":8080}]`,
		`[{"protocol":"HTTPS","port":443,"instancePort":80,"certificateArn":"` + certArn + `"}]`,
		`[{"protocol":"SSL","port":465,"instanceProtocol":"TCP","instancePort":25,"certificateArn":"` + certArn + `"}]`,
		`[{"protocol":"HTTPS","port":443,"instanceProtocol":"HTTPS","instancePort":443,"certificateArn":"` + certArn + `"},{"protocol":"HTTP","port":80}]`,
		`[{"port":22}]`, `[{"port":53}]`, `[{"port":80},{"port":80}]`, `[{"port":80},{"port":81,"instancePort":80}]`, `[{"port":80,"instanceProtocol":"SSL"}]`,
		`[]`, `{}`, `[null]`, `[{}]`, `[{"port":"80"}]`, `[{"port":80.5}]`, `[{"port":-1}]`, `[{"port":1e400}]`, `[{"protocol":""}]`, `[{"prot":80}]`, `[{"port":80,"policyNames":["x"]}]`,
		`[{"port":80}] x`, `[{"port":80,"port":81}]`, `not json`, []interface{}{map[string]interface{}{"protocol": "HTTP", "port": 80.0}}, []interface{}{"x"}, map[string]interface{}{}, 1.0, true, ""}},
	"healthCheckProtocol":       {values: texts("HTTP", "https", "TCP", "SSL", "icmp")},
	"healthCheckPort":           {values: numbers(1, 65535, 22, 53, 8080)},
	"healthCheckPath":           {values: texts("/", "/index.html", "/healthz", "/index.html?x=1", "/a b", "health", "/"+strings.Repeat("a", 1100), "/ü", "/%20", "//", "/?")},
	"healthCheckTimeout":        {values: numbers(2, 60)},
	"healthCheckInterval":       {values: numbers(5, 300)},
	"unhealthyThreshold":        {values: numbers(2, 10)},
	"healthyThreshold":          {values: numbers(2, 10)},
	"crossZone":                 {values: bools()},
	"connectionDraining":        {values: bools()},
	"connectionDrainingTimeout": {values: numbers(1, 3600)},
	"idleTimeout":               {values: numbers(1, 3600)},
	"instanceCount":             {values: numbers(1, 250, 3, 232, 233)},
	"autoScaling":               {values: bools()},
	"minCapacity":               {with: map[string]interface{}{"autoScaling": "true"}, values: numbers(1, math.MaxInt32, 4)},
	"maxCapacity":               {with: map[string]interface{}{"autoScaling": "true"}, values: numbers(2, math.MaxInt32, 4)},
	"desiredCapacity":           {with: map[string]interface{}{"autoScaling": "true"}, values: numbers(2, 4, 3)},
	"targetCpuUtilization":      {with: map[string]interface{}{"autoScaling": "true"}, values: numbers(1, 100, 50)},
	"instanceType":              {values: texts("t3.micro", "t4g.small", "m7g.large", "c5.xlarge", "T3.MICRO", "t3", "t3.micro ", "x.y")},
	"amiId":                     {values: texts("ami-0123456789abcdef0", "ami-01234567", "ami-xyz", "AMI-01234567", "ami-0123456789ABCDEF0")},
	"keyName":                   {values: texts("my-key", "a", strings.Repeat("k", 255), strings.Repeat("k", 256), "키", "a b")},
	"sshCidr": {values: texts("203.0.113.0/24", "0.0.0.0/0", "2001:db8::/32", "::/0", "203.0.113.0/24,2001:db8::/32", "10.0.0.1/8", "::ffff:10.0.0.0/104",
		"::ffff:0:0/96", "10.0.0.0/33", "1.2.3.4", "fe80::1%eth0/64", "::1.2.3.4/128", "010.0.0.0/8", ",", " 203.0.113.0/24 ", "203.0.113.0/24,203.0.113.0/24")},
	"domainName": {with: map[string]interface{}{"hostedZoneId": zoneID}, values: texts("example.org", "example.org.", "EXAMPLE.org", "a.b.c.example.org", "-bad.org", "exa mple.com",
		"xn--bcher-kva.example", "bücher.example", strings.Repeat("a", 64)+".org", "org", "*.example.org")},
	"hostedZoneId":            {with: map[string]interface{}{"domainName": "example.org"}, values: texts(zoneID, "z0123", "Z"+strings.Repeat("A", 32), "/hostedzone/Z0123456789EXAMPLE")},
	"recordName":              {with: sweepZone, values: texts("www", "www.example.org", "www.example.org.", "*.example.org", "*", "a.b", "www.example.net", "w w", strings.Repeat("a", 64), "_dmarc", "WWW")},
	"alarms":                  {values: bools()},
	"alarmEmail":              {values: texts("ops@example.org", "a@b", "ops", "ops@@example.org", "ops@example.org,dev@example.org", "Ops <ops@example.org>")},
	"dashboard":               {values: bools()},
	"securityGroupRulesQuota": {values: numbers(1, 1000, 2, 60)},
	"natGateways":             {values: numbers(0, 2, 1)},
	"interfaceEndpoints":      {values: bools()},
	"s3PrefixListId":          {values: texts("pl-78a54011", "pl-0123456789abcdef0", "pl-xyz", "PL-78a54011")},
	"nag":                     {values: bools()},
}

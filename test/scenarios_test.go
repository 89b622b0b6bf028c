package test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden templates in testdata/ instead of comparing with them")

const (
	testAccount = "123456789012"
	importedVpc = "vpc-0a1b2c3d4e5f67890"
	zoneID      = "Z0123456789EXAMPLE"
	certArn     = "arn:aws:acm:ap-northeast-2:123456789012:certificate/11111111-2222-3333-4444-555555555555"
)

// scenario is one set of app settings (as cdk.json context or -c would give
// them), the account the CLI would pass, and what its template must show.
type scenario struct {
	name     string
	settings map[string]interface{}
	account  string
	check    func(t *testing.T, s synthesized)
}

var scenarios = []scenario{
	{name: "default", settings: map[string]interface{}{}, check: checkDefault},
	{name: "tutorial", settings: map[string]interface{}{
		// -c values arrive as strings.
		"sshCidr":      "203.0.113.0/24",
		"domainName":   "example.com",
		"hostedZoneId": zoneID,
		"recordName":   "www",
	}, check: checkTutorial},
	{name: "internal", settings: map[string]interface{}{"internal": true, "loadBalancerName": "web-internal"}, check: checkInternal},
	{name: "https-tcp", settings: map[string]interface{}{
		"listeners": `[{"protocol":"HTTPS","port":443,"instancePort":80,"certificateArn":"` + certArn + `"},` +
			`{"protocol":"tcp","port":8443}]`,
	}, check: checkHTTPSAndTCP},
	// The most secure front end alone: HTTPS, TLS ending at the load
	// balancer in front of private instances.
	{name: "https-only", settings: map[string]interface{}{"listenerProtocol": "HTTPS", "certificateArn": certArn}, check: checkHTTPSOnly},
	{name: "tcp-health-check", settings: map[string]interface{}{
		"healthCheckProtocol": "TCP", "healthCheckPort": "80",
		"healthCheckTimeout": 10.0, "healthCheckInterval": "60",
		"unhealthyThreshold": "3", "healthyThreshold": 5.0,
		"crossZone": "false", "connectionDraining": false, "idleTimeout": "120",
		// cdk-nag rejects turning cross-zone and draining off (ELB3, ELB4), as
		// it should: TestNagRejectsWeakenedLoadBalancer checks that.
		"nag": "false",
	}, check: checkTCPHealthCheck},
	{name: "three-instances", settings: map[string]interface{}{"instanceCount": "3", "instanceType": "t3.small"}, check: checkThreeInstances},
	{name: "imported-vpc", account: testAccount, settings: map[string]interface{}{
		"vpcId":      importedVpc,
		"subnetIds":  "subnet-0000000000000000a,subnet-0000000000000000b",
		vpcLookupKey: importedVpcLookup,
	}, check: checkImportedVpc},
}

// TestScenarios synthesizes each scenario, runs its assertions, and compares
// the template with testdata/<name>.json (rewritten with -update).
func TestScenarios(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			s := synth(t, sc.settings, sc.account)
			compareGolden(t, sc.name, templateJSON(t, s.template))
			sc.check(t, s)
		})
	}
}

// TestSynthIsDeterministic: the same input gives the same bytes.
func TestSynthIsDeterministic(t *testing.T) {
	for _, sc := range scenarios[:2] {
		first := templateJSON(t, synth(t, sc.settings, sc.account).template)
		second := templateJSON(t, synth(t, sc.settings, sc.account).template)
		if !bytes.Equal(first, second) {
			t.Errorf("%s: two synths of the same settings differ", sc.name)
		}
	}
}

func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("write %s: %v", path, err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v (run `make golden` to create it)", path, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("template differs from %s; if the change is intended, run `make golden` and review the diff:\n%s", path, firstDiff(want, got))
	}
}

// firstDiff shows the first differing line with a little context.
func firstDiff(want, got []byte) string {
	w, g := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl []byte
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if !bytes.Equal(wl, gl) {
			return "line " + strconv.Itoa(i+1) + ":\n- " + string(wl) + "\n+ " + string(gl)
		}
	}
	return "(no line differs)"
}

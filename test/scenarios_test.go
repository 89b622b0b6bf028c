package test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"
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
	// HTTPS done right: a certificate for the record, requested and
	// validated by DNS in its zone, and HTTP 80 sent to HTTPS 443.
	{name: "https-auto", settings: map[string]interface{}{
		"https": "true", "domainName": "example.org", "hostedZoneId": zoneID, "recordName": "shop",
	}, check: checkHTTPSAuto},
	// TLS to the instances: no ELB5 suppression needed.
	{name: "https-end-to-end", settings: map[string]interface{}{"listenerProtocol": "HTTPS", "certificateArn": certArn, "instanceProtocol": "HTTPS"}, check: checkHTTPSEndToEnd},
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
	// The fleet: an Auto Scaling group of 2 to 6 instead of fixed
	// instances.
	{name: "fleet", settings: map[string]interface{}{"autoScaling": "true", "minCapacity": "2", "maxCapacity": "6"}, check: checkFleet},
	// On Graviton, with HTTPS beside HTTP (the redirecting page server in
	// the launch template), a size to start at and its own CPU target.
	{name: "fleet-graviton-https", settings: map[string]interface{}{
		"autoScaling": true, "instanceType": "t4g.small", "desiredCapacity": 3.0, "targetCpuUtilization": "60",
		"https": "true", "certificateArn": certArn, "alarmEmail": "ops@example.org",
	}, check: checkFleetGravitonHTTPS},
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

// compareGolden compares a template with testdata/<name>.json (see
// checkGolden); -update rewrites the golden file instead.
func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("write %s: %v", path, err)
		}
		_ = os.Remove(path + ".got")
		return
	}
	if problem := checkGolden(path, got); problem != "" {
		t.Error(problem)
	}
}

// checkGolden compares got with the golden file at path. On a difference
// it writes got next to it, as <path>.got, and returns the full diff, as
// gofmt's own tests do; on a match it removes a stale .got file.
func checkGolden(path string, got []byte) string {
	gotPath := path + ".got"
	want, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("read %s: %v (run `make golden` to create it)", path, err)
	}
	if bytes.Equal(got, want) {
		_ = os.Remove(gotPath)
		return ""
	}
	if err := os.WriteFile(gotPath, got, 0o644); err != nil {
		return fmt.Sprintf("write %s: %v", gotPath, err)
	}
	return fmt.Sprintf("template differs from %s (the template is in %s); if the change is intended, run `make golden` and review the diff:\n%s", path, gotPath, diff.Diff(path, want, gotPath, got))
}

// TestGoldenMismatchLeavesTheTemplateAndAFullDiff: a failing comparison
// writes what was synthesized beside the golden file and shows every
// difference, not the first.
func TestGoldenMismatchLeavesTheTemplateAndAFullDiff(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.json")
	if err := os.WriteFile(path, []byte("a\nb\nc\nd\ne\nf\ng\nh\ni\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := []byte("a\nB\nc\nd\ne\nf\ng\nh\nI\n")
	problem := checkGolden(path, got)
	for _, want := range []string{"-b\n+B", "-i\n+I", path + ".got"} {
		if !strings.Contains(problem, want) {
			t.Errorf("report lacks %q:\n%s", want, problem)
		}
	}
	if written, err := os.ReadFile(path + ".got"); err != nil || !bytes.Equal(written, got) {
		t.Errorf("the template is not beside the golden file: %v", err)
	}
	if problem := checkGolden(path, []byte("a\nb\nc\nd\ne\nf\ng\nh\ni\n")); problem != "" {
		t.Errorf("equal files differ: %s", problem)
	}
	if _, err := os.Stat(path + ".got"); !os.IsNotExist(err) {
		t.Errorf("a stale .got file stays after a match: %v", err)
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/classic-webtier/cdk-classic-webtier/internal/cdkcli"
)

// TestDeployKeepsTheCLIsApproval: make deploy no longer passes
// --require-approval never, so a widening of security groups asks first.
func TestDeployKeepsTheCLIsApproval(t *testing.T) {
	if got := cliWords("deploy", []string{"-c", "x=1"}); !reflect.DeepEqual(got, []string{"deploy", "-c", "x=1"}) {
		t.Errorf("deploy words %q", got)
	}
	if got := cliWords("deploy", []string{"--require-approval", "never"}); !reflect.DeepEqual(got, []string{"deploy", "--require-approval", "never"}) {
		t.Errorf("a user's own flag is passed on: %q", got)
	}
}

func TestFilterStderrDropsTheCLIsRepeat(t *testing.T) {
	in := "error: 1 invalid setting (cdk.json context or -c key=value):\n  - x: bad\ngo build -o bin/cdk-classic-webtier . && bin/cdk-classic-webtier: Subprocess exited with error 1\n"
	var out bytes.Buffer
	filterStderr(strings.NewReader(in), &out)
	if got, want := out.String(), "error: 1 invalid setting (cdk.json context or -c key=value):\n  - x: bad\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// Several stacks: make synth names each template instead.
	out.Reset()
	filterStderr(strings.NewReader("Successfully synthesized to /x/cdk.out\nSupply a stack id (A-ap-northeast-2, A-ap-northeast-1) to display its template.\n"), &out)
	if got, want := out.String(), "Successfully synthesized to /x/cdk.out\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFilterStderrPassesLongLines(t *testing.T) {
	long := strings.Repeat("x", 5*1024*1024)
	var out bytes.Buffer
	filterStderr(strings.NewReader(long+"\nlast"), &out)
	if out.String() != long+"\nlast" {
		t.Errorf("lost %d bytes", len(long)+5-out.Len())
	}
}

// TestOutputElsewhereIsRefused: make's commands read cdk.out.
func TestOutputElsewhereIsRefused(t *testing.T) {
	for _, words := range [][]string{{"-o", "x"}, {"--output", "x"}, {"--output=x"}, {"-ox"}} {
		if err := checkOutput(words); err == nil || !strings.Contains(err.Error(), "npx cdk synth -o DIR") {
			t.Errorf("%q: %v", words, err)
		}
	}
	if err := checkOutput([]string{"-c", "x=1", "--profile", "web"}); err != nil {
		t.Errorf("refused %v", err)
	}
}

// TestDestroyUsesTheAssemblyItChecked: cdk destroy reads the assembly
// destroy synthesized (and checked the stacks of) instead of running the
// app again, whatever app the words named.
func TestDestroyUsesTheAssemblyItChecked(t *testing.T) {
	for _, c := range []struct{ words, want []string }{
		{nil, []string{"--app", "cdk.out"}},
		{[]string{"-c", "x=1", "--all"}, []string{"--app", "cdk.out", "-c", "x=1", "--all"}},
		{[]string{"--app", "go run .", "-c", "x=1"}, []string{"--app", "cdk.out", "-c", "x=1"}},
		{[]string{"-a", "./app", "Web-us-west-2"}, []string{"--app", "cdk.out", "Web-us-west-2"}},
		{[]string{"--app=./app", "--profile", "web"}, []string{"--app", "cdk.out", "--profile", "web"}},
		{[]string{"-a=./app", "--all"}, []string{"--app", "cdk.out", "--all"}},
	} {
		if got := fromAssembly(c.words); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q: %q, want %q", c.words, got, c.want)
		}
	}
	// What destroy runs: every stack that exists, from the assembly.
	seoul, tokyo := cdkcli.Stack{Name: "Web-ap-northeast-2"}, cdkcli.Stack{Name: "Web-ap-northeast-1"}
	regions := []string{"-c", "regions=ap-northeast-2,ap-northeast-1", "--app", "./app"}
	for _, c := range []struct {
		existing, missing []cdkcli.Stack
		want              []string
	}{
		{[]cdkcli.Stack{seoul, tokyo}, nil, []string{"destroy", "--force", "--app", "cdk.out", "-c", "regions=ap-northeast-2,ap-northeast-1", "--all"}},
		{[]cdkcli.Stack{tokyo}, []cdkcli.Stack{seoul}, []string{"destroy", "--force", "--app", "cdk.out", "-c", "regions=ap-northeast-2,ap-northeast-1", "Web-ap-northeast-1"}},
	} {
		if got := destroyWords(regions, c.existing, c.missing, nil); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("existing %v, missing %v: %q, want %q", c.existing, c.missing, got, c.want)
		}
	}
	// Both named, one missing: only the other is destroyed, once.
	named := append(append([]string(nil), regions...), "--profile", "web", "Web-ap-northeast-2", "Web-ap-northeast-1")
	want := []string{"destroy", "--force", "--app", "cdk.out", "-c", "regions=ap-northeast-2,ap-northeast-1", "--profile", "web", "Web-ap-northeast-1"}
	if got := destroyWords(named, []cdkcli.Stack{tokyo}, []cdkcli.Stack{seoul}, nil); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("named, one missing: %q, want %q", got, want)
	}
}

// TestLockMakesASecondRunWait: a second process waits for the lock and
// says so; it gets it once the first lets go.
func TestLockMakesASecondRunWait(t *testing.T) {
	if os.Getenv("CDKRUN_LOCK_CHILD") != "" {
		unlock, err := lockCheckout(os.Getenv("CDKRUN_LOCK_CHILD"), os.Stderr)
		if err != nil {
			os.Exit(3)
		}
		unlock()
		os.Exit(0)
	}
	dir := t.TempDir()
	var msgs bytes.Buffer
	unlock, err := lockCheckout(dir, &msgs)
	if err != nil || msgs.Len() != 0 {
		t.Fatalf("first lock: %v %q", err, msgs.String())
	}
	child := exec.Command(os.Args[0], "-test.run=^TestLockMakesASecondRunWait$")
	child.Env = append(os.Environ(), "CDKRUN_LOCK_CHILD="+dir)
	var childErr bytes.Buffer
	child.Stderr = &childErr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- child.Wait() }()
	select {
	case err := <-done:
		t.Fatalf("the second run did not wait: %v %s", err, childErr.String())
	case <-time.After(500 * time.Millisecond):
	}
	unlock()
	if err := <-done; err != nil {
		t.Fatalf("the second run failed: %v", err)
	}
	if !strings.Contains(childErr.String(), "waiting for another make synth/deploy/destroy of this checkout") {
		t.Errorf("the second run did not say it waits: %q", childErr.String())
	}
}

func TestSeveralRegionsDeployEveryStackUnlessNamed(t *testing.T) {
	regions := []string{"-c", "regions=ap-northeast-2,ap-northeast-1", "-c", "domainName=example.org"}
	for _, c := range []struct {
		words   []string
		cdkJSON string
		all     bool
	}{
		{nil, `{"app":"x","context":{}}`, false},
		{[]string{"-c", "region=us-west-2"}, ``, false},
		{regions, ``, true},
		{[]string{"--context=regions=ap-northeast-2"}, ``, true},
		{[]string{"--profile", "prod"}, `{"context":{"regions":["ap-northeast-2","us-west-2"]}}`, true},
		{append(append([]string(nil), regions...), "ClassicWebTier-ap-northeast-1"), ``, false},
		{append(append([]string(nil), regions...), "--all"), ``, false},
		{append(append([]string(nil), regions...), "--hotswap", "--require-approval", "never", "--rollback", "false"), ``, true},
		{append(append([]string(nil), regions...), "--asset-prebuild", "ClassicWebTier-us-west-2"), ``, false},
	} {
		project := map[string]json.RawMessage{}
		if c.cdkJSON != "" {
			var file struct {
				Context map[string]json.RawMessage `json:"context"`
			}
			if err := json.Unmarshal([]byte(c.cdkJSON), &file); err != nil {
				t.Fatal(err)
			}
			project = file.Context
		}
		got := withAll(c.words, project)
		if added := len(got) == len(c.words)+1 && got[len(got)-1] == "--all"; added != c.all {
			t.Errorf("%q with %s: %q, want --all added: %v", c.words, c.cdkJSON, got, c.all)
		}
	}
}

// TestReplacementsFromTheCLIsDiff reads diffs that the pinned CLI printed
// (cdk diff --method template against the default stack deployed in moto)
// and finds what each change takes down.
func TestReplacementsFromTheCLIsDiff(t *testing.T) {
	old1, old2 := "WebTier/Instance1 (WebTierInstance1207FC5846fd7ae41e2e0d1e9)", "WebTier/Instance2 (WebTierInstance29A14EBAF6fd7ae41e2e0d1e9)"
	for file, want := range map[string]string{
		// A new instance port: new user data, so new logical IDs.
		"diff-instance-port.txt": "ClassicWebTier instances=" + old1 + ", " + old2 + " restarted=false fleet=false lb=",
		// Another instance type: stopped and started (or replaced).
		"diff-instance-type.txt":      "ClassicWebTier instances=" + old1 + ", " + old2 + " restarted=true fleet=false lb=",
		"diff-load-balancer-name.txt": "ClassicWebTier instances= restarted=false fleet=false lb=WebTier (WebTierEB816A7D)",
		"diff-auto-scaling.txt":       "ClassicWebTier instances= restarted=false fleet=true lb=",
		"diff-health-check.txt":       "", // the load balancer's "may be replaced" is not
	} {
		f, err := os.Open(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range replacements(parseDiff(f)) {
			var lb string
			if r.lb != nil {
				lb = deployed{}.named([]change{*r.lb})
			}
			got = append(got, fmt.Sprintf("%s instances=%s restarted=%v fleet=%v lb=%s", r.stack, deployed{}.named(r.instances), r.restarted, r.toFleet, lb))
		}
		f.Close()
		if strings.Join(got, "\n") != want {
			t.Errorf("%s:\n got %q\nwant %q", file, got, want)
		}
	}
}

// TestAnnounceSaysWhatAndHowLong: the warning names the instances with
// their physical IDs, the wait from the health check, and the two ways
// around it.
func TestAnnounceSaysWhatAndHowLong(t *testing.T) {
	tmpl := filepath.Join(t.TempDir(), "t.json")
	os.WriteFile(tmpl, []byte(`{"Resources":{"LB":{"Type":"AWS::ElasticLoadBalancing::LoadBalancer","Properties":{"HealthCheck":{"HealthyThreshold":"10","Interval":"30"}}}}}`), 0o644)
	if got := healthyAfter(tmpl); got != 420 {
		t.Errorf("healthyAfter = %v, want 420", got)
	}
	var out strings.Builder
	r := replacement{stack: "S", instances: []change{{path: "WebTier/Instance1", id: "I1"}, {path: "WebTier/Instance2", id: "I2"}}, lb: &change{path: "WebTier", id: "LB"}}
	announce(&out, []replacement{r}, map[string]deployed{"S": {healthyAfter: 420, physical: map[string]string{"I1": "i-0123", "LB": "web"}}})
	for _, want := range []string{
		"takes stack S's site down",
		"replaces every fixed instance at once: WebTier/Instance1 (i-0123, I1), WebTier/Instance2 (I2)",
		"503 (no healthy instance) for about 7 minutes (420 s): 120 s of boot plus HealthyThreshold x Interval",
		"replaces the load balancer WebTier (web, LB): the name moves to a new load balancer DNS name",
		"autoScaling=true", "-c stackName=S2",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("want %q in:\n%s", want, out.String())
		}
	}
}

// TestDiffWordsKeepWhatDiffShares: deploy's own options stay out of the
// diff (its --method takes no "direct"), the app's settings and the stacks
// go in.
func TestDiffWordsKeepWhatDiffShares(t *testing.T) {
	got := diffWords([]string{"-c", "instancePort=8080", "--require-approval", "never", "--method=direct", "-m", "change-set",
		"--previous-parameters=false", "--outputs-file", "o.json", "--context=a=b", "--profile", "p", "MyStack", "--all", "--rollback", "false"})
	want := []string{"diff", "--method", "template", "-c", "instancePort=8080", "--context=a=b", "--profile", "p", "MyStack", "--all"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("diffWords =\n %q\nwant\n %q", got, want)
	}
	for words, want := range map[string]bool{"--require-approval never": true, "--require-approval=never": true, "--require-approval broadening": false, "": false} {
		if got := neverAsk(strings.Fields(words)); got != want {
			t.Errorf("neverAsk(%q) = %v", words, got)
		}
	}
}

// TestApproveAsksOnATerminalOnly: once the warning is out, never and CI go
// on, a terminal is asked and only a yes deploys, and no terminal refuses.
func TestApproveAsksOnATerminalOnly(t *testing.T) {
	never := []string{"--require-approval", "never"}
	for _, c := range []struct {
		name     string
		words    []string
		ci       string
		terminal bool
		answer   string
		want     int
		says     string
	}{
		{"never", never, "", false, "", 0, "deploying without asking"},
		{"CI", nil, "true", false, "", 0, "CI: deploying without asking"},
		{"CI=false", nil, "false", false, "", 1, "no terminal to ask on"},
		{"no terminal", nil, "", false, "y\n", 1, "ARGS='--require-approval never'"},
		{"yes", nil, "", true, "yes\n", 0, "Deploy anyway (y/n)? "},
		{"Y", nil, "", true, " Y\n", 0, "Deploy anyway (y/n)? "},
		{"no", nil, "", true, "n\n", 1, "Not deployed."},
		{"end of input", nil, "", true, "", 1, "Not deployed."},
	} {
		var out strings.Builder
		if got := approve(c.words, c.ci, strings.NewReader(c.answer), c.terminal, &out); got != c.want || !strings.Contains(out.String(), c.says) {
			t.Errorf("%s: approve = %d, %q; want %d and %q", c.name, got, out.String(), c.want, c.says)
		}
	}
}

// TestParseVerifyTakesMakeDeploysArgs: make deploy's ARGS go to the synth
// unchanged; make verify's own flags, with their values, come out of them.
func TestParseVerifyTakesMakeDeploysArgs(t *testing.T) {
	words := cdkcli.Words{"--require-approval", "never", "-c", "region=us-east-1", "-url", "http://127.0.0.1:8080/", "--context", "stackName=WebStaging",
		"--timeout=30s", "--profile", "ops", "-insecure", "-requests", "2", "Web-us-east-1"}
	o, cli, err := parseVerify(words, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := cdkcli.Words{"--require-approval", "never", "-c", "region=us-east-1", "--context", "stackName=WebStaging", "--profile", "ops", "Web-us-east-1"}
	if !reflect.DeepEqual(cli, want) {
		t.Errorf("the synth's words\n %q\nwant\n %q", cli, want)
	}
	if o.url != "http://127.0.0.1:8080/" || o.timeout != 30*time.Second || o.requests != 2 || !o.insecure || o.poll != 5*time.Second ||
		o.profile != "ops" || !reflect.DeepEqual(o.stacks, []string{"Web-us-east-1"}) {
		t.Errorf("options %+v", o)
	}
	if o, _, err := parseVerify(nil, io.Discard); err != nil || o.timeout != 10*time.Minute || o.requests != 6 {
		t.Errorf("defaults: %+v, %v", o, err)
	}
	for words, want := range map[string]string{
		"-region us-west-2": "make verify has no -region any more",
		"--stack=Other":     "make verify has no --stack any more",
		"-requests 0":       "-requests must be at least 1",
		"-timeout soon":     "invalid value",
	} {
		if _, _, err := parseVerify(strings.Fields(words), io.Discard); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want %q, got %v", words, want, err)
		}
	}
}

// TestVerifyStacksNamesTheAppsStacks: a stack ARGS names that the app does
// not synthesize is refused with the app's stacks, before any AWS call.
func TestVerifyStacksNamesTheAppsStacks(t *testing.T) {
	var stdout, stderr bytes.Buffer
	stacks := []cdkcli.Stack{{Name: "Web-ap-northeast-2", Region: "ap-northeast-2"}, {Name: "Web-us-west-2", Region: "us-west-2"}}
	code := verifyStacks(context.Background(), verifyOptions{stacks: []string{"Web-eu-west-1"}}, stacks, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "ARGS names Web-eu-west-1, but the app's stacks are Web-ap-northeast-2, Web-us-west-2") {
		t.Errorf("code %d, %q", code, stderr.String())
	}
}

package main

import (
	"io"
	"strings"
	"testing"
	"time"
)

// TestParseTakesMakeDeploysArgs: make deploy's ARGS work for make verify
// unchanged; verify's own flags and the command line come on top.
func TestParseTakesMakeDeploysArgs(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	for _, c := range []struct {
		name                   string
		args                   []string
		env                    map[string]string
		cdkJSON                string
		region, stack, profile string
		url                    string
		timeout                time.Duration
	}{
		{"defaults", nil, nil, "", "ap-northeast-2", "ClassicWebTier", "", "", 10 * time.Minute},
		{"the environment's region", nil, map[string]string{"AWS_DEFAULT_REGION": "eu-west-1"}, "", "eu-west-1", "ClassicWebTier", "", "", 10 * time.Minute},
		{"make deploy's ARGS", nil, map[string]string{"AWS_REGION": "eu-west-1",
			"ARGS": `--require-approval never -c region=us-east-1 --context stackName=WebStaging -c 'listeners=[{"port":80}]' --profile ops --method=direct -c useDefaultVpc=true`},
			"", "us-east-1", "WebStaging", "ops", "", 10 * time.Minute},
		{"verify's own flags in ARGS", nil, map[string]string{"ARGS": "-url http://127.0.0.1:8080/ --timeout=30s -region us-west-2"}, "", "us-west-2", "ClassicWebTier", "", "http://127.0.0.1:8080/", 30 * time.Second},
		{"the command line over ARGS", []string{"-stack", "Other", "-timeout", "1m"}, map[string]string{"ARGS": "-c stackName=WebStaging"}, "", "ap-northeast-2", "Other", "", "", time.Minute},
		{"cdk.json's context", nil, nil, `{"app": "x", "context": {"region": "ap-southeast-1", "stackName": "FromFile"}}`, "ap-southeast-1", "FromFile", "", "", 10 * time.Minute},
		{"-c over cdk.json", []string{"-c", "stackName=Given"}, nil, `{"context": {"stackName": "FromFile"}}`, "ap-northeast-2", "Given", "", "", 10 * time.Minute},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts, err := parse(c.args, env(c.env), []byte(c.cdkJSON), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if got := opts.cfg; got.Region != c.region || got.Stack != c.stack || opts.profile != c.profile || got.URL != c.url || got.Timeout != c.timeout {
				t.Errorf("got region %q stack %q profile %q url %q timeout %s", got.Region, got.Stack, opts.profile, got.URL, got.Timeout)
			}
		})
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"ClassicWebTier"}, `unexpected "ClassicWebTier"`},
		{[]string{"-requests", "0"}, "-requests must be at least 1"},
		{[]string{"-c", "region"}, `"region" is not key=value`},
	} {
		if _, err := parse(c.args, env(nil), nil, io.Discard); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: want %q, got %v", c.args, c.want, err)
		}
	}
}

// TestParseReadsTheRegions: with regions, every region's stack is verified
// (-region picks one); each stack's name carries its region.
func TestParseReadsTheRegions(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	for _, c := range []struct {
		args    []string
		env     map[string]string
		cdkJSON string
		want    string
	}{
		{nil, map[string]string{"ARGS": "-c regions=ap-northeast-2,us-west-2 -c domainName=example.org"}, "", "ap-northeast-2 us-west-2"},
		{nil, nil, `{"context": {"regions": ["eu-west-1", "eu-central-1"]}}`, "eu-west-1 eu-central-1"},
		{[]string{"-region", "us-west-2"}, map[string]string{"ARGS": "-c regions=ap-northeast-2,us-west-2"}, "", "us-west-2"},
		{nil, nil, `{"context": {"region": "eu-west-1"}}`, ""},
	} {
		opts, err := parse(c.args, env(c.env), []byte(c.cdkJSON), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(opts.regions, " "); got != c.want {
			t.Errorf("%v %v %s: regions %q, want %q", c.args, c.env, c.cdkJSON, got, c.want)
		}
	}
}

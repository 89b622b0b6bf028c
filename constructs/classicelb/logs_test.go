package classicelb

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
)

// TestAccessLogsOffSaysSo: access logs turned off write an explicit
// disabled policy (CloudFormation keeps a removed AccessLoggingPolicy as
// it was on update), with the bucket name CloudFormation requires, and
// create no bucket.
func TestAccessLogsOffSaysSo(t *testing.T) {
	for name, logging := range map[string]func(awscdk.Stack) *AccessLogging{
		"created bucket": func(awscdk.Stack) *AccessLogging { return &AccessLogging{Enabled: jsii.Bool(false)} },
		"given bucket": func(stack awscdk.Stack) *AccessLogging {
			return &AccessLogging{Enabled: jsii.Bool(false), Bucket: awss3.Bucket_FromBucketName(stack, jsii.String("Logs"), jsii.String("central-logs"))}
		},
	} {
		t.Run(name, func(t *testing.T) {
			stack, vpc := newStack("ap-northeast-2")
			tier, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, AccessLogging: logging(stack)})
			if got, want := js(lbProps(t, tmpl)["AccessLoggingPolicy"]), `{"Enabled":false,"S3BucketName":"access-logs-disabled"}`; got != want {
				t.Errorf("AccessLoggingPolicy %s, want %s", got, want)
			}
			if tier.AccessLogBucket() != nil {
				t.Error("AccessLogBucket is set with access logs off")
			}
			for _, typ := range []string{"AWS::S3::Bucket", "AWS::S3::BucketPolicy"} {
				if n := len(*tmpl.FindResources(jsii.String(typ), nil)); n != 0 {
					t.Errorf("%d %s with access logs off", n, typ)
				}
			}
			if found := cfnLint(t, tmpl); len(found) != 0 {
				t.Errorf("cfn-lint:\n%s", strings.Join(found, "\n"))
			}
		})
	}
}

// cfnLint runs the repository's cfn-lint (make .venv/.installed) on a
// template and returns its findings as "RULE Resources/...: message"; the
// test is skipped where the tool is not installed.
func cfnLint(t *testing.T, tmpl assertions.Template) []string {
	t.Helper()
	bin, err := filepath.Abs(filepath.Join("..", "..", ".venv", "bin", "cfn-lint"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("no cfn-lint (make .venv/.installed): %v", err)
	}
	file := filepath.Join(t.TempDir(), "template.json")
	if err := os.WriteFile(file, []byte(js(tmpl.ToJSON())), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--format", "json", file).Output()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("cfn-lint: %v", err)
	}
	var found []struct {
		Rule     struct{ Id string }
		Message  string
		Location struct{ Path []interface{} }
	}
	if err := json.Unmarshal(out, &found); err != nil {
		t.Fatalf("cfn-lint (%v): %v\n%s", err, string(out), exit)
	}
	var lines []string
	for _, f := range found {
		lines = append(lines, fmt.Sprintf("%s %v: %s", f.Rule.Id, f.Location.Path, f.Message))
	}
	return lines
}

// TestImportedLogBucketAddsNoMapping: an imported bucket's policy is its
// owner's, so an environment-agnostic stack gets no table of regional ELB
// accounts for a statement that is never written (cfn-lint W7001).
func TestImportedLogBucketAddsNoMapping(t *testing.T) {
	stack, vpc := newStack("")
	bucket := awss3.Bucket_FromBucketName(stack, jsii.String("Logs"), jsii.String("central-logs"))
	_, tmpl := build(t, stack, &WebTierProps{Vpc: vpc, AccessLogging: &AccessLogging{Bucket: bucket, DeliveryGrantedByBucketPolicy: jsii.Bool(true)}})
	if unused := unusedMappings(tmpl); len(unused) != 0 {
		t.Errorf("mappings nothing refers to: %v", unused)
	}
	for _, f := range cfnLint(t, tmpl) {
		t.Errorf("cfn-lint: %s", f)
	}
}

// TestCreatedLogBucketUsesItsMapping: the bucket the WebTier creates in an
// environment-agnostic stack takes the regional ELB account from the
// mapping, which is then used.
func TestCreatedLogBucketUsesItsMapping(t *testing.T) {
	stack, vpc := newStack("")
	_, tmpl := build(t, stack, &WebTierProps{Vpc: vpc})
	if _, ok := (*tmpl.ToJSON())["Mappings"]; !ok {
		t.Error("no mapping of the regional ELB accounts")
	}
	if unused := unusedMappings(tmpl); len(unused) != 0 {
		t.Errorf("mappings nothing refers to: %v", unused)
	}
}

// unusedMappings are the template's mappings that no Fn::FindInMap names.
func unusedMappings(tmpl assertions.Template) []string {
	whole := *tmpl.ToJSON()
	rest := map[string]interface{}{}
	for k, v := range whole {
		if k != "Mappings" {
			rest[k] = v
		}
	}
	used := js(rest)
	var out []string
	mappings, _ := whole["Mappings"].(map[string]interface{})
	for name := range mappings {
		if !strings.Contains(used, `{"Fn::FindInMap":[`+js(name)+`,`) {
			out = append(out, name)
		}
	}
	return out
}

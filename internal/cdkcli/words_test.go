package cdkcli

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSplitKeepsDollarsAndHonoursQuotes(t *testing.T) {
	for in, want := range map[string]Words{
		`-c loadBalancerName=a$b`:                        {"-c", "loadBalancerName=a$b"},
		`-c healthCheckPath=/$HOME`:                      {"-c", "healthCheckPath=/$HOME"},
		`-c listeners='[{"protocol":"HTTP","port":80}]'`: {"-c", `listeners=[{"protocol":"HTTP","port":80}]`},
		`-c "listeners=[{\"port\":80}]" --profile web`:   {"-c", `listeners=[{"port":80}]`, "--profile", "web"},
		`  `:                   {},
		`-c recordName=www\ 1`: {"-c", "recordName=www 1"},
	} {
		got, err := Split(in)
		if err != nil || len(got)+len(want) > 0 && !reflect.DeepEqual(got, want) {
			t.Errorf("Split(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := Split(`-c x='open`); err == nil || !strings.Contains(err.Error(), "quote words") {
		t.Errorf("an unclosed quote: %v", err)
	}
}

func TestReadManifestAndProfile(t *testing.T) {
	dir := t.TempDir()
	manifest := `{"version":"55.0.0","artifacts":{
		"ClassicWebTier-us-east-1":{"type":"aws:cloudformation:stack","environment":"aws://unknown-account/us-east-1","properties":{"templateFile":"ClassicWebTier-us-east-1.template.json"}},
		"Tree":{"type":"cdk:tree","properties":{"file":"tree.json"}},
		"ClassicWebTier-ap-northeast-2":{"type":"aws:cloudformation:stack","environment":"aws://unknown-account/ap-northeast-2","properties":{"templateFile":"ClassicWebTier-ap-northeast-2.template.json"}}}}`
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	stacks, err := ReadManifest(dir)
	// In the manifest's order, the app's (the order of regions).
	want := []Stack{
		{Name: "ClassicWebTier-us-east-1", Account: "unknown-account", Region: "us-east-1", TemplateFile: "ClassicWebTier-us-east-1.template.json"},
		{Name: "ClassicWebTier-ap-northeast-2", Account: "unknown-account", Region: "ap-northeast-2", TemplateFile: "ClassicWebTier-ap-northeast-2.template.json"},
	}
	if err != nil || !reflect.DeepEqual(stacks, want) {
		t.Errorf("stacks %+v, %v", stacks, err)
	}
	for words, want := range map[string]string{"--profile web -c x=1": "web", "-c x=1 --profile=prod": "prod", "-c x=1": ""} {
		if got := Words(strings.Fields(words)).Profile(); got != want {
			t.Errorf("Profile of %s = %q", words, got)
		}
	}
}

// TestWordsReadAsTheCLIReadsThem: the options that take a value take the
// next word, inline or not; true and false are values; the last -c of a
// key wins; what is left are stacks.
func TestWordsReadAsTheCLIReadsThem(t *testing.T) {
	w := Words{"-c", "region=us-west-2", "--context=stackName=Web", "--profile", "prod", "--rollback", "false",
		"--require-approval", "never", "Web-1", "-c", "region=eu-west-1", "--all", "--outputs-file=o.json", "Web-2"}
	if got, want := w.Settings(), map[string]string{"region": "eu-west-1", "stackName": "Web"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Settings = %v, want %v", got, want)
	}
	if got := w.Profile(); got != "prod" {
		t.Errorf("Profile = %q", got)
	}
	if got, ok := w.Option("--outputs-file", "-O"); got != "o.json" || !ok {
		t.Errorf("Option(--outputs-file) = %q, %v", got, ok)
	}
	if got, want := w.Stacks(), []string{"Web-1", "Web-2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Stacks = %q, want %q", got, want)
	}
	want := Words{"-c", "region=us-west-2", "--context=stackName=Web", "--profile", "prod", "--rollback", "false",
		"--require-approval", "never", "-c", "region=eu-west-1", "--outputs-file=o.json"}
	if got := w.WithoutStacks(); !reflect.DeepEqual(got, want) {
		t.Errorf("WithoutStacks =\n %q\nwant\n %q", got, want)
	}
	if !w.SelectsStacks() || (Words{"--all"}).SelectsStacks() != true || (Words{"--profile", "Web"}).SelectsStacks() {
		t.Errorf("SelectsStacks: a stack or --all selects, an option's value does not")
	}
	// A command's own option takes its value too.
	if items := (Words{"-url", "http://x", "Web"}).Items("-url"); len(items) != 2 || items[0].Value != "http://x" || !items[1].Stack() {
		t.Errorf("Items(-url) = %+v", items)
	}
}

// TestSettingPrefersTheWordsThenTheProject: -c first, then cdk.json's
// context as the app reads it (a string, a list joined by commas).
func TestSettingPrefersTheWordsThenTheProject(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cdk.json"), []byte(`{"app":"x","context":{"region":"ap-northeast-1","regions":["us-east-1","us-west-2"],"instanceCount":3}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	project, err := ProjectContext(filepath.Join(dir, "cdk.json"))
	if err != nil {
		t.Fatal(err)
	}
	words := Words{"-c", "stackName=Web"}
	for key, want := range map[string]string{"stackName": "Web", "region": "ap-northeast-1", "regions": "us-east-1,us-west-2", "instanceCount": "3"} {
		if got, ok := Setting(words, project, key); got != want || !ok {
			t.Errorf("Setting(%s) = %q, %v; want %q", key, got, ok, want)
		}
	}
	if _, ok := Setting(words, project, "domainName"); ok {
		t.Errorf("a key set nowhere is found")
	}
	if none, err := ProjectContext(filepath.Join(dir, "missing.json")); err != nil || len(none) != 0 {
		t.Errorf("no project file: %v, %v", none, err)
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestDifferingResourcesIgnoresOnlyTheMetadata(t *testing.T) {
	var a, b interface{}
	json.Unmarshal([]byte(`{"Resources":{"CDKMetadata":{"x":1},"Lb":{"Type":"A","Properties":{"p":1,"q":2}},"Gone":{}},"Outputs":{"Url":{"Value":"a"}}}`), &a)
	json.Unmarshal([]byte(`{"Resources":{"CDKMetadata":{"x":2},"Lb":{"Properties":{"q":2,"p":1},"Type":"A"}},"Outputs":{"Url":{"Value":"b"}}}`), &b)
	if got := strings.Join(differingResources(a, b), " "); got != "Outputs.Url Resources.Gone" {
		t.Errorf("got %q", got)
	}
}

func TestMedianOfSamples(t *testing.T) {
	if m := secs([]sample{{secs: 3}, {secs: 1}, {secs: 2}}); m != 2 {
		t.Errorf("odd: %v", m)
	}
	if m := mib([]sample{{mib: 4}, {mib: 1}, {mib: 3}, {mib: 2}}); m != 2.5 {
		t.Errorf("even: %v", m)
	}
}

func TestPhasesAsMakeTestRecordsThem(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "bin"), 0o755)
	os.WriteFile(filepath.Join(root, "bin", "phase-gotest.txt"), []byte("gotest 64.2 2026-11-28T22:05Z\n"), 0o644)
	os.WriteFile(filepath.Join(root, "bin", "phase-e2e.txt"), []byte("e2e 66.0 2026-11-28T22:07Z\n"), 0o644)
	var out bytes.Buffer
	printPhases(&out, root)
	for _, want := range []string{"gotest       64.2 s", "e2e          66.0 s", "sum         130.2 s"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("lacks %q:\n%s", want, out.String())
		}
	}
	// make test runs them side by side and records the whole.
	os.WriteFile(filepath.Join(root, "bin", "phase-test-phases.txt"), []byte("test-phases 71.5 2026-11-28T22:07Z\n"), 0o644)
	out.Reset()
	printPhases(&out, root)
	if want := "make test    71.5 s  (the phases side by side"; !strings.Contains(out.String(), want) || strings.Contains(out.String(), "sum") {
		t.Errorf("want %q and no sum:\n%s", want, out.String())
	}
}

// TestTwinRunsTheAppsUserData keeps the twin's one copied value true: the
// default instances' script, as the default golden template holds it.
// (make bench compares the whole templates; this catches the most likely
// drift in every make test.)
func TestTwinRunsTheAppsUserData(t *testing.T) {
	ts, err := os.ReadFile("../../bench/ts-twin/app.ts")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^const USER_DATA_SCRIPT = (".*");$`).FindSubmatch(ts)
	if m == nil {
		t.Fatal("bench/ts-twin/app.ts has no USER_DATA_SCRIPT line")
	}
	var twin string
	if err := json.Unmarshal(m[1], &twin); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../../test/testdata/default.json")
	if err != nil {
		t.Fatal(err)
	}
	var tmpl struct {
		Resources map[string]struct {
			Type       string
			Properties struct {
				UserData struct {
					Base64 string `json:"Fn::Base64"`
				}
			}
		}
	}
	if err := json.Unmarshal(raw, &tmpl); err != nil {
		t.Fatal(err)
	}
	for id, r := range tmpl.Resources {
		if r.Type == "AWS::EC2::Instance" {
			if app := strings.TrimPrefix(r.Properties.UserData.Base64, "#!/bin/bash\n"); app != twin {
				t.Errorf("%s runs another script than the twin's USER_DATA_SCRIPT: copy it from test/testdata/default.json into bench/ts-twin/app.ts", id)
			}
			return
		}
	}
	t.Fatal("no instance in the default golden template")
}

package cdkcli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// OutDir is the CLI's default output directory, where make's commands
// read the assembly.
const OutDir = "cdk.out"

// Stack is one stack of a cloud assembly's manifest.json.
type Stack struct {
	// Name is the CloudFormation stack name; Region and Account its
	// environment; TemplateFile its template, relative to the assembly.
	Name, Region, Account, TemplateFile string
}

// ReadManifest lists the stacks of the assembly in dir, in the manifest's
// order (the app's).
func ReadManifest(dir string) ([]Stack, error) {
	path := filepath.Join(dir, "manifest.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m struct {
		Artifacts json.RawMessage `json:"artifacts"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(m.Artifacts) == 0 {
		return nil, nil
	}
	// The artifacts in their order: a decoder, not a map.
	dec := json.NewDecoder(bytes.NewReader(m.Artifacts))
	if _, err := dec.Token(); err != nil { // {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	var out []Stack
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		id, _ := tok.(string)
		var a struct {
			Type        string `json:"type"`
			Environment string `json:"environment"`
			Properties  struct {
				TemplateFile string `json:"templateFile"`
				StackName    string `json:"stackName"`
			} `json:"properties"`
		}
		if err := dec.Decode(&a); err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		if a.Type != "aws:cloudformation:stack" {
			continue
		}
		// aws://ACCOUNT/REGION
		env := strings.Split(strings.TrimPrefix(a.Environment, "aws://"), "/")
		if len(env) != 2 {
			return nil, fmt.Errorf("%s: stack %s has the environment %q, not aws://ACCOUNT/REGION", path, id, a.Environment)
		}
		name := a.Properties.StackName
		if name == "" {
			name = id
		}
		out = append(out, Stack{Name: name, Account: env[0], Region: env[1], TemplateFile: a.Properties.TemplateFile})
	}
	return out, nil
}

// assemblyFiles are the names a synth of the app writes into the output
// directory: only these are ever removed.
var assemblyFiles = []string{
	"manifest.json", "tree.json", "cdk.out", "validation-report.json", "policy-validation-report.json",
	"*.template.json", "*.assets.json", "*.metadata.json", "*-NagReport.csv", "*-NagReport.json",
}

// ClearAssembly removes what an earlier synth wrote into dir (templates,
// manifest, reports), so that a synth that fails now leaves no template
// behind for a later deploy to pick up. It touches only assembly files,
// and only in a directory that holds an assembly (a manifest.json):
// `cdk synth -o .` must not cost the project its files.
func ClearAssembly(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	var errs []error
	for _, pattern := range assemblyFiles {
		matches, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			return err
		}
		for _, m := range matches {
			if info, err := os.Lstat(m); err != nil || !info.Mode().IsRegular() {
				continue
			}
			if err := os.Remove(m); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// ValidationReport is aws-cdk-lib's validation-report.json.
type ValidationReport struct {
	PluginReports []struct {
		PluginName string `json:"pluginName"`
		Conclusion string `json:"conclusion"`
		Violations []struct {
			RuleName            string `json:"ruleName"`
			Description         string `json:"description"`
			Severity            string `json:"severity"`
			ViolatingConstructs []struct {
				ConstructPath          string `json:"constructPath"`
				CloudFormationResource struct {
					TemplatePath  string   `json:"templatePath"`
					PropertyPaths []string `json:"propertyPaths"`
				} `json:"cloudFormationResource"`
			} `json:"violatingConstructs"`
		} `json:"violations"`
	} `json:"pluginReports"`
}

// ReadValidationReport reads dir's report; none is an empty one.
func ReadValidationReport(dir string) (*ValidationReport, error) {
	path := filepath.Join(dir, "validation-report.json")
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &ValidationReport{}, nil
	}
	if err != nil {
		return nil, err
	}
	var report ValidationReport
	if err := json.Unmarshal(raw, &report); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &report, nil
}

// Failed reports whether a check failed the synth.
func (r *ValidationReport) Failed() bool {
	for _, p := range r.PluginReports {
		if p.Conclusion == "failure" {
			return true
		}
	}
	return false
}

// RemoveTemplatesIfInvalid removes the templates of a synth whose
// validation report says it failed, and reports whether it did. The
// manifest stays, so that the CLI still lists the findings and fails.
func RemoveTemplatesIfInvalid(dir string) (bool, error) {
	report, err := ReadValidationReport(dir)
	if err != nil {
		return false, err
	}
	if !report.Failed() {
		return false, nil
	}
	templates, err := filepath.Glob(filepath.Join(dir, "*.template.json"))
	if err != nil {
		return true, err
	}
	var errs []error
	for _, t := range templates {
		if err := os.Remove(t); err != nil {
			errs = append(errs, err)
		}
	}
	return true, errors.Join(errs...)
}

package webtierapp

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// assemblyFiles are the names a synth of this app writes into the CLI's
// output directory: only these are ever removed.
var assemblyFiles = []string{
	"manifest.json", "tree.json", "cdk.out", "validation-report.json", "policy-validation-report.json",
	"*.template.json", "*.assets.json", "*.metadata.json", "*-NagReport.csv", "*-NagReport.json",
}

// ClearAssembly removes what an earlier synth wrote into the CLI's output
// directory (templates, manifest, reports), so that a synth that fails now
// leaves no template behind for a later deploy to pick up. It touches only
// assembly files, and only in a directory that holds an assembly (a
// manifest.json): `cdk synth -o .` must not cost the project its files.
func ClearAssembly(outdir string) error {
	if _, err := os.Stat(filepath.Join(outdir, "manifest.json")); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	var errs []error
	for _, pattern := range assemblyFiles {
		matches, err := filepath.Glob(filepath.Join(outdir, pattern))
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

// validationReport is the part of aws-cdk-lib's validation-report.json that
// says whether a check (cdk-nag's error annotations, CloudFormation
// validation) failed; the CLI then fails the synth.
type validationReport struct {
	PluginReports []struct {
		PluginName string `json:"pluginName"`
		Conclusion string `json:"conclusion"`
	} `json:"pluginReports"`
}

// RemoveTemplatesIfInvalid removes the templates of a synth whose
// validation report says it failed, and reports whether it did. The
// manifest stays, so that the CLI still lists the findings and fails.
func RemoveTemplatesIfInvalid(outdir string) (bool, error) {
	raw, err := os.ReadFile(filepath.Join(outdir, "validation-report.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var report validationReport
	if err := json.Unmarshal(raw, &report); err != nil {
		return false, err
	}
	failed := false
	for _, r := range report.PluginReports {
		failed = failed || r.Conclusion == "failure"
	}
	if !failed {
		return false, nil
	}
	templates, err := filepath.Glob(filepath.Join(outdir, "*.template.json"))
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

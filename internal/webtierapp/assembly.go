package webtierapp

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ClearAssembly removes what an earlier synth wrote into the CLI's output
// directory (templates, manifest, reports), so that a synth that fails now
// leaves no template behind for a later deploy to pick up. It keeps the
// CLI's lock files and hidden files, which the CLI running this app owns.
func ClearAssembly(outdir string) error {
	entries, err := os.ReadDir(outdir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".lock") {
			continue
		}
		if err := os.Remove(filepath.Join(outdir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
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

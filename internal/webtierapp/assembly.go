package webtierapp

import (
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

// RemoveTemplatesIfInvalid removes the templates of a synth whose
// validation report says it failed, and reports whether it did. The
// manifest stays, so that the CLI still lists the findings and fails.
func RemoveTemplatesIfInvalid(outdir string) (bool, error) {
	report, err := readValidationReport(outdir)
	if err != nil {
		return false, err
	}
	if !report.failed() {
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

package cdkcli

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

func writeFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// TestClearAssemblyRemovesOnlyAssemblyFiles: an earlier synth's files go;
// the CLI's locks, hidden files and anything else stay, even when the
// output directory is the project itself (cdk synth -o .).
func TestClearAssemblyRemovesOnlyAssemblyFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "manifest.json", "tree.json", "cdk.out", "ClassicWebTier.template.json", "ClassicWebTier.assets.json",
		"ClassicWebTier.metadata.json", "validation-report.json", "AwsSolutions--ClassicWebTier-NagReport.csv",
		"go.mod", "README.md", "notes.txt", "synth.lock", ".make.lock")
	if err := ClearAssembly(dir); err != nil {
		t.Fatal(err)
	}
	if got, want := listDir(t, dir), []string{".make.lock", "README.md", "go.mod", "notes.txt", "synth.lock"}; !equalStrings(got, want) {
		t.Errorf("left %v, want %v", got, want)
	}
	// No manifest: not an assembly, nothing is touched.
	other := t.TempDir()
	writeFiles(t, other, "Web.template.json", "go.mod")
	if err := ClearAssembly(other); err != nil {
		t.Fatal(err)
	}
	if got := listDir(t, other); len(got) != 2 {
		t.Errorf("a folder without an assembly lost files: %v", got)
	}
}

// TestRemoveTemplatesIfInvalid: a failed validation report removes the
// templates and keeps the manifest (the CLI lists the findings from it).
func TestRemoveTemplatesIfInvalid(t *testing.T) {
	for conclusion, wantRemoved := range map[string]bool{"failure": true, "success": false} {
		dir := t.TempDir()
		writeFiles(t, dir, "manifest.json", "Web.template.json")
		report := `{"pluginReports":[{"pluginName":"Construct Annotations","conclusion":"` + conclusion + `"}]}`
		if err := os.WriteFile(filepath.Join(dir, "validation-report.json"), []byte(report), 0o644); err != nil {
			t.Fatal(err)
		}
		removed, err := RemoveTemplatesIfInvalid(dir)
		if err != nil || removed != wantRemoved {
			t.Errorf("%s: removed %v, %v", conclusion, removed, err)
		}
		_, statErr := os.Stat(filepath.Join(dir, "Web.template.json"))
		if gone := os.IsNotExist(statErr); gone != wantRemoved {
			t.Errorf("%s: template gone %v", conclusion, gone)
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

package webtierapp

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeListsEverySetting keeps the README's settings table true: every
// key the app reads has a row with its documentation.
func TestReadmeListsEverySetting(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	for _, k := range Keys {
		if row := "| `" + k.Name + "` | " + k.Doc + " |"; !strings.Contains(readme, row) {
			t.Errorf("README.md lacks the row %s", row)
		}
	}
}

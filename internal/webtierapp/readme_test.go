package webtierapp

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/classic-webtier/cdk-classic-webtier/internal/clb"
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

// TestReadmeValidationTableHasTheLimits: the README's validation table
// states the ranges of internal/clb, which the construct enforces.
func TestReadmeValidationTableHasTheLimits(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(raw), "\n## Validation\n")
	section, _, _ = strings.Cut(section, "\n## ")
	for name, r := range map[string]clb.Range{
		"Port": clb.Port, "HealthCheckTimeout": clb.HealthCheckTimeout, "HealthCheckInterval": clb.HealthCheckInterval,
		"Threshold": clb.Threshold, "DrainingTimeout": clb.DrainingTimeout, "IdleTimeout": clb.IdleTimeout,
		"Listeners": clb.Listeners, "Instances": clb.Instances, "SecurityGroupRules": clb.SecurityGroupRules,
	} {
		if want := fmt.Sprintf("%d-%d", r.Min, r.Max); !strings.Contains(section, want) {
			t.Errorf("README's validation table lacks %s's range %s", name, want)
		}
	}
	if want := fmt.Sprintf("%v or %v min", clb.AccessLogIntervals[0], clb.AccessLogIntervals[1]); !strings.Contains(section, want) {
		t.Errorf("README's validation table lacks the access-log intervals %q", want)
	}
}

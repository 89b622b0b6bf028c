package webtierapp

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/classic-webtier/cdk-classic-webtier/internal/cdkcli"
)

// The checks that run at synth, after the settings were read and the
// construct took them: cdk-nag's rules (nag=true) and aws-cdk-lib's
// CloudFormation validation (the region's instance types, the schema's
// formats). Their findings name template paths and rules; SynthProblems
// says which setting to change.

// nagKeys are the cdk-nag rules a setting of the app can fail, with the
// key behind each and what keeps the rule satisfied.
var nagKeys = map[string]struct{ key, keep string }{
	"AwsSolutions-ELB3": {"connectionDraining", "keep connectionDraining on"},
	"AwsSolutions-ELB4": {"crossZone", "keep crossZone on, in load balancer subnets of at least two Availability Zones"},
	"AwsSolutions-EC23": {"sshCidr", "give the address blocks you connect from, such as 203.0.113.0/24"},
}

// validationKeys are the template properties, by name, that a setting of
// the app writes as given, which CloudFormation's validation may refuse.
var validationKeys = map[string]string{
	"InstanceType": "instanceType",
	"ImageId":      "amiId",
	"KeyName":      "keyName",
}

// SynthProblems reads the validation report of the synth in outdir and
// returns each finding that fails it as a *SettingsError line keyed by the
// setting behind it (nil when none failed). stacks limits it to findings
// about those stacks' constructs; none means every stack. A finding no
// setting is known to cause is named by its rule and template path.
func (s *Settings) SynthProblems(outdir string, stacks ...string) error {
	report, err := cdkcli.ReadValidationReport(outdir)
	if err != nil || !report.Failed() {
		return err
	}
	ofStacks := func(path string) bool {
		if len(stacks) == 0 {
			return true
		}
		first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
		for _, st := range stacks {
			if first == st {
				return true
			}
		}
		return false
	}
	seen := map[string]bool{}
	var lines []string
	for _, p := range report.PluginReports {
		for _, v := range p.Violations {
			if v.Severity != "error" {
				continue
			}
			for _, c := range v.ViolatingConstructs {
				if !ofStacks(c.ConstructPath) {
					continue
				}
				line := s.synthProblem(p.PluginName, v.RuleName, v.Description, c.ConstructPath, c.CloudFormationResource.PropertyPaths)
				if !seen[line] {
					seen[line] = true
					lines = append(lines, line)
				}
			}
		}
	}
	if len(lines) == 0 {
		return nil
	}
	sort.Strings(lines)
	errs := make([]error, len(lines))
	for i, l := range lines {
		errs[i] = errors.New(l)
	}
	return &SettingsError{Errs: errs}
}

// synthProblem words one finding in terms of its setting.
func (s *Settings) synthProblem(plugin, rule, description, path string, properties []string) string {
	if nagRule, message, ok := strings.Cut(description, ": "); ok && strings.HasPrefix(nagRule, "AwsSolutions-") {
		first, _, _ := strings.Cut(message, ". ")
		if k, known := nagKeys[nagRule]; known {
			key := k.key
			if nagRule == "AwsSolutions-ELB4" && (s.CrossZone == nil || *s.CrossZone) {
				key = "subnetIds"
			}
			return fmt.Sprintf("%s: %s fails cdk-nag's %s, which the app runs at synth (%s); %s, or pass -c nag=false to synthesize without cdk-nag", key, s.valueText(key), nagRule, first, k.keep)
		}
		return fmt.Sprintf("%s fails cdk-nag's %s (%s), and no setting is known to cause it; pass -c nag=false to synthesize anyway", path, nagRule, first)
	}
	for _, prop := range properties {
		name := prop[strings.LastIndex(prop, ".")+1:]
		if key, known := validationKeys[name]; known {
			return fmt.Sprintf("%s: %s is refused by %s, which aws-cdk-lib runs at synth: %s (rule %s)", key, s.valueText(key), plugin, description, rule)
		}
	}
	return fmt.Sprintf("%s refuses %s (%s), and no setting is known to cause it: %s (rule %s)", plugin, path, strings.Join(properties, ", "), description, rule)
}

// valueText is a key's value as the settings hold it, for messages.
func (s *Settings) valueText(key string) string {
	switch key {
	case "connectionDraining", "crossZone":
		return "false"
	case "subnetIds":
		if len(s.SubnetIDs) == 0 {
			return "the default subnets"
		}
		return fmt.Sprintf("%q", strings.Join(s.SubnetIDs, ","))
	case "sshCidr":
		return fmt.Sprintf("%q", strings.Join(s.SSHCidrs, ","))
	case "instanceType":
		return fmt.Sprintf("%q", s.InstanceType)
	case "amiId":
		return fmt.Sprintf("%q", s.AmiID)
	case "keyName":
		return fmt.Sprintf("%q", s.KeyName)
	}
	return "its value"
}

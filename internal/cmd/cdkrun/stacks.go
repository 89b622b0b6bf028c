package main

import (
	"encoding/json"
	"slices"
	"strings"
)

// valuedFlags are the CDK CLI's options for deploy and destroy that take
// the next word as their value, so that the value is not read as a stack.
var valuedFlags = map[string]bool{
	"-c": true, "--context": true, "-a": true, "--app": true, "--profile": true, "-o": true, "--output": true,
	"-p": true, "--plugin": true, "--proxy": true, "--ca-bundle-path": true, "-r": true, "--role-arn": true,
	"--toolkit-stack-name": true, "--toolkit-bucket-name": true, "-t": true, "--tags": true, "--parameters": true,
	"-O": true, "--outputs-file": true, "--require-approval": true, "--change-set-name": true, "-m": true,
	"--method": true, "--notification-arns": true, "--concurrency": true, "--progress": true,
	"-E": true, "--build-exclude": true, "--build": true, "--unstable": true, "--telemetry-file": true,
	"--rollback-trigger-alarm-arns": true, "--monitoring-time-minutes": true,
}

// withAll adds --all to deploy's and destroy's words when the app has
// several stacks (the regions setting, in the words or in cdk.json's
// context) and the words select none: the CLI otherwise refuses to choose.
func withAll(words []string, cdkJSON []byte) []string {
	if !severalStacks(words, cdkJSON) || selectsStacks(words) {
		return words
	}
	return append(append([]string(nil), words...), "--all")
}

// severalStacks reports whether the settings name regions.
func severalStacks(words []string, cdkJSON []byte) bool {
	for i, w := range words {
		ctx, ok := strings.CutPrefix(w, "--context=")
		if !ok && (w == "-c" || w == "--context") && i+1 < len(words) {
			ctx, ok = words[i+1], true
		}
		if key, _, _ := strings.Cut(ctx, "="); ok && key == "regions" {
			return true
		}
	}
	var file struct {
		Context map[string]json.RawMessage `json:"context"`
	}
	if json.Unmarshal(cdkJSON, &file) == nil {
		_, ok := file.Context["regions"]
		return ok
	}
	return false
}

// selectsStacks reports whether the words name stacks or --all.
func selectsStacks(words []string) bool {
	return slices.Contains(words, "--all") || namesStacks(words)
}

// withoutStacks are the words without the stacks they name and --all.
func withoutStacks(words []string) []string {
	var out []string
	for i := 0; i < len(words); i++ {
		switch w := words[i]; {
		case valuedFlags[w]:
			out = append(out, w)
			if i+1 < len(words) {
				out = append(out, words[i+1])
			}
			i++
		case w == "--all":
		case strings.HasPrefix(w, "-"), w == "true", w == "false":
			out = append(out, w)
		}
	}
	return out
}

// namesStacks reports whether the words name stacks: a word that is
// neither an option nor an option's value.
func namesStacks(words []string) bool {
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case valuedFlags[w]:
			i++
		case strings.HasPrefix(w, "-"), w == "true", w == "false":
		default:
			return true
		}
	}
	return false
}

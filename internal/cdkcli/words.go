// Package cdkcli reads the aws-cdk CLI's words and what the CLI writes, one
// way for every command of make: ARGS split like a shell line, which
// options take a value, the settings (-c key=value) and the profile among
// them, the stacks they name, cdk.json's context, and the cloud assembly's
// manifest and files in cdk.out.
package cdkcli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kballard/go-shellquote"
)

// Split splits ARGS like a shell command line without expanding anything:
// '...' and "..." group words, \ escapes, $ stays literal (make passes it
// through untouched, and no shell expands it a second time).
func Split(args string) (Words, error) {
	words, err := shellquote.Split(args)
	if err != nil {
		return nil, fmt.Errorf("ARGS %q: %v (quote words with '...' or \"...\")", args, err)
	}
	return words, nil
}

// valued are the CDK CLI's options (synth, diff, deploy, destroy) that take
// the next word as their value, so that the value is not read as a stack.
var valued = map[string]bool{
	"-c": true, "--context": true, "-a": true, "--app": true, "--profile": true, "-o": true, "--output": true,
	"-p": true, "--plugin": true, "--proxy": true, "--ca-bundle-path": true, "-r": true, "--role-arn": true,
	"--toolkit-stack-name": true, "--toolkit-bucket-name": true, "-t": true, "--tags": true, "--parameters": true,
	"-O": true, "--outputs-file": true, "--require-approval": true, "--change-set-name": true, "-m": true,
	"--method": true, "--notification-arns": true, "--concurrency": true, "--progress": true,
	"-E": true, "--build-exclude": true, "--build": true, "--unstable": true, "--telemetry-file": true,
	"--rollback-trigger-alarm-arns": true, "--monitoring-time-minutes": true,
}

// Words are CLI words, as ARGS gives them.
type Words []string

// Item is one option with its value, or one other word (a stack).
type Item struct {
	// Words are the item's words: the option and, unless inline, its
	// value; or the one other word.
	Words []string
	// Name is an option's name without its inline value ("--profile" of
	// "--profile=p"), empty for another word.
	Name string
	// Value is the option's value, inline or the next word; HasValue
	// tells whether there is one.
	Value    string
	HasValue bool
}

// Stack reports whether the item is a stack the words name: a word that is
// neither an option nor the value of one ("true" and "false" are the
// values of boolean options: --rollback false).
func (it Item) Stack() bool {
	return it.Name == "" && it.Words[0] != "true" && it.Words[0] != "false"
}

// Items groups the words into options with their values and other words.
// An option in the CLI's table, or among alsoValued (a command's own), takes
// the next word as its value unless it has one inline (--x=v).
func (w Words) Items(alsoValued ...string) []Item {
	var out []Item
	for i := 0; i < len(w); i++ {
		word := w[i]
		if !strings.HasPrefix(word, "-") || word == "-" {
			out = append(out, Item{Words: []string{word}})
			continue
		}
		name, value, inline := strings.Cut(word, "=")
		it := Item{Words: []string{word}, Name: name, Value: value, HasValue: inline}
		if !inline && (valued[name] || slices.Contains(alsoValued, name)) && i+1 < len(w) {
			i++
			it.Words, it.Value, it.HasValue = append(it.Words, w[i]), w[i], true
		}
		out = append(out, it)
	}
	return out
}

// Settings are the -c/--context key=value settings, the last one of a key
// winning, as the CLI passes them to the app.
func (w Words) Settings() map[string]string {
	out := map[string]string{}
	for _, it := range w.Items() {
		if (it.Name == "-c" || it.Name == "--context") && it.HasValue {
			if key, value, ok := strings.Cut(it.Value, "="); ok {
				out[key] = value
			}
		}
	}
	return out
}

// Option is the value of the last of the named options the words give.
func (w Words) Option(names ...string) (string, bool) {
	value, found := "", false
	for _, it := range w.Items() {
		if slices.Contains(names, it.Name) && it.HasValue {
			value, found = it.Value, true
		}
	}
	return value, found
}

// Profile is the --profile the words name, if any.
func (w Words) Profile() string {
	p, _ := w.Option("--profile")
	return p
}

// Stacks are the stacks the words name, in order.
func (w Words) Stacks() []string {
	var out []string
	for _, it := range w.Items() {
		if it.Stack() {
			out = append(out, it.Words[0])
		}
	}
	return out
}

// SelectsStacks reports whether the words name stacks or say --all.
func (w Words) SelectsStacks() bool {
	return slices.Contains(w, "--all") || len(w.Stacks()) > 0
}

// WithoutStacks are the words without the stacks they name and --all.
func (w Words) WithoutStacks() Words {
	var out Words
	for _, it := range w.Items() {
		if !it.Stack() && it.Name != "--all" {
			out = append(out, it.Words...)
		}
	}
	return out
}

//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// The README test: every command of the README's shell blocks runs, as
// written, in TestReadmeCommands, or readmeRules says why it cannot run
// there and which test covers it. TestReadmeCommandsHaveRules (no moto
// needed) fails for a README command that neither runs nor is listed.
//
// Which fenced blocks hold commands is decided by their content (blank
// lines and # comments aside, "first line" is the first other line):
//   - first line starting with `$ `: a transcript of sample output (`$ make
//     verify`, the validation errors), not run;
//   - first line that is one of the commands the README uses
//     (readmeCommandWords, as looksLikeCommand reads them) or a shell
//     assignment (bucket=...): commands, every one of which must start so
//     too (or be a while/for/if/until);
//   - anything else (mermaid's flowchart, Go source, the layout and bench
//     tables): no commands, and a line in it that looks like one of those
//     commands fails the test, so that no command hides in such a block.
//
// A block tagged sh, bash or shell must be a command block. A command is a
// line together with the lines it continues onto: after a trailing `\`, or
// while bash -n finds it unfinished (a while loop, a trailing &&).

// readmeCommandWords are the commands the README's blocks may start with.
var readmeCommandWords = map[string]bool{"make": true, "npx": true, "aws": true, "git": true, "go": true}

// The README's placeholders and what the test puts in their place; a
// command with any other <...> fails the test.
const (
	// each retained log bucket in turn, and buckets the test makes
	phBucket = "<AccessLogBucketName output>"
	// a certificate ARN of the stack's region: the synth that has it is
	// offline, so only its form counts
	phARN = "<arn>"
	// this checkout: git clones a local path as it does a URL
	phRepo = "<this repository's URL>"
)

const readmeCertificateARN = "arn:aws:acm:" + region + ":" + account + ":certificate/0b5c2e1a-7d3f-4c8e-9a6b-1f2e3d4c5b6a"

var readmePlaceholder = regexp.MustCompile(`<[A-Za-z][^<>\n]*>`)

// readmeRule: the step of TestReadmeCommands that runs the commands it
// matches, or, without a step, why none runs them and what covers them.
type readmeRule struct {
	match *regexp.Regexp
	step  func(r *readmeRun, t *testing.T, c readmeCommand)
	// block: the step runs the command and the rest of its block as one
	// script, as a user pastes it (they share shell variables or a folder).
	block bool
	// name says how the step runs it, for the test's log.
	name    string
	covered string
}

// readmeRules, in the order they are tried on each command.
var readmeRules = []readmeRule{
	{match: regexp.MustCompile(`^make synth(\s|$)`), step: (*readmeRun).synth, name: "offline (no AWS variables), in the offline synths' checkout copy, beside the moto steps"},
	{match: regexp.MustCompile(`^make test(\s|$)`), covered: "it is the command that runs this test (make e2e is one of its phases), so it cannot run inside it: CI runs it, .ci/run being exactly `make test`"},
	{match: regexp.MustCompile(`^npx cdk bootstrap(\s|$)`), step: (*readmeRun).bootstrap, name: "against moto"},
	{match: regexp.MustCompile(`^make deploy(\s|$)`), step: (*readmeRun).deploy, name: "against moto, on a terminal, answering the CLI's question"},
	{match: regexp.MustCompile(`^make verify(\s|$)`), step: (*readmeRun).verify, name: "against moto, until it waits for the name to resolve"},
	{match: regexp.MustCompile(`^make destroy(\s|$)`), step: (*readmeRun).destroy, name: "against moto"},
	{match: regexp.MustCompile(`^aws ssm get-parameter\s`), step: (*readmeRun).ssmParameter, name: "against moto, which serves the parameter"},
	{match: regexp.MustCompile(`^bucket=`), step: (*readmeRun).removeBucket, block: true, name: "with the rest of its block, against moto, on the retained log buckets and four more cases"},
	{match: regexp.MustCompile(`^git clone\s`), step: (*readmeRun).useConstruct, block: true, name: "with the rest of its block, in a CDK app's folder beside the clone"},
}

type readmeBlock struct {
	line    int // of its opening fence, from 1
	section string
	info    string
	kind    string // "commands", "transcript" or "other"
	lines   []string
}

type readmeCommand struct {
	block *readmeBlock
	index int // of its first line in block.lines
	line  int // of its first line in README.md
	// text is the command as written, continuation lines included.
	text string
	rule *readmeRule
}

func (c readmeCommand) String() string {
	first, _, _ := strings.Cut(c.text, "\n")
	return fmt.Sprintf("README.md:%d (%s): %s", c.line, c.block.section, first)
}

// rest is the command and what follows it in its block, as one script.
func (c readmeCommand) rest() string { return strings.Join(c.block.lines[c.index:], "\n") + "\n" }

// parseReadme finds the README's blocks and the commands of its command
// blocks, and says what does not fit the rules above.
func parseReadme(readme string, makeTargets map[string]bool) ([]readmeCommand, []string) {
	var blocks []*readmeBlock
	var problems []string
	section := "top"
	var cur *readmeBlock
	indent := 0
	for i, l := range strings.Split(readme, "\n") {
		trimmed := strings.TrimLeft(l, " ")
		switch {
		case cur == nil && strings.HasPrefix(trimmed, "```"):
			cur = &readmeBlock{line: i + 1, section: section, info: strings.TrimSpace(strings.TrimPrefix(trimmed, "```"))}
			indent = len(l) - len(trimmed)
		case cur != nil && strings.TrimSpace(l) == "```":
			blocks = append(blocks, cur)
			cur = nil
		case cur != nil:
			for n := 0; n < indent && strings.HasPrefix(l, " "); n++ {
				l = l[1:]
			}
			cur.lines = append(cur.lines, l)
		case strings.HasPrefix(l, "#"):
			section = strings.TrimSpace(strings.TrimLeft(l, "#"))
		}
	}
	if cur != nil {
		problems = append(problems, fmt.Sprintf("README.md:%d: a block that is never closed", cur.line))
	}
	var cmds []readmeCommand
	for _, b := range blocks {
		b.kind = blockKind(b, makeTargets)
		where := fmt.Sprintf("README.md:%d (%s)", b.line, b.section)
		switch b.info {
		case "sh", "bash", "shell", "console":
			if b.kind != "commands" {
				problems = append(problems, fmt.Sprintf("%s: a ```%s block the test does not take for commands (its first line starts with no command of readmeCommandWords)", where, b.info))
			}
		}
		if b.kind == "other" {
			for j, l := range b.lines {
				if looksLikeCommand(l, makeTargets) {
					problems = append(problems, fmt.Sprintf("README.md:%d: %q looks like a command, in a block that is not commands", b.line+1+j, strings.TrimSpace(l)))
				}
			}
		}
		if b.kind != "commands" {
			continue
		}
		found, more := splitCommands(b)
		cmds = append(cmds, found...)
		problems = append(problems, more...)
	}
	return cmds, problems
}

func blockKind(b *readmeBlock, makeTargets map[string]bool) string {
	for _, l := range b.lines {
		l = strings.TrimSpace(l)
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
			continue
		case strings.HasPrefix(l, "$ "):
			return "transcript"
		case looksLikeCommand(l, makeTargets) || shellAssignment.MatchString(l):
			return "commands"
		}
		return "other"
	}
	return "other"
}

var shellAssignment = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)

// looksLikeCommand: the line starts with one of readmeCommandWords and goes
// on as such a command does: make with targets of the Makefile (then
// VAR=value), the others with a subcommand ("aws s3api", "go mod"), so
// that prose ("make test phases, as ...") and Go ("go func()") do not.
func looksLikeCommand(l string, makeTargets map[string]bool) bool {
	l, _, _ = strings.Cut(l, " #")
	f := strings.Fields(l)
	if len(f) == 0 || !readmeCommandWords[f[0]] {
		return false
	}
	if f[0] != "make" {
		return len(f) > 1 && regexp.MustCompile(`^[a-z][a-z0-9-]*$`).MatchString(f[1])
	}
	for _, w := range f[1:] {
		if shellAssignment.MatchString(w) {
			return true // ARGS='...': the rest is its value
		}
		if !makeTargets[w] {
			return false
		}
	}
	return true
}

// makefileTargets are the targets the Makefile defines.
func makefileTargets(root string) (map[string]bool, error) {
	raw, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		return nil, err
	}
	targets := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^([a-z0-9-]+):`).FindAllStringSubmatch(string(raw), -1) {
		targets[m[1]] = true
	}
	return targets, nil
}

// splitCommands cuts a command block into its commands.
func splitCommands(b *readmeBlock) ([]readmeCommand, []string) {
	var cmds []readmeCommand
	var problems []string
	start := -1
	for i, l := range b.lines {
		trimmed := strings.TrimSpace(l)
		if start < 0 {
			if trimmed == "" || strings.HasPrefix(trimmed, "#") {
				continue
			}
			start = i
		}
		if strings.HasSuffix(l, `\`) {
			continue
		}
		text := strings.Join(b.lines[start:i+1], "\n")
		if !shellComplete(text) {
			continue
		}
		c := readmeCommand{block: b, index: start, line: b.line + 1 + start, text: text}
		f := strings.Fields(text)
		switch f[0] {
		case "while", "for", "if", "until":
		default:
			if !readmeCommandWords[f[0]] && !shellAssignment.MatchString(text) {
				problems = append(problems, fmt.Sprintf("%v: starts with %q, none of readmeCommandWords", c, f[0]))
			}
		}
		cmds = append(cmds, c)
		start = -1
	}
	if start >= 0 {
		problems = append(problems, fmt.Sprintf("README.md:%d: a command that its block leaves unfinished", b.line+1+start))
	}
	return cmds, problems
}

// shellComplete: bash -n reads text as whole commands (placeholders read as
// words: `<x>` would be a redirection).
func shellComplete(text string) bool {
	return exec.Command("bash", "-n", "-c", readmePlaceholder.ReplaceAllString(text, "PLACEHOLDER")).Run() == nil
}

// readmeCommandsWithRules parses README.md and gives each command its rule:
// commands that a block rule runs with the rest of their block have that
// rule too. It returns what does not fit: a command without a rule, a rule
// that matches nothing, a placeholder the test has no value for.
func readmeCommandsWithRules(root string) ([]readmeCommand, []string, error) {
	raw, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		return nil, nil, err
	}
	targets, err := makefileTargets(root)
	if err != nil {
		return nil, nil, err
	}
	cmds, problems := parseReadme(string(raw), targets)
	used := map[*readmeRule]bool{}
	var blockRule *readmeRule
	var inBlock *readmeBlock
	for i := range cmds {
		c := &cmds[i]
		if c.block == inBlock && blockRule != nil {
			c.rule = blockRule
		} else {
			blockRule, inBlock = nil, c.block
			for j := range readmeRules {
				if readmeRules[j].match.MatchString(c.text) {
					c.rule = &readmeRules[j]
					used[c.rule] = true
					if c.rule.block {
						blockRule = c.rule
					}
					break
				}
			}
		}
		if c.rule == nil {
			problems = append(problems, fmt.Sprintf("%v: no test runs it; run it in TestReadmeCommands (a rule in readmeRules), or list it there with the reason and the test that covers it", c))
		}
		for _, p := range readmePlaceholder.FindAllString(c.text, -1) {
			if p != phBucket && p != phARN && p != phRepo {
				problems = append(problems, fmt.Sprintf("%v: placeholder %s has no value in the README test", c, p))
			}
		}
	}
	for j := range readmeRules {
		if !used[&readmeRules[j]] {
			problems = append(problems, fmt.Sprintf("readmeRules: %s matches no README command any more", readmeRules[j].match))
		}
	}
	return cmds, problems, nil
}

// TestReadmeCommandsHaveRules: every command of the README's shell blocks
// is run by TestReadmeCommands or listed with the test that covers it.
func TestReadmeCommandsHaveRules(t *testing.T) {
	root, _ := filepath.Abs("..")
	cmds, problems, err := readmeCommandsWithRules(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	for _, c := range cmds {
		switch {
		case c.rule == nil:
		case c.rule.step == nil:
			t.Logf("%v: not run here: %s", c, c.rule.covered)
		default:
			t.Logf("%v: TestReadmeCommands runs it %s", c, c.rule.name)
		}
	}
}

// TestParseReadmeBlocks: the block rules on a README of each kind.
func TestParseReadmeBlocks(t *testing.T) {
	readme := "# t\n```mermaid\nflowchart LR\n```\n```\n$ make verify\nstack ok\n```\n" +
		"```sh\n# a comment\nmake synth   # a note\n             # its second line\nbucket=<AccessLogBucketName output>\n" +
		"while aws s3 ls \\\n    --x &&\n  true; do\n  aws s3 rb\ndone\n```\n" +
		"  ```sh\n  go mod tidy\n  ```\n```go\npackage main\n\nfunc f() { go func() {}() }\n```\n```\n| figure |\nmake verify phases, as they ran:\n```\n"
	targets := map[string]bool{"synth": true, "deploy": true, "verify": true}
	cmds, problems := parseReadme(readme, targets)
	var got []string
	for _, c := range cmds {
		got = append(got, fmt.Sprintf("%d:%s", c.line, c.text))
	}
	want := []string{"11:make synth   # a note", "13:bucket=<AccessLogBucketName output>", "14:while aws s3 ls \\\n    --x &&\n  true; do\n  aws s3 rb\ndone", "21:go mod tidy"}
	if strings.Join(got, "|") != strings.Join(want, "|") || len(problems) > 0 {
		t.Errorf("commands %q, want %q; problems %q", got, want, problems)
	}
	for _, bad := range []string{
		"```sh\necho hi\n```\n",              // a shell block that starts with no known command
		"```\nsome text\nmake deploy\n```\n", // a command in a block of text
		"```sh\nmake synth\ncurl x\n```\n",   // an unknown command in a command block
		"```sh\nwhile true; do\n```\n",       // unfinished
	} {
		if _, problems := parseReadme(bad, targets); len(problems) == 0 {
			t.Errorf("no problem found in %q", bad)
		}
	}
}

// readmeRun is what TestReadmeCommands's steps share.
type readmeRun struct {
	ctx  context.Context
	root string
	c    clients
	// motoDir is a copy of the checkout (see checkoutCopy) where the
	// commands that talk to AWS run, with motoEnv pointing them at moto.
	motoDir string
	motoEnv []string
	// The offline synths run in a copy of their own, one after the other,
	// beside the moto steps.
	offlineDir string
	offlineEnv []string
	offline    chan readmeCommand
	offlineWG  sync.WaitGroup
	// deployed is the last make deploy's command while its stack stands.
	deployed string
	// buckets are the log buckets of the stacks make deploy made; filled
	// ends with the first one's filling. made are the test's own buckets.
	buckets, made []string
	filled        chan error
	fillWG        sync.WaitGroup
}

// TestReadmeCommands runs the README's commands as written, through bash,
// in the README's order: the synths offline (no AWS variables, as in Set
// up), the rest against moto with the variables the other e2e tests use
// (plus those of moto's gaps, said where they are set), with the aws
// command of .venv (awscli v1, pinned in requirements-dev.txt), never
// another one on PATH.
func TestReadmeCommands(t *testing.T) {
	started := time.Now()
	root, _ := filepath.Abs("..")
	cmds, problems, err := readmeCommandsWithRules(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Fatalf("the README's commands do not fit the README test (see TestReadmeCommandsHaveRules):\n%s", strings.Join(problems, "\n"))
	}
	w := newWorkspace(t, root, moto)
	r := &readmeRun{ctx: context.Background(), root: root, c: newClients()}
	r.setUp(t, w)
	t.Cleanup(func() { r.cleanUp(t) })
	defer func() {
		close(r.offline)
		r.offlineWG.Wait()
		r.fillWG.Wait()
		t.Logf("the README's commands: %.1f s", time.Since(started).Seconds())
	}()
	var inBlock *readmeBlock
	for _, c := range cmds {
		if c.rule.step == nil {
			t.Logf("%v: not run here: %s", c, c.rule.covered)
			continue
		}
		if c.rule.block && c.block == inBlock {
			continue // run with the command that starts its block's script
		}
		inBlock = c.block
		c.rule.step(r, t, c)
	}
}

func (r *readmeRun) setUp(t *testing.T, w *workspace) {
	t.Helper()
	// The aws command the README's lines find first on PATH: .venv's.
	awsBin := filepath.Join(t.TempDir(), "bin")
	if err := os.Mkdir(awsBin, 0o755); err != nil {
		t.Fatal(err)
	}
	venvAWS := filepath.Join(r.root, ".venv", "bin", "aws")
	if _, err := os.Stat(venvAWS); err != nil {
		t.Fatalf("awscli is not installed in .venv; run `make e2e` (requirements-dev.txt pins it): %v", err)
	}
	if err := os.Symlink(venvAWS, filepath.Join(awsBin, "aws")); err != nil {
		t.Fatal(err)
	}
	goEnv := goEnvironment(t)
	path := "PATH=" + awsBin + string(os.PathListSeparator) + filepath.Join(r.root, "node_modules", ".bin") + string(os.PathListSeparator) + os.Getenv("PATH")
	quiet := []string{
		// The CLI's and npm's look-ups of newer versions and notices.
		"CDK_NOTICES=false", "CDK_DISABLE_VERSION_CHECK=1", "NPM_CONFIG_UPDATE_NOTIFIER=false",
	}
	r.motoDir = checkoutCopy(t, r.root)
	for _, kv := range w.env {
		if !strings.HasPrefix(kv, "PATH=") {
			r.motoEnv = append(r.motoEnv, kv)
		}
	}
	r.motoEnv = append(append(append(r.motoEnv, path), goEnv...), quiet...)
	r.offlineDir = checkoutCopy(t, r.root)
	r.offlineEnv = append(append([]string{path, "HOME=" + t.TempDir(),
		"JSII_RUNTIME_PACKAGE_CACHE_ROOT=" + envValue(w.env, "JSII_RUNTIME_PACKAGE_CACHE_ROOT"),
		"CDK_VALIDATION=false", "CDK_DISABLE_CLI_TELEMETRY=true",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true",
	}, goEnv...), quiet...)
	out, err := runBash(r.ctx, r.motoDir, r.motoEnv, "command -v aws", time.Minute)
	if strings.TrimSpace(out) != filepath.Join(awsBin, "aws") || err != nil {
		t.Fatalf("the README's aws is %q (%v), not .venv's", out, err)
	}
	r.offline = make(chan readmeCommand, 32)
	r.offlineWG.Add(1)
	go func() {
		defer r.offlineWG.Done()
		for c := range r.offline {
			r.runSynth(t, c)
		}
	}()
}

// cleanUp removes what a failed step left in moto for the tests after it.
func (r *readmeRun) cleanUp(t *testing.T) {
	if stacks, err := r.c.cfn.DescribeStacks(r.ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stackName)}); err == nil && len(stacks.Stacks) > 0 && stacks.Stacks[0].StackStatus != "DELETE_COMPLETE" {
		removeRouteTables(r.ctx, t, r.c, stackName)
		if _, err := r.c.cfn.DeleteStack(r.ctx, &cloudformation.DeleteStackInput{StackName: aws.String(stackName)}); err != nil {
			t.Errorf("removing the stack a step left: %v", err)
		}
	}
	for _, b := range append(append([]string(nil), r.buckets...), r.made...) {
		if _, err := r.c.s3.HeadBucket(r.ctx, &s3.HeadBucketInput{Bucket: aws.String(b)}); err == nil {
			emptyBucket(r.ctx, t, r.c, b)
		}
	}
}

// synth: make synth runs offline, beside the moto steps.
func (r *readmeRun) synth(t *testing.T, c readmeCommand) { r.offline <- c }

func (r *readmeRun) runSynth(t *testing.T, c readmeCommand) {
	text, err := substitute(c.text, nil)
	if err != nil {
		t.Errorf("%v: %v", c, err)
		return
	}
	started := time.Now()
	out, err := runBash(r.ctx, r.offlineDir, r.offlineEnv, text, 5*time.Minute)
	t.Logf("%v: %.1f s", c, time.Since(started).Seconds())
	if err != nil || !strings.Contains(out, "template: cdk.out/") {
		t.Errorf("%v: %v\n%s", c, err, tail(out, 30))
		return
	}
	// "writes cdk.out/X.template.json", as the README's comment says.
	if m := regexp.MustCompile(`writes (cdk\.out/\S+\.json)`).FindStringSubmatch(c.text); m != nil {
		if _, err := os.Stat(filepath.Join(r.offlineDir, m[1])); err != nil {
			t.Errorf("%v: it did not write %s: %v", c, m[1], err)
		}
	}
}

// bootstrap: npx cdk bootstrap bootstraps the account and region the
// variables name (once for all the tests; again here it changes nothing).
func (r *readmeRun) bootstrap(t *testing.T, c readmeCommand) {
	bootstrapped.Lock()
	defer bootstrapped.Unlock()
	r.mustRun(t, c, c.text, r.motoEnv)
	bootstrapped.regions[region] = true
}

// deploy: make deploy on a terminal, answering y when the CLI asks before
// security changes, as the README says it does; then the stack is there.
func (r *readmeRun) deploy(t *testing.T, c readmeCommand) {
	text, err := substitute(c.text, nil)
	if err != nil {
		t.Fatalf("%v: %v", c, err)
	}
	// A moto gap worked around outside moto, as the other deploys do with
	// --method=direct: its change sets drop the outputs of a new stack.
	// The CLI reads its options from CDK_* variables too.
	env := append(append([]string(nil), r.motoEnv...), "CDK_METHOD=direct")
	ctx, cancel := context.WithTimeout(r.ctx, 5*time.Minute)
	defer cancel()
	started := time.Now()
	out, asked, err := runInTerminal(ctx, r.motoDir, env, text)
	t.Logf("%v: %.1f s", c, time.Since(started).Seconds())
	if err != nil {
		t.Fatalf("%v: %v\n%s", c, err, tail(out, 40))
	}
	if asked == 0 {
		t.Errorf("%v: the CLI deployed a new stack's security groups without asking (the README: it asks)\n%s", c, tail(out, 40))
	}
	stacks, err := r.c.cfn.DescribeStacks(r.ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stackName)})
	if err != nil || len(stacks.Stacks) != 1 || !strings.HasSuffix(string(stacks.Stacks[0].StackStatus), "_COMPLETE") || strings.Contains(string(stacks.Stacks[0].StackStatus), "ROLLBACK") {
		t.Fatalf("%v: stack after deploy: %+v %v", c, stacks, err)
	}
	outputs := stackOutputs(r.ctx, t, r.c)
	if b := outputs["AccessLogBucketName"]; b != "" && !contains(r.buckets, b) {
		r.buckets = append(r.buckets, b)
		r.versionBucket(t, b, len(r.buckets) == 1)
		if len(r.buckets) == 1 {
			// Logs for the Destroying recipe to remove: more than a page
			// of versions with delete markers, written while the steps
			// before it run.
			r.filled = make(chan error, 1)
			r.fillWG.Add(1)
			go func() {
				defer r.fillWG.Done()
				started := time.Now()
				err := fillLogBucket(r.ctx, r.c, b, 1010, 505, 200)
				t.Logf("writing 1010 versions and 200 delete markers into %s (beside the steps): %.1f s", b, time.Since(started).Seconds())
				r.filled <- err
			}()
		}
	}
	if m := regexp.MustCompile(`amiId=(ami-[0-9a-f]+)`).FindStringSubmatch(text); m != nil {
		ids := stackResources(r.ctx, t, r.c, stackName)["AWS::EC2::Instance"]
		instances, err := r.c.ec2.DescribeInstances(r.ctx, &ec2.DescribeInstancesInput{InstanceIds: ids})
		if err != nil || len(ids) == 0 {
			t.Fatalf("%v: instances %v: %v", c, ids, err)
		}
		for _, res := range instances.Reservations {
			for _, i := range res.Instances {
				if got := aws.ToString(i.ImageId); got != m[1] {
					t.Errorf("%v: instance %s runs %s, not the pinned %s", c, aws.ToString(i.InstanceId), got, m[1])
				}
			}
		}
	}
	r.deployed = text
}

// verify: make verify finds the stack and sees its instances InService.
// The load balancer's name moto makes up does not resolve, so make verify
// then waits for it; the test stops it there (its requests are checked in
// checkOperated, with -url). Should the name resolve after all, its
// requests go to a local proxy that answers as the instances would, never
// out of the machine.
func (r *readmeRun) verify(t *testing.T, c readmeCommand) {
	if r.deployed == "" {
		t.Fatalf("%v: no stack deployed to verify", c)
	}
	text, err := substitute(c.text, nil)
	if err != nil {
		t.Fatalf("%v: %v", c, err)
	}
	lb := stackOutputs(r.ctx, t, r.c)["LoadBalancerName"]
	pages := instancePages(r.ctx, t, r.c, lb)
	var n atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(rw, pages[int(n.Add(1)-1)%len(pages)])
	}))
	defer proxy.Close()
	env := append(append([]string(nil), r.motoEnv...), "HTTP_PROXY="+proxy.URL, "http_proxy="+proxy.URL,
		"HTTPS_PROXY="+proxy.URL, "https_proxy="+proxy.URL, "NO_PROXY=", "no_proxy=")
	ctx, cancel := context.WithTimeout(r.ctx, 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", text)
	cmd.Dir, cmd.Env = r.motoDir, env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	started := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	waiting := regexp.MustCompile(`waiting for \S+ to resolve`)
	var runErr error
	stopped := false
loop:
	for {
		select {
		case runErr = <-exited:
			break loop
		case <-time.After(100 * time.Millisecond):
			if waiting.MatchString(out.String()) {
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
				<-exited
				stopped = true
				break loop
			}
		}
	}
	t.Logf("%v: %.1f s", c, time.Since(started).Seconds())
	got := out.String()
	for _, want := range []string{
		fmt.Sprintf("stack %s in %s: load balancer %s\n", stackName, region, lb),
		fmt.Sprintf("%d/%d InService", len(pages), len(pages)),
	} {
		if !strings.Contains(got, want) {
			t.Errorf("%v: its output lacks %q:\n%s", c, want, got)
		}
	}
	switch {
	case stopped:
		t.Logf("%v: stopped once it waited for moto's load balancer name to resolve:\n%s", c, got)
	case runErr != nil || !strings.Contains(got, "requests answered by"):
		t.Errorf("%v: %v\n%s", c, runErr, got)
	}
}

// destroy: make destroy deletes the stack.
func (r *readmeRun) destroy(t *testing.T, c readmeCommand) {
	// A moto gap: it cannot delete AWS::EC2::RouteTable (removeRouteTables).
	removeRouteTables(r.ctx, t, r.c, stackName)
	r.mustRun(t, c, c.text, r.motoEnv)
	if stacks, err := r.c.cfn.DescribeStacks(r.ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stackName)}); err == nil && len(stacks.Stacks) > 0 && stacks.Stacks[0].StackStatus != "DELETE_COMPLETE" {
		t.Fatalf("%v: the stack is still %s", c, stacks.Stacks[0].StackStatus)
	}
	r.deployed = ""
}

// ssmParameter: the image the public parameter names, which moto serves
// from its own copy of AWS's public parameters (no set-up needed).
func (r *readmeRun) ssmParameter(t *testing.T, c readmeCommand) {
	out := r.mustRun(t, c, c.text, r.motoEnv)
	if !regexp.MustCompile(`^ami-[0-9a-f]{8,17}$`).MatchString(strings.TrimSpace(out)) {
		t.Errorf("%v: printed %q, not an image id", c, out)
	}
}

// recipeCase is a bucket the Destroying recipe runs on, and what came of it.
type recipeCase struct {
	name, bucket string
	// locked: a version under a legal hold, which the recipe must report
	// and stop at, leaving the bucket.
	locked bool
	out    string
	err    error
}

// removeBucket runs the Destroying section's recipe, as written, on each
// retained log bucket, the first of which holds more than 1000 versions
// with delete markers (two pages), the second (the Pinning stack's) what
// moto left in it, nothing; and on buckets the test makes for the cases
// those do not cover: one with versions only, and one with a version under
// a legal hold, where it must stop and show the error instead of trying
// again forever. Before it, the stack goes as that section says: make
// destroy with the settings of make deploy.
func (r *readmeRun) removeBucket(t *testing.T, c readmeCommand) {
	if r.deployed != "" {
		destroy := strings.Replace(r.deployed, "make deploy", "make destroy", 1)
		r.destroy(t, readmeCommand{block: c.block, line: c.line, text: destroy})
	}
	retained := r.buckets
	if len(retained) == 0 {
		t.Fatalf("%v: no make deploy left a log bucket to remove", c)
	}
	if err := <-r.filled; err != nil {
		t.Fatalf("%v: filling %s: %v", c, retained[0], err)
	}
	cases := []*recipeCase{{name: "versions and delete markers, more than 1000", bucket: retained[0]}}
	for _, b := range retained[1:] {
		cases = append(cases, &recipeCase{name: "empty, as its stack left it", bucket: b})
	}
	// (This moto is the test process's own: the names are free.)
	if len(retained) == 1 {
		cases = append(cases, &recipeCase{name: "empty", bucket: r.newBucket(t, "readme-empty", false)})
	}
	versions := r.newBucket(t, "readme-versions", false)
	locked := r.newBucket(t, "readme-locked", true)
	for _, k := range []string{"index.html", "index.html", "notes.txt"} {
		r.put(t, versions, k, "")
	}
	r.put(t, locked, "held.log", "ON")
	r.put(t, locked, "free.log", "")
	cases = append(cases, &recipeCase{name: "versions only", bucket: versions},
		&recipeCase{name: "a version under a legal hold", bucket: locked, locked: true})

	// S3 takes at most 1000 keys a DeleteObjects call, which moto does not
	// check: the recipe's S3 calls go through a proxy that refuses more, as
	// S3 does, and counts the keys of each call.
	limit := newDeleteLimit(t)
	var wg sync.WaitGroup
	started := time.Now()
	for _, rc := range cases {
		script, err := substitute(c.rest(), map[string]string{phBucket: rc.bucket})
		if err != nil {
			t.Fatalf("%v: %v", c, err)
		}
		// Each its own temporary folder (mktemp), so that none sees another's page.
		env := append(append([]string(nil), r.motoEnv...), "TMPDIR="+t.TempDir(), "AWS_ENDPOINT_URL_S3="+limit.url)
		dir := t.TempDir()
		wg.Add(1)
		go func() {
			defer wg.Done()
			rc.out, rc.err = runBash(r.ctx, dir, env, script, 2*time.Minute)
		}()
	}
	wg.Wait()
	t.Logf("%v: the recipe on %d buckets side by side: %.1f s", c, len(cases), time.Since(started).Seconds())
	for _, rc := range cases {
		_, headErr := r.c.s3.HeadBucket(r.ctx, &s3.HeadBucketInput{Bucket: aws.String(rc.bucket)})
		if rc.locked {
			if rc.err == nil || !strings.Contains(rc.out, "AccessDenied") || !strings.Contains(rc.out, "held.log") || headErr != nil {
				t.Errorf("%v: on %s (%s): want the held version's error shown, the loop ended, the bucket kept; got %v, bucket %v:\n%s", c, rc.bucket, rc.name, rc.err, headErr, tail(rc.out, 30))
			}
			emptyBucket(r.ctx, t, r.c, rc.bucket)
			continue
		}
		if rc.err != nil || headErr == nil {
			t.Errorf("%v: on %s (%s): %v; the bucket is %s:\n%s", c, rc.bucket, rc.name, rc.err, map[bool]string{true: "still there", false: "gone"}[headErr == nil], tail(rc.out, 30))
		}
	}
	calls := limit.calls(retained[0])
	t.Logf("%v: keys of each delete-objects call on the largest bucket: %v", c, calls)
	if len(calls) < 2 {
		t.Errorf("%v: %d delete-objects calls for more than 1000 versions: %v", c, len(calls), calls)
	}
}

// versionBucket turns versioning on in a retained log bucket: a moto gap,
// its CloudFormation ignores the bucket's VersioningConfiguration (the
// template tests check it). For the first, it checks that moto still does.
func (r *readmeRun) versionBucket(t *testing.T, bucket string, first bool) {
	t.Helper()
	v, err := r.c.s3.GetBucketVersioning(r.ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatal(err)
	}
	if first && v.Status == s3types.BucketVersioningStatusEnabled {
		t.Errorf("moto now versions the log bucket as its template says: remove versionBucket from the README test")
	}
	if _, err := r.c.s3.PutBucketVersioning(r.ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(bucket),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
}

func (r *readmeRun) newBucket(t *testing.T, name string, locked bool) string {
	t.Helper()
	in := &s3.CreateBucketInput{Bucket: aws.String(name),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(region)}}
	if locked {
		in.ObjectLockEnabledForBucket = aws.Bool(true)
	}
	if _, err := r.c.s3.CreateBucket(r.ctx, in); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
	if _, err := r.c.s3.PutBucketVersioning(r.ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(name),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	r.made = append(r.made, name) // for cleanUp, should the recipe fail
	return name
}

// deleteLimit is a proxy to moto's S3 that refuses a DeleteObjects call of
// more than 1000 keys with S3's MalformedXML, and records each call's keys
// by bucket.
type deleteLimit struct {
	url  string
	mu   sync.Mutex
	keys map[string][]int
}

func newDeleteLimit(t *testing.T) *deleteLimit {
	t.Helper()
	target, err := url.Parse(moto.url("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	d := &deleteLimit{keys: map[string][]int{}}
	forward := httputil.NewSingleHostReverseProxy(target)
	server := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodPost && req.URL.Query().Has("delete") {
			body, err := io.ReadAll(req.Body)
			if err != nil {
				http.Error(rw, err.Error(), http.StatusBadRequest)
				return
			}
			n := bytes.Count(body, []byte("<Object>"))
			bucket := strings.Trim(req.URL.Path, "/")
			d.mu.Lock()
			d.keys[bucket] = append(d.keys[bucket], n)
			d.mu.Unlock()
			if n > 1000 {
				rw.WriteHeader(http.StatusBadRequest)
				fmt.Fprint(rw, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>MalformedXML</Code><Message>The XML you provided was not well-formed or did not validate against our published schema</Message></Error>`)
				return
			}
			req.Body = io.NopCloser(bytes.NewReader(body))
		}
		forward.ServeHTTP(rw, req)
	}))
	t.Cleanup(server.Close)
	d.url = server.URL
	return d
}

func (d *deleteLimit) calls(bucket string) []int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]int(nil), d.keys[bucket]...)
}

func (r *readmeRun) put(t *testing.T, bucket, key, hold string) {
	t.Helper()
	in := &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader("x\n")}
	if hold != "" {
		// Object Lock wants a checksum with the object.
		in.ObjectLockLegalHoldStatus = s3types.ObjectLockLegalHoldStatus(hold)
		in.ChecksumAlgorithm = s3types.ChecksumAlgorithmCrc32
	}
	if _, err := r.c.s3.PutObject(r.ctx, in); err != nil {
		t.Fatalf("put %s/%s: %v", bucket, key, err)
	}
}

// fillLogBucket writes versions ELB log objects over keys keys (so that
// most have several versions), then deletes the first markers keys without
// a version id: a delete marker each.
func fillLogBucket(ctx context.Context, c clients, bucket string, versions, keys, markers int) error {
	key := func(i int) string {
		return fmt.Sprintf("AWSLogs/%s/elasticloadbalancing/%s/2026/12/04/%s_elasticloadbalancing_%s_exampleelb_20261204T%04dZ_203.0.113.10_%08x.log", account, region, account, region, i%2400, i)
	}
	work := make(chan int)
	var failed atomic.Value
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if _, err := c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key(i % keys)), Body: bytes.NewReader([]byte("log line\n"))}); err != nil {
					failed.Store(err)
				}
			}
		}()
	}
	for i := 0; i < versions; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		return err
	}
	var ids []s3types.ObjectIdentifier
	for i := 0; i < markers; i++ {
		ids = append(ids, s3types.ObjectIdentifier{Key: aws.String(key(i))})
	}
	if _, err := c.s3.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket), Delete: &s3types.Delete{Objects: ids}}); err != nil {
		return err
	}
	page, err := c.s3.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket)})
	if err != nil {
		return err
	}
	if !aws.ToBool(page.IsTruncated) || len(page.DeleteMarkers) == 0 {
		return fmt.Errorf("it does not hold more than a page of versions with delete markers")
	}
	return nil
}

// emptyBucket removes a bucket whatever it holds (legal holds included).
func emptyBucket(ctx context.Context, t *testing.T, c clients, bucket string) {
	t.Helper()
	for {
		page, err := c.s3.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket)})
		if err != nil {
			t.Errorf("emptying %s: %v", bucket, err)
			return
		}
		var ids []s3types.ObjectIdentifier
		for _, v := range page.Versions {
			_, _ = c.s3.PutObjectLegalHold(ctx, &s3.PutObjectLegalHoldInput{Bucket: aws.String(bucket), Key: v.Key, VersionId: v.VersionId,
				LegalHold: &s3types.ObjectLockLegalHold{Status: s3types.ObjectLockLegalHoldStatusOff}})
			ids = append(ids, s3types.ObjectIdentifier{Key: v.Key, VersionId: v.VersionId})
		}
		for _, m := range page.DeleteMarkers {
			ids = append(ids, s3types.ObjectIdentifier{Key: m.Key, VersionId: m.VersionId})
		}
		if len(ids) == 0 {
			break
		}
		if _, err := c.s3.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket), Delete: &s3types.Delete{Objects: ids}}); err != nil {
			t.Errorf("emptying %s: %v", bucket, err)
			return
		}
	}
	if _, err := c.s3.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Errorf("deleting %s: %v", bucket, err)
	}
}

// useConstruct runs the commands that point another app at this checkout,
// as written, in the folder of a CDK app beside the clone: its go.mod
// requires aws-cdk-lib, constructs and jsii at this module's versions, its
// main.go imports the construct. Offline: the modules come from the module
// cache (make deps filled it), and no checksum database is asked.
func (r *readmeRun) useConstruct(t *testing.T, c readmeCommand) {
	dir := t.TempDir()
	app := filepath.Join(dir, "app")
	if err := os.Mkdir(app, 0o755); err != nil {
		t.Fatal(err)
	}
	var mod struct {
		Go      string
		Require []struct{ Path, Version string }
	}
	out, err := exec.Command("go", "mod", "edit", "-json", filepath.Join(r.root, "go.mod")).Output()
	if err == nil {
		err = json.Unmarshal(out, &mod)
	}
	if err != nil {
		t.Fatal(err)
	}
	goMod := "module example.com/team-app\n\ngo " + mod.Go + "\n\nrequire (\n"
	for _, req := range mod.Require {
		switch req.Path {
		case "github.com/aws/aws-cdk-go/awscdk/v2", "github.com/aws/constructs-go/constructs/v10", "github.com/aws/jsii-runtime-go":
			goMod += "\t" + req.Path + " " + req.Version + "\n"
		}
	}
	goMod += ")\n"
	mainGo := `package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/classic-webtier/cdk-classic-webtier/constructs/classicelb"
)

func main() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("TeamStack"), nil)
	classicelb.NewWebTier(stack, jsii.String("WebTier"), &classicelb.WebTierProps{})
	app.Synth(nil)
}
`
	for name, body := range map[string]string{"go.mod": goMod, "main.go": mainGo} {
		if err := os.WriteFile(filepath.Join(app, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	script, err := substitute(c.rest(), map[string]string{phRepo: r.root})
	if err != nil {
		t.Fatalf("%v: %v", c, err)
	}
	env := append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir,
		"GOPROXY=off", "GOSUMDB=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0"}, goCacheEnv(t)...)
	started := time.Now()
	out2, err := runBash(r.ctx, app, env, script, 3*time.Minute)
	t.Logf("%v: %.1f s", c, time.Since(started).Seconds())
	if err != nil {
		t.Fatalf("%v: %v\n%s", c, err, tail(out2, 30))
	}
	got, err := os.ReadFile(filepath.Join(app, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"replace github.com/classic-webtier/cdk-classic-webtier => ../cdk-classic-webtier"}
	// "requires it as v0.0.0-...", as the README's comment says.
	if v := regexp.MustCompile(`requires it as (v\S+)`).FindStringSubmatch(c.rest()); v != nil {
		want = append(want, "github.com/classic-webtier/cdk-classic-webtier "+v[1]+"\n")
	}
	for _, w := range want {
		if !strings.Contains(string(got), w) {
			t.Errorf("%v: the app's go.mod lacks %q:\n%s", c, w, got)
		}
	}
}

// mustRun runs a command as written through bash in the moto checkout and
// fails the test on an error.
func (r *readmeRun) mustRun(t *testing.T, c readmeCommand, text string, env []string) string {
	t.Helper()
	text, err := substitute(text, nil)
	if err != nil {
		t.Fatalf("%v: %v", c, err)
	}
	started := time.Now()
	out, err := runBash(r.ctx, r.motoDir, env, text, 5*time.Minute)
	t.Logf("%v: %.1f s", c, time.Since(started).Seconds())
	if err != nil {
		t.Fatalf("%v: %v\n%s", c, err, tail(out, 40))
	}
	return out
}

// substitute puts values in the place of the README's placeholders (phARN
// always; the others as given) and refuses any left.
func substitute(text string, values map[string]string) (string, error) {
	text = strings.ReplaceAll(text, phARN, readmeCertificateARN)
	for p, v := range values {
		text = strings.ReplaceAll(text, p, v)
	}
	if left := readmePlaceholder.FindAllString(text, -1); len(left) > 0 {
		return "", fmt.Errorf("no value here for %v", left)
	}
	return text, nil
}

// runBash runs a script through bash without standard input, in its own
// process group (killed whole at the timeout), and returns its output.
func runBash(ctx context.Context, dir string, env []string, script string, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.Dir, cmd.Env = dir, env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		err = errors.Join(err, fmt.Errorf("not done after %s", timeout))
	}
	return string(out), err
}

// checkoutCopy is a folder that looks like the checkout (links to its
// files) with a cdk.out, bin and cdk.context.json of its own, so that the
// make targets run there leave the user's alone. Its bin links to the app
// buildTools made (make's find of the sources does not follow the links,
// so it is not built again there).
func checkoutCopy(t *testing.T, root string) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch e.Name() {
		case "cdk.out", "bin", ".git", "cdk.context.json":
			continue
		}
		if err := os.Symlink(filepath.Join(root, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "bin", "cdk-classic-webtier"), filepath.Join(dir, "bin", "cdk-classic-webtier")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// goEnvironment is the go command's settings as this test has them, for
// commands whose HOME is a scratch folder (the build and module caches
// would otherwise move there, empty).
func goEnvironment(t *testing.T) []string {
	t.Helper()
	env := goCacheEnv(t)
	for _, kv := range os.Environ() {
		for _, k := range []string{"GOFLAGS=", "GOPROXY=", "GOSUMDB=", "GONOSUMDB=", "GOPRIVATE=", "GOTOOLCHAIN="} {
			if strings.HasPrefix(kv, k) {
				env = append(env, kv)
			}
		}
	}
	return env
}

func goCacheEnv(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH").Output()
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if err != nil || len(lines) != 3 {
		t.Fatalf("go env: %v %q", err, out)
	}
	return []string{"GOCACHE=" + lines[0], "GOMODCACHE=" + lines[1], "GOPATH=" + lines[2]}
}

func envValue(env []string, key string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, key+"="); ok {
			return v
		}
	}
	return ""
}

// instancePages are the default pages of a load balancer's instances.
func instancePages(ctx context.Context, t *testing.T, c clients, lb string) []string {
	t.Helper()
	var pages []string
	for _, id := range registered(ctx, t, c, lb) {
		out, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
		if err != nil {
			t.Fatal(err)
		}
		zone := aws.ToString(out.Reservations[0].Instances[0].Placement.AvailabilityZone)
		pages = append(pages, fmt.Sprintf("<h1>Hello from %s</h1>\n<p>Availability Zone: %s</p>", id, zone))
	}
	if len(pages) == 0 {
		t.Fatalf("load balancer %s has no instances", lb)
	}
	return pages
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"

	"github.com/classic-webtier/cdk-classic-webtier/internal/cdkcli"
	"github.com/classic-webtier/cdk-classic-webtier/internal/clb"
)

// Before make deploy changes a deployed stack, it reads what the change
// replaces from the CLI's own diff against the deployed template
// (cdk diff --method template) and, when the fixed instances or the load
// balancer go, says which, what that costs and what to do instead, then
// asks, as the CLI does for security changes.

// The resource types whose replacement takes the site down.
const (
	instanceType = "AWS::EC2::Instance"
	lbType       = "AWS::ElasticLoadBalancing::LoadBalancer"
	groupType    = "AWS::AutoScaling::AutoScalingGroup"
)

// diffKeeps are the options of deploy's words that cdk diff takes with the
// same meaning: the app, its context and parameters, the stacks, the
// credentials. The rest (--require-approval, --method, --outputs-file ...)
// are deploy's own and left out.
var diffKeeps = map[string]bool{
	"-c": true, "--context": true, "-a": true, "--app": true, "--profile": true, "--parameters": true,
	"-p": true, "--plugin": true, "--proxy": true, "--ca-bundle-path": true, "--toolkit-stack-name": true,
	"--all": true, "-e": true, "--exclusively": true, "-v": true, "--verbose": true, "--debug": true,
	"--ec2creds": true, "--no-ec2creds": true, "--strict": true, "--lookups": true, "--no-lookups": true,
}

// diffWords are cdk diff's words for deploy's: the template method (no
// change set to create and delete) and the options diff shares.
func diffWords(words cdkcli.Words) []string {
	out := []string{"diff", "--method", "template"}
	for _, it := range words.Items() {
		if it.Stack() || diffKeeps[it.Name] {
			out = append(out, it.Words...)
		}
	}
	return out
}

// neverAsk reports whether the words say --require-approval never (the
// last one given, as the CLI reads it).
func neverAsk(words cdkcli.Words) bool {
	v, _ := words.Option("--require-approval")
	return v == "never"
}

// change is one resource line of the CLI's diff.
type change struct {
	// sign is -, + or ~; kind the resource type; path its construct path;
	// id its logical ID; how the CLI's verdict: destroy, replace,
	// may be replaced, or none.
	sign, kind, path, id, how string
}

// stackChanges are one stack's resource lines.
type stackChanges struct {
	stack   string
	changes []change
}

var (
	ansi       = regexp.MustCompile("\x1b\\[[0-9;]*m")
	stackLine  = regexp.MustCompile(`^Stack (\S+)`)
	changeLine = regexp.MustCompile(`^\[([-+~])\] (AWS::\S+) (.+?)(?: (destroy|replace|may be replaced))?$`)
)

// parseDiff reads the CLI's diff text (aws-cdk CLI 2.1148), stack by
// stack: "[-] TYPE PATH LOGICALID destroy", "[+] TYPE PATH LOGICALID",
// "[~] TYPE PATH LOGICALID [replace|may be replaced]".
func parseDiff(r io.Reader) []stackChanges {
	var out []stackChanges
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := strings.TrimRight(ansi.ReplaceAllString(sc.Text(), ""), " \r")
		if m := stackLine.FindStringSubmatch(line); m != nil {
			out = append(out, stackChanges{stack: m[1]})
			continue
		}
		m := changeLine.FindStringSubmatch(line)
		if m == nil || len(out) == 0 {
			continue
		}
		rest := m[3]
		cut := strings.LastIndexByte(rest, ' ')
		if cut < 0 {
			continue
		}
		last := &out[len(out)-1]
		last.changes = append(last.changes, change{sign: m[1], kind: m[2], path: rest[:cut], id: rest[cut+1:], how: m[4]})
	}
	return out
}

// replacement is what a stack's change takes down.
type replacement struct {
	stack string
	// instances are the fixed instances replaced (or stopped and started)
	// as the deployed template has them; restarted: only stopped and
	// started may be needed (a "may be replaced", such as another
	// instance type).
	instances []change
	restarted bool
	// toFleet: the fixed instances go for an Auto Scaling group's.
	toFleet bool
	// lb: the load balancer replaced, if it is.
	lb *change
}

// replacements picks from the diff what replaces the fixed instances or
// the load balancer. An instance's logical ID follows its user data, so a
// changed user data shows as the old ID destroyed and a new one added
// under the same path. A load balancer's "may be replaced" is left out:
// CloudFormation replaces one only when a health check, subnets or zones
// are added where there were none, and this app's always has them.
func replacements(stacks []stackChanges) []replacement {
	var out []replacement
	for _, st := range stacks {
		added := map[string]bool{}
		for _, c := range st.changes {
			if c.sign == "+" {
				added[c.kind+" "+c.path] = true
			}
		}
		r := replacement{stack: st.stack}
		destroyed := 0
		for _, c := range st.changes {
			renewed := c.sign == "-" && added[c.kind+" "+c.path]
			switch {
			case c.kind == instanceType && c.sign == "-":
				destroyed++
				if renewed {
					r.instances = append(r.instances, c)
				}
			case c.kind == instanceType && c.sign == "~" && c.how != "":
				r.instances = append(r.instances, c)
				r.restarted = r.restarted || c.how == "may be replaced"
			case c.kind == lbType && (renewed || (c.sign == "~" && c.how == "replace")):
				r.lb = &c
			case c.kind == groupType && c.sign == "+":
				r.toFleet = true
			}
		}
		r.toFleet = r.toFleet && destroyed > 0
		if len(r.instances) > 0 || r.toFleet || r.lb != nil {
			out = append(out, r)
		}
	}
	return out
}

// healthyAfter is how long, in seconds, new instances behind the stack's
// load balancer need to pass its health check, from the template the
// diff synthesized; 0 when it cannot be read.
func healthyAfter(templatePath string) float64 {
	raw, err := os.ReadFile(templatePath)
	if err != nil {
		return 0
	}
	var tmpl struct {
		Resources map[string]struct {
			Type       string `json:"Type"`
			Properties struct {
				HealthCheck struct {
					HealthyThreshold, Interval json.RawMessage
				} `json:"HealthCheck"`
			} `json:"Properties"`
		} `json:"Resources"`
	}
	if json.Unmarshal(raw, &tmpl) != nil {
		return 0
	}
	for _, r := range tmpl.Resources {
		if r.Type != lbType {
			continue
		}
		threshold, interval := number(r.Properties.HealthCheck.HealthyThreshold), number(r.Properties.HealthCheck.Interval)
		if threshold > 0 && interval > 0 {
			return clb.HealthyAfterSeconds(threshold, interval)
		}
	}
	return 0
}

// number is a template's "10" or 10; 0 for anything else (a token).
func number(raw json.RawMessage) float64 {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		f, _ := strconv.ParseFloat(s, 64)
		return f
	}
	var f float64
	json.Unmarshal(raw, &f)
	return f
}

// minutes is "about 7 minutes (420 s)".
func minutes(seconds float64) string {
	return fmt.Sprintf("about %s minutes (%.0f s)", strconv.FormatFloat(float64(int(seconds/30+0.5))/2, 'f', -1, 64), seconds)
}

// deployed are what a stack's deploy knows of it: the health check's
// healthyAfter (0: unknown) and the physical IDs of its resources by
// logical ID (none when CloudFormation could not be asked).
type deployed struct {
	healthyAfter float64
	physical     map[string]string
}

// named is "WebTier/Instance1 (i-0abc..., WebTierInstance1...)".
func (d deployed) named(cs []change) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		if p := d.physical[c.id]; p != "" {
			out[i] = fmt.Sprintf("%s (%s, %s)", c.path, p, c.id)
		} else {
			out[i] = fmt.Sprintf("%s (%s)", c.path, c.id)
		}
	}
	return strings.Join(out, ", ")
}

// announce writes what the replacements cost and what to do instead.
func announce(w io.Writer, rs []replacement, known map[string]deployed) {
	for _, r := range rs {
		d := known[r.stack]
		wait := "boot plus HealthyThreshold x Interval"
		if s := d.healthyAfter; s > 0 {
			wait = fmt.Sprintf("%s: %d s of boot plus HealthyThreshold x Interval", minutes(s), clb.InstanceBootSeconds)
		}
		fmt.Fprintf(w, "\nWarning: this deploy takes stack %s's site down.\n", r.stack)
		switch {
		case r.toFleet:
			fmt.Fprintf(w, "  It replaces the fixed instances with an Auto Scaling group: the load balancer lets the fixed ones go when it is updated, before the group's instances pass the health check; the site answers 503 (no healthy instance) for %s.\n", wait)
		case len(r.instances) > 0 && r.restarted:
			fmt.Fprintf(w, "  It stops and starts, or replaces, every fixed instance at once: %s. Until they pass the health check again the site answers 503 (no healthy instance): %s.\n", d.named(r.instances), wait)
		case len(r.instances) > 0:
			fmt.Fprintf(w, "  It replaces every fixed instance at once: %s. The load balancer takes the old ones out when it is updated, and the new ones serve only once they pass the health check; the site answers 503 (no healthy instance) for %s.\n", d.named(r.instances), wait)
		}
		if r.lb != nil {
			fmt.Fprintf(w, "  It replaces the load balancer %s: the name moves to a new load balancer DNS name. The Route 53 alias (domainName) follows it in this deploy, but clients and resolvers holding the old address fail until they look it up again, as does anything that names the old DNS name; the new load balancer serves once its instances pass the health check (%s).\n", d.named([]change{*r.lb}), wait)
		}
		fmt.Fprintf(w, "  Instead: autoScaling=true runs the instances as a fleet whose launch template changes roll out beside the running instances, watching the health check and the alarms, and roll back when they fail (switching to it costs this outage once); or deploy the change as a second stack (-c stackName=%s2 with its own domainName), check it, and move the DNS name to it before destroying the first.\n", r.stack)
	}
}

// physicalIDs are the deployed stack's resources, logical ID to physical
// ID; none when CloudFormation cannot be asked (the diff has been read, so
// the logical IDs are enough to go on).
func physicalIDs(st cdkcli.Stack, profile string) map[string]string {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	client, err := cloudFormation(ctx, st.Region, profile)
	if err != nil {
		return nil
	}
	out, err := client.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: &st.Name})
	if err != nil {
		return nil
	}
	ids := map[string]string{}
	for _, r := range out.StackResources {
		if r.LogicalResourceId != nil && r.PhysicalResourceId != nil {
			ids[*r.LogicalResourceId] = *r.PhysicalResourceId
		}
	}
	return ids
}

// checkReplacements runs cdk diff for deploy's words and, when the change
// takes a site down, says so and asks (on a terminal, unless
// --require-approval never or CI). It returns 0 to go on, or the exit
// code to end with.
func checkReplacements(words cdkcli.Words, stdin *os.File, stderr io.Writer) int {
	var out bytes.Buffer
	fmt.Fprintln(stderr, "Reading what this deploy replaces (cdk diff --method template) ...")
	if code := runCLI(diffWords(words), false, &out); code != 0 {
		// The app or the credentials fail: deploy would fail the same way.
		stderr.Write(out.Bytes())
		fmt.Fprintf(stderr, "error: cdk diff, which make deploy runs first to see what the change replaces, ended with exit code %d\n", code)
		return code
	}
	rs := replacements(parseDiff(&out))
	if len(rs) == 0 {
		return 0
	}
	known := map[string]deployed{}
	if stacks, err := cdkcli.ReadManifest(outdir); err == nil {
		for _, st := range stacks {
			known[st.Name] = deployed{
				healthyAfter: healthyAfter(filepath.Join(outdir, st.TemplateFile)),
				physical:     physicalIDs(st, words.Profile()),
			}
		}
	}
	announce(stderr, rs, known)
	return approve(words, os.Getenv("CI"), stdin, isTerminal(stdin), stderr)
}

// approve decides, once a warning is printed, whether deploy goes on: 0
// to deploy, 1 not to. --require-approval never and CI (any value but
// "", "false" and "0", as the CLI reads it) go on without asking; else it
// asks on the terminal, and with no terminal it refuses rather than
// deploy unasked.
func approve(words cdkcli.Words, ci string, stdin io.Reader, terminal bool, stderr io.Writer) int {
	switch {
	case neverAsk(words):
		fmt.Fprintln(stderr, "  (--require-approval never: deploying without asking)")
		return 0
	case ci != "" && ci != "false" && ci != "0":
		fmt.Fprintln(stderr, "  (CI: deploying without asking)")
		return 0
	case !terminal:
		fmt.Fprintln(stderr, "error: this deploy takes the site down and there is no terminal to ask on; run it on a terminal, or pass ARGS='--require-approval never' to deploy anyway")
		return 1
	}
	fmt.Fprint(stderr, "Deploy anyway (y/n)? ")
	answer, _ := bufio.NewReader(stdin).ReadString('\n')
	if slices.Contains([]string{"y", "yes"}, strings.ToLower(strings.TrimSpace(answer))) {
		return 0
	}
	fmt.Fprintln(stderr, "Not deployed.")
	return 1
}

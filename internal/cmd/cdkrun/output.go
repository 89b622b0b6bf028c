package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

// subprocessLine is the CLI's last word on a failed app
// ("go build ... && bin/app: Subprocess exited with error 1"), which only
// repeats that the app's own message, shown above it, is an error.
var subprocessLine = regexp.MustCompile(`: Subprocess exited with error \d+$`)

// supplyLine is the CLI's hint after synthesizing several stacks (the
// regions setting), which make synth answers itself by naming each
// template.
var supplyLine = regexp.MustCompile(`^Supply a stack id \(.*\) to display its template\.$`)

// filterStderr copies the CLI's error output without those lines; lines
// of any length pass whole.
func filterStderr(r io.Reader, w io.Writer) {
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if text := strings.TrimRight(line, "\r\n"); line != "" && !subprocessLine.MatchString(text) && !supplyLine.MatchString(text) {
			io.WriteString(w, line)
		}
		if err != nil {
			return
		}
	}
}

// stackArtifact is one stack of a cloud assembly's manifest.json.
type stackArtifact struct {
	Name, Region, Account, TemplateFile string
}

// readManifest lists the stacks of the assembly, in the manifest's order
// (the app's): their CloudFormation names, environments and templates.
func readManifest(path string) ([]stackArtifact, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m struct {
		Artifacts json.RawMessage `json:"artifacts"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(m.Artifacts) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(m.Artifacts))
	if _, err := dec.Token(); err != nil { // {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	var out []stackArtifact
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		id, _ := tok.(string)
		var a struct {
			Type        string `json:"type"`
			Environment string `json:"environment"`
			Properties  struct {
				TemplateFile string `json:"templateFile"`
				StackName    string `json:"stackName"`
			} `json:"properties"`
		}
		if err := dec.Decode(&a); err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		if a.Type != "aws:cloudformation:stack" {
			continue
		}
		// aws://ACCOUNT/REGION
		env := strings.Split(strings.TrimPrefix(a.Environment, "aws://"), "/")
		if len(env) != 2 {
			return nil, fmt.Errorf("%s: stack %s has the environment %q, not aws://ACCOUNT/REGION", path, id, a.Environment)
		}
		name := a.Properties.StackName
		if name == "" {
			name = id
		}
		out = append(out, stackArtifact{Name: name, Account: env[0], Region: env[1], TemplateFile: a.Properties.TemplateFile})
	}
	return out, nil
}

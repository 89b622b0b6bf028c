package main

import (
	"bufio"
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

// filterStderr copies the CLI's error output without that line; lines of
// any length pass whole.
func filterStderr(r io.Reader, w io.Writer) {
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if line != "" && !subprocessLine.MatchString(strings.TrimRight(line, "\r\n")) {
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

// readManifest lists the stacks of the assembly: their CloudFormation
// names, environments and templates.
func readManifest(path string) ([]stackArtifact, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m struct {
		Artifacts map[string]struct {
			Type        string `json:"type"`
			Environment string `json:"environment"`
			Properties  struct {
				TemplateFile string `json:"templateFile"`
				StackName    string `json:"stackName"`
			} `json:"properties"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	var out []stackArtifact
	for id, a := range m.Artifacts {
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

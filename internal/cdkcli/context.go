package cdkcli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// ProjectFile is the CLI's project file, in the directory make runs in.
const ProjectFile = "cdk.json"

// ProjectContext is the "context" object of the project file at path, by
// key; no file is an empty context.
func ProjectContext(path string) (map[string]json.RawMessage, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]json.RawMessage{}, nil
	}
	if err != nil {
		return nil, err
	}
	ctx, err := ParseProjectContext(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return ctx, nil
}

// ParseProjectContext is the "context" object of a project file's text;
// an empty text is an empty context.
func ParseProjectContext(raw []byte) (map[string]json.RawMessage, error) {
	var file struct {
		Context map[string]json.RawMessage `json:"context"`
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &file); err != nil {
			return nil, err
		}
	}
	if file.Context == nil {
		file.Context = map[string]json.RawMessage{}
	}
	return file.Context, nil
}

// Setting is key's value as the app gets it: from the words' -c settings,
// else from the project's context (a JSON string as it is, a list of
// strings joined by commas, anything else as its JSON text).
func Setting(words Words, context map[string]json.RawMessage, key string) (string, bool) {
	if v, ok := words.Settings()[key]; ok {
		return v, true
	}
	raw, ok := context[key]
	if !ok {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.Join(list, ","), true
	}
	return string(raw), true
}

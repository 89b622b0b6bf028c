package main

import (
	"encoding/json"

	"github.com/classic-webtier/cdk-classic-webtier/internal/cdkcli"
)

// withAll adds --all to deploy's and destroy's words when the app has
// several stacks (the regions setting, in the words or in cdk.json's
// context) and the words select none: the CLI otherwise refuses to choose.
func withAll(words cdkcli.Words, project map[string]json.RawMessage) cdkcli.Words {
	if _, several := cdkcli.Setting(words, project, "regions"); !several || words.SelectsStacks() {
		return words
	}
	return append(append(cdkcli.Words(nil), words...), "--all")
}

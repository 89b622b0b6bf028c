package classicelb

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"sort"
	"strings"
	"testing"
)

// TestEveryExampleIsShown: go doc and pkg.go.dev show an example only
// where go/doc attaches it (Example, ExampleF, ExampleT, ExampleT_M for a
// method M of a concrete type T, each with an optional _suffix): an
// example named after a method of an interface, or after nothing, is
// compiled and run but shown nowhere.
func TestEveryExampleIsShown(t *testing.T) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	var examples []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(e.Name(), "_test.go") {
			for _, ex := range doc.Examples(f) {
				examples = append(examples, "Example"+ex.Name)
			}
		}
		files = append(files, f)
	}
	if len(examples) == 0 {
		t.Fatal("no example found")
	}
	pkg, err := doc.NewFromFiles(fset, files, "github.com/classic-webtier/cdk-classic-webtier/constructs/classicelb")
	if err != nil {
		t.Fatal(err)
	}
	shown := map[string]bool{}
	add := func(exs []*doc.Example) {
		for _, ex := range exs {
			shown["Example"+ex.Name] = true
		}
	}
	add(pkg.Examples)
	for _, f := range pkg.Funcs {
		add(f.Examples)
	}
	for _, typ := range pkg.Types {
		add(typ.Examples)
		for _, f := range typ.Funcs {
			add(f.Examples)
		}
		for _, m := range typ.Methods {
			add(m.Examples)
		}
	}
	var unshown []string
	for _, name := range examples {
		if !shown[name] {
			unshown = append(unshown, name)
		}
	}
	sort.Strings(unshown)
	if len(unshown) > 0 {
		t.Errorf("examples go doc attaches to nothing, so shows nowhere: %s; name them Example, ExampleF, ExampleT or ExampleT_M after an exported function F, type T or method M of a concrete type (WebTier is an interface: ExampleWebTier_suffix with a lower-case suffix)", strings.Join(unshown, ", "))
	}
}

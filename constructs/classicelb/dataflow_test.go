package classicelb

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// propsTypes are the types a user fills in.
var propsTypes = map[string]bool{
	"WebTierProps": true, "Listener": true, "HealthCheck": true, "AccessLogging": true,
	"EgressRule": true, "LbCookieStickinessPolicy": true, "AppCookieStickinessPolicy": true,
}

// readsProps are the files that may read the props: their definition, the
// resolver and the defaults it applies.
var readsProps = map[string]bool{"props.go": true, "resolve.go": true, "defaults.go": true}

// TestBuildersReadOnlyTheSpec keeps the data flowing one way: props ->
// resolveProps -> spec -> validate and the builders. Outside readsProps no
// declaration names a props type, except the two entry points, which hand
// props to resolveProps and nothing else.
func TestBuildersReadOnlyTheSpec(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || readsProps[name] {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, isFunc := decl.(*ast.FuncDecl)
			if isFunc && (fn.Name.Name == "NewWebTier" || fn.Name.Name == "NewWebTierE" || fn.Name.Name == "ValidateProps") && fn.Recv == nil {
				checkEntryPoint(t, fset, fn)
				continue
			}
			// Field names (CfnLoadBalancerProps.HealthCheck, x.Listener)
			// are not the types.
			fields := map[*ast.Ident]bool{}
			ast.Inspect(decl, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.KeyValueExpr:
					if id, ok := x.Key.(*ast.Ident); ok {
						fields[id] = true
					}
				case *ast.SelectorExpr:
					fields[x.Sel] = true
				}
				return true
			})
			ast.Inspect(decl, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && propsTypes[id.Name] && !fields[id] {
					t.Errorf("%s: names %s outside resolve.go: builders and validation read the spec", fset.Position(id.Pos()), id.Name)
				}
				return true
			})
		}
	}
}

// checkEntryPoint: props is only passed to resolveProps (or, by the
// panicking wrapper, to NewWebTierE).
func checkEntryPoint(t *testing.T, fset *token.FileSet, fn *ast.FuncDecl) {
	t.Helper()
	allowed := map[*ast.Ident]bool{}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if id, ok := call.Fun.(*ast.Ident); ok && (id.Name == "resolveProps" || id.Name == "NewWebTierE") {
				for _, arg := range call.Args {
					if a, ok := arg.(*ast.Ident); ok {
						allowed[a] = true
					}
				}
			}
		}
		return true
	})
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == "props" && !allowed[id] {
			t.Errorf("%s: %s uses props other than by handing it to resolveProps or NewWebTierE", fset.Position(id.Pos()), fn.Name.Name)
		}
		return true
	})
}

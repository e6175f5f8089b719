package extract

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/cascadia"
)

// TestReadAttributes is the tripwire for readAttribute: extraction parses pages without
// the attributes that list leaves out, so an attribute the code reads and the list lacks
// would read as missing on every page. It finds, in the extraction code, every attribute
// name the code compares an attribute's Key with (a.Key == "x", switch a.Key { case "x" }),
// asks for (hasAttr, hasKey, attr; goquery's Attr and AttrOr) or selects on ("[x]" in any
// string that parses as a selector), and requires each to be read. (Class and id
// selectors read class and id, which are.) It fails closed: a name given otherwise than as
// a string literal (a constant, a variable), or a Key used otherwise than compared with
// one (strings.EqualFold, strings.HasPrefix, k := a.Key), is a read it cannot check.
func TestReadAttributes(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := map[string]string{} // name → where
	// A name that is no string literal is one the search cannot check: it fails, but for
	// the key parameter of the helpers hasAttr, hasKey and attr, whose calls are checked.
	var inHelper bool
	note := func(lit ast.Expr, pos token.Pos) {
		b, ok := lit.(*ast.BasicLit)
		if !ok || b.Kind != token.STRING {
			if id, ok := lit.(*ast.Ident); !inHelper || !ok || id.Name != "key" {
				t.Errorf("%s reads an attribute whose name is no string literal, which TestReadAttributes cannot check", fset.Position(pos))
			}
			return
		}
		s, err := strconv.Unquote(b.Value)
		if err != nil {
			t.Fatal(err)
		}
		found[s] = fset.Position(pos).String()
	}
	compared := map[ast.Expr]bool{} // the Keys compared as above
	isKey := func(e ast.Expr) bool {
		s, ok := e.(*ast.SelectorExpr)
		if ok && s.Sel.Name == "Key" {
			compared[e] = true
			return true
		}
		return false
	}
	selectorAttr := regexp.MustCompile(`\[\s*([-\w:]+)`)
	visit := func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if n.Op == token.EQL || n.Op == token.NEQ {
				if isKey(n.X) {
					note(n.Y, n.Pos())
				}
				if isKey(n.Y) {
					note(n.X, n.Pos())
				}
			}
		case *ast.SwitchStmt:
			if n.Tag != nil && isKey(n.Tag) {
				for _, c := range n.Body.List {
					for _, e := range c.(*ast.CaseClause).List {
						note(e, e.Pos())
					}
				}
			}
		case *ast.CallExpr:
			var name string
			switch fun := n.Fun.(type) {
			case *ast.Ident:
				name = fun.Name
			case *ast.SelectorExpr:
				name = fun.Sel.Name
			}
			switch {
			case (name == "hasAttr" || name == "hasKey" || name == "attr") && len(n.Args) >= 2:
				note(n.Args[1], n.Pos())
			case (name == "Attr" || name == "AttrOr") && len(n.Args) >= 1:
				note(n.Args[0], n.Pos())
			}
		case *ast.BasicLit:
			// A selector, wherever it is written (knownContainers holds most).
			if n.Kind != token.STRING {
				break
			}
			s, err := strconv.Unquote(n.Value)
			if err != nil || !strings.Contains(s, "[") {
				break
			}
			if _, err := cascadia.ParseGroup(s); err != nil {
				break // not a selector (a regular expression, say)
			}
			for _, m := range selectorAttr.FindAllStringSubmatch(s, -1) {
				found[strings.ToLower(m[1])] = fset.Position(n.Pos()).String()
			}
		}
		return true
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			inHelper = ok && fn.Recv == nil && (fn.Name.Name == "hasAttr" || fn.Name.Name == "hasKey" || fn.Name.Name == "attr")
			ast.Inspect(decl, visit)
		}
		// Any other use of a Key (strings.EqualFold(a.Key, "x"), strings.HasPrefix(a.Key,
		// "data-"), k := a.Key) reads names the search cannot list.
		ast.Inspect(file, func(n ast.Node) bool {
			if s, ok := n.(*ast.SelectorExpr); ok && s.Sel.Name == "Key" && !compared[s] {
				t.Errorf("%s reads an attribute's Key otherwise than comparing it with a string literal, which TestReadAttributes cannot check", fset.Position(s.Pos()))
			}
			return true
		})
	}
	// The search must find what the code is known to read, or it finds nothing.
	for _, name := range []string{"class", "id", "data-hook", "hidden", "style", "aria-hidden", "role", "itemprop", "rel", "href", "property", "content", "type", "lang", "datetime"} {
		if _, ok := found[name]; !ok {
			t.Errorf("the search found no read of %q: it has gone blind", name)
		}
	}
	names := make([]string, 0, len(found))
	for name := range found {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !readAttribute([]byte(name)) {
			t.Errorf("%s reads the attribute %q, which readAttribute leaves out of every page: add it there", found[name], name)
		}
	}
}

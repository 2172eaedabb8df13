package quickstart_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goBlocks returns the ```go code blocks of a Markdown file, each ending in
// a newline.
func goBlocks(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	var cur *strings.Builder
	for _, l := range strings.SplitAfter(string(b), "\n") {
		switch {
		case cur == nil && strings.TrimSpace(l) == "```go":
			cur = new(strings.Builder)
		case cur != nil && strings.TrimSpace(l) == "```":
			blocks = append(blocks, cur.String())
			cur = nil
		case cur != nil:
			cur.WriteString(l)
		}
	}
	return blocks
}

// from returns the text of the file at path from the first line starting
// with prefix to the end.
func from(t *testing.T, path, prefix string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "\n"+prefix)
	if i < 0 {
		t.Fatalf("%s has no line starting with %q", path, prefix)
	}
	return s[i+1:]
}

// The README's quick starts are these programs: each block is its main.go
// from func main on, to the byte, so the README cannot drift from the code
// CI builds, tests and installs.
func TestREADMEQuickStarts(t *testing.T) {
	dirs, err := filepath.Glob("*/main.go")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no quick starts: %v", err)
	}
	var shown []string
	for _, b := range goBlocks(t, "../../README.md") {
		if strings.Contains(b, "core.NewFromEnv() // ") {
			shown = append(shown, b)
		}
	}
	if len(shown) != len(dirs) {
		t.Errorf("the README shows %d quick starts, examples/quickstart has %d (%v)", len(shown), len(dirs), dirs)
	}
	for _, file := range dirs {
		fw := filepath.Dir(file)
		want := from(t, file, "func main() {")
		found := false
		for _, b := range shown {
			if strings.Contains(b, "clerk"+fw+".Middleware(a)") {
				found = true
				if b != want {
					t.Errorf("the README's %s quick start is not %s from func main on:\n--- README\n%s--- %s\n%s", fw, file, b, file, want)
				}
			}
		}
		if !found {
			t.Errorf("the README has no quick start using clerk%s.Middleware", fw)
		}
	}
}

// The black-box test both READMEs show is chi/main_test.go's, which CI runs
// against the chi quick start.
func TestREADMEBlackBox(t *testing.T) {
	want := from(t, "chi/main_test.go", "func TestClerkConformance(")
	for _, readme := range []string{"../../README.md", "../../conformance/README.md"} {
		n := 0
		for _, b := range goBlocks(t, readme) {
			i := strings.Index(b, "func TestClerkConformance(")
			if i < 0 {
				continue
			}
			n++
			if b[i:] != want {
				t.Errorf("%s: the black-box test is not chi/main_test.go's:\n--- README\n%s--- chi/main_test.go\n%s", readme, b[i:], want)
			}
		}
		if n != 1 {
			t.Errorf("%s: %d blocks hold func TestClerkConformance, want 1", readme, n)
		}
	}
}

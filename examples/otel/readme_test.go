package main

import (
	"os"
	"strings"
	"testing"
)

// The README's Observability example is this program from func main on, to
// the byte, so it cannot drift from the code the smoke test runs.
func TestREADMEObservability(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(src), "\nfunc main() {")
	if i < 0 {
		t.Fatal("main.go has no func main")
	}
	want := string(src[i+1:])
	var shown []string
	for _, block := range strings.Split(string(readme), "```go\n")[1:] {
		block, _, _ = strings.Cut(block, "```\n")
		if strings.Contains(block, "clerkotel.New(") {
			shown = append(shown, block)
		}
	}
	if len(shown) != 1 {
		t.Fatalf("the README shows %d blocks calling clerkotel.New, want 1", len(shown))
	}
	if shown[0] != want {
		t.Errorf("the README's Observability example is not main.go from func main on:\n--- README\n%s--- main.go\n%s", shown[0], want)
	}
}

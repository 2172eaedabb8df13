package webhookmount_test

import (
	"net/http"
	"os"
	"strings"
	"testing"
)

// The webhooks README's "Mounting" block shows one line per framework this
// package mounts the handler in: a framework added to mounts without its
// README line (or a README line without a mount) fails here.
func TestREADMEMountsEveryFramework(t *testing.T) {
	b, err := os.ReadFile("../../webhooks/README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## Mounting\n")
	_, block, ok2 := strings.Cut(section, "```go\n")
	block, _, ok3 := strings.Cut(block, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("webhooks/README.md has no Mounting code block")
	}
	lines := strings.Split(strings.TrimSpace(block), "\n")
	for _, l := range lines {
		if !strings.Contains(l, `/webhooks/clerk"`) || !strings.Contains(l, "// ") {
			t.Errorf("README mounting line without the path or the framework's name: %s", l)
		}
	}
	mounted := mounts(http.NotFoundHandler())
	if len(lines) != len(mounted) {
		t.Fatalf("the README shows %d mounting lines, this package mounts %d frameworks", len(lines), len(mounted))
	}
	for _, name := range []string{"net/http", "chi", "gin", "echo v4", "echo v5", "fiber v2", "fiber v3"} {
		if !strings.Contains(block, "// "+name) {
			t.Errorf("the README's Mounting block has no line for %s", name)
		}
	}
}

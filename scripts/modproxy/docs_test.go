package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// RELEASING.md and the README's Install block name every published module
// (issue 22: they listed 7 and 9 of 12): the table row with its tag, the
// tag loop of "Cutting a release", and a `go get` line.
func TestDocsListEveryPublishedModule(t *testing.T) {
	root := filepath.Join("..", "..")
	mods, err := Published(root)
	if err != nil {
		t.Fatal(err)
	}
	releasing := readDoc(t, filepath.Join(root, "RELEASING.md"))
	_, loop, _ := strings.Cut(releasing, "for m in ")
	loop, _, _ = strings.Cut(loop, "; do")
	loopDirs := strings.Fields(strings.ReplaceAll(loop, "\\", " "))
	readme := readDoc(t, filepath.Join(root, "README.md"))
	_, install, _ := strings.Cut(readme, "\n## Install\n")
	install, _, _ = strings.Cut(install, "\n## ")
	for _, m := range mods {
		t.Run(m.Dir, func(t *testing.T) {
			if row := "| `" + m.Path + "` | `" + m.Dir + "/" + m.Version + "` |"; !strings.Contains(releasing, row) {
				t.Errorf("RELEASING.md has no table row %s", row)
			}
			if !slices.Contains(loopDirs, m.Dir) {
				t.Errorf("RELEASING.md's tag loop (%v) does not tag %s", loopDirs, m.Dir)
			}
			if line := "go get " + m.Path + "@" + m.Version; !strings.Contains(install, line+" ") {
				t.Errorf("README \"Install\" has no line %q", line)
			}
		})
	}
	if len(loopDirs) != len(mods) {
		t.Errorf("RELEASING.md's tag loop tags %d modules, %d are published", len(loopDirs), len(mods))
	}
}

func readDoc(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

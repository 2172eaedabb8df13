package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"
)

const prefix = "github.com/clerkguard/clerkguard/"

// workspace writes a go.work using every key of mods (directories) and a
// go.mod in each, whose value is its require lines ("core v0.1.0", …, on
// our module path).
func workspace(t *testing.T, mods map[string][]string) string {
	t.Helper()
	root := t.TempDir()
	var work strings.Builder
	work.WriteString("go 1.25.0\n\nuse (\n")
	for dir, reqs := range mods {
		work.WriteString("\t./" + dir + "\n")
		var gomod strings.Builder
		gomod.WriteString("module " + prefix + dir + "\n\ngo 1.25.0\n")
		for _, r := range reqs {
			gomod.WriteString("\nrequire " + prefix + r + "\n")
			path, _, _ := strings.Cut(r, " ")
			gomod.WriteString("\nreplace " + prefix + path + " => ../" + path + "\n")
		}
		write(t, filepath.Join(root, dir, "go.mod"), gomod.String())
		write(t, filepath.Join(root, dir, "doc.go"), "// Package p is a test module.\npackage p\n")
	}
	work.WriteString(")\n")
	write(t, filepath.Join(root, "go.work"), work.String())
	return root
}

// ginAndCore returns the published modules of a workspace of core and
// adapters/gin, after extra (file → content, under core) is written.
func ginAndCore(t *testing.T, extra map[string]string) []Module {
	t.Helper()
	root := workspace(t, map[string][]string{"core": nil, "adapters/gin": {"core v0.1.0"}})
	for name, content := range extra {
		write(t, filepath.Join(root, "core", filepath.FromSlash(name)), content)
	}
	mods, err := Published(root)
	if err != nil {
		t.Fatal(err)
	}
	return mods
}

func write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestPublished(t *testing.T) {
	for _, tc := range []struct {
		name string
		mods map[string][]string
		want string // "path@version …" of the published modules, or an error text
	}{
		{"RequiredVersions", map[string][]string{
			"core":         nil,
			"adapters/gin": {"core v0.1.0"},
			"examples":     {"adapters/gin v0.1.0", "core v0.1.0"},
		}, "adapters/gin@v0.1.0 core@v0.1.0"},
		{"NewModuleJoinsTheHighestRelease", map[string][]string{
			"core":           nil,
			"adapters/gin":   {"core v0.2.0"},
			"adapters/newfw": {"core v0.2.0"},
			"examples":       {"adapters/gin v0.2.0"},
		}, "adapters/gin@v0.2.0 adapters/newfw@v0.2.0 core@v0.2.0"},
		{"ToolsAndExamplesUnpublished", map[string][]string{
			"core":            nil,
			"examples/bench":  {"core v0.1.0"},
			"scripts/tooling": {"core v0.1.0"},
		}, "core@v0.1.0"},
		{"ZeroVersion", map[string][]string{
			"core":         nil,
			"adapters/gin": {"core v0.0.0"},
		}, "requires " + prefix + "core at v0.0.0, which is not a release"},
		{"PseudoVersion", map[string][]string{
			"core":         nil,
			"adapters/gin": {"core v0.0.0-00010101000000-000000000000"},
		}, "not a release a user can download"},
		{"Prerelease", map[string][]string{
			"core":         nil,
			"adapters/gin": {"core v0.2.0-rc.1"},
		}, "not a release a user can download"},
		{"TwoVersions", map[string][]string{
			"core":         nil,
			"adapters/gin": {"core v0.1.0"},
			"adapters/chi": {"core v0.2.0"},
		}, "is required at both"},
		{"NothingRequired", map[string][]string{
			"core": nil,
		}, "no go.mod of the workspace requires"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mods, err := Published(workspace(t, tc.mods))
			var got []string
			for _, m := range mods {
				got = append(got, strings.TrimPrefix(m.Path, prefix)+"@"+m.Version)
			}
			if err != nil {
				got = []string{err.Error()}
			}
			if s := strings.Join(got, " "); !strings.Contains(s, tc.want) || (err == nil) != (tc.want == s) {
				t.Fatalf("Published = %q, want %q", s, tc.want)
			}
		})
	}
}

// Write lays out what the go command downloads, and the zip passes the go
// command's own checks.
func TestWrite(t *testing.T) {
	mods := ginAndCore(t, nil)
	out := t.TempDir()
	if err := Write(out, mods, DefaultBudget); err != nil {
		t.Fatal(err)
	}
	for _, m := range mods {
		base := filepath.Join(out, m.Path, "@v", m.Version)
		for _, ext := range []string{".info", ".mod", ".zip"} {
			if _, err := os.Stat(base + ext); err != nil {
				t.Errorf("%s: %v", m.Path, err)
			}
		}
		list, err := os.ReadFile(filepath.Join(out, m.Path, "@v", "list"))
		if err != nil || string(list) != m.Version+"\n" {
			t.Errorf("%s list: %q %v", m.Path, list, err)
		}
		files, err := zip.CheckZip(module.Version{Path: m.Path, Version: m.Version}, base+".zip")
		if err != nil {
			t.Errorf("%s zip: %v", m.Path, err)
		} else if len(files.Valid) != 2 {
			t.Errorf("%s zip holds %v, want go.mod and doc.go", m.Path, files.Valid)
		}
	}
}

// Command modproxy builds a file-based Go module proxy from the working
// tree of this repository, for scripts/install-check:
//
//	go run ./scripts/modproxy -repo . -out /tmp/proxy
//	GOPROXY=file:///tmp/proxy go get github.com/clerkguard/clerkguard/adapters/gin@v0.1.0
//
// Every published module of go.work (all but those under examples/ and
// scripts/, which are never released) is written in the layout of the
// GOPROXY protocol: <module>/@v/list, <version>.info, <version>.mod and
// <version>.zip, the zip made by golang.org/x/mod/zip exactly as the go
// command makes one. Each module gets the version the workspace's go.mod
// files require it at (RELEASING.md); a module that nothing requires yet
// gets the highest version of the others. It fails when a go.mod requires a
// module of this repository at a version a user cannot download: v0.0.0, a
// pseudo-version, or two different versions. It also fails, writing nothing
// for that module, when a module's zip would hold a file that is not source
// text (a compiled binary, an archive) or be larger than the size budget
// (-budget, DefaultBudget by default: 512 KiB).
//
// It prints one line per published module: its path, its version and its
// directory relative to the repository.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/zip"
)

func main() {
	repo := flag.String("repo", ".", "the repository root (holding go.work)")
	out := flag.String("out", "", "the proxy directory to write (GOPROXY=file://<out>)")
	budget := flag.Int64("budget", DefaultBudget, "the largest module zip, in bytes")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 || *budget <= 0 {
		fmt.Fprintln(os.Stderr, "usage: modproxy -repo DIR -out DIR [-budget BYTES]")
		os.Exit(2)
	}
	mods, err := Published(*repo)
	if err == nil {
		err = Write(*out, mods, *budget)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "modproxy:", err)
		os.Exit(1)
	}
	for _, m := range mods {
		fmt.Println(m.Path, m.Version, m.Dir)
	}
}

// Module is a published module of the workspace at its release version.
type Module struct {
	// Path and Version are the module path and its release version.
	Path, Version string
	// Dir is the module's directory, relative to the repository root.
	Dir string
	// goMod is the content of its go.mod file.
	goMod []byte
	root  string
}

// unpublished says whether the workspace module in dir (relative, slash
// separated) is never released: the examples and the repository's own
// tooling.
func unpublished(dir string) bool {
	first, _, _ := strings.Cut(dir, "/")
	return first == "examples" || first == "scripts"
}

// Published reads go.work under repo and returns its published modules,
// each at the version the workspace requires it at, sorted by path.
func Published(repo string) ([]Module, error) {
	data, err := os.ReadFile(filepath.Join(repo, "go.work"))
	if err != nil {
		return nil, err
	}
	work, err := modfile.ParseWork("go.work", data, nil)
	if err != nil {
		return nil, err
	}
	var mods []Module
	var files []*modfile.File
	for _, u := range work.Use {
		dir := filepath.ToSlash(filepath.Clean(u.Path))
		data, err := os.ReadFile(filepath.Join(repo, dir, "go.mod"))
		if err != nil {
			return nil, err
		}
		f, err := modfile.ParseLax(dir+"/go.mod", data, nil)
		if err != nil {
			return nil, err
		}
		if f.Module == nil {
			return nil, fmt.Errorf("%s/go.mod has no module line", dir)
		}
		files = append(files, f)
		if !unpublished(dir) {
			mods = append(mods, Module{Path: f.Module.Mod.Path, Dir: dir, goMod: data, root: repo})
		}
	}
	if len(mods) == 0 {
		return nil, errors.New("go.work lists no published module")
	}
	// The versions every go.mod of the workspace requires our modules at.
	required := map[string]string{}
	var errs []error
	for _, f := range files {
		for _, r := range f.Require {
			i := slices.IndexFunc(mods, func(m Module) bool { return m.Path == r.Mod.Path })
			if i < 0 {
				continue
			}
			v := r.Mod.Version
			switch prev, seen := required[r.Mod.Path]; {
			case !semver.IsValid(v) || semver.Prerelease(v) != "" || module.IsPseudoVersion(v) || v == "v0.0.0":
				errs = append(errs, fmt.Errorf("%s requires %s at %s, which is not a release a user can download: require a tagged version (RELEASING.md)",
					f.Module.Mod.Path, r.Mod.Path, v))
			case seen && prev != v:
				errs = append(errs, fmt.Errorf("%s is required at both %s and %s: require one release everywhere", r.Mod.Path, prev, v))
			default:
				required[r.Mod.Path] = v
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	highest := ""
	for _, v := range required {
		if highest == "" || semver.Compare(v, highest) > 0 {
			highest = v
		}
	}
	for i := range mods {
		v, ok := required[mods[i].Path]
		if !ok {
			if highest == "" {
				return nil, fmt.Errorf("no go.mod of the workspace requires %s, so it has no release version", mods[i].Path)
			}
			v = highest
		}
		mods[i].Version = v
	}
	slices.SortFunc(mods, func(a, b Module) int { return strings.Compare(a.Path, b.Path) })
	return mods, nil
}

// Write lays mods out under out as a GOPROXY=file:// proxy serves them. It
// refuses (ErrNotSource, ErrOverBudget) a module whose zip holds a file that
// is not source text or is larger than budget bytes, and then writes no zip
// for it.
func Write(out string, mods []Module, budget int64) error {
	for _, m := range mods {
		esc, err := module.EscapePath(m.Path)
		if err != nil {
			return err
		}
		dir := filepath.Join(out, filepath.FromSlash(esc), "@v")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		base := filepath.Join(dir, m.Version)
		info, err := json.Marshal(struct {
			Version string
			Time    time.Time
		}{m.Version, time.Now().UTC().Truncate(time.Second)})
		if err != nil {
			return err
		}
		if err := os.WriteFile(base+".info", info, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(base+".mod", m.goMod, 0o644); err != nil {
			return err
		}
		if err := writeZip(base+".zip", m); err != nil {
			return fmt.Errorf("%s: %w", m.Path, err)
		}
		if err := checkZip(base+".zip", budget); err != nil {
			os.Remove(base + ".zip")
			return fmt.Errorf("%s@%s: %w", m.Path, m.Version, err)
		}
		if err := os.WriteFile(filepath.Join(dir, "list"), []byte(m.Version+"\n"), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func writeZip(name string, m Module) (err error) {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	return zip.CreateFromDir(f, module.Version{Path: m.Path, Version: m.Version}, filepath.Join(m.root, filepath.FromSlash(m.Dir)))
}

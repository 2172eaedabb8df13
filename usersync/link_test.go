package usersync_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A program imports the database/sql driver it uses, and only that one is
// linked: usersync itself imports none. Two tiny programs (testdata/
// linkcheck) are built, their module list read with `go version -m`, and
// both run: the SQLite one on a file, the PostgreSQL one asked for SQLite.
func TestDriverLinking(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build the programs: %v", err)
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name      string
		want, not []string
	}{
		{"postgres", []string{"github.com/jackc/pgx/v5"}, []string{"modernc.org/sqlite", "modernc.org/libc"}},
		{"sqlite", []string{"modernc.org/sqlite"}, []string{"github.com/jackc/pgx/v5", "github.com/jackc/pgconn"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bin := filepath.Join(dir, tc.name)
			if out, err := exec.Command(goCmd, "build", "-o", bin, "./testdata/linkcheck/"+tc.name).CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, out)
			}
			out, err := exec.Command(goCmd, "version", "-m", bin).CombinedOutput()
			if err != nil {
				t.Fatalf("go version -m: %v\n%s", err, out)
			}
			deps := map[string]bool{}
			for _, line := range strings.Split(string(out), "\n") {
				if f := strings.Fields(line); len(f) >= 2 && (f[0] == "dep" || f[0] == "=>") {
					deps[f[1]] = true
				}
			}
			for _, m := range tc.want {
				if !deps[m] {
					t.Errorf("%s program does not link %s:\n%s", tc.name, m, out)
				}
			}
			for _, m := range tc.not {
				if deps[m] {
					t.Errorf("%s program links %s, a driver it does not use: usersync must not import drivers", tc.name, m)
				}
			}
			cmd := exec.Command(bin)
			if tc.name == "postgres" {
				// Asked for SQLite, whose driver it lacks, Open says which
				// import is missing.
				cmd.Env = append(os.Environ(), "DATABASE_URL="+filepath.Join(dir, "x.db"))
				out, err := cmd.CombinedOutput()
				if err == nil || !strings.Contains(string(out), `import _ "modernc.org/sqlite"`) {
					t.Errorf("PostgreSQL program opening a SQLite path: %v %q, want the missing import named", err, out)
				}
				return
			}
			cmd.Env = append(os.Environ(), "DATABASE_URL="+filepath.Join(dir, "linkcheck.db"))
			if out, err := cmd.CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "sqlite" {
				t.Errorf("SQLite program: %v %q, want it to open the database and print sqlite", err, out)
			}
		})
	}
}

// The README's driver program is testdata/linkcheck/sqlite/main.go to the
// byte, the program TestDriverLinking builds and runs.
func TestREADMEDriverProgram(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	prog, err := os.ReadFile("testdata/linkcheck/sqlite/main.go")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```go\n"+string(prog)+"```\n") {
		t.Errorf("README.md must show testdata/linkcheck/sqlite/main.go verbatim in a go block:\n%s", prog)
	}
}

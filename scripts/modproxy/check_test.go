package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestIsText(t *testing.T) {
	for _, tc := range []struct {
		name string
		data string
		want bool
	}{
		{"Empty", "", true},
		{"GoSource", "package p\n\nfunc F() {}\n", true},
		{"UTF8Prose", "Größe – naïve ✓\n", true},
		{"Tabs", "a\tb\r\n", true},
		{"ELF", "\x7fELF\x02\x01\x01\x00\x00", false},
		{"OneNUL", "package p\x00\n", false},
		{"InvalidUTF8", "caf\xe9\n", false},
		{"Gzip", "\x1f\x8b\x08\x00", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := isText([]byte(tc.data)); got != tc.want {
				t.Fatalf("isText(%q) = %v, want %v", tc.data, got, tc.want)
			}
		})
	}
}

// Write refuses a module that carries a file that is not source, wherever
// it sits in the module, and writes no zip for it.
func TestWriteRefusesNonSource(t *testing.T) {
	for _, tc := range []struct {
		name, file, content string
		want                error
	}{
		{"Source", "cmd/tool/main.go", "package main\n\nfunc main() {}\n", nil},
		{"TextTestdata", "testdata/fuzz/FuzzX/seed", "go test fuzz v1\n[]byte(\"\\x00\")\n", nil},
		{"CommittedBinary", "cmd/tool/tool", "\x7fELF\x02\x01\x01\x00" + string(make([]byte, 64)), ErrNotSource},
		{"BinaryTestdata", "testdata/blob.bin", "\x00\x01\x02", ErrNotSource},
		{"Latin1Text", "NOTES", "caf\xe9\n", ErrNotSource},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mods := ginAndCore(t, map[string]string{tc.file: tc.content})
			out := t.TempDir()
			err := Write(out, mods, DefaultBudget)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("Write = %v, want %v", err, tc.want)
			}
			_, statErr := os.Stat(filepath.Join(out, prefix+"core", "@v", "v0.1.0.zip"))
			if wrote := statErr == nil; wrote != (tc.want == nil) {
				t.Fatalf("core zip written = %v, want %v", wrote, tc.want == nil)
			}
		})
	}
}

// The budget is inclusive: a zip of exactly the budget passes, one byte
// more fails.
func TestWriteBudget(t *testing.T) {
	mods := ginAndCore(t, nil)
	// The larger of the two zips sets the boundary.
	probe := t.TempDir()
	if err := Write(probe, mods, DefaultBudget); err != nil {
		t.Fatal(err)
	}
	var size int64
	for _, m := range mods {
		st, err := os.Stat(filepath.Join(probe, m.Path, "@v", m.Version+".zip"))
		if err != nil {
			t.Fatal(err)
		}
		size = max(size, st.Size())
	}
	for _, tc := range []struct {
		name   string
		budget int64
		want   error
	}{
		{"AtBudget", size, nil},
		{"OneByteOver", size - 1, ErrOverBudget},
		{"Default", DefaultBudget, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Write(t.TempDir(), mods, tc.budget)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("Write(budget %d) = %v, want %v", tc.budget, err, tc.want)
			}
		})
	}
}

// The repository itself: every published module fits the budget and
// carries source only (the committed 10 MB CLI binary of issue 22 fails
// this test).
func TestRepositoryModulesFitTheBudget(t *testing.T) {
	mods, err := Published(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := Write(out, mods, DefaultBudget); err != nil {
		t.Fatal(err)
	}
	for _, m := range mods {
		st, err := os.Stat(filepath.Join(out, m.Path, "@v", m.Version+".zip"))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s@%s.zip: %d bytes", m.Path, m.Version, st.Size())
	}
}

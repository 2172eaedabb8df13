package main

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"
)

// DefaultBudget is the largest module zip modproxy writes: 512 KiB. The
// biggest module, core, zips to about a quarter of it (its source, tests and
// fuzz seeds); an adapter to about 20 KiB. A zip over the budget almost
// always means something that is not source slipped into the tree (a
// compiled binary, a database, a coverage profile), which every user of
// every adapter would then download.
const DefaultBudget = 512 << 10

// ErrNotSource is returned (wrapped) for a module whose zip would carry a
// file that is not source text: a compiled binary, an archive, an image.
var ErrNotSource = errors.New("not source text")

// ErrOverBudget is returned (wrapped) for a module zip larger than the
// budget.
var ErrOverBudget = errors.New("module zip over the size budget")

// checkZip refuses the module zip at name when it is larger than budget
// bytes or holds a file that is not source text (see isText).
func checkZip(name string, budget int64) error {
	st, err := os.Stat(name)
	if err != nil {
		return err
	}
	if st.Size() > budget {
		return fmt.Errorf("%w: %d bytes, budget %d (a build output or data file in the module's directory?)", ErrOverBudget, st.Size(), budget)
	}
	r, err := zip.OpenReader(name)
	if err != nil {
		return err
	}
	defer r.Close()
	var errs []error
	for _, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			return err
		}
		// The zip is within the budget, and golang.org/x/mod/zip bounds
		// each file's size too; read at most budget bytes regardless.
		data, err := io.ReadAll(io.LimitReader(rc, budget))
		rc.Close()
		if err != nil {
			return err
		}
		if !isText(data) {
			errs = append(errs, fmt.Errorf("%s: %w: a module zip carries source only (delete it, and list build outputs in .gitignore)", f.Name, ErrNotSource))
		}
	}
	return errors.Join(errs...)
}

// isText says whether data is source text: valid UTF-8 without NUL bytes.
// Every executable format (ELF, Mach-O, PE), archive and image fails it.
func isText(data []byte) bool {
	return utf8.Valid(data) && !bytes.ContainsRune(data, 0)
}

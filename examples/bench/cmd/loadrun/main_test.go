package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRunEveryTarget(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), []string{"-d", "100ms", "-c", "2", "-rounds", "1"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, name := range targetNames {
		if !strings.Contains(out.String(), name) {
			t.Errorf("no line for %s in:\n%s", name, out.String())
		}
	}
}

func TestRunRejectsUnknownTarget(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), []string{"-d", "10ms", "-targets", "no-auth,nginx"}, &out); err == nil {
		t.Fatal("unknown target accepted")
	}
}

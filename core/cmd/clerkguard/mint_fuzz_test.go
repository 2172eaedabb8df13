package main

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoadKey: whatever a -key file holds, loadKey never panics, reads at
// most maxKeyFile bytes, and returns exactly one of a usable RSA key and an
// error. Seeds are in testdata/fuzz/FuzzLoadKey and below.
func FuzzLoadKey(f *testing.F) {
	dir := f.TempDir()
	good := filepath.Join(dir, "good.pem")
	if _, err := loadKey(good, true); err != nil {
		f.Fatal(err)
	}
	pemBytes, err := os.ReadFile(good)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(pemBytes)
	f.Add([]byte("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"))
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\n\n-----END PRIVATE KEY-----\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		name := filepath.Join(t.TempDir(), "key.pem")
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatal(err)
		}
		key, err := loadKey(name, false)
		if (key == nil) == (err == nil) {
			t.Fatalf("loadKey = %v, %v: want exactly one of a key and an error", key, err)
		}
		if key != nil {
			if err := key.Validate(); err != nil {
				t.Fatalf("loadKey returned an invalid key: %v", err)
			}
			if len(data) > maxKeyFile {
				t.Fatalf("loadKey accepted a %d-byte file (bound %d)", len(data), maxKeyFile)
			}
		}
	})
}

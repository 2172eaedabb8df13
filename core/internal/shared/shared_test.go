package shared

import (
	"slices"
	"testing"
)

// SplitList reads CLERK_AUTHORIZED_PARTIES for core.NewFromEnv and the
// inspector alike: entries trimmed, empty ones dropped.
func TestSplitList(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{" , ,", nil},
		{"https://a.example", []string{"https://a.example"}},
		{" a , ,b,", []string{"a", "b"}},
	} {
		if got := SplitList(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("SplitList(%q) = %q, want %q (entries trimmed, empty ones dropped)", tc.in, got, tc.want)
		}
	}
}

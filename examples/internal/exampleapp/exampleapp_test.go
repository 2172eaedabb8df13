package exampleapp

import (
	"errors"
	"strings"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

func TestCheckLoopbackAddr(t *testing.T) {
	for _, tc := range []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:8080", true},
		{"127.0.0.2:0", true},
		{"[::1]:8080", true},
		{"localhost:8080", true},
		{":8080", false},
		{"0.0.0.0:8080", false},
		{"[::]:8080", false},
		{"192.0.2.10:8080", false},
		{"example.com:8080", false},
		{"127.0.0.1", false}, // no port
		{"nonsense", false},
	} {
		t.Run(tc.addr, func(t *testing.T) {
			err := CheckLoopbackAddr(tc.addr)
			if (err == nil) != tc.ok {
				t.Fatalf("CheckLoopbackAddr(%q) = %v, want ok=%v", tc.addr, err, tc.ok)
			}
			if IsLoopbackAddr(tc.addr) != tc.ok {
				t.Fatalf("IsLoopbackAddr(%q) = %v, want %v", tc.addr, !tc.ok, tc.ok)
			}
			// A malformed address is a plain error; a well-formed one off
			// loopback says so.
			if !tc.ok && strings.Contains(tc.addr, ":") && !errors.Is(err, ErrDevModeNotLoopback) {
				t.Errorf("error %v is not ErrDevModeNotLoopback", err)
			}
		})
	}
}

func TestStartRefusesDevModeOffLoopback(t *testing.T) {
	for _, k := range ConfigVars {
		t.Setenv(k, "")
	}
	t.Setenv(EnvAddr, "0.0.0.0:0")
	if _, err := Start(Config{Name: "test"}); !errors.Is(err, ErrDevModeNotLoopback) {
		t.Fatalf("Start on 0.0.0.0 in dev mode: %v, want ErrDevModeNotLoopback", err)
	}
}

func TestCallCurl(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    Call
		want string
	}{
		{"public", Call{Method: "GET", Path: "/health"}, `curl -i http://h/health`},
		{"bearer", Call{Method: "GET", Path: "/me", Var: "T"}, `curl -i -H "Authorization: Bearer $T" http://h/me`},
		{"cookie", Call{Method: "GET", Path: "/me", Var: "T", Cookie: true}, `curl -i --cookie "__session=$T; __client_uat=1" http://h/me`},
		{"post", Call{Method: "POST", Path: "/invoices", Var: "T"}, `curl -i -X POST -H "Authorization: Bearer $T" http://h/invoices`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.Curl("http://h"); got != tc.want {
				t.Errorf("Curl = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestDevTokensVerifyAndGrantAsDescribed(t *testing.T) {
	d, err := NewDevIssuer()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	a, err := newDevAuthorizer(d)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := a.VerifyToken(t.Context(), d.Admin.Token)
	if err != nil {
		t.Fatalf("admin token: %v", err)
	}
	member, err := a.VerifyToken(t.Context(), d.Member.Token)
	if err != nil {
		t.Fatalf("member token: %v", err)
	}
	for _, c := range []*core.Claims{admin, member} {
		if ttl := c.Expiry.Sub(c.IssuedAt); ttl != clerktest.DevTokenTTL {
			t.Errorf("%s's dev token lives %v, want clerktest.DevTokenTTL (%v)", c.UserID(), ttl, clerktest.DevTokenTTL)
		}
	}
	for _, tc := range []struct {
		name        string
		got, expect bool
	}{
		{"AdminCreatesInvoices", admin.HasPermission(PermissionCreateInvoices), true},
		{"MemberCannotCreateInvoices", member.HasPermission(PermissionCreateInvoices), false},
		{"AdminIsAdmin", admin.HasRole(RoleAdmin), true},
		{"MemberIsNotAdmin", member.HasRole(RoleAdmin), false},
		{"AdminHasPlanPro", admin.HasPlan(PlanPro), true},
		{"AdminHasFeatureReports", admin.HasFeature(FeatureReports), true},
		{"MemberLacksPlanPro", member.HasPlan(PlanPro), false},
		{"MemberLacksFeatureReports", member.HasFeature(FeatureReports), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.expect {
				t.Errorf("got %v, want %v", tc.got, tc.expect)
			}
		})
	}
	if me := Me(admin); me.Org == nil || me.Org.Role != "org:admin" || me.UserID != "user_dev_admin" {
		t.Errorf("Me(admin) = %+v", me)
	}
	// clerktest lists the features its permissions belong to in fea, as
	// Clerk does: the member's org has "invoices" but not "reports".
	if me := Me(member); strings.Join(me.Features, ",") != "org:invoices" || strings.Join(me.Plans, ",") != "org:free" {
		t.Errorf("Me(member) features/plans = %v / %v", me.Features, me.Plans)
	}
}

// Any CLERK_* variable set to a non-blank value means a real instance:
// Configured lists exactly those, as core.OptionsFromEnv reads them.
func TestConfigured(t *testing.T) {
	env := map[string]string{"CLERK_PUBLISHABLE_KEY": "pk_test_x", "CLERK_SIGN_IN_URL": " ", "ADDR": "x"}
	got := Configured(func(k string) string { return env[k] })
	if len(got) != 1 || got[0] != "CLERK_PUBLISHABLE_KEY" {
		t.Errorf("Configured = %v", got)
	}
	if got := Configured(func(string) string { return "" }); len(got) != 0 {
		t.Errorf("nothing set: Configured = %v", got)
	}
}

func TestAddr(t *testing.T) {
	for in, want := range map[string]string{"": DefaultAddr, "  ": DefaultAddr, " 127.0.0.1:9 ": "127.0.0.1:9"} {
		if got := Addr(func(string) string { return in }); got != want {
			t.Errorf("Addr with ADDR=%q = %q, want %q", in, got, want)
		}
	}
}

package rpcconformance_test

import (
	"context"
	"errors"
	"testing"

	"github.com/clerkguard/clerkguard/conformance/rpcconformance"
	"github.com/clerkguard/clerkguard/core"
)

// countingAccessors checks with refuse (nil: allow) and counts the calls.
func countingAccessors(refuse error, checks, claims *int) rpcconformance.Accessors {
	return rpcconformance.Accessors{
		Check: func(context.Context, core.Guard) error { *checks++; return refuse },
		ClaimsFrom: func(context.Context) (*core.Claims, bool) {
			*claims++
			return &core.Claims{Subject: "user_1"}, true
		},
	}
}

func TestAppUnaryAndStream(t *testing.T) {
	g := core.RequireAuth()
	refused := errors.New("refused")
	app := &rpcconformance.App{}
	for _, tc := range []struct {
		name                   string
		check                  *core.Guard
		refuse                 error
		wantChecks, wantClaims int // per call
	}{
		{"NoCheck", nil, nil, 0, 1},
		{"CheckAllows", &g, nil, 1, 1},
		{"CheckRefuses", &g, refused, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := rpcconformance.Procedure{Name: "/p.v1.S/M", Check: tc.check}
			var checks, claims int
			body, err := app.Unary(t.Context(), p, countingAccessors(tc.refuse, &checks, &claims))
			if !errors.Is(err, tc.refuse) || (err == nil) == (len(body) == 0) {
				t.Errorf("Unary: body %q, error %v; want the Check's refusal %v or a body", body, err, tc.refuse)
			}
			if checks != tc.wantChecks || claims != tc.wantClaims {
				t.Errorf("Unary: %d Check and %d ClaimsFrom calls, want %d and %d", checks, claims, tc.wantChecks, tc.wantClaims)
			}
			checks, claims = 0, 0
			var sent [][]byte
			err = app.Stream(t.Context(), p, countingAccessors(tc.refuse, &checks, &claims), func(b []byte) error { sent = append(sent, b); return nil })
			wantSent := 2
			if tc.refuse != nil {
				wantSent = 0
			}
			if !errors.Is(err, tc.refuse) || len(sent) != wantSent {
				t.Errorf("Stream: %d messages, error %v; want %d and %v", len(sent), err, wantSent, tc.refuse)
			}
			if checks != tc.wantChecks || claims != 2*tc.wantClaims {
				t.Errorf("Stream: %d Check and %d ClaimsFrom calls, want %d and %d (read again for the second message)", checks, claims, tc.wantChecks, 2*tc.wantClaims)
			}
		})
	}
	t.Run("StreamSendFails", func(t *testing.T) {
		var checks, claims, sends int
		lost := errors.New("stream closed")
		err := app.Stream(t.Context(), rpcconformance.Procedure{}, countingAccessors(nil, &checks, &claims), func([]byte) error { sends++; return lost })
		if !errors.Is(err, lost) || sends != 1 {
			t.Errorf("Stream with a failing send: %d sends, error %v; want one send and its error", sends, err)
		}
	})
}

package conformance

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// concurrencyCases cover behaviour.md §7.5 under load: run them with -race.
func concurrencyCases() []tcase {
	return []tcase{
		{Name: "MixedRequests", Run: func(t *testing.T, s *suite) {
			const n = 200
			e := s.newEnv(t, envConfig{})
			type want struct {
				path, auth string
				cookie     bool // send auth as the __session cookie
				status     int
				user       string
				reason     core.Reason
			}
			reqs := make([]want, n)
			bad := s.withClaims(nil, clerktest.TamperedSignature())
			users := make([]string, 40)
			for i := range users {
				id := fmt.Sprintf("user_c%02d", i)
				sess := clerktest.Session{UserID: id}
				if i%2 == 0 {
					sess.OrgID, sess.OrgRole, sess.OrgPermissions = "org_c", "member", []string{permission}
				}
				users[i] = s.mint(sess)
			}
			for i := range reqs {
				u := i % len(users)
				id := fmt.Sprintf("user_c%02d", u)
				switch i % 7 {
				case 0:
					reqs[i] = want{path: pathAuth, auth: users[u], status: 200, user: id}
				case 1:
					reqs[i] = want{path: pathPublic, auth: users[u], status: 200, user: id}
				case 2:
					reqs[i] = want{path: pathAuth, auth: bad, status: 401, reason: core.ReasonTokenInvalidSignature}
				case 3:
					reqs[i] = want{path: pathPublic, status: 200}
				case 4:
					if u%2 == 0 {
						reqs[i] = want{path: pathPermission, auth: users[u], status: 200, user: id}
					} else {
						reqs[i] = want{path: pathPermission, auth: users[u], status: 403, reason: core.ReasonMissingPermission}
					}
				case 5:
					reqs[i] = want{path: pathPublic, auth: users[u], cookie: true, status: 200, user: id}
				case 6:
					// No middleware on this route: nothing from a concurrent
					// request may show up in its handler.
					reqs[i] = want{path: pathPublicNoMW, auth: users[u], status: 200}
				}
			}
			type got struct {
				status int
				body   []byte
			}
			out := make([]got, n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range reqs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "http://conformance.test"+reqs[i].path, nil)
					switch {
					case reqs[i].auth != "" && reqs[i].cookie:
						cookie(reqs[i].auth)(req)
					case reqs[i].auth != "":
						req.Header.Set("Authorization", "Bearer "+reqs[i].auth)
					}
					rec := httptest.NewRecorder()
					<-start
					e.handler.ServeHTTP(rec, req)
					out[i] = got{rec.Code, rec.Body.Bytes()}
				}()
			}
			close(start)
			wg.Wait()
			oks, fails := 0, 0
			for i, w := range reqs {
				g := out[i]
				if g.status != w.status {
					fails++
					if fails <= 5 {
						t.Errorf("behaviour.md §7.5: concurrent request %d GET %s: status %d, want %d; body %.200s", i, w.path, g.status, w.status, g.body)
					}
					continue
				}
				if w.status != 200 {
					if p := core.ProblemFor(&core.Error{Reason: w.reason}); string(g.body) != string(p.Body) {
						t.Errorf("behaviour.md §7.3/7.5: concurrent request %d GET %s: body %s, want %s", i, w.path, g.body, p.Body)
					}
					continue
				}
				oks++
				var sum summaryBody
				if err := json.Unmarshal(g.body, &sum); err != nil {
					t.Errorf("concurrent request %d: handler body %q is not the App.Handle summary", i, g.body)
					continue
				}
				if sum.Adapter.UserID != w.user || sum.Context.UserID != w.user || sum.Adapter.OK != (w.user != "") || sum.Context.OK != (w.user != "") {
					fails++
					if fails <= 5 {
						t.Errorf("behaviour.md §7.5: concurrent request %d GET %s: handler saw adapter %+v, context %+v, want user %q: claims leaked across requests", i, w.path, sum.Adapter, sum.Context, w.user)
					}
				}
			}
			e.mu.Lock()
			nobs := len(e.obs)
			e.mu.Unlock()
			if nobs != oks {
				t.Errorf("behaviour.md §7.2/7.5: %d requests answered 200 but the handlers recorded %d observations: rejected requests reached a handler, or a handler ran twice", oks, nobs)
			}
		}},
	}
}

package clerkgin_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	clerkgin "github.com/clerkguard/clerkguard/adapters/gin"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/core/clerktest"
)

// gin's debug mode prints every route to stdout, which would break the
// // Output: of the examples.
func init() { gin.SetMode(gin.ReleaseMode) }

func setup(t testing.TB, opts ...core.Option) (*clerktest.Issuer, *core.Authorizer) {
	iss := clerktest.Start(t)
	return iss, iss.Authorizer(t, opts...)
}

func serve(h http.Handler, method, path, token string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, clerktest.NewRequest(method, path, token))
	return rec
}

// behaviour.md §7.1: the claims are on c.Request.Context(); *gin.Context itself is a
// context.Context that reaches them only with gin's ContextWithFallback on
// (as documented), so code below the handler can take either.
func TestClaimsFromGinContextWithFallback(t *testing.T) {
	iss, a := setup(t)
	tok := iss.Mint(clerktest.Session{UserID: "user_fallback"})
	for _, fallback := range []bool{false, true} {
		t.Run(fmt.Sprint("ContextWithFallback=", fallback), func(t *testing.T) {
			r := gin.New()
			r.ContextWithFallback = fallback
			r.GET("/", clerkgin.Middleware(a), func(c *gin.Context) {
				fromReq, okReq := core.ClaimsFromContext(c.Request.Context())
				fromGin, okGin := core.ClaimsFromContext(c)
				c.String(http.StatusOK, fmt.Sprint(okReq && fromReq.Subject == "user_fallback", " ", okGin && fromGin == fromReq))
			})
			want := fmt.Sprint(true, " ", fallback)
			if got := serve(r, http.MethodGet, "/", tok).Body.String(); got != want {
				t.Errorf("request context / gin context saw %q, want %q", got, want)
			}
		})
	}
}

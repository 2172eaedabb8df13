package main

import (
	"fmt"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/clerkguard/clerkguard/core/clerktest"
)

// devSecret signs the webhooks of dev mode when CLERK_WEBHOOK_SIGNING_SECRET
// is unset (the Standard Webhooks test secret: never use it in production).
const devSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// dev is USERSYNC_DEV=1: an in-process stand-in for Clerk (clerktest's
// Issuer for keys and session tokens, with clerktest's fake Backend API on
// the same URL) holding two sample users and an organization, so the
// program runs without a Clerk account. GET /dev/token?user=user_1 mints a
// session token to call GET /me with. Nothing of it is for production.
type dev struct {
	iss     *clerktest.Issuer
	backend *clerktest.Backend
}

func startDev() (*dev, error) {
	iss, err := clerktest.NewIssuer()
	if err != nil {
		return nil, err
	}
	b := clerktest.NewBackend(clerktest.WithBackendSecretKey(iss.SecretKey()))
	b.AddUser(clerktest.User{ID: "user_1", Email: "ada@example.test", FirstName: "Ada", LastName: "Lovelace"})
	b.AddUser(clerktest.User{ID: "user_2", Email: "grace@example.test", FirstName: "Grace", LastName: "Hopper"})
	b.AddOrganization(clerktest.Organization{ID: "org_1", Name: "Analytical Engines"})
	b.AddMembership(clerktest.Membership{OrganizationID: "org_1", UserID: "user_1", Role: "org:admin"})
	iss.Handle(b)
	return &dev{iss: iss, backend: b}, nil
}

// getenv points core's and usersync's CLERK_* variables at the stand-in
// (the base URL without /v1, as everywhere) and defaults the webhook secret.
func (d *dev) getenv(real func(string) string) func(string) string {
	return func(k string) string {
		switch k {
		case "CLERK_SECRET_KEY":
			return d.iss.SecretKey()
		case "CLERK_API_URL":
			return d.iss.APIURL()
		case "CLERK_JWT_KEY", "CLERK_JWKS_URL", "CLERK_PUBLISHABLE_KEY", "CLERK_MACHINE_SECRET_KEY":
			return ""
		case "CLERK_WEBHOOK_SIGNING_SECRET":
			if v := real(k); v != "" {
				return v
			}
			return devSecret
		}
		return real(k)
	}
}

// routes adds GET /dev/token?user=<id>[&org=<id>]: a fresh session token.
func (d *dev) routes(r chi.Router) {
	r.Get("/dev/token", func(w http.ResponseWriter, r *http.Request) {
		user := r.URL.Query().Get("user")
		if user == "" {
			http.Error(w, "want ?user=<id>", http.StatusBadRequest)
			return
		}
		s := clerktest.Session{UserID: user, TTL: time.Hour}
		if org := r.URL.Query().Get("org"); org != "" {
			s.OrgID, s.OrgRole = org, "org:admin"
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprintln(w, d.iss.Mint(s))
	})
}

func (d *dev) Close() { d.iss.Close() }

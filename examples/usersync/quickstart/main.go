// Command quickstart is usersync/README.md's quick start: webhooks and
// just-in-time provisioning into your own database, on chi.
package main

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"os"

	"github.com/go-chi/chi/v5"

	clerkchi "github.com/clerkguard/clerkguard/adapters/chi"
	"github.com/clerkguard/clerkguard/core"
	"github.com/clerkguard/clerkguard/usersync"
	"github.com/clerkguard/clerkguard/webhooks"
	_ "github.com/jackc/pgx/v5/stdlib" // the driver of a postgres:// DATABASE_URL
	_ "modernc.org/sqlite"             // the driver of a SQLite path
)

func main() {
	store, handler, err := setup(context.Background(), os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	log.Fatal(http.ListenAndServe(":8080", handler))
}

// setup reads CLERK_SECRET_KEY, CLERK_API_URL (optional, without /v1),
// CLERK_WEBHOOK_SIGNING_SECRET and DATABASE_URL (postgres://… or a SQLite path).
func setup(ctx context.Context, getenv func(string) string) (*usersync.Store, http.Handler, error) {
	store, err := usersync.Open(ctx, getenv("DATABASE_URL")) // migrates; at most 10 connections
	if err != nil {
		return nil, nil, err
	}
	verifier, err := webhooks.NewVerifier(getenv("CLERK_WEBHOOK_SIGNING_SECRET"))
	if err != nil {
		return nil, nil, err
	}
	hooks, err := store.WebhookHandler(verifier) // user.*, organization.*, organizationMembership.*
	if err != nil {
		return nil, nil, err
	}
	cfg, err := usersync.ClientConfigFromEnv(getenv) // the variables core.NewFromEnv reads
	if err != nil {
		return nil, nil, err
	}
	prov, err := usersync.NewProvisioner(store, usersync.WithClientConfig(cfg))
	if err != nil {
		return nil, nil, err
	}
	auth, err := core.New(append(core.OptionsFromEnv(getenv), prov.Option())...) // just in time
	if err != nil {
		return nil, nil, err
	}

	r := chi.NewRouter()
	r.Method(http.MethodPost, "/webhooks/clerk", hooks)
	r.With(clerkchi.Middleware(auth), clerkchi.RequireAuth()).Get("/me", func(w http.ResponseWriter, r *http.Request) {
		claims, _ := clerkchi.ClaimsFrom(r.Context())
		u, err := store.User(r.Context(), claims.UserID()) // the local row
		if err != nil {
			http.Error(w, "user not available", http.StatusServiceUnavailable)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"id": u.ID, "email": u.PrimaryEmail})
	})
	return store, r, nil
}

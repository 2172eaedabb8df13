// Command gin is the README's gin quick start.
package main

import (
	"log"
	"net/http"

	"github.com/gin-gonic/gin"

	clerkgin "github.com/clerkguard/clerkguard/adapters/gin"
	"github.com/clerkguard/clerkguard/core"
)

func main() {
	a, err := core.NewFromEnv() // CLERK_SECRET_KEY, CLERK_AUTHORIZED_PARTIES, … (see Configuration)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(NewRouter(a).Run(":8080"))
}

// NewRouter is the application: Middleware authenticates, guards reject.
func NewRouter(a *core.Authorizer) *gin.Engine {
	r := gin.New()
	r.Use(clerkgin.Middleware(a))
	r.GET("/health", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	r.GET("/me", clerkgin.RequireAuth(), func(c *gin.Context) {
		claims, _ := clerkgin.ClaimsFrom(c)
		c.JSON(http.StatusOK, gin.H{"user": claims.UserID()})
	})
	r.POST("/invoices", clerkgin.RequirePermission("org:invoices:create"), func(c *gin.Context) {
		claims, _ := clerkgin.ClaimsFrom(c)
		c.JSON(http.StatusCreated, gin.H{"org": claims.OrgID})
	})
	return r
}

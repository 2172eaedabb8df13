// Command postgres is a usersync program on PostgreSQL, built by
// TestDriverLinking to check that it links no SQLite driver.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/clerkguard/clerkguard/usersync"
	_ "github.com/jackc/pgx/v5/stdlib"
)

func main() {
	s, err := usersync.Open(context.Background(), os.Getenv("DATABASE_URL"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer s.Close()
	fmt.Println(s.Dialect())
}

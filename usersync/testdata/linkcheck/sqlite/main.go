// Command sqlite is a usersync program on SQLite, built by
// TestDriverLinking to check that it links no PostgreSQL driver.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/clerkguard/clerkguard/usersync"
	_ "modernc.org/sqlite"
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

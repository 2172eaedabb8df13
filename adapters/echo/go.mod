module github.com/clerkguard/clerkguard/adapters/echo

go 1.25.0

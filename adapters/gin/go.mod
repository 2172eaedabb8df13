module github.com/clerkguard/clerkguard/adapters/gin

go 1.25.0

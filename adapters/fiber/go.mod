module github.com/clerkguard/clerkguard/adapters/fiber

go 1.25.0

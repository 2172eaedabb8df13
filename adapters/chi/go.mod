module github.com/clerkguard/clerkguard/adapters/chi

go 1.25.0

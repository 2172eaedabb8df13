module github.com/clerkguard/clerkguard/examples

go 1.25.0

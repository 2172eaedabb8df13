module github.com/clerkguard/clerkguard/conformance

go 1.25.0

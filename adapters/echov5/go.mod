module github.com/clerkguard/clerkguard/adapters/echov5

go 1.25.0

replace (
	github.com/clerkguard/clerkguard/conformance => ../../conformance
	github.com/clerkguard/clerkguard/core => ../../core
)

require github.com/labstack/echo/v5 v5.4.4 // indirect

module github.com/clerkguard/clerkguard/webhooks

go 1.25.0

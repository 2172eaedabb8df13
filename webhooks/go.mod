module github.com/clerkguard/clerkguard/webhooks

go 1.25.0

require github.com/svix/svix-webhooks v1.46.0

require gopkg.in/validator.v2 v2.0.1 // indirect

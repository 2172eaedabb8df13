module github.com/clerkguard/clerkguard/usersync

go 1.25.0

replace (
	github.com/clerkguard/clerkguard/core => ../core
	github.com/clerkguard/clerkguard/webhooks => ../webhooks
)

require (
	github.com/clerk/clerk-sdk-go/v2 v2.4.2
	github.com/clerkguard/clerkguard/core v0.1.0
	github.com/clerkguard/clerkguard/webhooks v0.1.0
	github.com/jackc/pgx/v5 v5.12.0
	modernc.org/sqlite v1.59.0
)

require (
	github.com/MicahParks/jwkset v0.11.4 // indirect
	github.com/MicahParks/keyfunc/v3 v3.9.1 // indirect
	github.com/dustin/go-humanize v1.0.1 // indirect
	github.com/go-jose/go-jose/v3 v3.0.4 // indirect
	github.com/golang-jwt/jwt/v5 v5.3.1 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/jackc/pgpassfile v1.0.0 // indirect
	github.com/jackc/pgservicefile v0.0.0-20240606120523-5a60cdf6a761 // indirect
	github.com/jackc/puddle/v2 v2.2.3 // indirect
	github.com/mattn/go-isatty v0.0.24 // indirect
	github.com/ncruces/go-strftime v1.0.0 // indirect
	github.com/remyoudompheng/bigfft v0.0.0-20230129092748-24d4a6f8daec // indirect
	github.com/svix/svix-webhooks v1.46.0 // indirect
	golang.org/x/crypto v0.19.0 // indirect
	golang.org/x/sync v0.22.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/text v0.41.0 // indirect
	golang.org/x/time v0.15.0 // indirect
	gopkg.in/validator.v2 v2.0.1 // indirect
	modernc.org/libc v1.75.7 // indirect
	modernc.org/mathutil v1.7.1 // indirect
	modernc.org/memory v1.12.1 // indirect
)

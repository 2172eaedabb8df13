module github.com/clerkguard/clerkguard/examples

go 1.26.0

require (
	connectrpc.com/connect v1.21.1
	github.com/clerkguard/clerkguard/adapters/chi v0.1.0
	github.com/clerkguard/clerkguard/adapters/connect v0.1.0
	github.com/clerkguard/clerkguard/adapters/echo v0.1.0
	github.com/clerkguard/clerkguard/adapters/fiber v0.1.0
	github.com/clerkguard/clerkguard/adapters/gin v0.1.0
	github.com/clerkguard/clerkguard/adapters/grpc v0.1.0
	github.com/clerkguard/clerkguard/conformance v0.1.0
	github.com/clerkguard/clerkguard/core v0.1.0
	github.com/clerkguard/clerkguard/usersync v0.1.0
	github.com/clerkguard/clerkguard/webhooks v0.1.0
	github.com/gin-gonic/gin v1.12.0
	github.com/go-chi/chi/v5 v5.5.0
	github.com/gofiber/fiber/v2 v2.52.15
	github.com/gofiber/fiber/v3 v3.1.0
	github.com/jackc/pgx/v5 v5.12.0
	github.com/labstack/echo/v4 v4.16.0
	github.com/labstack/echo/v5 v5.4.4
	google.golang.org/grpc v1.85.0
	modernc.org/sqlite v1.59.0
)

require github.com/go-jose/go-jose/v3 v3.0.4 // indirect

require (
	github.com/clerk/clerk-sdk-go/v2 v2.4.2 // indirect
	github.com/gofiber/schema v1.7.0 // indirect
	github.com/gofiber/utils/v2 v2.0.2 // indirect
	github.com/google/jsonschema-go v0.4.3 // indirect
	github.com/philhofer/fwd v1.2.0 // indirect
	github.com/segmentio/asm v1.1.3 // indirect
	github.com/segmentio/encoding v0.5.4 // indirect
	github.com/tinylib/msgp v1.6.3 // indirect
	github.com/yosida95/uritemplate/v3 v3.0.2 // indirect
	golang.org/x/oauth2 v0.36.0 // indirect
)

require (
	github.com/MicahParks/jwkset v0.11.4 // indirect
	github.com/MicahParks/keyfunc/v3 v3.9.1 // indirect
	github.com/andybalholm/brotli v1.2.0 // indirect
	github.com/bytedance/gopkg v0.1.3 // indirect
	github.com/bytedance/sonic v1.15.0 // indirect
	github.com/bytedance/sonic/loader v0.5.0 // indirect
	github.com/clerkguard/clerkguard/adapters/echov5 v0.1.0
	github.com/clerkguard/clerkguard/adapters/fiberv3 v0.1.0
	github.com/clerkguard/clerkguard/adapters/mcp v0.1.0
	github.com/cloudwego/base64x v0.1.6 // indirect
	github.com/dustin/go-humanize v1.0.1 // indirect
	github.com/gabriel-vasile/mimetype v1.4.12 // indirect
	github.com/gin-contrib/sse v1.1.0 // indirect
	github.com/go-playground/locales v0.14.1 // indirect
	github.com/go-playground/universal-translator v0.18.1 // indirect
	github.com/go-playground/validator/v10 v10.30.1 // indirect
	github.com/goccy/go-json v0.10.5 // indirect
	github.com/goccy/go-yaml v1.19.2 // indirect
	github.com/golang-jwt/jwt/v5 v5.3.1 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/jackc/pgpassfile v1.0.0 // indirect
	github.com/jackc/pgservicefile v0.0.0-20240606120523-5a60cdf6a761 // indirect
	github.com/jackc/puddle/v2 v2.2.3 // indirect
	github.com/json-iterator/go v1.1.12 // indirect
	github.com/klauspost/compress v1.18.4 // indirect
	github.com/klauspost/cpuid/v2 v2.3.0 // indirect
	github.com/labstack/gommon v0.5.0 // indirect
	github.com/leodido/go-urn v1.4.0 // indirect
	github.com/mattn/go-colorable v0.1.15 // indirect
	github.com/mattn/go-isatty v0.0.24 // indirect
	github.com/mattn/go-runewidth v0.0.16 // indirect
	github.com/modelcontextprotocol/go-sdk v1.8.0
	github.com/modern-go/concurrent v0.0.0-20180306012644-bacd9c7ef1dd // indirect
	github.com/modern-go/reflect2 v1.0.2 // indirect
	github.com/ncruces/go-strftime v1.0.0 // indirect
	github.com/pelletier/go-toml/v2 v2.2.4 // indirect
	github.com/quic-go/qpack v0.6.0 // indirect
	github.com/quic-go/quic-go v0.59.0 // indirect
	github.com/remyoudompheng/bigfft v0.0.0-20230129092748-24d4a6f8daec // indirect
	github.com/rivo/uniseg v0.2.0 // indirect
	github.com/svix/svix-webhooks v1.46.0 // indirect
	github.com/twitchyliquid64/golang-asm v0.15.1 // indirect
	github.com/ugorji/go/codec v1.3.1 // indirect
	github.com/valyala/bytebufferpool v1.0.0 // indirect
	github.com/valyala/fasthttp v1.69.0 // indirect
	github.com/valyala/fasttemplate v1.2.2 // indirect
	go.mongodb.org/mongo-driver/v2 v2.5.0 // indirect
	golang.org/x/arch v0.22.0 // indirect
	golang.org/x/crypto v0.57.0 // indirect
	golang.org/x/net v0.60.0 // indirect
	golang.org/x/sync v0.23.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
	golang.org/x/text v0.42.0 // indirect
	golang.org/x/time v0.15.0 // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20260817212433-ac3dfec99bb1 // indirect
	google.golang.org/protobuf v1.36.12
	gopkg.in/validator.v2 v2.0.1 // indirect
	modernc.org/libc v1.75.7 // indirect
	modernc.org/mathutil v1.7.1 // indirect
	modernc.org/memory v1.12.1 // indirect
)

replace github.com/clerkguard/clerkguard/webhooks => ../webhooks

replace github.com/clerkguard/clerkguard/adapters/chi => ../adapters/chi

replace github.com/clerkguard/clerkguard/adapters/gin => ../adapters/gin

replace github.com/clerkguard/clerkguard/adapters/echo => ../adapters/echo

replace github.com/clerkguard/clerkguard/adapters/fiber => ../adapters/fiber

replace github.com/clerkguard/clerkguard/core => ../core

replace github.com/clerkguard/clerkguard/conformance => ../conformance

replace github.com/clerkguard/clerkguard/adapters/fiberv3 => ../adapters/fiberv3

replace github.com/clerkguard/clerkguard/adapters/echov5 => ../adapters/echov5

replace github.com/clerkguard/clerkguard/adapters/grpc => ../adapters/grpc

replace github.com/clerkguard/clerkguard/adapters/connect => ../adapters/connect

replace github.com/clerkguard/clerkguard/usersync => ../usersync

replace github.com/clerkguard/clerkguard/adapters/mcp => ../adapters/mcp

// Package webhookmount shows, and tests, that the webhooks.Handler mounts
// unchanged in net/http, chi, gin, echo v4 and v5, and fiber v2 and v3: each framework hands the
// raw body through to the handler, which verifies the signature on exactly
// the bytes Svix signed (behaviour.md §9.3), without re-reading or re-encoding it.
//
//	net/http: mux.Handle("POST /webhooks/clerk", h)
//	chi:      r.Method(http.MethodPost, "/webhooks/clerk", h)
//	gin:      r.POST("/webhooks/clerk", gin.WrapH(h))
//	echo:     e.POST("/webhooks/clerk", echo.WrapHandler(h))
//	echo v5:  e.POST("/webhooks/clerk", echo.WrapHandler(h))
//	fiber:    app.Post("/webhooks/clerk", adaptor.HTTPHandler(h))
//	fiber v3: app.Post("/webhooks/clerk", h) // v3 adapts an http.Handler itself
package webhookmount

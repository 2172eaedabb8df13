package clerkgrpc

import (
	"context"
	"strings"

	"google.golang.org/grpc/metadata"
)

// metadataRequest is the core.Request (and adapter.PathRequest) view of an
// incoming call: headers are the incoming metadata, there are no cookies
// (behaviour.md §1.2 does not apply to gRPC) and the path is the full method.
type metadataRequest struct {
	ctx    context.Context
	method string
}

func (r metadataRequest) Header(name string) string {
	key := "authorization" // the name core asks for on every call, already lower-case
	if name != "Authorization" {
		key = strings.ToLower(name)
	}
	if v := metadata.ValueFromIncomingContext(r.ctx, key); len(v) > 0 {
		return v[0]
	}
	return ""
}

func (metadataRequest) Cookie(string) (string, bool) { return "", false }

func (r metadataRequest) Path() string { return r.method }

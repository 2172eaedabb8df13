// Package shopv1 is the example service of examples/grpc and
// examples/connect (shop.proto): the generated messages and gRPC code, the
// Connect code in shopv1connect, and the answers both examples give.
//
// The generated files are committed, so building needs no protoc. To
// regenerate them after editing shop.proto (protoc 3.21+ and the three
// plugins on PATH):
//
//	go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
//	go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.2
//	go install connectrpc.com/connect/cmd/protoc-gen-connect-go@v1.21.1
//	go generate ./examples/internal/shopv1
package shopv1

//go:generate protoc -I . --go_out=. --go_opt=paths=source_relative --go-grpc_out=. --go-grpc_opt=paths=source_relative --connect-go_out=. --connect-go_opt=paths=source_relative shop.proto

package frontendproxy_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/clerkguard/clerkguard/core/frontendproxy"
)

// Mount the proxy at /__clerk/ next to the application. Here a fake
// Frontend API stands in for Clerk's.
func Example() {
	fapi := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("Frontend API got", r.URL.Path, "for", r.Header.Get("Clerk-Proxy-Url"))
	}))
	defer fapi.Close()

	proxy, err := frontendproxy.New(
		frontendproxy.WithSecretKey("sk_test_example"),
		frontendproxy.WithFrontendAPIURL(fapi.URL), // default: derived from WithPublishableKey
		frontendproxy.WithProxyURL("https://app.example/__clerk"),
	)
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle(proxy.Path()+"/", proxy)

	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest("GET", "https://app.example/__clerk/v1/client", nil))
	fmt.Println(w.Code)
	// Output:
	// Frontend API got /v1/client for https://app.example/__clerk
	// 200
}

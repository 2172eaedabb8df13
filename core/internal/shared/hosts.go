package shared

import "strings"

// FirstValue is the first comma-separated entry of a header value, trimmed
// (X-Forwarded-Proto, X-Forwarded-Host, X-Forwarded-For), as core's browser
// rules and the Frontend API proxy read them.
func FirstValue(v string) string {
	v, _, _ = strings.Cut(v, ",")
	return strings.TrimSpace(v)
}

// ValidHost accepts a host name, IPv4 or bracketed IPv6 address with an
// optional port: nothing that could turn a URL built from it into another
// site's (no '/', '\\', '@', '?', '#', space or control byte).
func ValidHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '.', c == '-', c == ':', c == '[', c == ']', c == '_':
		default:
			return false
		}
	}
	return true
}

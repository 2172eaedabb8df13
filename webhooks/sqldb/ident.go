package sqldb

// MaxIdentifier is the longest identifier ValidIdentifier accepts:
// PostgreSQL's limit (NAMEDATALEN-1), beyond which it silently truncates.
const MaxIdentifier = 63

// ValidIdentifier reports whether s can be put into SQL unquoted as a table
// or index name on every dialect: 1 to MaxIdentifier ASCII letters, digits
// and underscores, not starting with a digit.
func ValidIdentifier(s string) bool {
	if s == "" || len(s) > MaxIdentifier {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b == '_', b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z':
		case b >= '0' && b <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

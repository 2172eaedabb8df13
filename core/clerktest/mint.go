package clerktest

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/clerkguard/clerkguard/core"
)

// Session describes a session token to mint. Zero fields get sensible
// defaults: user "user_test", session "sess_test", azp
// DefaultAuthorizedParty, version 2, status "active", issued now, valid for
// one minute.
type Session struct {
	UserID          string
	SessionID       string
	AuthorizedParty string
	// Version is 1 (flat org_* claims) or 2 (compact o/fea claims); 0 means 2.
	Version int
	// Status is the `sts` claim ("active", "pending"); empty means "active".
	Status string

	OrgID   string
	OrgSlug string
	// OrgRole is the role, with or without the "org:" prefix; v2 tokens
	// store it without the prefix, v1 tokens as given.
	OrgRole string
	// OrgPermissions are full permission keys ("org:invoices:create"). For v2
	// tokens they are encoded into fea/o.per/o.fpm; for v1 tokens they become
	// org_permissions as given.
	OrgPermissions []string
	// OrgFeatures and UserFeatures are added to `fea` as "o:…" and "u:…".
	OrgFeatures  []string
	UserFeatures []string
	// OrgPlans and UserPlans make up `pla`.
	OrgPlans  []string
	UserPlans []string

	Actor *core.Actor
	FVA   *[2]int

	// IssuedAt defaults to the Issuer's now; TTL (default one minute) sets
	// exp = IssuedAt + TTL. A negative TTL mints a token expired beyond
	// core.DefaultClockSkew: exp = IssuedAt + TTL - DefaultClockSkew, so
	// TTL: -time.Second is already rejected (token-expired) by an Authorizer
	// with the default skew. For a token inside the skew window, set
	// Claims["exp"] yourself.
	IssuedAt time.Time
	TTL      time.Duration
	// NotBefore defaults to IssuedAt.
	NotBefore time.Time

	// Claims are merged into the payload last: they add or override claims;
	// a nil value removes the claim.
	Claims map[string]any
}

// MintOption breaks or alters a minted token, for negative tests.
type MintOption func(*mint)

type mint struct {
	header  map[string]any
	alg     string
	key     *rsa.PrivateKey
	tamper  bool
	payload func(map[string]any)
}

// WithHeader sets header parameter k to v (nil removes it): `typ`, `cat`,
// `kid`, anything.
func WithHeader(k string, v any) MintOption {
	return func(m *mint) {
		if v == nil {
			delete(m.header, k)
			return
		}
		m.header[k] = v
	}
}

// WithAlg signs with alg: RS256 (default), RS384 or RS512 with the Issuer's
// key; "none" with an empty signature; HS256/HS384/HS512 with the PEM bytes
// of the Issuer's public key as the HMAC secret (the classic key-confusion
// attack). Any other alg is written into the header over an RS256
// signature.
func WithAlg(alg string) MintOption { return func(m *mint) { m.alg = alg } }

// SignedBy signs with another key while keeping the Issuer's kid: a forged
// token with a known kid.
func SignedBy(key *rsa.PrivateKey) MintOption { return func(m *mint) { m.key = key } }

// WithKID sets the kid header.
func WithKID(kid string) MintOption { return WithHeader("kid", kid) }

// TamperedSignature flips one bit of the signature.
func TamperedSignature() MintOption { return func(m *mint) { m.tamper = true } }

// WithPayload edits the payload map just before signing.
func WithPayload(edit func(claims map[string]any)) MintOption {
	return func(m *mint) { m.payload = edit }
}

// Mint returns a signed session token described by s.
func (i *Issuer) Mint(s Session, opts ...MintOption) string {
	return i.MintClaims(i.SessionClaims(s), opts...)
}

// SessionClaims returns the payload Mint would sign for s.
func (i *Issuer) SessionClaims(s Session) map[string]any {
	now := s.IssuedAt
	if now.IsZero() {
		now = i.clock()
	}
	ttl := s.TTL
	switch {
	case ttl == 0:
		ttl = time.Minute
	case ttl < 0:
		ttl -= core.DefaultClockSkew
	}
	nbf := s.NotBefore
	if nbf.IsZero() {
		nbf = now
	}
	c := map[string]any{
		"sub": orDefault(s.UserID, "user_test"),
		"sid": orDefault(s.SessionID, "sess_test"),
		"azp": orDefault(s.AuthorizedParty, DefaultAuthorizedParty),
		"iss": i.issuerURL,
		"iat": now.Unix(),
		"nbf": nbf.Unix(),
		"exp": now.Add(ttl).Unix(),
		"jti": "jti_" + strconv.FormatInt(i.seq.Add(1), 10),
		"sts": orDefault(s.Status, "active"),
	}
	if s.Actor != nil {
		c["act"] = s.Actor
	}
	if s.FVA != nil {
		c["fva"] = []int{s.FVA[0], s.FVA[1]}
	}
	if len(s.OrgPlans)+len(s.UserPlans) > 0 {
		c["pla"] = scoped(s.OrgPlans, s.UserPlans)
	}
	if s.Version == 1 {
		if len(s.OrgFeatures)+len(s.UserFeatures) > 0 {
			c["fea"] = scoped(s.OrgFeatures, s.UserFeatures)
		}
		if s.OrgID != "" {
			c["org_id"] = s.OrgID
			c["org_slug"] = s.OrgSlug
			c["org_role"] = s.OrgRole
			perms := s.OrgPermissions
			if perms == nil {
				perms = []string{}
			}
			c["org_permissions"] = perms
		}
	} else {
		c["v"] = 2
		fea, per, fpm := EncodePermissions(s.OrgPermissions, s.OrgFeatures, s.UserFeatures)
		if fea != "" {
			c["fea"] = fea
		}
		if s.OrgID != "" {
			o := map[string]any{"id": s.OrgID, "slg": s.OrgSlug, "rol": strings.TrimPrefix(s.OrgRole, "org:")}
			if per != "" {
				o["per"] = per
				o["fpm"] = fpm
			}
			c["o"] = o
		}
	}
	return merge(c, s.Claims)
}

// EncodePermissions builds the v2 `fea`, `o.per` and `o.fpm` claims from
// plain lists (behaviour.md §4.5): each permission "org:<feature>:<name>" puts
// "o:<feature>" in fea and <name> in per; fpm holds one mask per fea
// element, in the same position (user features get mask 0).
func EncodePermissions(perms, orgFeatures, userFeatures []string) (fea, per, fpm string) {
	var feats []string
	featIdx := map[string]int{}
	var names []string
	nameIdx := map[string]int{}
	var masks []*big.Int // any number of permission names (behaviour.md §4.5)
	addFeat := func(f string) int {
		if i, ok := featIdx[f]; ok {
			return i
		}
		featIdx[f] = len(feats)
		feats = append(feats, "o:"+f)
		masks = append(masks, new(big.Int))
		return len(feats) - 1
	}
	for _, p := range perms {
		p = strings.TrimPrefix(p, "org:")
		f, n, ok := strings.Cut(p, ":")
		if !ok {
			continue
		}
		fi := addFeat(f)
		ni, ok := nameIdx[n]
		if !ok {
			ni = len(names)
			nameIdx[n] = ni
			names = append(names, n)
		}
		masks[fi].SetBit(masks[fi], ni, 1)
	}
	for _, f := range orgFeatures {
		addFeat(f)
	}
	for _, f := range userFeatures {
		feats = append(feats, "u:"+f)
		masks = append(masks, new(big.Int))
	}
	ms := make([]string, len(masks))
	for i, m := range masks {
		ms[i] = m.String()
	}
	return strings.Join(feats, ","), strings.Join(names, ","), strings.Join(ms, ",")
}

func scoped(org, user []string) string {
	var out []string
	for _, o := range org {
		out = append(out, "o:"+o)
	}
	for _, u := range user {
		out = append(out, "u:"+u)
	}
	return strings.Join(out, ",")
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

// MintClaims signs an arbitrary payload with the Issuer's key (header
// {"alg":"RS256","typ":"JWT","kid":…} unless opts change it).
func (i *Issuer) MintClaims(claims map[string]any, opts ...MintOption) string {
	m := &mint{header: map[string]any{"alg": "RS256", "typ": "JWT", "kid": i.KID()}, alg: "RS256"}
	for _, o := range opts {
		o(m)
	}
	if m.payload != nil {
		m.payload(claims)
	}
	if _, set := m.header["alg"]; set {
		m.header["alg"] = m.alg
	}
	hdr, err := json.Marshal(m.header)
	if err != nil {
		panic(fmt.Sprintf("clerktest: header does not marshal: %v", err))
	}
	pay, err := json.Marshal(claims)
	if err != nil {
		panic(fmt.Sprintf("clerktest: claims do not marshal: %v", err))
	}
	key := m.key
	if key == nil {
		key = i.PrivateKey()
	}
	return sign(hdr, pay, m.alg, key, m.tamper)
}

// SignRaw signs arbitrary header and payload bytes (which need not be JSON)
// with the Issuer's key using RS256, for malformed-input tests.
func (i *Issuer) SignRaw(header, payload []byte) string {
	return sign(header, payload, "RS256", i.PrivateKey(), false)
}

func sign(hdr, pay []byte, alg string, key *rsa.PrivateKey, tamper bool) string {
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString(hdr) + "." + enc.EncodeToString(pay)
	var sig []byte
	switch alg {
	case "none":
		sig = nil
	case "HS256", "HS384", "HS512":
		der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
		secret := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
		h := hmac.New(sha256.New, secret)
		switch alg {
		case "HS384":
			h = hmac.New(sha512.New384, secret)
		case "HS512":
			h = hmac.New(sha512.New, secret)
		}
		h.Write([]byte(signing))
		sig = h.Sum(nil)
	default:
		hash := crypto.SHA256
		switch alg {
		case "RS384":
			hash = crypto.SHA384
		case "RS512":
			hash = crypto.SHA512
		}
		hh := hash.New()
		hh.Write([]byte(signing))
		var err error
		sig, err = rsa.SignPKCS1v15(rand.Reader, key, hash, hh.Sum(nil))
		if err != nil {
			panic(fmt.Sprintf("clerktest: signing failed: %v", err))
		}
	}
	if tamper && len(sig) > 0 {
		sig[len(sig)/2] ^= 0x01
	}
	return signing + "." + enc.EncodeToString(sig)
}

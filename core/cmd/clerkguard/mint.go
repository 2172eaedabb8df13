package main

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/clerkguard/clerkguard/core/clerktest"
)

// maxKeyFile bounds what is read from a -key file: a 4096-bit RSA key in
// PEM is about 3.3 KB.
const maxKeyFile = 64 << 10

// identity is what mint and dev put in a token, from their shared flags.
type identity struct {
	keyFile                string
	user, session, azp     string
	org, orgSlug, role     string
	perms, features, plans list
	machine                string
	scopes                 list
	ttl                    time.Duration
}

// list is a flag holding comma-separated values; it may be repeated.
type list []string

func (l *list) String() string { return strings.Join(*l, ",") }

func (l *list) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// identityFlags registers the flags mint and dev share.
func identityFlags(fs *flag.FlagSet, id *identity) {
	fs.StringVar(&id.keyFile, "key", "", "PEM file of the RSA signing key (dev creates it when missing)")
	fs.StringVar(&id.user, "user", "user_dev", "user id (sub)")
	fs.StringVar(&id.session, "session", "sess_dev", "session id (sid)")
	fs.StringVar(&id.azp, "azp", clerktest.DefaultAuthorizedParty, "authorized party (azp)")
	fs.StringVar(&id.org, "org", "", "active organization id")
	fs.StringVar(&id.orgSlug, "org-slug", "", "active organization slug")
	fs.StringVar(&id.role, "role", "", `organization role ("admin" or "org:admin")`)
	fs.Var(&id.perms, "perm", "organization permissions, comma-separated (org:invoices:create,…)")
	fs.Var(&id.features, "feature", "organization features, comma-separated")
	fs.Var(&id.plans, "plan", "organization plans, comma-separated")
	fs.StringVar(&id.machine, "machine", "", "mint an M2M token for this machine (mch_…) instead of a session token")
	fs.Var(&id.scopes, "scope", "M2M scopes, comma-separated (with -machine)")
	fs.DurationVar(&id.ttl, "ttl", clerktest.DevTokenTTL, "token lifetime (at most 720h)")
}

// check refuses flag combinations that would mint something surprising.
func (id *identity) check() error {
	switch {
	case id.ttl <= 0 || id.ttl > clerktest.MaxDevTokenTTL:
		return fmt.Errorf("-ttl %v: want more than 0 and at most %v", id.ttl, clerktest.MaxDevTokenTTL)
	case (id.role != "" || len(id.perms) > 0 || id.orgSlug != "") && id.org == "":
		return errors.New("-role, -perm and -org-slug need -org")
	case id.machine == "" && len(id.scopes) > 0:
		return errors.New("-scope needs -machine")
	case id.machine != "" && (id.org != "" || len(id.features) > 0 || len(id.plans) > 0):
		return errors.New("-machine mints an M2M token: it has no -org, -feature or -plan")
	}
	return nil
}

// token mints the identity's token with dev.
func (id *identity) token(dev *clerktest.Dev) string {
	if id.machine != "" {
		return dev.MachineToken(clerktest.Machine{Subject: id.machine, Scopes: id.scopes, TTL: id.ttl})
	}
	return dev.Token(clerktest.Session{
		UserID: id.user, SessionID: id.session, AuthorizedParty: id.azp,
		OrgID: id.org, OrgSlug: id.orgSlug, OrgRole: id.role,
		OrgPermissions: id.perms, OrgFeatures: id.features, OrgPlans: id.plans,
		TTL: id.ttl,
	})
}

// describe says in one line who the token is for, never the token itself.
func (id *identity) describe() string {
	if id.machine != "" {
		return fmt.Sprintf("machine %s, scopes [%s]", id.machine, id.scopes.String())
	}
	s := id.user
	if id.org != "" {
		s += fmt.Sprintf(", org %s role %q permissions [%s]", id.org, id.role, id.perms.String())
	}
	if len(id.features) > 0 || len(id.plans) > 0 {
		s += fmt.Sprintf(", features [%s] plans [%s]", id.features.String(), id.plans.String())
	}
	return s
}

// devIssuer starts a dev issuer signing with the key of id.keyFile (created
// when create is set and the file does not exist), or with a fresh key when
// no file is given, listening on listen (a random loopback port when "").
func (id *identity) devIssuer(create bool, listen string) (*clerktest.Dev, error) {
	var opts []clerktest.IssuerOption
	if listen != "" {
		opts = append(opts, clerktest.WithListenAddr(listen))
	}
	if id.keyFile != "" {
		key, err := loadKey(id.keyFile, create)
		if err != nil {
			return nil, err
		}
		opts = append(opts, clerktest.WithKey(clerktest.DevKID(&key.PublicKey), key))
	}
	return clerktest.StartDev(opts...)
}

// loadKey reads an RSA private key (PKCS #1 or PKCS #8 PEM) from name. With
// create, a missing file gets a new 2048-bit key, readable by its owner
// only.
func loadKey(name string, create bool) (*rsa.PrivateKey, error) {
	f, err := os.Open(name)
	if errors.Is(err, os.ErrNotExist) && create {
		return createKey(name)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxKeyFile {
		return nil, fmt.Errorf("%s: larger than %d bytes, not a PEM key", name, maxKeyFile)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("%s: no PEM block", name)
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		return x509.ParsePKCS1PrivateKey(block.Bytes)
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if rk, ok := k.(*rsa.PrivateKey); ok {
			return rk, nil
		}
		return nil, fmt.Errorf("%s: not an RSA key", name)
	}
	return nil, fmt.Errorf("%s: PEM block %q, want an RSA private key", name, block.Type)
}

func createKey(name string) (*rsa.PrivateKey, error) {
	key, err := clerktest.NewKey()
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if err := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		f.Close()
		return nil, err
	}
	return key, f.Close()
}

// parseIdentityArgs parses the flags of mint or dev; no positional
// argument is allowed.
func parseIdentityArgs(name string, args []string, stderr io.Writer, extra func(*flag.FlagSet)) (*identity, error) {
	id := &identity{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	identityFlags(fs, id)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %s", quoteIfNeeded(fs.Arg(0)))
	}
	return id, id.check()
}

// mint prints one dev token, signed with the key of -key, to stdout.
func (c *cli) mint(args []string) int {
	id, err := parseIdentityArgs("mint", args, c.stderr, nil)
	if err == nil && id.keyFile == "" {
		err = errors.New("-key is required: the PEM file clerkguard dev -key serves (it creates one)")
	}
	if err != nil {
		return c.usageError("mint", err)
	}
	dev, err := id.devIssuer(false, "")
	if err != nil {
		return c.usageError("mint", err)
	}
	defer dev.Close()
	fmt.Fprintln(c.stdout, id.token(dev))
	fmt.Fprintf(c.stderr, "clerkguard mint: %s, valid for %v; trusted by an app configured by clerkguard dev -key %s\n", id.describe(), id.ttl, id.keyFile)
	return exitOK
}

// usageError reports err of command cmd (flag's -h output aside) and
// returns the usage exit code.
func (c *cli) usageError(cmd string, err error) int {
	if !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(c.stderr, "clerkguard %s: %v\n", cmd, err)
	}
	return exitUsage
}

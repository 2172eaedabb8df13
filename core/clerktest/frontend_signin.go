package clerktest

import (
	"html/template"
	"net/http"
	"net/url"
	"regexp"

	"github.com/clerkguard/clerkguard/core"
)

// maxFormBytes bounds the body of the sign-in and sign-out forms.
const maxFormBytes = 8 << 10

// userIDPattern is what the sign-in page accepts as a test user's ID.
var userIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

var signInPage = template.Must(template.New("sign-in").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>clerktest sign-in</title></head>
<body>
<h1>Sign in (clerktest, a fake Clerk for development)</h1>
<p>No password: pick the ID of a test user. Nothing here is real.</p>
{{if .Error}}<p id="error">{{.Error}}</p>{{end}}
<form method="post" action="{{.Action}}">
<label>User ID <input id="user_id" name="user_id" value="{{.UserID}}" pattern="[A-Za-z0-9_\-]{1,64}" required></label>
<input type="hidden" name="redirect_url" value="{{.RedirectURL}}">
<input type="hidden" name="__clerk_db_jwt" value="{{.DevBrowser}}">
<button id="sign-in" type="submit">Sign in</button>
</form>
</body></html>
`))

type signInData struct {
	Action, UserID, RedirectURL, DevBrowser, Error string
}

// serveSignIn is the dev sign-in page: GET shows a form asking for a user
// ID; POST signs the browser's Client in as that user (a fresh session with
// the Issuer's defaults) and sends the browser to redirect_url with a
// handshake carrying the session's cookies (303).
func (i *Issuer) serveSignIn(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	switch r.Method {
	case http.MethodGet:
		q := r.URL.Query()
		d := signInData{Action: pathSignIn, UserID: "user_test", RedirectURL: q.Get("redirect_url"), DevBrowser: q.Get(core.DevBrowserCookie)}
		if _, err := redirectTarget(d.RedirectURL); err != nil {
			d.Error = err.Error()
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = signInPage.Execute(w, d)
	case http.MethodPost:
		if !i.parseForm(w, r) {
			return
		}
		uid := r.PostForm.Get("user_id")
		target, err := redirectTarget(r.PostForm.Get("redirect_url"))
		if err != nil || !userIDPattern.MatchString(uid) {
			msg := "a user ID of 1 to 64 letters, digits, _ or -, please"
			if err != nil {
				msg = err.Error()
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusBadRequest)
			_ = signInPage.Execute(w, signInData{Action: pathSignIn, UserID: "user_test",
				RedirectURL: r.PostForm.Get("redirect_url"), DevBrowser: r.PostForm.Get(core.DevBrowserCookie), Error: msg})
			return
		}
		i.finishForm(w, r, target, func(c *Client) { c.signInLocked(Session{UserID: uid}) })
	default:
		http.Error(w, "sign-in: GET or POST", http.StatusMethodNotAllowed)
	}
}

// serveSignOut is POST /sign-out (form field redirect_url): it ends the
// session of the browser's Client and sends the browser to redirect_url
// with a handshake that sets `__client_uat=0` and removes `__session` (303).
func (i *Issuer) serveSignOut(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "sign-out: POST only", http.StatusMethodNotAllowed)
		return
	}
	if !i.parseForm(w, r) {
		return
	}
	target, err := redirectTarget(r.PostForm.Get("redirect_url"))
	if err != nil {
		http.Error(w, "sign-out: "+err.Error(), http.StatusBadRequest)
		return
	}
	i.finishForm(w, r, target, (*Client).signOutLocked)
}

func (i *Issuer) parseForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "form too large or malformed", http.StatusBadRequest)
		return false
	}
	return true
}

// finishForm applies change to the browser's Client and hands the browser
// back to target in the Issuer's handshake format (development: a token
// unless it is HandshakeNonce).
func (i *Issuer) finishForm(w http.ResponseWriter, r *http.Request, target *url.URL, change func(*Client)) {
	fe := &i.fe
	fe.mu.Lock()
	c, err := i.clientForLocked(r, r.PostForm.Get(core.DevBrowserCookie))
	if err != nil {
		fe.mu.Unlock()
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	change(c)
	// A token in a cookie would exceed browsers' 4 KB: production answers
	// forms with a nonce unless HandshakeToken is forced.
	useNonce := fe.format == HandshakeNonce || (fe.production && fe.format != HandshakeToken)
	loc := i.handBackLocked(w, c, target, useNonce)
	fe.mu.Unlock()
	redirect(w, loc, http.StatusSeeOther)
}

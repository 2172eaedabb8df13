package clerktest

import (
	"bytes"
	"cmp"
	"crypto/subtle"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// ServeHTTP answers one Backend API request (see Backend).
func (b *Backend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.requests.Add(1)
	v, _ := b.paths.LoadOrStore(r.URL.Path, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
	n := b.inFlight.Add(1)
	defer b.inFlight.Add(-1)
	for {
		m := b.maxIn.Load()
		if n <= m || b.maxIn.CompareAndSwap(m, n) {
			break
		}
	}
	b.mu.Lock()
	b.log = append(b.log, r.URL.Path+"?"+r.URL.RawQuery)
	delay, fail, hook := b.delay, b.fail, b.hook
	limited, retry := b.limited > 0, b.retry
	if limited {
		b.limited--
	}
	b.mu.Unlock()
	if !sleep(r, delay) {
		return
	}
	auth := []byte(r.Header.Get("Authorization"))
	if subtle.ConstantTimeCompare(auth, []byte("Bearer "+b.secretKey)) != 1 {
		backendError(w, http.StatusUnauthorized, "authentication_invalid")
		return
	}
	if hook != nil {
		hook(r)
	}
	if limited {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int((retry+time.Second-1)/time.Second))))
		backendError(w, http.StatusTooManyRequests, "too_many_requests")
		return
	}
	if fail != nil {
		if status := fail(r); status != 0 {
			backendError(w, status, "internal_clerk_error")
			return
		}
	}
	if r.Method != http.MethodGet {
		backendError(w, http.StatusMethodNotAllowed, "method_not_allowed")
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/v1/")
	if !ok {
		backendError(w, http.StatusNotFound, "resource_not_found")
		return
	}
	parts := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	b.mu.Lock()
	var out []byte
	status := http.StatusOK
	switch {
	case len(parts) == 1 && parts[0] == "users":
		out, status = b.list(r, b.users, false)
	case len(parts) == 2 && parts[0] == "users" && parts[1] == "count":
		out = []byte(`{"object":"total_count","total_count":` + strconv.Itoa(len(filterUsers(b.users, r.URL.Query()["user_id"]))) + `}`)
	case len(parts) == 2 && parts[0] == "users":
		out, status = find(b.users, parts[1])
	case len(parts) == 1 && parts[0] == "organizations":
		out, status = b.list(r, b.orgs, true)
	case len(parts) == 2 && parts[0] == "organizations":
		out, status = find(b.orgs, parts[1])
	case len(parts) == 3 && parts[0] == "organizations" && parts[2] == "memberships":
		if _, found := find(b.orgs, parts[1]); found != http.StatusOK {
			status = http.StatusNotFound
			break
		}
		out, status = b.list(r, b.members[parts[1]], true)
	default:
		status = http.StatusNotFound
	}
	b.mu.Unlock()
	switch status {
	case http.StatusOK:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(out)
	case http.StatusNotFound:
		backendError(w, status, "resource_not_found")
	default:
		backendError(w, status, "form_param_value_invalid")
	}
}

func find(all []object, id string) ([]byte, int) {
	for _, o := range all {
		if o.id == id {
			return o.raw, http.StatusOK
		}
	}
	return nil, http.StatusNotFound
}

func filterUsers(all []object, ids []string) []object {
	if len(ids) == 0 {
		return all
	}
	return slices.DeleteFunc(slices.Clone(all), func(o object) bool {
		return !slices.Contains(ids, o.id) && !slices.Contains(ids, o.userID)
	})
}

// list serves one page of all: a JSON array (users) or Clerk's paginated
// {"data","total_count"} (wrapped). It runs under b.mu.
func (b *Backend) list(r *http.Request, all []object, wrapped bool) ([]byte, int) {
	q := r.URL.Query()
	limit, offset := 10, 0
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 500 {
			return nil, http.StatusUnprocessableEntity
		}
		limit = n
	}
	if s := q.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return nil, http.StatusUnprocessableEntity
		}
		offset = n
	}
	desc := true
	switch q.Get("order_by") {
	case "", "-created_at":
	case "+created_at", "created_at":
		desc = false
	default:
		return nil, http.StatusUnprocessableEntity
	}
	var after, before int64
	for name, dst := range map[string]*int64{"created_at_after": &after, "created_at_before": &before} {
		if s := q.Get(name); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return nil, http.StatusUnprocessableEntity
			}
			*dst = n
		}
	}
	items := filterUsers(all, q["user_id"])
	if b.ignore {
		offset, after, before = 0, 0, 0
	}
	items = slices.DeleteFunc(slices.Clone(items), func(o object) bool {
		return after != 0 && o.createdAt <= after || before != 0 && o.createdAt >= before
	})
	slices.SortStableFunc(items, func(x, y object) int {
		if desc {
			return cmp.Compare(y.createdAt, x.createdAt)
		}
		return cmp.Compare(x.createdAt, y.createdAt)
	})
	total := len(items)
	offset = min(offset, total)
	page := items[offset:min(offset+limit, total)]
	var buf bytes.Buffer
	if wrapped {
		buf.WriteString(`{"data":`)
	}
	buf.WriteByte('[')
	for i, o := range page {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(o.raw)
	}
	buf.WriteByte(']')
	if wrapped {
		buf.WriteString(`,"total_count":` + strconv.Itoa(total) + `}`)
	}
	return buf.Bytes(), http.StatusOK
}

// backendError writes a Clerk Backend API error body.
func backendError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"errors":[{"code":"` + code + `","message":"` + code + `","long_message":"` + code + `"}],"clerk_trace_id":"trace_clerktest"}`))
}

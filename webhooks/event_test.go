package webhooks_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/clerkguard/clerkguard/webhooks"
)

func TestParseEventEnvelope(t *testing.T) {
	ev, err := webhooks.ParseEvent([]byte(userCreated))
	if err != nil {
		t.Fatal(err)
	}
	if ev.Type != "user.created" || ev.Object != "event" || ev.InstanceID != "ins_123" ||
		ev.Timestamp != 1654012591835 || ev.Time().UnixMilli() != 1654012591835 ||
		ev.EventAttributes.HTTPRequest.ClientIP != "0.0.0.0" || ev.EventAttributes.HTTPRequest.UserAgent != "Mozilla/5.0" ||
		ev.Family() != "user" {
		t.Fatalf("behaviour.md §9.4 envelope: %+v", ev)
	}
	u, err := ev.User()
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != "user_29w83sxmDNGwOuEthce5gg56FcC" || *u.FirstName != "Example" || u.Username != nil ||
		u.PrimaryEmail() != "example@example.org" || u.EmailAddresses[0].Verification.Status != "verified" ||
		string(u.PublicMetadata) != `{"plan": "pro"}` || u.UpdatedAt != 1654012591835 {
		t.Fatalf("user %+v", u)
	}
	if _, err := ev.Session(); !errors.Is(err, webhooks.ErrInvalidPayload) {
		t.Fatalf("Session() on a user event: %v", err)
	}
	if _, err := ev.Deleted(); !errors.Is(err, webhooks.ErrInvalidPayload) {
		t.Fatalf("Deleted() on user.created: %v", err)
	}
}

func TestParseEventErrors(t *testing.T) {
	for _, tc := range []struct{ name, body string }{
		{"Empty", ``},
		{"Spaces", "  \n"},
		{"NotObject", `["user.created"]`},
		{"String", `"x"`},
		{"Truncated", `{"type":"user.created","data":{`},
		{"TypeNotString", `{"type":42}`},
		{"ObjectNotString", `{"type":"user.created","object":1}`},
		{"InstanceNotString", `{"type":"user.created","instance_id":[]}`},
		{"AttributesNotObject", `{"type":"user.created","event_attributes":"x"}`},
		{"ClientIPNotString", `{"type":"user.created","event_attributes":{"http_request":{"client_ip":1}}}`},
		{"TimestampFloat", `{"type":"user.created","timestamp":1.5}`},
		{"TrailingGarbage", `{"type":"user.created"} x`},
		{"TimestampNotNumber", `{"type":"user.created","timestamp":"soon"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := webhooks.ParseEvent([]byte(tc.body)); !errors.Is(err, webhooks.ErrInvalidPayload) {
				t.Fatalf("behaviour.md §9.4: got %v, want invalid-payload", err)
			}
		})
	}
}

func TestEventAccessors(t *testing.T) {
	env := func(typ, data string) *webhooks.Event {
		ev, err := webhooks.ParseEvent([]byte(`{"type":"` + typ + `","object":"event","timestamp":1,"data":` + data + `}`))
		if err != nil {
			t.Fatal(err)
		}
		return ev
	}
	for _, tc := range []struct {
		name string
		typ  string
		data string
		get  func(*webhooks.Event) (string, error)
		want string
	}{
		{"UserUpdated", "user.updated", `{"id":"user_1","first_name":"A"}`,
			func(e *webhooks.Event) (string, error) {
				u, err := e.User()
				return id(u, err, func() string { return u.ID })
			}, "user_1"},
		{"UserDeleted", "user.deleted", `{"id":"user_1","object":"user","deleted":true}`,
			func(e *webhooks.Event) (string, error) {
				d, err := e.Deleted()
				return id(d, err, func() string { return d.ID + "/" + d.Object + "/" + boolStr(d.Deleted) })
			}, "user_1/user/true"},
		{"UserOnDeletedIsError", "user.deleted", `{"id":"user_1","deleted":true}`,
			func(e *webhooks.Event) (string, error) {
				u, err := e.User()
				return id(u, err, func() string { return u.ID })
			}, "error"},
		{"Session", "session.ended", `{"id":"sess_1","user_id":"user_1","status":"ended"}`,
			func(e *webhooks.Event) (string, error) {
				s, err := e.Session()
				return id(s, err, func() string { return s.ID + "/" + s.UserID + "/" + s.Status })
			}, "sess_1/user_1/ended"},
		{"Organization", "organization.updated", `{"id":"org_1","name":"Acme","slug":"acme"}`,
			func(e *webhooks.Event) (string, error) {
				o, err := e.Organization()
				return id(o, err, func() string { return o.ID + "/" + o.Name + "/" + *o.Slug })
			}, "org_1/Acme/acme"},
		{"OrganizationDeleted", "organization.deleted", `{"id":"org_1","object":"organization","deleted":true}`,
			func(e *webhooks.Event) (string, error) {
				d, err := e.Deleted()
				return id(d, err, func() string { return d.ID })
			}, "org_1"},
		{"Membership", "organizationMembership.deleted",
			`{"id":"orgmem_1","role":"org:admin","permissions":["org:sys_memberships:manage"],"organization":{"id":"org_1"},"public_user_data":{"user_id":"user_1","identifier":"a@b.c"}}`,
			func(e *webhooks.Event) (string, error) {
				m, err := e.OrganizationMembership()
				return id(m, err, func() string {
					return m.ID + "/" + m.Role + "/" + m.Organization.ID + "/" + m.PublicUserData.UserID + "/" + m.Permissions[0]
				})
			}, "orgmem_1/org:admin/org_1/user_1/org:sys_memberships:manage"},
		{"Invitation", "organizationInvitation.accepted", `{"id":"orginv_1","email_address":"a@b.c","organization_id":"org_1","status":"accepted"}`,
			func(e *webhooks.Event) (string, error) {
				i, err := e.OrganizationInvitation()
				return id(i, err, func() string { return i.ID + "/" + i.OrganizationID + "/" + i.Status })
			}, "orginv_1/org_1/accepted"},
		{"Role", "role.created", `{"id":"role_1","key":"org:admin","permissions":[{"id":"perm_1","key":"org:x:y"}]}`,
			func(e *webhooks.Event) (string, error) {
				r, err := e.Role()
				return id(r, err, func() string { return r.Key + "/" + r.Permissions[0].Key })
			}, "org:admin/org:x:y"},
		{"Permission", "permission.updated", `{"id":"perm_1","key":"org:x:y","type":"user"}`,
			func(e *webhooks.Event) (string, error) {
				p, err := e.Permission()
				return id(p, err, func() string { return p.Key + "/" + p.Type })
			},
			"org:x:y/user"},
		{"Email", "email.created", `{"id":"ema_1","object":"email","to_email_address":"a@b.c","subject":"Hi","slug":"verification_code"}`,
			func(e *webhooks.Event) (string, error) {
				m, err := e.Email()
				return id(m, err, func() string { return m.ToEmailAddress + "/" + m.Subject + "/" + *m.Slug })
			}, "a@b.c/Hi/verification_code"},
		{"SMS", "sms.created", `{"id":"sms_1","object":"sms_message","to_phone_number":"+15555550100","message":"code 123"}`,
			func(e *webhooks.Event) (string, error) {
				m, err := e.SMS()
				return id(m, err, func() string { return m.ToPhoneNumber + "/" + m.Message })
			},
			"+15555550100/code 123"},
		{"WrongShape", "user.created", `{"id":42}`,
			func(e *webhooks.Event) (string, error) {
				u, err := e.User()
				return id(u, err, func() string { return u.ID })
			}, "error"},
		{"NullData", "user.created", `null`,
			func(e *webhooks.Event) (string, error) {
				u, err := e.User()
				return id(u, err, func() string { return u.ID })
			}, "error"},
		{"UnknownTypeDecode", "subscription.created", `{"id":"csub_1","status":"active"}`,
			func(e *webhooks.Event) (string, error) {
				var v struct{ ID, Status string }
				err := e.Decode(&v)
				return v.ID + "/" + v.Status, err
			}, "csub_1/active"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.get(env(tc.typ, tc.data))
			if tc.want == "error" {
				if !errors.Is(err, webhooks.ErrInvalidPayload) {
					t.Fatalf("got %q, %v; want invalid-payload", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestUnknownTypePassesThrough(t *testing.T) {
	ev, err := webhooks.ParseEvent([]byte(`{"type":"paymentAttempt.updated","object":"event","data":{"a":[1,2]},"future_field":true}`))
	if err != nil {
		t.Fatalf("behaviour.md §9.4 unknown types pass through: %v", err)
	}
	if ev.Type != "paymentAttempt.updated" || !json.Valid(ev.Data) || string(ev.Data) != `{"a":[1,2]}` {
		t.Fatalf("%+v", ev)
	}
}

func TestParseEventLenientEnvelope(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		typ        string
		ts         int64
		data       string
	}{
		{"NoType", `{"object":"event","data":{}}`, "", 0, `{}`},
		{"ReferenceVectorBody", `{"test": 2432232314}`, "", 0, ``},
		{"NoData", `{"type":"user.created"}`, "user.created", 0, ``},
		{"NullData", `{"type":"x","data":null}`, "x", 0, ``},
		{"NullAttributes", `{"type":"x","event_attributes":null,"timestamp":7}`, "x", 7, ``},
		{"Whitespace", " \n{\"type\":\"x\",\"data\":[1]}\n", "x", 0, `[1]`},
		{"UnknownFields", `{"type":"waitlistEntry.created","object":"event","data":{"id":"wle_1"},"new":{"x":1}}`, "waitlistEntry.created", 0, `{"id":"wle_1"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := webhooks.ParseEvent([]byte(tc.body))
			if err != nil {
				t.Fatalf("behaviour.md §9.4: %v", err)
			}
			if ev.Type != tc.typ || ev.Timestamp != tc.ts || string(ev.Data) != tc.data || string(ev.Raw) != tc.body {
				t.Fatalf("behaviour.md §9.4: %+v", ev)
			}
		})
	}
}

func TestEventTime(t *testing.T) {
	ev := &webhooks.Event{Timestamp: 1654012591835}
	if got := ev.Time(); got.UnixMilli() != 1654012591835 || got.Nanosecond() != 835_000_000 {
		t.Fatalf("Time() = %v", got)
	}
	if !(&webhooks.Event{}).Time().IsZero() {
		t.Fatal("zero Timestamp: Time() is not zero")
	}
}

func id[T any](v *T, err error, f func() string) (string, error) {
	if err != nil {
		return "", err
	}
	if v == nil {
		return "", errors.New("nil value without error")
	}
	return f(), nil
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

package webhooks

import "encoding/json"

// Timestamps in Clerk objects are Unix milliseconds. Metadata fields stay raw
// JSON so no value is lost; decode them into your own types. Fields Clerk
// adds later are ignored by these types but stay in Event.Data.

// User is the data of user.created and user.updated.
type User struct {
	ID                    string          `json:"id"`
	Object                string          `json:"object"`
	ExternalID            *string         `json:"external_id"`
	Username              *string         `json:"username"`
	FirstName             *string         `json:"first_name"`
	LastName              *string         `json:"last_name"`
	ImageURL              string          `json:"image_url"`
	HasImage              bool            `json:"has_image"`
	PrimaryEmailAddressID *string         `json:"primary_email_address_id"`
	PrimaryPhoneNumberID  *string         `json:"primary_phone_number_id"`
	EmailAddresses        []EmailAddress  `json:"email_addresses"`
	PhoneNumbers          []PhoneNumber   `json:"phone_numbers"`
	PasswordEnabled       bool            `json:"password_enabled"`
	TwoFactorEnabled      bool            `json:"two_factor_enabled"`
	Banned                bool            `json:"banned"`
	Locked                bool            `json:"locked"`
	PublicMetadata        json.RawMessage `json:"public_metadata"`
	PrivateMetadata       json.RawMessage `json:"private_metadata"`
	UnsafeMetadata        json.RawMessage `json:"unsafe_metadata"`
	LastSignInAt          *int64          `json:"last_sign_in_at"`
	LastActiveAt          *int64          `json:"last_active_at"`
	CreatedAt             int64           `json:"created_at"`
	UpdatedAt             int64           `json:"updated_at"`
}

// PrimaryEmail returns the address whose id is PrimaryEmailAddressID, or ""
// when there is none.
func (u *User) PrimaryEmail() string {
	if u.PrimaryEmailAddressID == nil {
		return ""
	}
	for _, e := range u.EmailAddresses {
		if e.ID == *u.PrimaryEmailAddressID {
			return e.EmailAddress
		}
	}
	return ""
}

// EmailAddress is one of a User's email addresses.
type EmailAddress struct {
	ID           string        `json:"id"`
	Object       string        `json:"object"`
	EmailAddress string        `json:"email_address"`
	Verification *Verification `json:"verification"`
}

// PhoneNumber is one of a User's phone numbers.
type PhoneNumber struct {
	ID           string        `json:"id"`
	Object       string        `json:"object"`
	PhoneNumber  string        `json:"phone_number"`
	Verification *Verification `json:"verification"`
}

// Verification is the verification state of an email address or phone number.
type Verification struct {
	Status   string `json:"status"`
	Strategy string `json:"strategy"`
}

// DeletedObject is the data of user.deleted, organization.deleted and other
// deletions: only the id of what was deleted.
type DeletedObject struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Deleted bool   `json:"deleted"`
}

// Session is the data of session.created, .ended, .removed and .revoked.
type Session struct {
	ID                       string `json:"id"`
	Object                   string `json:"object"`
	ClientID                 string `json:"client_id"`
	UserID                   string `json:"user_id"`
	Status                   string `json:"status"`
	LastActiveOrganizationID string `json:"last_active_organization_id"`
	LastActiveAt             int64  `json:"last_active_at"`
	ExpireAt                 int64  `json:"expire_at"`
	AbandonAt                int64  `json:"abandon_at"`
	CreatedAt                int64  `json:"created_at"`
	UpdatedAt                int64  `json:"updated_at"`
}

// Organization is the data of organization.created and organization.updated,
// and the organization inside an OrganizationMembership.
type Organization struct {
	ID                    string          `json:"id"`
	Object                string          `json:"object"`
	Name                  string          `json:"name"`
	Slug                  *string         `json:"slug"`
	ImageURL              string          `json:"image_url"`
	HasImage              bool            `json:"has_image"`
	CreatedBy             string          `json:"created_by"`
	MaxAllowedMemberships int             `json:"max_allowed_memberships"`
	AdminDeleteEnabled    bool            `json:"admin_delete_enabled"`
	MembersCount          *int            `json:"members_count"`
	PublicMetadata        json.RawMessage `json:"public_metadata"`
	PrivateMetadata       json.RawMessage `json:"private_metadata"`
	CreatedAt             int64           `json:"created_at"`
	UpdatedAt             int64           `json:"updated_at"`
}

// OrganizationMembership is the data of organizationMembership.* events.
type OrganizationMembership struct {
	ID              string          `json:"id"`
	Object          string          `json:"object"`
	Role            string          `json:"role"`
	RoleName        string          `json:"role_name"`
	Permissions     []string        `json:"permissions"`
	PublicMetadata  json.RawMessage `json:"public_metadata"`
	PrivateMetadata json.RawMessage `json:"private_metadata"`
	Organization    Organization    `json:"organization"`
	PublicUserData  PublicUserData  `json:"public_user_data"`
	CreatedAt       int64           `json:"created_at"`
	UpdatedAt       int64           `json:"updated_at"`
}

// PublicUserData is the member inside an OrganizationMembership.
type PublicUserData struct {
	UserID     string  `json:"user_id"`
	FirstName  *string `json:"first_name"`
	LastName   *string `json:"last_name"`
	ImageURL   string  `json:"image_url"`
	HasImage   bool    `json:"has_image"`
	Identifier string  `json:"identifier"`
}

// OrganizationInvitation is the data of organizationInvitation.* events.
type OrganizationInvitation struct {
	ID              string          `json:"id"`
	Object          string          `json:"object"`
	EmailAddress    string          `json:"email_address"`
	Role            string          `json:"role"`
	RoleName        string          `json:"role_name"`
	OrganizationID  string          `json:"organization_id"`
	Status          string          `json:"status"`
	URL             *string         `json:"url"`
	PublicMetadata  json.RawMessage `json:"public_metadata"`
	PrivateMetadata json.RawMessage `json:"private_metadata"`
	ExpiresAt       *int64          `json:"expires_at"`
	CreatedAt       int64           `json:"created_at"`
	UpdatedAt       int64           `json:"updated_at"`
}

// Role is the data of role.created and role.updated.
type Role struct {
	ID                string       `json:"id"`
	Object            string       `json:"object"`
	Key               string       `json:"key"`
	Name              string       `json:"name"`
	Description       string       `json:"description"`
	IsCreatorEligible bool         `json:"is_creator_eligible"`
	Permissions       []Permission `json:"permissions"`
	CreatedAt         int64        `json:"created_at"`
	UpdatedAt         int64        `json:"updated_at"`
}

// Permission is the data of permission.created and permission.updated, and an
// entry of Role.Permissions.
type Permission struct {
	ID          string `json:"id"`
	Object      string `json:"object"`
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Type        string `json:"type"`
	CreatedAt   int64  `json:"created_at"`
	UpdatedAt   int64  `json:"updated_at"`
}

// Email is the data of email.created (an email Clerk sent or asks you to
// send when delivery by Clerk is off).
type Email struct {
	ID               string          `json:"id"`
	Object           string          `json:"object"`
	Slug             *string         `json:"slug"`
	FromEmailName    string          `json:"from_email_name"`
	ToEmailAddress   string          `json:"to_email_address"`
	EmailAddressID   *string         `json:"email_address_id"`
	UserID           *string         `json:"user_id"`
	Subject          string          `json:"subject"`
	Body             string          `json:"body"`
	BodyPlain        *string         `json:"body_plain"`
	Status           string          `json:"status"`
	DeliveredByClerk bool            `json:"delivered_by_clerk"`
	Data             json.RawMessage `json:"data"`
}

// SMS is the data of sms.created.
type SMS struct {
	ID               string          `json:"id"`
	Object           string          `json:"object"`
	Slug             *string         `json:"slug"`
	FromPhoneNumber  string          `json:"from_phone_number"`
	ToPhoneNumber    string          `json:"to_phone_number"`
	PhoneNumberID    *string         `json:"phone_number_id"`
	UserID           *string         `json:"user_id"`
	Message          string          `json:"message"`
	Status           string          `json:"status"`
	DeliveredByClerk bool            `json:"delivered_by_clerk"`
	Data             json.RawMessage `json:"data"`
}

//! What the account pages and the JSON API exchange.

use crate::id::{SessionId, UserId, VendorId};
use serde::{Deserialize, Serialize};

/// A user's role in a vendor's shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "lowercase"))]
pub enum VendorRole {
    Owner,
    Staff,
}

impl VendorRole {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "owner" => Some(Self::Owner),
            "staff" => Some(Self::Staff),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Owner => "Owner",
            Self::Staff => "Staff",
        }
    }
}

/// A shop the user works in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub vendor_id: VendorId,
    pub vendor_slug: String,
    pub vendor_name: String,
    pub role: VendorRole,
    /// The shop's status: pending, approved, rejected or suspended.
    #[serde(default)]
    pub vendor_status: String,
}

impl Membership {
    /// Whether the shop may change anything: applied or approved, not rejected or suspended.
    pub fn can_edit(&self) -> bool {
        matches!(self.vendor_status.as_str(), "pending" | "approved")
    }
}

/// The signed-in user of a request, loaded once per request from the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: UserId,
    /// The `user_sessions` row of this browser.
    pub session_id: SessionId,
    pub email: String,
    pub name: String,
    pub email_verified: bool,
    pub is_admin: bool,
    pub two_factor: bool,
    /// This browser passed a second factor (at login, at enrolment or when asked again).
    #[serde(default)]
    pub session_two_factor: bool,
    /// This browser's user confirmed who they are in the last few minutes.
    #[serde(default)]
    pub recently_confirmed: bool,
    pub memberships: Vec<Membership>,
}

impl CurrentUser {
    /// The name to greet the user with.
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            &self.email
        } else {
            &self.name
        }
    }

    pub fn membership(&self, vendor_slug: &str) -> Option<&Membership> {
        self.memberships.iter().find(|m| m.vendor_slug == vendor_slug)
    }
}

/// One postal address of the address book.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub id: String,
    pub full_name: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    pub phone: String,
    pub is_default_shipping: bool,
    pub is_default_billing: bool,
}

impl Address {
    /// The address as form input (to prefill a form or snapshot it on an order).
    pub fn as_input(&self) -> AddressInput {
        AddressInput {
            full_name: self.full_name.clone(),
            line1: self.line1.clone(),
            line2: self.line2.clone(),
            city: self.city.clone(),
            region: self.region.clone(),
            postal_code: self.postal_code.clone(),
            country: self.country.clone(),
            phone: self.phone.clone(),
            default_shipping: false,
            default_billing: false,
        }
    }

    /// Whether `input` is this address (to preselect it).
    pub fn same_place_as(&self, input: &AddressInput) -> bool {
        (
            &self.full_name,
            &self.line1,
            &self.line2,
            &self.city,
            &self.region,
            &self.postal_code,
            &self.country,
        ) == (
            &input.full_name,
            &input.line1,
            &input.line2,
            &input.city,
            &input.region,
            &input.postal_code,
            &input.country,
        )
    }
}

/// An address as entered in the form (no id yet when new).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressInput {
    pub full_name: String,
    pub line1: String,
    #[serde(default)]
    pub line2: String,
    pub city: String,
    #[serde(default)]
    pub region: String,
    pub postal_code: String,
    pub country: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub default_shipping: bool,
    #[serde(default)]
    pub default_billing: bool,
}

impl AddressInput {
    /// The lines of the address as its country's post reads them (see `countries`).
    pub fn lines(&self) -> Vec<String> {
        let (name, line1, line2) = (&self.full_name, &self.line1, &self.line2);
        match super::countries::by_code(&self.country) {
            Some(country) => country.lines(name, line1, line2, &self.city, &self.region, &self.postal_code),
            None => [
                name,
                line1,
                line2,
                &self.city,
                &self.region,
                &self.postal_code,
                &self.country,
            ]
            .into_iter()
            .filter(|l| !l.is_empty())
            .cloned()
            .collect(),
        }
    }

    /// The address on one line, its lines joined by commas.
    pub fn one_line(&self) -> String {
        self.lines().join(", ")
    }
}

/// A signed-in browser, as listed on the security page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: String,
    /// The browser as its owner knows it ("Chrome on Linux").
    pub device: String,
    pub user_agent: String,
    pub ip: String,
    /// RFC 3339.
    pub created_at: String,
    pub last_seen_at: String,
    /// When it was last used, in words and in the viewer's time zone.
    pub last_seen: String,
    pub current: bool,
}

/// Enrolment in TOTP: the secret (for manual entry) and its QR code as SVG.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpEnrolment {
    pub secret: String,
    pub qr_svg: String,
}

/// The state of the security page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityOverview {
    pub two_factor: bool,
    /// Set while enrolling: scan, then confirm with a code.
    pub enrolment: Option<TotpEnrolment>,
    pub recovery_codes_left: i64,
    pub sessions: Vec<SessionInfo>,
}

/// What a login attempt led to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginOutcome {
    /// Signed in; go to `next`.
    SignedIn { next: String },
    /// The password was right; a second factor is needed (`/account/login/code`).
    NeedsCode,
}

//! What the console's people pages show.

use crate::audit::AuditRow;
use serde::{Deserialize, Serialize};

/// Whom the people list shows: everyone, or those with a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum RoleFilter {
    #[default]
    Any,
    Admins,
    /// Members of a shop.
    Sellers,
    /// Neither.
    Shoppers,
}

impl RoleFilter {
    pub const ALL: [(RoleFilter, &str, &str); 4] = [
        (RoleFilter::Any, "", "Any role"),
        (RoleFilter::Admins, "admin", "Admins"),
        (RoleFilter::Sellers, "seller", "Shop members"),
        (RoleFilter::Shoppers, "shopper", "Shoppers"),
    ];

    /// The filter a query string names ("" or anything unknown: any).
    pub fn parse(key: &str) -> Self {
        Self::ALL
            .iter()
            .find(|(_, k, _)| *k == key)
            .map_or(Self::Any, |(f, _, _)| *f)
    }

    pub fn key(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(f, _, _)| *f == self)
            .map_or("", |(_, k, _)| k)
    }
}

/// Whom the people list shows by the account's standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum StandingFilter {
    #[default]
    Any,
    Active,
    Disabled,
    /// The email address is not confirmed yet.
    Unverified,
}

impl StandingFilter {
    pub const ALL: [(StandingFilter, &str, &str); 4] = [
        (StandingFilter::Any, "", "Any status"),
        (StandingFilter::Active, "active", "Active"),
        (StandingFilter::Disabled, "disabled", "Disabled"),
        (StandingFilter::Unverified, "unverified", "Email not confirmed"),
    ];

    pub fn parse(key: &str) -> Self {
        Self::ALL
            .iter()
            .find(|(_, k, _)| *k == key)
            .map_or(Self::Any, |(f, _, _)| *f)
    }

    pub fn key(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(f, _, _)| *f == self)
            .map_or("", |(_, k, _)| k)
    }
}

/// One person in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub joined: String,
    pub is_admin: bool,
    pub shops: i64,
    pub orders: i64,
    pub disabled: bool,
    pub verified: bool,
    pub two_factor: bool,
}

/// A page of the people list, and the search that chose it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct People {
    pub rows: Vec<PersonRow>,
    pub q: String,
    pub role: RoleFilter,
    pub standing: StandingFilter,
    pub page: u32,
    pub pages: u32,
    pub total: i64,
}

/// One of a person's orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonOrder {
    pub number: i64,
    pub placed: String,
    pub status: String,
    pub total: crate::money::Money,
}

/// A shop a person works in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonShop {
    pub slug: String,
    pub name: String,
    pub role: String,
}

/// A browser a person is signed in with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonSession {
    pub device: String,
    pub ip: String,
    pub last_seen: String,
}

/// A mail sent (or waiting to be sent) to a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonMail {
    pub subject: String,
    pub queued: String,
    /// "Sent", "Waiting" or "Failing: …".
    pub state: String,
}

/// Everything the console shows about one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDetail {
    pub person: PersonRow,
    /// When and why the account was disabled.
    pub disabled: Option<(String, String)>,
    /// The operator looking is this person.
    pub is_you: bool,
    pub orders: Vec<PersonOrder>,
    pub shops: Vec<PersonShop>,
    pub sessions: Vec<PersonSession>,
    pub mails: Vec<PersonMail>,
    pub audit: Vec<AuditRow>,
}

/// An action on a person's account, as its form names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum PersonAction {
    Disable { reason: String },
    Enable,
    SignOut,
    ForceReset,
    ResendVerification,
    GrantAdmin,
    RevokeAdmin,
}

impl PersonAction {
    pub fn audit_action(&self) -> crate::audit::Action {
        match self {
            PersonAction::Disable { .. } => crate::audit::Action::UserDisabled,
            PersonAction::Enable => crate::audit::Action::UserEnabled,
            PersonAction::SignOut => crate::audit::Action::UserSignedOut,
            PersonAction::ForceReset => crate::audit::Action::UserPasswordReset,
            PersonAction::ResendVerification => crate::audit::Action::UserVerificationSent,
            PersonAction::GrantAdmin => crate::audit::Action::AdminGranted,
            PersonAction::RevokeAdmin => crate::audit::Action::AdminRevoked,
        }
    }
}

/// One order in the console's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRow {
    pub number: i64,
    pub placed: String,
    pub email: String,
    /// The shops whose parts it holds, by name.
    pub shops: String,
    pub total: crate::money::Money,
    pub status: String,
}

/// A page of every order, and the search that chose it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderList {
    pub rows: Vec<OrderRow>,
    pub search: String,
    /// An order status's key ("" for any).
    pub status: String,
    pub from: String,
    pub to: String,
    pub page: u32,
    pub pages: u32,
    pub total: i64,
}

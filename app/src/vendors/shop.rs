//! Who may do what in a shop: any member reads its products, stock and orders, members of a
//! shop in good standing change them, owners read and manage staff and money. Everyone else
//! is refused the same way, whether the shop exists or not.

use crate::accounts::model::{CurrentUser, Membership, VendorRole};
use crate::accounts::viewer::Viewer;
use crate::audit::Actor;
use crate::error::{AppError, AppResult};
use std::sync::Arc;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Any member, whatever the shop's status (a suspended shop keeps its data readable).
    Read,
    /// Any member of a shop that is pending or approved.
    Edit,
    /// An owner of a shop that is pending or approved.
    Owner,
    /// An owner, whatever the shop's status: money and the shop's people are theirs to read.
    OwnerRead,
}

/// The signed-in member's shop.
pub struct Shop {
    pub user: Arc<CurrentUser>,
    pub membership: Membership,
    pub id: Uuid,
    /// The member and the address they act from, for the audit log.
    pub audit: Actor,
}

impl Shop {
    /// Who did it, for events and the ledger.
    pub fn actor(&self) -> String {
        format!("vendor:{}", self.user.email)
    }
}

impl Viewer {
    /// The shop `slug` of the signed-in viewer, if they are a member with what `need` asks.
    pub fn shop_member(&self, slug: &str, need: Need) -> AppResult<Shop> {
        shop_of(self.signed_in()?.clone(), slug, need, &self.client().ip)
    }
}

/// The shop `slug` of `user` (acting from address `ip`), if they are a member with what
/// `need` asks.
pub fn shop_of(user: Arc<CurrentUser>, slug: &str, need: Need, ip: &str) -> AppResult<Shop> {
    let membership = user.membership(slug).cloned().ok_or(AppError::Forbidden)?;
    let allowed = match need {
        Need::Read => true,
        Need::Edit => membership.can_edit(),
        Need::Owner => membership.can_edit() && membership.role == VendorRole::Owner,
        Need::OwnerRead => membership.role == VendorRole::Owner,
    };
    if !allowed {
        return Err(if membership.can_edit() || need == Need::OwnerRead {
            AppError::Forbidden
        } else {
            read_only(&membership)
        });
    }
    let id = membership.vendor_id.uuid();
    let audit = Actor {
        user: Some(user.id.uuid()),
        ip: ip.chars().take(64).collect(),
    };
    Ok(Shop {
        user,
        membership,
        id,
        audit,
    })
}

/// The refusal of a change in a shop that is suspended or rejected: its data stays readable.
pub fn read_only(membership: &Membership) -> AppError {
    AppError::NotAllowed(format!(
        "{} is {}: nothing can be changed until the marketplace reinstates it.",
        membership.vendor_name, membership.vendor_status
    ))
}

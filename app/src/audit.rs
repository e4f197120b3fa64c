//! The audit log: who changed what, when and from where, with the values before and after.
//! Operators' actions, and shops' changes to their money, stock, products and staff, are
//! written in the same transaction as the change they record, so a change is never without
//! its entry (nor an entry without its change). The table refuses updates and deletes (a
//! trigger), so the log can only grow.

#[cfg(feature = "ssr")]
pub mod list;
#[cfg(feature = "ssr")]
mod record;
mod table;

#[cfg(feature = "ssr")]
pub use record::{Actor, By, Entry, record};
pub use table::{AuditPanel, AuditTable};

use serde::{Deserialize, Serialize};

/// What was done. The key is what the log stores and what its search filters by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    UserDisabled,
    UserEnabled,
    UserSignedOut,
    UserPasswordReset,
    UserVerificationSent,
    AdminGranted,
    AdminRevoked,
    VendorDecided,
    VendorCommission,
    ProductHidden,
    ProductReinstated,
    ReportsDismissed,
    CategoryCreated,
    CategoryEdited,
    CategoryMoved,
    CategoryDeleted,
    OrderRefunded,
    OrderCancelled,
    OrderConfirmationResent,
    PayoutsHeld,
    PayoutsReleased,
    PayoutSent,
    SettingsChanged,
    TaxRateSaved,
    TaxRateDeleted,
    ShippingDefaultSaved,
    ShippingDefaultDeleted,
    ProductSaved,
    ProductImagesChanged,
    StockChanged,
    LowStockThreshold,
    StaffInvited,
    StaffInviteRevoked,
    StaffRemoved,
    StaffJoined,
    CatalogImported,
    PartCancelled,
    LinesCancelled,
    DiscountCreated,
    DiscountDisabled,
    DiscountEnabled,
}

impl Action {
    pub const ALL: [Action; 41] = [
        Action::UserDisabled,
        Action::UserEnabled,
        Action::UserSignedOut,
        Action::UserPasswordReset,
        Action::UserVerificationSent,
        Action::AdminGranted,
        Action::AdminRevoked,
        Action::VendorDecided,
        Action::VendorCommission,
        Action::ProductHidden,
        Action::ProductReinstated,
        Action::ReportsDismissed,
        Action::CategoryCreated,
        Action::CategoryEdited,
        Action::CategoryMoved,
        Action::CategoryDeleted,
        Action::OrderRefunded,
        Action::OrderCancelled,
        Action::OrderConfirmationResent,
        Action::PayoutsHeld,
        Action::PayoutsReleased,
        Action::PayoutSent,
        Action::SettingsChanged,
        Action::TaxRateSaved,
        Action::TaxRateDeleted,
        Action::ShippingDefaultSaved,
        Action::ShippingDefaultDeleted,
        Action::ProductSaved,
        Action::ProductImagesChanged,
        Action::StockChanged,
        Action::LowStockThreshold,
        Action::StaffInvited,
        Action::StaffInviteRevoked,
        Action::StaffRemoved,
        Action::StaffJoined,
        Action::CatalogImported,
        Action::PartCancelled,
        Action::LinesCancelled,
        Action::DiscountCreated,
        Action::DiscountDisabled,
        Action::DiscountEnabled,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Action::UserDisabled => "user.disable",
            Action::UserEnabled => "user.enable",
            Action::UserSignedOut => "user.sign_out",
            Action::UserPasswordReset => "user.force_reset",
            Action::UserVerificationSent => "user.resend_verification",
            Action::AdminGranted => "admin.grant",
            Action::AdminRevoked => "admin.revoke",
            Action::VendorDecided => "vendor.decide",
            Action::VendorCommission => "vendor.commission",
            Action::ProductHidden => "product.hide",
            Action::ProductReinstated => "product.reinstate",
            Action::ReportsDismissed => "product.dismiss_reports",
            Action::CategoryCreated => "category.create",
            Action::CategoryEdited => "category.edit",
            Action::CategoryMoved => "category.move",
            Action::CategoryDeleted => "category.delete",
            Action::OrderRefunded => "order.refund",
            Action::OrderCancelled => "order.cancel",
            Action::OrderConfirmationResent => "order.resend_confirmation",
            Action::PayoutsHeld => "payouts.hold",
            Action::PayoutsReleased => "payouts.release",
            Action::PayoutSent => "payouts.pay_now",
            Action::SettingsChanged => "settings.general",
            Action::TaxRateSaved => "settings.tax_save",
            Action::TaxRateDeleted => "settings.tax_delete",
            Action::ShippingDefaultSaved => "settings.shipping_save",
            Action::ShippingDefaultDeleted => "settings.shipping_delete",
            Action::ProductSaved => "product.save",
            Action::ProductImagesChanged => "product.images",
            Action::StockChanged => "stock.set",
            Action::LowStockThreshold => "shop.low_stock_threshold",
            Action::StaffInvited => "staff.invite",
            Action::StaffInviteRevoked => "staff.revoke_invite",
            Action::StaffRemoved => "staff.remove",
            Action::StaffJoined => "staff.join",
            Action::CatalogImported => "catalog.import",
            Action::PartCancelled => "order.cancel_part",
            Action::LinesCancelled => "order.cancel_lines",
            Action::DiscountCreated => "discount.create",
            Action::DiscountDisabled => "discount.disable",
            Action::DiscountEnabled => "discount.enable",
        }
    }

    /// In the log's words.
    pub fn label(self) -> &'static str {
        match self {
            Action::UserDisabled => "Account disabled",
            Action::UserEnabled => "Account enabled",
            Action::UserSignedOut => "Signed out everywhere",
            Action::UserPasswordReset => "Password reset forced",
            Action::UserVerificationSent => "Verification mail sent again",
            Action::AdminGranted => "Made an admin",
            Action::AdminRevoked => "No longer an admin",
            Action::VendorDecided => "Shop's standing decided",
            Action::VendorCommission => "Shop's commission set",
            Action::ProductHidden => "Product hidden",
            Action::ProductReinstated => "Product reinstated",
            Action::ReportsDismissed => "Reports dismissed",
            Action::CategoryCreated => "Category added",
            Action::CategoryEdited => "Category renamed or described",
            Action::CategoryMoved => "Category moved",
            Action::CategoryDeleted => "Category deleted",
            Action::OrderRefunded => "Order refunded",
            Action::OrderCancelled => "Unpaid order cancelled",
            Action::OrderConfirmationResent => "Order confirmation sent again",
            Action::PayoutsHeld => "Payouts held",
            Action::PayoutsReleased => "Payouts released",
            Action::PayoutSent => "Paid out now",
            Action::SettingsChanged => "Commission, reservation or payout delay changed",
            Action::TaxRateSaved => "Tax rate saved",
            Action::TaxRateDeleted => "Tax rate deleted",
            Action::ShippingDefaultSaved => "Default shipping method saved",
            Action::ShippingDefaultDeleted => "Default shipping method deleted",
            Action::ProductSaved => "Product saved by its shop",
            Action::ProductImagesChanged => "Product images changed",
            Action::StockChanged => "Stock changed",
            Action::LowStockThreshold => "Low-stock threshold changed",
            Action::StaffInvited => "Invited to the shop",
            Action::StaffInviteRevoked => "Invitation withdrawn",
            Action::StaffRemoved => "Removed from the shop",
            Action::StaffJoined => "Joined the shop",
            Action::CatalogImported => "Products imported from CSV",
            Action::PartCancelled => "Shop's part cancelled and refunded",
            Action::LinesCancelled => "Items cancelled and refunded",
            Action::DiscountCreated => "Discount code created",
            Action::DiscountDisabled => "Discount code disabled",
            Action::DiscountEnabled => "Discount code enabled again",
        }
    }

    pub fn from_key(key: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.key() == key)
    }
}

/// What a change was made to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    User(uuid::Uuid),
    Vendor(uuid::Uuid),
    Product(uuid::Uuid),
    Category(uuid::Uuid),
    Order(uuid::Uuid),
    DiscountCode(uuid::Uuid),
    /// The platform's settings (one subject: the history of every setting).
    Settings,
}

impl Subject {
    /// The kind and id the log stores.
    pub fn parts(self) -> (&'static str, String) {
        match self {
            Subject::User(id) => ("user", id.to_string()),
            Subject::Vendor(id) => ("vendor", id.to_string()),
            Subject::Product(id) => ("product", id.to_string()),
            Subject::Category(id) => ("category", id.to_string()),
            Subject::Order(id) => ("order", id.to_string()),
            Subject::DiscountCode(id) => ("discount", id.to_string()),
            Subject::Settings => ("settings", "platform".to_string()),
        }
    }
}

/// An entry as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: String,
    /// The actor's email, or "" for the system.
    pub actor: String,
    pub ip: String,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    /// The values before and after, as compact JSON ("" when there are none).
    pub before: String,
    pub after: String,
}

/// A page of the log, and the search that chose it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    /// An action's key ("" for any).
    pub action: String,
    /// Part of the actor's email, or a subject's id ("" for any).
    pub q: String,
    pub page: u32,
    pub pages: u32,
}

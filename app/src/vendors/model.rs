//! What the vendor and admin pages and the JSON API exchange.

use crate::accounts::model::{Membership, VendorRole};
use crate::money::Money;
use crate::orders::status::VendorOrderStatus;
use serde::{Deserialize, Serialize};

pub use super::money_model::{LedgerLine, MoneyOverview, PayoutLine};

/// Where a shop stands with the marketplace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "lowercase"))]
pub enum VendorStatus {
    Pending,
    Approved,
    Rejected,
    Suspended,
}

impl VendorStatus {
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "pending" => Self::Pending,
            "approved" => Self::Approved,
            "rejected" => Self::Rejected,
            "suspended" => Self::Suspended,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Suspended => "suspended",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Waiting for approval",
            Self::Approved => "Approved",
            Self::Rejected => "Rejected",
            Self::Suspended => "Suspended",
        }
    }
}

/// What platform staff decide about a shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Approve,
    Reject,
    Suspend,
    Reinstate,
}

impl Decision {
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "approve" => Self::Approve,
            "reject" => Self::Reject,
            "suspend" => Self::Suspend,
            "reinstate" => Self::Reinstate,
            _ => return None,
        })
    }

    /// The status a shop in `from` moves to, if this decision applies to it.
    pub fn apply(self, from: VendorStatus) -> Option<VendorStatus> {
        use VendorStatus::*;
        match (self, from) {
            (Self::Approve, Pending | Rejected) => Some(Approved),
            (Self::Reject, Pending) => Some(Rejected),
            (Self::Suspend, Approved) => Some(Suspended),
            (Self::Reinstate, Suspended) => Some(Approved),
            _ => None,
        }
    }

    /// Rejections and suspensions tell the shop why.
    pub fn needs_reason(self) -> bool {
        matches!(self, Self::Reject | Self::Suspend)
    }
}

/// A shop as platform staff see it in `/admin/vendors`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorRow {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub status: VendorStatus,
    pub description: String,
    pub country: String,
    pub contact_email: String,
    pub applicant: String,
    pub applied: String,
    pub reason: String,
    /// The shop's own rate, when it has one.
    pub commission_bp: Option<i32>,
    pub products: i64,
    pub logo_key: Option<String>,
}

/// `/admin/vendors`: the shops, those waiting first, and the platform's default commission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminVendors {
    pub vendors: Vec<VendorRow>,
    pub default_commission_bp: i32,
}

/// A person working in a shop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub role: VendorRole,
    pub is_me: bool,
}

/// An invitation not accepted yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenInvite {
    pub id: String,
    pub email: String,
    pub role: VendorRole,
    pub expires: String,
}

/// `/vendor/:shop/activity`: the shop's own part of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopActivity {
    pub membership: Membership,
    pub log: crate::audit::AuditPage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffOverview {
    pub membership: Membership,
    pub members: Vec<StaffMember>,
    pub invites: Vec<OpenInvite>,
}

/// One item of a shop's part of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartItem {
    pub id: String,
    pub title: String,
    pub options: String,
    pub sku: String,
    pub quantity: i32,
    /// Units cancelled before shipping.
    pub cancelled: i32,
    /// Units put back in stock by refunds.
    pub restocked: i32,
    pub line_total: Money,
}

/// A shop's part of an order, in the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopOrder {
    pub id: String,
    pub number: i64,
    pub placed: String,
    pub status: VendorOrderStatus,
    pub ship_to: String,
    /// The name on the shipping address.
    pub customer: String,
    pub shipping_method: String,
    pub items: Vec<PartItem>,
    pub total: Money,
    /// What a discount code took off the shop's goods, and whether the marketplace pays it.
    pub discount: Money,
    pub discount_by_marketplace: bool,
    pub refunded: Money,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    /// Names the refund or cancellation sent with this page's forms: sent twice, done once.
    pub form_key: String,
}

/// `/vendor/:shop/orders`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopOrders {
    pub membership: Membership,
    pub orders: Vec<ShopOrder>,
    pub filter: String,
    /// An order number, or part of the customer's name or email ("" for any).
    pub search: String,
    /// Placed on or after this day (`YYYY-MM-DD`, in the viewer's time zone; "" for any).
    pub from: String,
    /// Placed on or before this day.
    pub to: String,
    pub page: u32,
    pub pages: u32,
}

/// A day of sales on the dashboard's chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySales {
    pub day: String,
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopProduct {
    pub title: String,
    pub units: i64,
    /// What it sold for; only owners see money.
    pub revenue: Option<Money>,
}

/// A shop's sales in money, for its owners' dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sales {
    pub today: Money,
    pub week: Money,
    pub month: Money,
    pub chart: Vec<DaySales>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LowStock {
    pub product_id: String,
    pub title: String,
    pub options: String,
    pub sku: String,
    pub available: i32,
}

/// `/vendor/:shop`: the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub membership: Membership,
    pub status: VendorStatus,
    pub logo_key: Option<String>,
    pub reason: String,
    /// Only for owners: money is theirs to read.
    pub sales: Option<Sales>,
    pub to_ship: i64,
    pub products_active: i64,
    pub products_draft: i64,
    pub low_stock: Vec<LowStock>,
    pub top: Vec<TopProduct>,
}

/// A product in the portal's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRow {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub status: String,
    pub variants: i64,
    pub stock: i64,
    pub price_min: Option<Money>,
    pub price_max: Option<Money>,
    pub updated: String,
}

/// `/vendor/:shop/products`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductList {
    pub membership: Membership,
    pub products: Vec<ProductRow>,
    pub q: String,
    pub status: String,
    pub page: u32,
    pub pages: u32,
}

/// A variant in the editor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VariantInput {
    /// Its option values joined by " / " (see `options::variant_key`).
    pub key: String,
    pub sku: String,
    /// Price in major units as typed ("12.50").
    pub price: String,
    pub stock: String,
}

/// An image of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductImage {
    pub id: String,
    pub key: String,
    pub alt: String,
    pub width: u32,
    pub height: u32,
}

/// What the product editor saves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductInput {
    pub title: String,
    pub description: String,
    pub category: String,
    pub status: String,
    /// The price of variants that have none yet, in major units.
    pub base_price: String,
    pub options: Vec<crate::vendors::options::OptionInput>,
    pub variants: Vec<VariantInput>,
}

/// `/vendor/:shop/products/:id` (or `new`): the editor's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductEditor {
    pub membership: Membership,
    /// None for a new product.
    pub id: Option<String>,
    pub slug: Option<String>,
    pub input: ProductInput,
    pub images: Vec<ProductImage>,
    /// (slug, "Parent › Child") of every category.
    pub categories: Vec<(String, String)>,
    /// (since when, why) while the marketplace hides it from the storefront.
    pub hidden: Option<(String, String)>,
}

/// One row of the inventory page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockRow {
    pub product_id: String,
    pub title: String,
    pub options: String,
    pub sku: String,
    pub on_hand: i32,
    pub reserved: i32,
}

/// `/vendor/:shop/inventory`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inventory {
    pub membership: Membership,
    pub rows: Vec<StockRow>,
    pub threshold: i32,
    pub low_only: bool,
    /// What the list was searched for ("" for everything).
    pub search: String,
    pub page: u32,
    pub pages: u32,
}

/// A problem with one cell (or row) of an imported CSV file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// 1-based line of the file (the header is line 1).
    pub line: u64,
    /// The column's name, or "" for the whole row.
    pub column: String,
    pub message: String,
}

/// What the last CSV import of this browser found: nothing is applied unless `errors` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Names the report in the address the upload leads to (`?report=`), so the page shows
    /// this upload's report however often it is loaded, and no other.
    #[serde(default)]
    pub id: String,
    pub file_name: String,
    pub rows: usize,
    pub products: usize,
    pub errors: Vec<RowError>,
}

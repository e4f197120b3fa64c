//! The people of the authorization matrix and the real objects each of them owns: two shoppers
//! with an address, a cart and a paid order; two shops with an owner and a staff member each,
//! products, images, an invitation and an order part; a pending, a suspended and a rejected
//! shop with their owners; and three admins: one whose session passed the second factor, one
//! whose session began before the account turned 2FA on, and one without 2FA.

use super::super::people::{browser, confirmed, enable_two_factor, member, user};
use super::super::shopping::{add, details, key, pay, place, stocked};
use super::super::support::{Browser, TestApp};
use http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Who {
    Anonymous,
    CustomerA,
    CustomerB,
    OwnerA,
    StaffA,
    OwnerB,
    StaffB,
    PendingOwner,
    SuspendedOwner,
    RejectedOwner,
    /// 2FA on, and this session passed it.
    Admin,
    /// 2FA turned on after this session signed in: the session never passed it.
    AdminStale,
    /// An admin without 2FA.
    AdminNo2fa,
}
use Who::*;

pub const EVERYONE: &[Who] = &[
    Anonymous,
    CustomerA,
    CustomerB,
    OwnerA,
    StaffA,
    OwnerB,
    StaffB,
    PendingOwner,
    SuspendedOwner,
    RejectedOwner,
    Admin,
    AdminStale,
    AdminNo2fa,
];

/// Everyone but the anonymous visitor.
pub fn signed_in() -> Vec<Who> {
    EVERYONE[1..].to_vec()
}

/// A shop of the matrix: its slug, its members and whether they may change anything.
#[derive(Debug, Clone)]
pub struct Shop {
    pub slug: String,
    pub owners: Vec<Who>,
    pub staff: Vec<Who>,
    /// Pending or approved (suspended and rejected shops are read-only).
    pub editable: bool,
}

/// What a function of a shop asks of its caller (mirrors `vendors::shop::Need`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Read,
    Edit,
    Owner,
    OwnerRead,
}

impl Shop {
    /// Who `need` lets through in this shop.
    pub fn allowed(&self, need: Need) -> Vec<Who> {
        let members = self.owners.iter().chain(&self.staff).copied();
        match need {
            Need::Read => members.collect(),
            Need::Edit if self.editable => members.collect(),
            Need::Owner if self.editable => self.owners.clone(),
            Need::OwnerRead => self.owners.clone(),
            Need::Edit | Need::Owner => Vec::new(),
        }
    }
}

pub struct World<'a> {
    pub browsers: Vec<(Who, Browser<'a>)>,
    /// Shops A and B (approved), then the pending, suspended and rejected ones.
    pub shops: Vec<Shop>,
    /// Customer B's paid order, all of it from shop B.
    pub b_order: i64,
    /// Shop B's part of it, and one of its items.
    pub b_part: String,
    pub b_item: String,
    /// Customer B's address, and the SKU in Customer B's cart.
    pub b_address: String,
    pub b_cart_sku: String,
    /// A product of shop B, its editor's content, a SKU of it and its images (one each
    /// caller may try to delete, one to edit).
    pub b_product: String,
    pub b_product_slug: String,
    pub b_product_input: Value,
    pub b_sku: String,
    pub b_image: String,
    pub b_images: BTreeMap<Who, String>,
    /// An invitation to shop B, and a member of shop B nobody else needs.
    pub b_invite: String,
    pub b_spare_member: String,
    /// Shop B's own discount code.
    pub b_code: String,
    pub b_vendor_id: String,
    pub pending_vendor_id: String,
    /// A running import of shop B, by its progress token.
    pub b_import_token: String,
    /// Customer B's account, for the console's people pages.
    pub b_customer_id: String,
}

impl World<'_> {
    pub fn shop(&self, n: usize) -> &Shop {
        &self.shops[n]
    }
}

async fn slug_of(pool: &PgPool, status: &str, offset: i64) -> String {
    sqlx::query_scalar("select slug from vendors where status = $1 order by slug offset $2 limit 1")
        .bind(status)
        .bind(offset)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn id_of(pool: &PgPool, slug: &str) -> String {
    sqlx::query_scalar("select id::text from vendors where slug = $1")
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap()
}

pub async fn build(app: &TestApp) -> World<'_> {
    let pool = &app.state.app.pool;
    // The last approved shop becomes the rejected one; A and B are the first two.
    let rejected = slug_of(pool, "approved", 9).await;
    sqlx::query("update vendors set status = 'rejected' where slug = $1")
        .bind(&rejected)
        .execute(pool)
        .await
        .unwrap();
    let (shop_a, shop_b) = (
        slug_of(pool, "approved", 0).await,
        slug_of(pool, "approved", 1).await,
    );
    let pending = slug_of(pool, "pending", 0).await;
    let suspended = slug_of(pool, "suspended", 0).await;

    let mut emails = BTreeMap::new();
    for (who, email) in [
        (CustomerA, "customer-a@example.com"),
        (CustomerB, "customer-b@example.com"),
        (OwnerA, "owner-a@example.com"),
        (StaffA, "staff-a@example.com"),
        (OwnerB, "owner-b@example.com"),
        (StaffB, "staff-b@example.com"),
        (PendingOwner, "pending@example.com"),
        (SuspendedOwner, "suspended@example.com"),
        (RejectedOwner, "rejected@example.com"),
        (Admin, "admin@example.com"),
        (AdminStale, "stale-admin@example.com"),
        (AdminNo2fa, "plain-admin@example.com"),
    ] {
        let admin = matches!(who, Admin | AdminStale | AdminNo2fa);
        let id = user(pool, email, admin).await;
        let shop = match who {
            OwnerA | StaffA => Some(&shop_a),
            OwnerB | StaffB => Some(&shop_b),
            PendingOwner => Some(&pending),
            SuspendedOwner => Some(&suspended),
            RejectedOwner => Some(&rejected),
            _ => None,
        };
        if let Some(shop) = shop {
            let role = if matches!(who, StaffA | StaffB) {
                "staff"
            } else {
                "owner"
            };
            member(pool, id, shop, role).await;
        }
        if who == Admin {
            enable_two_factor(app, id).await;
        }
        emails.insert(who, email.to_string());
    }
    let spare = user(pool, "spare@example.com", false).await;
    member(pool, spare, &shop_b, "staff").await;

    let mut browsers = vec![(Anonymous, Browser::new(app))];
    for (&who, email) in &emails {
        // Owner B refunds: a session that confirmed who it is, as money going out asks.
        let signed_in = if who == OwnerB {
            confirmed(app, email).await
        } else {
            browser(app, email).await
        };
        browsers.push((who, signed_in));
    }
    // The stale admin's session began before 2FA was turned on for the account.
    let stale =
        sqlx::query_scalar::<_, uuid::Uuid>("select id from users where email = 'stale-admin@example.com'")
            .fetch_one(pool)
            .await
            .unwrap();
    enable_two_factor(app, stale).await;

    let mut world = World {
        browsers,
        shops: vec![
            Shop {
                slug: shop_a.clone(),
                owners: vec![OwnerA],
                staff: vec![StaffA],
                editable: true,
            },
            Shop {
                slug: shop_b.clone(),
                owners: vec![OwnerB],
                staff: vec![StaffB],
                editable: true,
            },
            Shop {
                slug: pending.clone(),
                owners: vec![PendingOwner],
                staff: vec![],
                editable: true,
            },
            Shop {
                slug: suspended,
                owners: vec![SuspendedOwner],
                staff: vec![],
                editable: false,
            },
            Shop {
                slug: rejected,
                owners: vec![RejectedOwner],
                staff: vec![],
                editable: false,
            },
        ],
        b_order: 0,
        b_part: String::new(),
        b_item: String::new(),
        b_address: String::new(),
        b_cart_sku: String::new(),
        b_product: String::new(),
        b_product_slug: String::new(),
        b_product_input: Value::Null,
        b_sku: String::new(),
        b_image: String::new(),
        b_images: BTreeMap::new(),
        b_invite: String::new(),
        b_spare_member: spare.to_string(),
        b_code: sqlx::query_scalar(
            "insert into discount_codes (code, vendor_id, kind, value)
             select 'SHOPB10', id, 'percent', 1000 from vendors where slug = $1 returning id::text",
        )
        .bind(&shop_b)
        .fetch_one(pool)
        .await
        .unwrap(),
        b_vendor_id: id_of(pool, &shop_b).await,
        pending_vendor_id: id_of(pool, &pending).await,
        b_import_token: uuid::Uuid::new_v4().to_string(),
        b_customer_id: sqlx::query_scalar(
            "select id::text from users where email = 'customer-b@example.com'",
        )
        .fetch_one(pool)
        .await
        .unwrap(),
    };
    shopper_b_things(app, &mut world).await;
    shop_b_things(app, &mut world).await;
    world
}

pub fn browser_of<'w, 'a>(world: &'w mut World<'a>, who: Who) -> &'w mut Browser<'a> {
    &mut world
        .browsers
        .iter_mut()
        .find(|(w, _)| *w == who)
        .expect("a browser")
        .1
}

/// Customer B: an address, a paid order from shop B, and another line in the cart.
async fn shopper_b_things(app: &TestApp, world: &mut World<'_>) {
    let pool = &app.state.app.pool;
    let (order_sku, cart_sku) = (stocked(pool, 1, 50).await, stocked(pool, 0, 50).await);
    let b = browser_of(world, CustomerB);
    let saved = b
        .call(
            "account/address_save",
            json!({"id": null, "address": {"full_name": "Bea Buyer", "line1": "2 High Street",
                   "city": "Los Angeles", "region": "CA", "postal_code": "90001", "country": "US"}}),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let address = serde_json::from_str::<String>(&saved.body).unwrap();
    add(b, &order_sku, 3).await;
    details(b, "customer-b@example.com").await;
    let number = place(b, &key()).await;
    pay(b, number, true).await;
    add(b, &cart_sku, 2).await;
    let (part, item): (String, String) = sqlx::query_as(
        "select vo.id::text, i.id::text from vendor_orders vo join orders o on o.id = vo.order_id
         join order_items i on i.vendor_order_id = vo.id where o.number = $1",
    )
    .bind(number)
    .fetch_one(pool)
    .await
    .unwrap();
    (
        world.b_address,
        world.b_cart_sku,
        world.b_order,
        world.b_part,
        world.b_item,
    ) = (address, cart_sku, number, part, item);
}

/// Shop B: a product with its editor's content, one image per caller, an invitation, and an
/// import under way to watch.
async fn shop_b_things(app: &TestApp, world: &mut World<'_>) {
    let pool = &app.state.app.pool;
    let shop_b = world.shops[1].slug.clone();
    let (product, slug, sku): (String, String, String) = sqlx::query_as(
        "select p.id::text, p.slug, v.sku from products p join variants v on v.product_id = p.id
         join vendors s on s.id = p.vendor_id where s.slug = $1 and p.status = 'active'
         order by p.slug, v.sku limit 1",
    )
    .bind(&shop_b)
    .fetch_one(pool)
    .await
    .unwrap();
    let mut images = BTreeMap::new();
    for (n, who) in EVERYONE.iter().enumerate() {
        let id: String = sqlx::query_scalar(
            "insert into product_images (product_id, key, alt, width, height, position)
             values ($1::uuid, $2, 'a picture', 960, 960, $3) returning id::text",
        )
        .bind(&product)
        .bind(format!("matrix/{n}"))
        .bind(100 + n as i32)
        .fetch_one(pool)
        .await
        .unwrap();
        images.insert(*who, id);
    }
    let token = world.b_import_token.clone();
    let owner = browser_of(world, OwnerB);
    let editor = owner
        .call("vendor/product", json!({"vendor": shop_b, "id": product}))
        .await;
    assert_eq!(editor.status, StatusCode::OK, "{}", editor.body);
    let input = serde_json::from_str::<Value>(&editor.body).unwrap()["input"].clone();
    let invited = owner
        .call(
            "vendor/staff/invite",
            json!({"vendor": shop_b, "email": "invitee@example.com", "role": "staff"}),
        )
        .await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    let invite: String =
        sqlx::query_scalar("select id::text from vendor_invites where email = 'invitee@example.com'")
            .fetch_one(pool)
            .await
            .unwrap();
    let header = app::vendors::catalog_csv::COLUMNS.join(",");
    let upload = owner
        .post_multipart(
            &format!("/vendor/{shop_b}/upload/csv"),
            &[("progress_token", token.as_str())],
            ("file", "products.csv", "text/csv", header.as_bytes()),
        )
        .await;
    assert!(
        upload.status.is_redirection() || upload.status.is_success(),
        "{}",
        upload.status
    );
    world.b_image = images.remove(&Anonymous).expect("an image");
    (
        world.b_product,
        world.b_product_slug,
        world.b_product_input,
        world.b_sku,
    ) = (product, slug, input, sku);
    (world.b_images, world.b_invite) = (images, invite);
}

//! The rows of a new order, built from its priced cart, and the one statement that writes
//! them all (see `place`).

use crate::cart::model::{CartLine, Quote, VendorQuote};
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// The order's own row: who placed it from which cart, and its payment.
pub(super) struct Order<'a> {
    pub user: Option<Uuid>,
    pub cart: Uuid,
    pub idempotency_key: &'a str,
    pub email: &'a str,
    /// The shop's currency (ISO code).
    pub currency: &'a str,
    /// The shipping address and the tax lines, as stored (JSON).
    pub address: serde_json::Value,
    pub tax_lines: serde_json::Value,
    /// How long the stock is held for the payment.
    pub reservation_minutes: i32,
    pub payment: Uuid,
    pub provider: &'a str,
    /// The payment's reference at a local provider, known before the order is written.
    pub provider_ref: Option<String>,
    pub actor: &'a str,
    pub number: i64,
}

/// The order's items and vendor parts, column by column, in the quote's order.
pub(super) struct OrderRows<'a> {
    /// (vendor, variant, line) of every item.
    pub items: Vec<(Uuid, Uuid, &'a CartLine)>,
    /// The vendor of each part.
    pub vendors: Vec<Uuid>,
    /// The name of each part's shipping method.
    pub methods: Vec<String>,
    /// What the marketplace pays each part for its discount.
    pub funded: Vec<i64>,
}

impl<'a> OrderRows<'a> {
    /// The rows of `quote`, whose shops and variants are `vendor_ids` (by slug) and
    /// `variant_ids` (by SKU).
    /// `by_marketplace`: the discount, if any, is the marketplace's to pay.
    pub fn build(
        quote: &'a Quote,
        vendor_ids: &HashMap<String, Uuid>,
        variant_ids: &HashMap<String, Uuid>,
        by_marketplace: bool,
    ) -> Self {
        let items = quote
            .vendors
            .iter()
            .flat_map(|v| {
                let vendor = vendor_ids[&v.vendor.slug];
                v.lines.iter().map(move |l| (vendor, variant_ids[&l.sku], l))
            })
            .collect();
        let methods = quote
            .vendors
            .iter()
            .map(|v| {
                v.methods
                    .iter()
                    .find(|m| m.id == v.method_id)
                    .map_or_else(|| "Standard".to_string(), |m| m.name.clone())
            })
            .collect();
        Self {
            items,
            vendors: quote.vendors.iter().map(|v| vendor_ids[&v.vendor.slug]).collect(),
            methods,
            funded: quote
                .vendors
                .iter()
                .map(|v| if by_marketplace { v.discount.minor } else { 0 })
                .collect(),
        }
    }

    fn item_column(&self, f: fn(&CartLine) -> String) -> Vec<String> {
        self.items.iter().map(|(_, _, l)| f(l)).collect()
    }
}

/// The order the statement wrote.
pub(super) struct Placed {
    pub id: Uuid,
    pub number: i64,
}

/// Writes the order, its parts, items, payment and first event, reserving every line's stock.
///
/// One statement, so an order costs one round trip rather than one per table, in the
/// transaction that holds the cart (see `repeat::settle`). It locks the lines' variants in
/// id order (concurrent checkouts never deadlock), reserves every line that still has the
/// stock at the price shown, and creates the order, its vendor orders, items, payment and
/// first event only if every line was reserved; otherwise `order_lines_not_reserved()`
/// raises, which undoes the reservations made and the transaction. It runs on the pool
/// whose connections plan it once (`AppState::generic_plans`): planning it anew for each
/// order's arrays cost a third of its time, and the plan is the same for any cart.
pub(super) async fn insert(
    tx: &mut PgConnection,
    quote: &Quote,
    order: &Order<'_>,
    rows: &OrderRows<'_>,
) -> Result<Placed, sqlx::Error> {
    let part_column = |f: fn(&VendorQuote) -> i64| quote.vendors.iter().map(f).collect::<Vec<i64>>();
    sqlx::query!(
        r#"with line as (
               select * from unnest($12::uuid[], $13::uuid[], $14::integer[], $15::bigint[], $16::bigint[],
                                    $17::text[], $18::text[], $19::text[], $20::text[])
                   with ordinality as l (vendor_id, variant_id, quantity, unit_price, line_total,
                                         product_slug, title, options, sku, position)
           ),
           locked as (
               select v.id from variants v join line l on l.variant_id = v.id order by v.id for update of v
           ),
           reserved as (
               update variants v set stock_reserved = v.stock_reserved + l.quantity
               from line l
               where v.id = l.variant_id and v.stock_on_hand - v.stock_reserved >= l.quantity
                 and v.price = l.unit_price
                 and (select count(*) from locked) = cardinality($13::uuid[])
               returning v.id
           ),
           placed as (
               insert into orders (user_id, cart_id, idempotency_key, email, currency, subtotal, shipping_total,
                                   tax_total, total, shipping_address, tax_lines, expires_at, number,
                                   discount_code, discount_total)
               select $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now() + make_interval(mins => $21), $32,
                      $33, $34
               where (select count(*) from reserved) = cardinality($13::uuid[])
               returning id, number
           ),
           part as (
               insert into vendor_orders (order_id, vendor_id, shipping_method, subtotal, shipping, tax, total,
                                          discount, discount_funded)
               select placed.id, x.* from placed,
                   unnest($22::uuid[], $23::text[], $24::bigint[], $25::bigint[], $26::bigint[], $27::bigint[],
                          $35::bigint[], $36::bigint[]) as x
               returning id, vendor_id
           ),
           item as (
               insert into order_items (order_id, vendor_order_id, variant_id, product_slug, title, options, sku,
                                        unit_price, quantity, line_total)
               select placed.id, part.id, l.variant_id, l.product_slug, l.title, l.options, l.sku,
                      l.unit_price, l.quantity, l.line_total
               from placed, line l join part on part.vendor_id = l.vendor_id
               order by l.position
           ),
           paying as (
               insert into payments (id, order_id, provider, amount, currency, provider_ref)
               select $28, placed.id, $29, $9, $5, $30 from placed
           ),
           event as (
               insert into order_events (order_id, to_status, actor)
               select placed.id, 'pending_payment', $31 from placed
           )
           select p.id as "id!", p.number as "number!"
             from (values (1)) as one left join placed p on true
            where case when p.id is null then order_lines_not_reserved() else true end"#,
        order.user,
        order.cart,
        order.idempotency_key,
        order.email,
        order.currency,
        quote.subtotal.minor,
        quote.shipping.minor,
        quote.tax.minor,
        quote.total.minor,
        order.address,
        order.tax_lines,
        &rows.items.iter().map(|(vendor, _, _)| *vendor).collect::<Vec<_>>(),
        &rows.items.iter().map(|(_, variant, _)| *variant).collect::<Vec<_>>(),
        &rows.items.iter().map(|(_, _, l)| l.quantity as i32).collect::<Vec<_>>(),
        &rows.items.iter().map(|(_, _, l)| l.unit_price.minor).collect::<Vec<_>>(),
        &rows.items.iter().map(|(_, _, l)| l.line_total.minor).collect::<Vec<_>>(),
        &rows.item_column(|l| l.product_slug.clone()),
        &rows.item_column(|l| l.title.clone()),
        &rows.item_column(|l| l.options.clone()),
        &rows.item_column(|l| l.sku.clone()),
        order.reservation_minutes,
        &rows.vendors,
        &rows.methods,
        &part_column(|v| v.subtotal.minor),
        &part_column(|v| v.shipping.minor),
        &part_column(|v| v.tax.minor),
        &part_column(|v| v.total.minor),
        order.payment,
        order.provider,
        order.provider_ref.as_deref(),
        order.actor,
        order.number,
        quote.discount.as_ref().map(|d| d.code.as_str()),
        quote.discount.as_ref().map_or(0, |d| d.amount.minor),
        &part_column(|v| v.discount.minor),
        &rows.funded
    )
    .fetch_one(&mut *tx)
    .await
    .map(|row| Placed {
        id: row.id,
        number: row.number,
    })
}

//! The cart as the shopper sees it: its lines priced now (current prices and stock), grouped
//! by shop with each shop's shipping methods, and the tax of the destination.

use super::model::{CartLine, Destination, Quote};
use super::pricing::{self, ShippingMethod, TaxRate, VendorCart};
use super::server::cart_id;
use crate::catalog::model::{ImageRef, VendorLink};
use crate::error::AppResult;
use crate::money::Money;
use crate::state::AppState;
use sqlx::PgPool;
use std::collections::HashMap;
use uuid::Uuid;

/// A cart line with the vendor it belongs to.
pub struct Line {
    pub vendor_id: Uuid,
    pub vendor: VendorLink,
    pub variant_id: Uuid,
    pub line: CartLine,
}

/// The lines of `cart`, priced now, grouped by vendor name.
pub async fn lines(state: &AppState, cart: Uuid) -> AppResult<Vec<Line>> {
    let currency = state.site.currency;
    let rows = sqlx::query!(
        r#"select v.id as variant_id, v.sku, v.price, v.stock_on_hand - v.stock_reserved as "available!",
                  v.option_values, ci.quantity, ci.unit_price as added_price,
                  p.slug, p.title, (p.status = 'active' and ven.status = 'approved') as "orderable!",
                  ven.id as vendor_id, ven.slug as vendor_slug, ven.name as vendor_name,
                  img.key as "image_key?", img.alt as "image_alt?", img.width as "image_width?",
                  img.height as "image_height?"
           from cart_items ci
           join variants v on v.id = ci.variant_id
           join products p on p.id = v.product_id
           join vendors ven on ven.id = p.vendor_id
           left join lateral (select key, alt, width, height from product_images
                              where product_id = p.id order by position limit 1) img on true
           where ci.cart_id = $1
           order by ven.name, ven.id, ci.added_at, v.sku"#,
        cart
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let available = if r.orderable { r.available.max(0) as u32 } else { 0 };
            let image = match (r.image_key, r.image_width, r.image_height) {
                (Some(key), Some(width), Some(height)) => Some(ImageRef {
                    key,
                    alt: r.image_alt.unwrap_or_default(),
                    width: width as u32,
                    height: height as u32,
                }),
                _ => None,
            };
            Line {
                vendor_id: r.vendor_id,
                vendor: VendorLink {
                    slug: r.vendor_slug,
                    name: r.vendor_name,
                },
                variant_id: r.variant_id,
                line: CartLine {
                    sku: r.sku,
                    product_slug: r.slug,
                    title: r.title,
                    options: r.option_values.join(" / "),
                    image,
                    unit_price: Money::new(r.price, currency),
                    quantity: r.quantity as u32,
                    line_total: Money::new(r.price * i64::from(r.quantity), currency),
                    available,
                    price_was: (r.added_price != r.price).then(|| Money::new(r.added_price, currency)),
                    orderable: r.orderable,
                },
            }
        })
        .collect())
}

/// The tax rate at `destination`: its region's own, else the country's, else none.
pub async fn tax_rate(pool: &PgPool, destination: &Destination) -> AppResult<Option<TaxRate>> {
    Ok(sqlx::query_as!(
        TaxRate,
        "select name, rate_bp from tax_rates
         where country = $1 and region in ($2, '') order by region desc limit 1",
        destination.country,
        destination.region
    )
    .fetch_optional(pool)
    .await?)
}

/// Groups `lines` by vendor with each vendor's shipping methods and prices the result.
pub async fn price(
    state: &AppState,
    lines: Vec<Line>,
    destination: Destination,
    chosen: &HashMap<String, String>,
) -> AppResult<Quote> {
    let mut vendors: Vec<(Uuid, VendorCart)> = Vec::new();
    for line in lines {
        match vendors.last_mut() {
            Some((id, cart)) if *id == line.vendor_id => cart.lines.push(line.line),
            _ => vendors.push((
                line.vendor_id,
                VendorCart {
                    vendor: line.vendor,
                    lines: vec![line.line],
                    methods: Vec::new(),
                },
            )),
        }
    }
    let ids: Vec<Uuid> = vendors.iter().map(|(id, _)| *id).collect();
    let methods = sqlx::query!(
        "select id, vendor_id, name, price, free_over, min_days, max_days from shipping_methods
         where vendor_id = any($1) order by vendor_id, position, price",
        &ids
    )
    .fetch_all(&state.pool)
    .await?;
    for m in methods {
        if let Some((_, cart)) = vendors.iter_mut().find(|(id, _)| *id == m.vendor_id) {
            cart.methods.push(ShippingMethod {
                id: m.id.to_string(),
                name: m.name,
                price: m.price,
                free_over: m.free_over,
                min_days: m.min_days,
                max_days: m.max_days,
            });
        }
    }
    let rate = tax_rate(&state.pool, &destination).await?;
    Ok(pricing::quote(
        vendors.into_iter().map(|(_, cart)| cart).collect(),
        chosen,
        rate.as_ref(),
        destination,
        state.site.currency,
    ))
}

/// The current cart priced for `destination` (empty when there is no cart).
pub async fn quote(
    state: &AppState,
    destination: Destination,
    chosen: &HashMap<String, String>,
) -> AppResult<Quote> {
    let lines = match cart_id(&state.pool, false).await? {
        Some(cart) => lines(state, cart).await?,
        None => Vec::new(),
    };
    price(state, lines, destination, chosen).await
}

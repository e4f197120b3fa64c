//! The cart as the shopper sees it: its lines priced now (current prices and stock), grouped
//! by shop with each shop's shipping methods, and the tax of the destination.

use super::model::{CartLine, Destination, Quote};
use super::pricing::{self, ShippingMethod, TaxRate, VendorCart};
use super::server::cart_id;
use crate::catalog::model::{ImageRef, VendorLink};
use crate::error::AppResult;
use crate::money::Money;
use crate::state::AppState;
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
    // The vendors' shipping methods and the destination's tax rate (its region's own, else the
    // country's, else none) in one round trip: a vendor without methods still gives a row.
    let ids: Vec<Uuid> = vendors.iter().map(|(id, _)| *id).collect();
    let rows = if ids.is_empty() {
        Vec::new()
    } else {
        sqlx::query!(
            r#"select m.id as "id?", vendor.id as "vendor_id!", m.name as "name?", m.price as "price?",
                      m.free_over, m.min_days as "min_days?", m.max_days as "max_days?",
                      rate.name as "tax_name?", rate.rate_bp as "tax_rate_bp?"
               from unnest($1::uuid[]) as vendor (id)
               left join shipping_methods m on m.vendor_id = vendor.id
               left join lateral (select name, rate_bp from tax_rates
                                  where country = $2 and region in ($3, '')
                                  order by region desc limit 1) rate on true
               order by vendor.id, m.position, m.price"#,
            &ids,
            destination.country,
            destination.region
        )
        .fetch_all(&state.pool)
        .await?
    };
    let rate = rows.first().and_then(|r| {
        Some(TaxRate {
            name: r.tax_name.clone()?,
            rate_bp: r.tax_rate_bp?,
        })
    });
    for m in rows {
        let (Some(method), Some(name), Some(price), Some(min_days), Some(max_days)) =
            (m.id, m.name, m.price, m.min_days, m.max_days)
        else {
            continue;
        };
        if let Some((_, cart)) = vendors.iter_mut().find(|(id, _)| *id == m.vendor_id) {
            cart.methods.push(ShippingMethod {
                id: method.to_string(),
                name,
                price,
                free_over: m.free_over,
                min_days,
                max_days,
            });
        }
    }
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

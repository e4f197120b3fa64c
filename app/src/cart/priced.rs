//! The cart as the shopper sees it: its lines priced now (current prices and stock), grouped
//! by shop with each shop's shipping methods, and the tax of the destination.

use super::model::{CartLine, Destination, Quote};
use super::owner::cart_id;
use super::pricing::{self, ShippingMethod, TaxRate, VendorCart};
use crate::accounts::viewer::Viewer;
use crate::catalog::model::{ImageRef, VendorLink};
use crate::error::AppResult;
use crate::money::{Currency, Money};
use crate::state::AppState;
use sqlx::types::Json;
use std::collections::HashMap;
use uuid::Uuid;

/// A cart line with the vendor it belongs to and that vendor's shipping methods.
pub struct Line {
    pub vendor_id: Uuid,
    pub vendor: VendorLink,
    pub methods: Vec<ShippingMethod>,
    pub variant_id: Uuid,
    pub line: CartLine,
}

/// A cart as read for pricing: its lines and the destination's tax rate.
pub struct Priced {
    pub lines: Vec<Line>,
    pub rate: Option<TaxRate>,
    pub destination: Destination,
}

/// The lines of `cart`, priced now and grouped by vendor name, with each vendor's shipping
/// methods and the tax rate of `destination` (its region's own, else the country's, else
/// none): one round trip.
pub async fn lines(state: &AppState, cart: Uuid, destination: Destination) -> AppResult<Priced> {
    let currency = state.site.currency;
    let rows = sqlx::query!(
        r#"select v.id as variant_id, v.sku, v.price, v.stock_on_hand - v.stock_reserved as "available!",
                  v.option_values, ci.quantity, ci.unit_price as added_price,
                  p.slug, p.title, (p.status = 'active' and ven.status = 'approved') as "orderable!",
                  ven.id as vendor_id, ven.slug as vendor_slug, ven.name as vendor_name,
                  img.key as "image_key?", img.alt as "image_alt?", img.width as "image_width?",
                  img.height as "image_height?",
                  coalesce(shipping.methods, '[]') as "methods!: Json<Vec<ShippingMethod>>",
                  rate.name as "tax_name?", rate.rate_bp as "tax_rate_bp?"
           from cart_items ci
           join variants v on v.id = ci.variant_id
           join products p on p.id = v.product_id
           join vendors ven on ven.id = p.vendor_id
           left join lateral (select key, alt, width, height from product_images
                              where product_id = p.id order by position limit 1) img on true
           left join lateral (select jsonb_agg(jsonb_build_object(
                                         'id', m.id, 'name', m.name, 'price', m.price, 'free_over', m.free_over,
                                         'min_days', m.min_days, 'max_days', m.max_days)
                                     order by m.position, m.price) as methods
                              from shipping_methods m where m.vendor_id = ven.id) shipping on true
           left join lateral (select name, rate_bp from tax_rates
                              where country = $2 and region in ($3, '')
                              order by region desc limit 1) rate on true
           where ci.cart_id = $1
           order by ven.name, ven.id, ci.added_at, v.sku"#,
        cart,
        destination.country,
        destination.region
    )
    .fetch_all(&state.pool)
    .await?;
    let rate = rows.first().and_then(|r| {
        Some(TaxRate {
            name: r.tax_name.clone()?,
            rate_bp: r.tax_rate_bp?,
        })
    });
    let lines = rows
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
                methods: r.methods.0,
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
        .collect();
    Ok(Priced {
        lines,
        rate,
        destination,
    })
}

/// Groups the lines of `cart` by vendor with each vendor's shipping methods and prices them.
pub fn price(cart: Priced, chosen: &HashMap<String, String>, currency: Currency) -> Quote {
    let mut vendors: Vec<(Uuid, VendorCart)> = Vec::new();
    for line in cart.lines {
        match vendors.last_mut() {
            Some((id, vendor)) if *id == line.vendor_id => vendor.lines.push(line.line),
            _ => vendors.push((
                line.vendor_id,
                VendorCart {
                    vendor: line.vendor,
                    lines: vec![line.line],
                    methods: line.methods,
                },
            )),
        }
    }
    pricing::quote(
        vendors.into_iter().map(|(_, vendor)| vendor).collect(),
        chosen,
        cart.rate.as_ref(),
        cart.destination,
        currency,
    )
}

/// The viewer's cart priced for `destination` (empty when there is no cart).
pub async fn quote(
    state: &AppState,
    viewer: &Viewer,
    destination: Destination,
    chosen: &HashMap<String, String>,
) -> AppResult<Quote> {
    let cart = match cart_id(&state.pool, viewer, false).await? {
        Some(cart) => lines(state, cart, destination).await?,
        None => Priced {
            lines: Vec::new(),
            rate: None,
            destination,
        },
    };
    Ok(price(cart, chosen, state.site.currency))
}

//! One product in a grid: image, title, shop, price, stock and rating.

use super::{PriceRange, RatingSummaryView, ResponsiveImage};
use crate::catalog::model::ProductCard;
use leptos::prelude::*;

const CARD_SIZES: &str = "(min-width: 1200px) 270px, (min-width: 720px) 30vw, 48vw";

#[component]
pub fn ProductCardView(card: ProductCard) -> impl IntoView {
    let href = format!("/p/{}", card.slug);
    view! {
        <article class="card">
            <a class="card-image" href=href.clone() tabindex="-1" aria-hidden="true">
                {card.image.map(|image| view! { <ResponsiveImage image sizes=CARD_SIZES/> })}
            </a>
            <div class="card-body">
                <h3 class="card-title"><a href=href>{card.title}</a></h3>
                <a class="card-vendor" href=format!("/v/{}", card.vendor.slug)>{card.vendor.name}</a>
                <div class="card-meta">
                    <PriceRange min=card.price_min max=card.price_max/>
                    {(!card.in_stock).then(|| view! { <span class="badge badge-muted">"Sold out"</span> })}
                </div>
                <RatingSummaryView rating=card.rating/>
            </div>
        </article>
    }
}

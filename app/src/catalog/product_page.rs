use super::api::get_product_page;
use super::model::{ImageRef, ProductPage as Page, Review, Variant};
use super::variant_picker::{PurchasePanel, selected_variant};
use crate::seo::{PageMeta, absolute_url, json_ld};
use crate::text::encode_component;
use crate::ui::{
    Breadcrumb, IMAGE_WIDTHS, ProductGrid, RatingSummaryView, ResponsiveImage, Stars, image_src, page_body,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::sync::Arc;

#[component]
pub fn ProductPage() -> impl IntoView {
    let slug = use_params_map().read_untracked().get("slug").unwrap_or_default();
    let query = use_query_map().read_untracked();
    let variant = query.get("variant");
    let image = query
        .get("image")
        .and_then(|i| i.parse::<usize>().ok())
        .unwrap_or(0);
    page_body(
        get_product_page(slug),
        move |page| view! { <ProductView page variant image/> },
    )
}

#[component]
fn ProductView(page: Arc<Page>, variant: Option<String>, image: usize) -> impl IntoView {
    let path = format!("/p/{}", page.slug);
    let selected = selected_variant(&page.variants, variant.as_deref()).cloned();
    let (category_trail, current) = {
        let mut trail = page.categories.clone();
        let last = trail.pop();
        (trail, last)
    };
    let description = page
        .description
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .to_string();
    let structured = json_ld(&structured_data(&page, selected.as_ref()));
    view! {
        <PageMeta title=page.title.clone() description path=path.clone()/>
        <script type="application/ld+json" inner_html=structured></script>
        <Breadcrumb
            trail=category_trail.into_iter().chain(current).collect()
            current=page.title.clone()
        />
        <div class="product">
            <Gallery images=page.images.clone() selected=image path=path.clone() variant=selected.as_ref().map(|v| v.sku.clone())/>
            <section class="product-info" aria-label="Product details">
                <h1>{page.title.clone()}</h1>
                <p class="by">"Sold by " <a href=format!("/v/{}", page.vendor.slug)>{page.vendor.name.clone()}</a></p>
                {page.rating.map(|r| view! { <a class="rating-link" href="#reviews"><RatingSummaryView rating=Some(r)/></a> })}
                <PurchasePanel
                    option_names=page.option_names.clone()
                    variants=page.variants.clone()
                    selected=selected.as_ref().map(|v| v.sku.clone())
                    path=path.clone()
                />
                <div class="description">
                    {description_paragraphs(&page.description, &page.option_names)
                        .map(|p| view! { <p>{p.to_string()}</p> })
                        .collect_view()}
                </div>
            </section>
        </div>
        <Reviews reviews=page.reviews.clone() rating=page.rating/>
        {(!page.related.is_empty()).then(|| view! {
            <section aria-labelledby="related-heading">
                <h2 id="related-heading">"More like this"</h2>
                <ProductGrid cards=page.related.clone() label="More like this"/>
            </section>
        })}
        <p class="report-link"><a href=format!("{path}/report") rel="nofollow">"Report this product"</a></p>
    }
}

#[component]
fn Gallery(images: Vec<ImageRef>, selected: usize, path: String, variant: Option<String>) -> impl IntoView {
    let selected = selected.min(images.len().saturating_sub(1));
    let main = images.get(selected).cloned();
    let base = match &variant {
        Some(sku) => format!("{path}?variant={}&", encode_component(sku)),
        None => format!("{path}?"),
    };
    let thumbs = (images.len() > 1).then(|| view! {
        <ul class="thumbs">
            {images.into_iter().enumerate().map(|(i, image)| view! {
                <li>
                    <a href=format!("{base}image={i}") aria-current=(i == selected).then_some("true")
                        aria-label=format!("Show image {}", i + 1) rel="nofollow">
                        <img src=image_src(&image.key, IMAGE_WIDTHS[0]) width="80" height="80" alt="" loading="lazy"/>
                    </a>
                </li>
            }).collect_view()}
        </ul>
    });
    view! {
        <section class="gallery" aria-label="Images">
            <div class="gallery-main">
                {main.map(|image| view! {
                    <ResponsiveImage image sizes="(min-width: 900px) 480px, 100vw" eager=true/>
                })}
            </div>
            {thumbs}
        </section>
    }
}

#[component]
fn Reviews(reviews: Vec<Review>, rating: Option<super::model::RatingSummary>) -> impl IntoView {
    let summary = match rating {
        Some(r) => view! {
            <p class="review-summary">
                <Stars centi=r.average_centi/>
                <strong>{r.average_label()} " out of 5"</strong>
                " · " {crate::text::counted(r.count as u64, "review", "reviews")}
            </p>
        }
        .into_any(),
        None => view! { <p class="muted">"No reviews yet."</p> }.into_any(),
    };
    view! {
        <section id="reviews" class="reviews" aria-labelledby="reviews-heading">
            <h2 id="reviews-heading">"Reviews"</h2>
            {summary}
            <ul>
                {reviews.into_iter().map(|r| view! {
                    <li class="review">
                        <p class="review-head">
                            <span role="img" aria-label=format!("{} out of 5 stars", r.rating)>
                                <Stars centi=r.rating as u16 * 100/>
                            </span>
                            <strong>{r.title}</strong>
                        </p>
                        <p>{r.body}</p>
                        <p class="muted">{r.author} " · " <time datetime=r.date.clone()>{crate::text::date_in_words(&r.date)}</time></p>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The description's paragraphs, less those that only list an option's values ("Size: S, M."):
/// the pickers above already show them.
fn description_paragraphs<'a>(text: &'a str, options: &'a [String]) -> impl Iterator<Item = &'a str> {
    text.split("\n\n").filter(move |p| {
        !options.iter().any(|name| {
            p.strip_prefix(name.as_str())
                .is_some_and(|rest| rest.starts_with(": ") && !rest.contains('\n'))
        })
    })
}

/// schema.org Product with its offers and rating, for rich results.
fn structured_data(page: &Page, selected: Option<&Variant>) -> serde_json::Value {
    use serde_json::json;
    let prices = page.variants.iter().map(|v| v.price);
    let low = prices.clone().min();
    let high = prices.max();
    let in_stock = page.variants.iter().any(|v| v.available > 0);
    let images: Vec<String> = page
        .images
        .iter()
        .map(|i| absolute_url(&image_src(&i.key, IMAGE_WIDTHS[IMAGE_WIDTHS.len() - 1])))
        .collect();
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": page.title,
        "description": page.description,
        "image": images,
        "url": absolute_url(&format!("/p/{}", page.slug)),
        "brand": { "@type": "Brand", "name": page.vendor.name },
    });
    if let Some(v) = selected {
        data["sku"] = json!(v.sku);
    }
    if let (Some(low), Some(high)) = (low, high) {
        data["offers"] = json!({
            "@type": "AggregateOffer",
            "priceCurrency": low.currency.code(),
            "lowPrice": low.decimal(),
            "highPrice": high.decimal(),
            "offerCount": page.variants.len(),
            "availability": if in_stock { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" },
        });
    }
    if let Some(r) = page.rating {
        data["aggregateRating"] = json!({
            "@type": "AggregateRating",
            "ratingValue": r.average_label(),
            "reviewCount": r.count,
        });
    }
    data
}

use super::api::get_home_page;
use super::model::{CategoryCard, HomePage as Home};
use crate::seo::PageMeta;
use crate::ui::{ProductGrid, ResponsiveImage, page_body};
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <PageMeta
            title="Independent shops, one checkout"
            description="Shop independent vendors in one place: clothing, electronics, home goods and more, with one cart and one checkout."
            path="/"
        />
        {page_body(get_home_page(), |home| view! { <HomeSections home=std::sync::Arc::unwrap_or_clone(home)/> })}
    }
}

#[component]
fn HomeSections(home: Home) -> impl IntoView {
    view! {
        <section class="hero">
            <h1>"Independent shops, one checkout"</h1>
            <p>"Thousands of products from vendors who make and curate them."</p>
        </section>
        <section aria-labelledby="featured-heading">
            <h2 id="featured-heading">"Featured categories"</h2>
            <ul class="category-cards">
                {home.featured.into_iter().map(|c| view! { <li><CategoryTile category=c/></li> }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="new-heading">
            <h2 id="new-heading">"New arrivals"</h2>
            <ProductGrid cards=home.new_arrivals label="New arrivals"/>
        </section>
        <section aria-labelledby="top-heading">
            <h2 id="top-heading">"Top rated"</h2>
            <ProductGrid cards=home.top_rated label="Top rated"/>
        </section>
    }
}

#[component]
fn CategoryTile(category: CategoryCard) -> impl IntoView {
    view! {
        <a class="category-card" href=format!("/c/{}", category.slug)>
            <span class="category-card-image">
                {category.image.map(|image| view! {
                    <ResponsiveImage image sizes="(min-width: 720px) 180px, 45vw"/>
                })}
            </span>
            <span class="category-card-name">{category.name}</span>
            <span class="category-card-count">{crate::text::counted(category.product_count as u64, "product", "products")}</span>
        </a>
    }
}

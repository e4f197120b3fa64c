//! Product cards rendered once. A card's HTML depends on the card alone, so it is kept by the
//! card's content: each listing copies it instead of rendering two dozen cards again (on an
//! uncached search page, rendering the cards was most of the server's rendering). Nothing goes
//! stale: a card that changed is another key, and the old one ages out.

use super::product_card::ProductCardView;
use crate::catalog::model::ProductCard;
use leptos::prelude::*;
use std::sync::Arc;

/// Bytes of rendered cards kept (about a kilobyte each, the key included).
#[cfg(feature = "ssr")]
const KEPT_BYTES: u64 = 4 << 20;

#[cfg(feature = "ssr")]
static RENDERED: std::sync::LazyLock<moka::sync::Cache<ProductCard, Arc<str>>> =
    std::sync::LazyLock::new(|| {
        moka::sync::Cache::builder()
            .weigher(|card: &ProductCard, html: &Arc<str>| {
                (html.len() + card.title.len() + card.slug.len() + 256) as u32
            })
            .max_capacity(KEPT_BYTES)
            .build()
    });

/// The grid item of `card`: `<li>` and the card in it, escaped like every rendered view.
pub fn card_item(card: &ProductCard) -> Arc<str> {
    #[cfg(feature = "ssr")]
    if let Some(html) = RENDERED.get(card) {
        return html;
    }
    let html: Arc<str> = view! { <li><ProductCardView card=card.clone()/></li> }
        .to_html()
        .into();
    #[cfg(feature = "ssr")]
    RENDERED.insert(card.clone(), html.clone());
    html
}

/// The grid items of `cards`, in order.
pub fn card_items(cards: &[ProductCard]) -> String {
    cards.iter().map(card_item).collect::<Vec<_>>().concat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::model::{ImageRef, RatingSummary, VendorLink};
    use crate::money::{Currency, Money};

    fn card(title: &str) -> ProductCard {
        ProductCard {
            slug: "tea-set".into(),
            title: title.into(),
            vendor: VendorLink {
                slug: "kiln".into(),
                name: "Kiln & Co <b>".into(),
            },
            price_min: Money::new(1250, Currency::Usd),
            price_max: Money::new(1250, Currency::Usd),
            rating: Some(RatingSummary {
                average_centi: 435,
                count: 12,
            }),
            image: Some(ImageRef {
                key: "demo/tea-0".into(),
                alt: "A \"tea\" set".into(),
                width: 960,
                height: 960,
            }),
            in_stock: false,
        }
    }

    #[test]
    fn a_kept_card_is_the_card_rendered_and_user_text_stays_text() {
        let hostile = card("<script>alert(1)</script> Tea set");
        let first = card_item(&hostile);
        let rendered = view! { <li><ProductCardView card=hostile.clone()/></li> }.to_html();
        assert_eq!(&*first, rendered, "the kept HTML is what rendering gives");
        assert!(
            Arc::ptr_eq(&first, &card_item(&hostile)),
            "the second time it is kept"
        );
        assert!(
            first.contains("&lt;script&gt;alert(1)&lt;/script&gt; Tea set"),
            "{first}"
        );
        assert!(first.contains("Kiln &amp; Co &lt;b&gt;"), "{first}");
        assert!(first.contains(r#"alt="A &quot;tea&quot; set""#), "{first}");
        assert!(!first.contains("<script>") && !first.contains("<b>"), "{first}");
        assert!(first.contains("Sold out") && first.contains("$12.50"), "{first}");
    }

    #[test]
    fn a_changed_card_is_rendered_again_and_items_keep_their_order() {
        let before = card("Tea set");
        let renamed = card("Tea set for two");
        assert!(card_item(&before).contains(">Tea set<"));
        assert!(card_item(&renamed).contains(">Tea set for two<"));
        let both = card_items(&[renamed.clone(), before.clone()]);
        assert_eq!(both, format!("{}{}", card_item(&renamed), card_item(&before)));
        assert_eq!(both.matches("<li>").count(), 2);
    }
}

//! Responsive images: every stored image has renditions at fixed widths.

use crate::catalog::model::ImageRef;
use leptos::prelude::*;

/// Widths rendered for every stored image (see the server's media code).
pub const IMAGE_WIDTHS: [u32; 3] = [320, 640, 960];

/// URL of the rendition of `key` at `width`.
pub fn image_src(key: &str, width: u32) -> String {
    format!("/media/{key}-{width}.jpg")
}

fn srcset(image: &ImageRef) -> String {
    IMAGE_WIDTHS
        .iter()
        .filter(|&&w| w <= image.width.max(IMAGE_WIDTHS[0]))
        .map(|&w| format!("{} {w}w", image_src(&image.key, w)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An `<img>` with `srcset`, intrinsic size (so nothing shifts as it loads) and lazy loading
/// unless it is the page's main image.
#[component]
pub fn ResponsiveImage(
    image: ImageRef,
    /// The `sizes` attribute: how wide the image is drawn at each viewport width.
    sizes: &'static str,
    #[prop(optional)] eager: bool,
) -> impl IntoView {
    let fallback_width = IMAGE_WIDTHS[1].min(image.width.max(IMAGE_WIDTHS[0]));
    view! {
        <img
            src=image_src(&image.key, fallback_width)
            srcset=srcset(&image)
            sizes=sizes
            width=image.width
            height=image.height
            alt=image.alt.clone()
            loading=if eager { "eager" } else { "lazy" }
            fetchpriority=if eager { "high" } else { "auto" }
            decoding="async"
        />
    }
}

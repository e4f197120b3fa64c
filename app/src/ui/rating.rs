use crate::catalog::model::RatingSummary;
use leptos::prelude::*;

/// Five stars, filled to the nearest half, with the figure spelled out for screen readers.
#[component]
pub fn Stars(
    /// Average in hundredths of a star.
    centi: u16,
) -> impl IntoView {
    let percent = (centi.min(500) as u32 * 100 / 500).to_string();
    view! {
        <span class="stars" aria-hidden="true">
            <span class="stars-fill" style:width=format!("{percent}%")></span>
        </span>
    }
}

/// Stars, the average and the number of reviews.
#[component]
pub fn RatingSummaryView(rating: Option<RatingSummary>) -> impl IntoView {
    rating.map(|r| {
        let label = format!(
            "Rated {} out of 5 from {}",
            r.average_label(),
            crate::text::counted(r.count as u64, "review", "reviews")
        );
        view! {
            <span class="rating" role="img" aria-label=label>
                <Stars centi=r.average_centi/>
                <span class="rating-text" aria-hidden="true">{r.average_label()} " (" {r.count} ")"</span>
            </span>
        }
    })
}

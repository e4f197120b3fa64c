//! A bar per day, drawn on the server as SVG: readable without JavaScript, each bar titled
//! with its day and value, and the figures also in a table for screen readers.

use leptos::prelude::*;

/// One bar: its day, its height and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub day: String,
    pub value: i64,
    pub shown: String,
}

#[component]
pub fn BarChart(
    /// Unique on the page (the caption's id).
    id: &'static str,
    /// What the bars count ("Sales", "Orders"): the table's heading.
    what: &'static str,
    bars: Vec<Bar>,
    /// What the caption says when every bar is zero.
    empty: &'static str,
) -> impl IntoView {
    const WIDTH: f64 = 600.0;
    const HEIGHT: f64 = 160.0;
    let highest = bars.iter().max_by_key(|b| b.value).cloned();
    let max = highest.as_ref().map_or(0, |b| b.value).max(1) as f64;
    let step = WIDTH / bars.len().max(1) as f64;
    let rects = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let h = (b.value as f64 / max * (HEIGHT - 20.0)).max(if b.value > 0 { 2.0 } else { 0.0 });
            view! {
                <rect x=format!("{:.1}", i as f64 * step + 1.0) y=format!("{:.1}", HEIGHT - h)
                      width=format!("{:.1}", (step - 2.0).max(0.5)) height=format!("{h:.1}")>
                    <title>{format!("{}: {}", b.day, b.shown)}</title>
                </rect>
            }
        })
        .collect_view();
    let first = bars.first().map(|b| b.day.clone()).unwrap_or_default();
    let last = bars.last().map(|b| b.day.clone()).unwrap_or_default();
    let caption = match highest.filter(|b| b.value > 0) {
        Some(b) => format!("Highest day: {}", b.shown),
        None => empty.to_string(),
    };
    let rows = bars
        .iter()
        .map(|b| view! { <tr><td>{b.day.clone()}</td><td>{b.shown.clone()}</td></tr> })
        .collect_view();
    let caption_id = format!("{id}-caption");
    view! {
        <figure class="sales-chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby=caption_id.clone() preserveAspectRatio="none">
                {rects}
            </svg>
            <figcaption id=caption_id>
                <span>{first}</span>
                <span>{caption}</span>
                <span>{last}</span>
            </figcaption>
            <details>
                <summary>"The figures"</summary>
                <table><thead><tr><th>"Day"</th><th>{what}</th></tr></thead><tbody>{rows}</tbody></table>
            </details>
        </figure>
    }
}

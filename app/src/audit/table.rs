//! Entries of the log as the console shows them.

use super::AuditRow;
use crate::ui::TableScroll;
use leptos::prelude::*;

/// Audit entries as a table: when, who, from where, what, and the values before and after.
#[component]
pub fn AuditTable(rows: Vec<AuditRow>, empty: &'static str) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    let body = rows
        .into_iter()
        .map(|r| {
            view! {
                <tr>
                    <td>{r.at}</td>
                    <td>{if r.actor.is_empty() { "System".to_string() } else { r.actor }}<br/><span class="muted">{r.ip}</span></td>
                    <td>{r.action}<br/><span class="muted">{format!("{} {}", r.subject_kind, r.subject_id)}</span></td>
                    <td><code>{r.before}</code></td>
                    <td><code>{r.after}</code></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <TableScroll label="Changes"><table class="data-table audit">
            <thead><tr><th>"When"</th><th>"Who"</th><th>"What"</th><th>"Before"</th><th>"After"</th></tr></thead>
            <tbody>{body}</tbody>
        </table></TableScroll>
    }
    .into_any()
}

/// A panel of the console headed `title` with the log's entries about one thing.
#[component]
pub fn AuditPanel(title: &'static str, rows: Vec<AuditRow>, empty: &'static str) -> impl IntoView {
    view! {
        <section class="panel stack" aria-labelledby="log-title">
            <h2 id="log-title">{title}</h2>
            <AuditTable rows empty/>
        </section>
    }
}

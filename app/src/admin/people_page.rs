//! `/admin/users`: everyone with an account, searched by email or name, filtered by role and
//! standing, fifty to a page.

use super::api;
use super::model::{People, RoleFilter, StandingFilter};
use crate::ui::{AdminFrame, page_body, pager};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PeoplePage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let get = |name: &str| query.get(name).unwrap_or_default();
    let page = get("page").parse().unwrap_or(1);
    page_body(
        api::list_people(get("q"), get("role"), get("status"), page),
        |people: People| {
            let base = format!(
                "/admin/users?q={}&role={}&status={}",
                crate::text::encode_component(&people.q),
                people.role.key(),
                people.standing.key()
            );
            let roles = RoleFilter::ALL
                .map(|(f, key, label)| view! { <option value=key selected=f == people.role>{label}</option> })
                .collect_view();
            let standings = StandingFilter::ALL
                .map(|(f, key, label)| view! { <option value=key selected=f == people.standing>{label}</option> })
                .collect_view();
            let rows = people
                .rows
                .iter()
                .map(|p| {
                    let mut badges = Vec::new();
                    if p.is_admin {
                        badges.push("Admin");
                    }
                    if p.disabled {
                        badges.push("Disabled");
                    }
                    if !p.verified {
                        badges.push("Email not confirmed");
                    }
                    view! {
                        <tr>
                            <td><a href=format!("/admin/users/{}", p.id)>{p.email.clone()}</a></td>
                            <td>{p.name.clone()}</td>
                            <td>{badges.into_iter().map(|b| view! { <span class="badge">{b}</span> " " }).collect_view()}</td>
                            <td class="amount">{p.orders}</td>
                            <td class="amount">{p.shops}</td>
                            <td>{p.joined.clone()}</td>
                        </tr>
                    }
                })
                .collect_view();
            let count = crate::text::counted(people.total.max(0) as u64, "person", "people");
            view! {
                <AdminFrame title="People">
                    <form method="get" class="row-form" role="search" aria-label="People">
                        <label>"Email or name " <input type="search" name="q" value=people.q.clone() maxlength="100"/></label>
                        <label>"Role " <select name="role">{roles}</select></label>
                        <label>"Status " <select name="status">{standings}</select></label>
                        <button type="submit">"Search"</button>
                    </form>
                    <p class="muted" role="status">{count}</p>
                    {if people.rows.is_empty() {
                        view! { <p class="muted">"Nobody matches. Try part of an email address, or any role and status."</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-scroll">
                                <table class="data-table">
                                    <caption class="visually-hidden">"People"</caption>
                                    <thead><tr><th>"Email"</th><th>"Name"</th><th>"Standing"</th><th>"Orders"</th><th>"Shops"</th><th>"Joined"</th></tr></thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            </div>
                        }.into_any()
                    }}
                    {pager(people.page, people.pages, &|p| format!("{base}&page={p}"))}
                </AdminFrame>
            }
        },
    )
}

//! `/admin/audit`: the audit log, newest first, by action and by the actor's email or the
//! subject's id.

use super::api;
use crate::audit::AuditTable;
use crate::audit::{Action, AuditPage};
use crate::ui::{AdminFrame, page_body, pager};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let get = |name: &str| query.get(name).unwrap_or_default();
    let page = get("page").parse().unwrap_or(1);
    page_body(api::audit_log(get("action"), get("q"), page), |log: AuditPage| {
        let base = format!(
            "/admin/audit?action={}&q={}",
            log.action,
            crate::text::encode_component(&log.q)
        );
        let actions = Action::ALL
            .map(|a| view! { <option value=a.key() selected=log.action == a.key()>{a.label()}</option> })
            .collect_view();
        view! {
            <AdminFrame title="Audit log">
                <form method="get" class="row-form" role="search" aria-label="Audit log">
                    <label>"What " <select name="action"><option value="">"Any change"</option>{actions}</select></label>
                    <label>"Who (email) or subject id " <input type="search" name="q" value=log.q.clone() maxlength="100"/></label>
                    <button type="submit">"Search"</button>
                </form>
                <AuditTable rows=log.rows.clone() empty="No change matches."/>
                {pager(log.page, log.pages, &|p| format!("{base}&page={p}"))}
            </AdminFrame>
        }
    })
}

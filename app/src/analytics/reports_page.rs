//! `/admin/reports`: the reports as CSV files for a range of days (the last 30 by default),
//! each a link the browser downloads.

use super::api;
use super::reports::Report;
use crate::error::AppError;
use crate::ui::{AdminFrame, page_body};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let (from, to) = (
        query.get("from").unwrap_or_default(),
        query.get("to").unwrap_or_default(),
    );
    let load = async move {
        match api::report_days(from.clone(), to.clone()).await {
            Ok(days) => Ok((Some(days), None, from, to)),
            Err(error) if error.is_about_fields() => {
                let problem = error.field_messages();
                Ok((None, Some(problem), from, to))
            }
            Err(error) => Err::<_, AppError>(error),
        }
    };
    page_body(
        load,
        |(days, problem, from, to): (Option<(String, String)>, Option<String>, String, String)| {
            let (from, to) = days.clone().unwrap_or((from, to));
            let links = days.map(|(first, last)| {
                Report::ALL
                    .map(|report| {
                        let href = format!("/admin/reports/{}?from={first}&to={last}", report.file());
                        view! { <li><a href=href download>{report.label()}</a> " " <span class="muted">{report.file()}</span></li> }
                    })
                    .collect_view()
            });
            view! {
                <AdminFrame title="Reports">
                    <form method="get" class="row-form" aria-label="Days the reports cover">
                        <label>"From " <input type="date" name="from" value=from.clone() required/></label>
                        <label>"To " <input type="date" name="to" value=to.clone() required/></label>
                        <button type="submit">"Choose these days"</button>
                    </form>
                    {problem.map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
                    <p class="muted">
                        {format!("CSV files for {from} to {to} (UTC days, both included; a year at most). Sales are the overview's own figures.")}
                    </p>
                    <ul class="stack">{links}</ul>
                </AdminFrame>
            }
        },
    )
}

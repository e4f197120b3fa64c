//! `/vendor/:vendor/import`: uploading a CSV file of products and variants, and the report of
//! the last upload: every problem by line and column, or what was applied.

use super::api;
use super::model::ImportReport;
use super::portal_pages::{PortalFrame, shop_param};
use crate::accounts::model::Membership;
use crate::error::AppResult;
use crate::ui::page_body;
use leptos::prelude::*;

#[component]
pub fn ImportPage() -> impl IntoView {
    let vendor = shop_param();
    let report_id = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("report")
        .unwrap_or_default();
    page_body(
        async move {
            let shops = api::my_shops().await?;
            let membership = shops
                .into_iter()
                .find(|m| m.vendor_slug == vendor)
                .ok_or(crate::error::AppError::Forbidden)?;
            let report = api::import_report(vendor, report_id).await?;
            AppResult::Ok((membership, report))
        },
        |(membership, report): (Membership, Option<ImportReport>)| {
            let action = format!("/vendor/{}/upload/csv", membership.vendor_slug);
            let export = format!("/vendor/{}/export/products.csv", membership.vendor_slug);
            let progress = format!("/vendor/{}/import/progress/", membership.vendor_slug);
            view! {
                <PortalFrame membership=membership title="Import products">
                    {report.map(|r| view! { <Report report=r/> })}
                    <form method="post" action=action enctype="multipart/form-data" class="stack panel upload-form" data-upload="csv" data-progress=progress>
                        <p>"One row per variant, with the columns of the export: "
                           <code>"handle, title, description, category, status, option1_name, option1_value, option2_name, option2_value, option3_name, option3_value, sku, price, stock"</code>
                           ". Rows with the handle of one of your products update it (its variants become the file's); new handles create products. Every row is checked first: one problem and nothing changes."</p>
                        <p><a href=export>"Download your products as CSV"</a>" to start from."</p>
                        <div class="field drop-zone">
                            <label for="csv-file">"CSV file (UTF-8, up to 20 MB)"</label>
                            <input id="csv-file" type="file" name="file" accept=".csv,text/csv" required/>
                        </div>
                        <progress class="upload-progress" max="100" value="0" hidden></progress>
                        <p class="upload-status muted" aria-live="polite" hidden></p>
                        <button type="submit">"Check and import"</button>
                    </form>
                    <script src="/upload.js" defer></script>
                </PortalFrame>
            }
        },
    )
}

#[component]
fn Report(report: ImportReport) -> impl IntoView {
    if report.errors.is_empty() {
        return view! {
            <p class="notice" role="status">
                {format!("{}: {} rows imported into {} products.", report.file_name, report.rows, report.products)}
            </p>
        }
        .into_any();
    }
    let count = report.errors.len();
    let rows = report
        .errors
        .into_iter()
        .map(|e| {
            view! {
                <tr>
                    <td>{(e.line > 0).then_some(e.line)}</td>
                    <td>{e.column}</td>
                    <td>{e.message}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel danger" role="alert" aria-labelledby="report-title">
            <h2 id="report-title">{format!("Nothing was imported: {count} problem{} in {}", if count == 1 { "" } else { "s" }, report.file_name)}</h2>
            <table class="data-table">
                <thead><tr><th>"Line"</th><th>"Column"</th><th>"Problem"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
    .into_any()
}

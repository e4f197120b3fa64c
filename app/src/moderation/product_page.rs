//! `/admin/products/:id`: one product as the operators see it (shop, category, standing,
//! price, stock), its reports and the log about it, and what may be done: hide it with a
//! reason the shop reads, reinstate it, or dismiss its open reports.

use super::api;
use super::model::{ModeratedProduct, Moderation};
use super::products_page::status_label;
use crate::audit::AuditPanel;
use crate::error::AppResult;
use crate::ui::{AdminFrame, Confirm, FormAction, FormError, FormState, Notice, TableScroll, act, page_body};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::Deserialize;

/// The page's forms, one per action (`_action`).
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum ProductForm {
    Hide {
        #[serde(default)]
        reason: String,
    },
    Reinstate,
    Dismiss,
}

impl ProductForm {
    /// The action, and the notice that says it was done.
    fn action(self) -> (Moderation, Notice) {
        match self {
            ProductForm::Hide { reason } => (Moderation::Hide { reason }, Notice::ProductHidden),
            ProductForm::Reinstate => (Moderation::Reinstate, Notice::ProductReinstated),
            ProductForm::Dismiss => (Moderation::Dismiss, Notice::ReportsDismissed),
        }
    }
}

#[component]
pub fn ModeratedProductPage() -> impl IntoView {
    let id = use_params_map().read_untracked().get("id").unwrap_or_default();
    page_body(
        async move {
            let product = api::moderation_detail(id.clone()).await?;
            let state = act(|form: ProductForm| async move {
                let (action, notice) = form.action();
                api::moderate_product(id.clone(), action).await?;
                Ok(notice.on(&format!("/admin/products/{id}")))
            })
            .await;
            AppResult::Ok((product, state))
        },
        |(product, state): (ModeratedProduct, FormState)| view! { <Product product state/> },
    )
}

#[component]
fn Product(product: ModeratedProduct, state: FormState) -> impl IntoView {
    let p = product.row.clone();
    let standing = match &product.hidden {
        Some((at, reason)) => format!(
            "Hidden since {at}: {reason} (the shop listed it as {})",
            status_label(&product.listed_status).to_lowercase()
        ),
        None => status_label(&p.status).to_string(),
    };
    let storefront = (p.status == "active").then(|| {
        view! { <p><a href=format!("/p/{}", p.slug)>"See it in the storefront"</a></p> }
    });
    view! {
        <AdminFrame title=p.title.clone()>
            <p><a href="/admin/products">"← All products"</a></p>
            <dl class="facts">
                <div><dt>"Shop"</dt><dd>{p.shop.clone()}</dd></div>
                <div><dt>"Category"</dt><dd>{p.category.clone()}</dd></div>
                <div><dt>"Standing"</dt><dd>{standing}</dd></div>
                <div><dt>"Price"</dt><dd>{p.price.clone()}</dd></div>
                <div><dt>"Stock"</dt><dd>{if p.in_stock { "In stock" } else { "Out of stock" }}</dd></div>
                <div><dt>"Created"</dt><dd>{p.created.clone()}</dd></div>
            </dl>
            {storefront}
            {["hide", "reinstate", "dismiss"].map(|form| view! { <FormError form state=state.clone()/> }).collect_view()}
            <Actions product=product.clone() state=state.clone()/>
            <Reports product=product.clone()/>
            <AuditPanel title="The log about this product" rows=product.audit.clone() empty="Nobody has changed this product."/>
        </AdminFrame>
    }
}

#[component]
fn Actions(product: ModeratedProduct, state: FormState) -> impl IntoView {
    let title = product.row.title.clone();
    let dismiss = (product.row.open_reports > 0).then(|| {
        view! {
            <form method="post" class="inline">
                <FormAction name="dismiss"/>
                <button type="submit" class="secondary">"Dismiss the open reports"</button>
            </form>
        }
    });
    let standing = if product.hidden.is_some() {
        view! {
            <form method="post" class="inline">
                <FormAction name="reinstate"/>
                <button type="submit" class="secondary">"Reinstate"</button>
            </form>
        }
        .into_any()
    } else {
        let error = state.field_error("hide", "reason");
        let open = error.is_some();
        view! {
            <Confirm
                label="Hide from the storefront".to_string()
                question=format!("Hide “{title}” from the storefront and search? Shoppers can't find or buy it; the shop keeps it and reads your reason in its portal and by mail. Its open reports are closed.")
                confirm="Yes, hide it".to_string()
                open=open
            >
                <FormAction name="hide"/>
                <div class="field" class:has-error=open>
                    <label for="hide-reason">"Why (the shop reads it)"</label>
                    <textarea id="hide-reason" name="reason" rows="3" maxlength="1000" required>{state.value("hide", "reason")}</textarea>
                    {error.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                </div>
            </Confirm>
        }
        .into_any()
    };
    view! {
        <section class="panel stack" aria-labelledby="actions-title">
            <h2 id="actions-title">"Moderation"</h2>
            <div class="image-actions">{standing}{dismiss}</div>
        </section>
    }
}

#[component]
fn Reports(product: ModeratedProduct) -> impl IntoView {
    let rows = product
        .reports
        .iter()
        .map(|r| {
            let state = if r.closed.is_empty() { "Open".to_string() } else { r.closed.clone() };
            view! {
                <tr>
                    <td>{r.at.clone()}</td>
                    <td>{if r.reporter.is_empty() { "A deleted account".to_string() } else { r.reporter.clone() }}</td>
                    <td>{r.reason.clone()}</td>
                    <td>{r.note.clone()}</td>
                    <td>{state}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel stack" aria-labelledby="reports-title">
            <h2 id="reports-title">{format!("Reports ({} open)", product.row.open_reports)}</h2>
            {if product.reports.is_empty() {
                view! { <p class="muted">"Nobody has reported this product."</p> }.into_any()
            } else {
                view! {
                    <TableScroll label="Reports"><table class="data-table">
                        <thead><tr><th>"When"</th><th>"Who"</th><th>"Why"</th><th>"Note"</th><th>"State"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table></TableScroll>
                }.into_any()
            }}
        </section>
    }
}

//! The portal's product pages: the list (search, status, pages) and the editor (options make
//! the variants; each has SKU, price and stock; images).

use super::api;
use super::model::{ProductEditor, ProductInput, ProductList, VariantInput};
use super::options::OptionInput;
use super::portal_pages::{PortalFrame, shop_param};
use super::product_images::{Images, NewImages, add_posted};
use crate::error::AppResult;
use crate::ui::form::input_id;
use crate::ui::{FormAction, FormError, FormState, Notice, act, page_body, pager};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::Deserialize;

pub(super) fn query(name: &str) -> String {
    use_query_map().read_untracked().get(name).unwrap_or_default()
}

pub(super) fn page_number() -> u32 {
    query("page").parse().unwrap_or(1)
}

/// `/vendor/:vendor/products`.
#[component]
pub fn ProductsPage() -> impl IntoView {
    let (q, status) = (query("q"), query("status"));
    page_body(
        api::list_products(shop_param(), q, status, page_number()),
        |list: ProductList| {
            let base = format!("/vendor/{}/products", list.membership.vendor_slug);
            let rows = list
                .products
                .iter()
                .map(|p| {
                    let price = match (p.price_min, p.price_max) {
                        (Some(a), Some(b)) if a != b => format!("{a} – {b}"),
                        (Some(a), _) => a.to_string(),
                        _ => "—".into(),
                    };
                    view! {
                        <tr>
                            <td><a href=format!("{base}/{}", p.id)>{p.title.clone()}</a></td>
                            <td><span class="badge">{if p.status == "hidden" { "hidden by the marketplace".to_string() } else { p.status.clone() }}</span></td>
                            <td>{p.variants}</td>
                            <td>{p.stock}</td>
                            <td class="amount">{price}</td>
                            <td>{p.updated.clone()}</td>
                        </tr>
                    }
                })
                .collect_view();
            let statuses = [
                ("", "Any status"),
                ("draft", "Draft"),
                ("active", "Active"),
                ("archived", "Archived"),
                ("hidden", "Hidden by the marketplace"),
            ]
            .map(
                |(value, label)| view! { <option value=value selected=list.status == value>{label}</option> },
            )
            .collect_view();
            let more = format!("{base}?q={}&status={}", list.q, list.status);
            view! {
                <PortalFrame membership=list.membership.clone() title="Products">
                    <p><a class="button" href=format!("{base}/new")>"Add a product"</a>
                       " " <a href=format!("/vendor/{}/export/products.csv", list.membership.vendor_slug)>"Export CSV"</a>
                       " · " <a href=format!("/vendor/{}/import", list.membership.vendor_slug)>"Import CSV"</a></p>
                    <form method="get" class="row-form" role="search">
                        <label>"Title " <input type="search" name="q" value=list.q.clone() maxlength="100"/></label>
                        <label>"Status " <select name="status">{statuses}</select></label>
                        <button type="submit">"Filter"</button>
                    </form>
                    {if list.products.is_empty() {
                        view! { <p class="muted">"No products here yet."</p> }.into_any()
                    } else {
                        view! {
                            <table class="data-table">
                                <thead><tr><th>"Title"</th><th>"Status"</th><th>"Variants"</th><th>"Available"</th><th>"Price"</th><th>"Updated"</th></tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        }.into_any()
                    }}
                    {pager(list.page, list.pages, &|p| format!("{more}&page={p}"))}
                </PortalFrame>
            }
        },
    )
}

/// The editor's forms: the product itself (any action but the images'), and its images'.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum EditorAction {
    DeleteImage {
        image_id: String,
    },
    ImageAlt {
        image_id: String,
        alt: String,
    },
    ImageMove {
        image_id: String,
        /// "earlier", or later.
        to: String,
    },
    #[serde(rename = "*")]
    Product(ProductForm),
}

/// The product form: its fields, the options' rows (`option.{i}.name`, ...) and the
/// variants' (`variant.{i}.sku`, ...).
#[derive(Deserialize)]
struct ProductForm {
    title: String,
    description: String,
    category: String,
    status: String,
    base_price: String,
    #[serde(rename = "option.")]
    options: Vec<OptionInput>,
    #[serde(rename = "variant.")]
    variants: Vec<VariantInput>,
}

impl From<ProductForm> for ProductInput {
    fn from(form: ProductForm) -> Self {
        ProductInput {
            title: form.title,
            description: form.description,
            category: form.category,
            status: form.status,
            base_price: form.base_price,
            options: form.options,
            variants: form.variants,
        }
    }
}

/// `/vendor/:vendor/products/:id` (`new` for a new product).
#[component]
pub fn ProductEditPage() -> impl IntoView {
    let vendor = shop_param();
    let id = use_params_map().read_untracked().get("id").unwrap_or_default();
    let id = if id == "new" { String::new() } else { id };
    page_body(
        async move {
            let editor = api::edit_product(vendor.clone(), id.clone()).await?;
            let state = act(|action| async move {
                let images = format!("/vendor/{vendor}/products/{id}#images-title");
                Ok(match action {
                    EditorAction::DeleteImage { image_id } => {
                        api::delete_image(vendor.clone(), image_id).await?;
                        Notice::ImageRemoved.on(&format!("/vendor/{vendor}/products/{id}"))
                    }
                    EditorAction::ImageAlt { image_id, alt } => {
                        api::set_image_alt(vendor.clone(), image_id, alt).await?;
                        images
                    }
                    EditorAction::ImageMove { image_id, to } => {
                        api::move_image(vendor.clone(), image_id, to == "earlier").await?;
                        images
                    }
                    EditorAction::Product(form) => {
                        let title = form.title.clone();
                        let saved = api::save_product(vendor.clone(), id.clone(), form.into()).await?;
                        let notice = if id.is_empty() {
                            add_posted(&vendor, &saved, &title).await
                        } else {
                            Notice::ProductSaved
                        };
                        notice.on(&format!("/vendor/{vendor}/products/{saved}"))
                    }
                })
            })
            .await;
            AppResult::Ok((editor, state))
        },
        |(editor, state): (ProductEditor, FormState)| view! { <Editor editor state/> },
    )
}

#[component]
fn Editor(editor: ProductEditor, state: FormState) -> impl IntoView {
    // After a failed save, the form shows what was sent.
    let input = state
        .decoded::<ProductForm>("product")
        .map_or_else(|| editor.input.clone(), ProductInput::from);
    let error = |field: &str| state.field_error("product", field);
    let title = if editor.id.is_some() {
        "Edit product"
    } else {
        "New product"
    };
    let categories = editor
        .categories
        .iter()
        .map(|(slug, label)| view! { <option value=slug.clone() selected=*slug == input.category>{label.clone()}</option> })
        .collect_view();
    let statuses = [
        ("draft", "Draft: only you see it"),
        ("active", "Active: on sale"),
        ("archived", "Archived: off sale, kept"),
    ]
    .map(|(value, label)| view! { <option value=value selected=input.status == value>{label}</option> })
    .collect_view();
    let mut options = input.options.clone();
    options.resize(super::options::MAX_OPTIONS, OptionInput::default());
    let option_rows = options
        .into_iter()
        .enumerate()
        .map(|(i, o)| {
            let problem = error(&format!("option.{i}.name")).or_else(|| error(&format!("option.{i}.values")));
            view! {
                <div class="row-form">
                    <label>{format!("Option {} name", i + 1)} <input id=input_id("product", &format!("option.{i}.name")) name=format!("option.{i}.name") value=o.name maxlength="40" placeholder="e.g. Size"/></label>
                    <label>"Values, comma-separated " <input id=input_id("product", &format!("option.{i}.values")) name=format!("option.{i}.values") value=o.values size="30" placeholder="e.g. S, M, L"/></label>
                    {problem.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                </div>
            }
        })
        .collect_view();
    let variant_rows = input
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let problems: Vec<String> =
                ["sku", "price", "stock"].iter().filter_map(|f| error(&format!("variant.{i}.{f}"))).collect();
            let id = |f: &str| input_id("product", &format!("variant.{i}.{f}"));
            let label = if v.key.is_empty() { "The product".to_string() } else { v.key.clone() };
            view! {
                <tr>
                    <th scope="row">{label.clone()}<input type="hidden" name=format!("variant.{i}.key") value=v.key.clone()/></th>
                    <td><input id=id("sku") name=format!("variant.{i}.sku") value=v.sku.clone() maxlength="64" aria-label=format!("SKU of {label}")/></td>
                    <td><input id=id("price") name=format!("variant.{i}.price") value=v.price.clone() inputmode="decimal" size="8" aria-label=format!("Price of {label}")/></td>
                    <td><input id=id("stock") name=format!("variant.{i}.stock") value=v.stock.clone() inputmode="numeric" size="6" aria-label=format!("Stock of {label}")/></td>
                    <td>{problems.into_iter().map(|e| view! { <span class="field-error">{e}</span> }).collect_view()}</td>
                </tr>
            }
        })
        .collect_view();
    let base = format!("/vendor/{}", editor.membership.vendor_slug);
    let view_link = editor
        .slug
        .clone()
        .filter(|_| editor.hidden.is_none())
        .map(|slug| view! { <p><a href=format!("/p/{slug}")>"See it in the shop"</a></p> });
    // Hidden by the marketplace: the shop reads why, and what its status will be.
    let hidden = editor.hidden.clone().map(|(at, reason)| {
        view! {
            <div class="notice problem" role="status">
                <p><strong>{format!("The marketplace has hidden this product from the storefront and search since {at}.")}</strong></p>
                <p>{format!("The reason: {reason}")}</p>
                <p>"You can keep editing it. The status you choose takes effect once the marketplace team reinstates it."</p>
            </div>
        }
    });
    let images = editor
        .id
        .clone()
        .map(|id| view! { <Images editor=editor.clone() product=id state=state.clone()/> });
    // A new product's images come with the form; an existing one's have their own forms.
    let is_new = editor.id.is_none();
    let new_images = is_new.then(|| view! { <NewImages state=state.clone()/> });
    let text = |field: &str| error(field).map(|e| view! { <p class="field-error" role="alert">{e}</p> });
    let errors = ["title", "description", "category", "status", "base_price"].map(text);
    let [
        title_error,
        description_error,
        category_error,
        status_error,
        price_error,
    ] = errors;
    let form_state = state.clone();
    view! {
        <PortalFrame membership=editor.membership.clone() title=title>
            <p><a href=format!("{base}/products")>"← All products"</a></p>
            {view_link}
            {hidden}
            <form method="post" class="stack product-editor" data-unsaved-warning=""
                enctype=is_new.then_some("multipart/form-data")>
                <FormAction name="product"/>
                <FormError form="product" state=form_state/>
                <section class="panel stack" aria-labelledby="details-title">
                    <h2 id="details-title">"Details"</h2>
                    <div class="field">
                        <label for="product-title">"Title"</label>
                        <input id="product-title" name="title" value=input.title.clone() maxlength="200" required/>
                        {title_error}
                    </div>
                    <div class="field">
                        <label for="product-description">"Description"</label>
                        <textarea id="product-description" name="description" rows="6" maxlength="20000">{input.description.clone()}</textarea>
                        {description_error}
                    </div>
                    <div class="field-row">
                        <div class="field">
                            <label for="product-category">"Category"</label>
                            <select id="product-category" name="category"><option value="">"Choose…"</option>{categories}</select>
                            {category_error}
                        </div>
                        <div class="field">
                            <label for="product-status">"Status"</label>
                            <select id="product-status" name="status">{statuses}</select>
                            {status_error}
                        </div>
                    </div>
                </section>
                {new_images}
                <section class="panel stack" aria-labelledby="pricing-title">
                    <h2 id="pricing-title">"Pricing"</h2>
                    <div class="field">
                        <label for="product-base_price">"Price of new variants"</label>
                        <input id="product-base_price" name="base_price" value=input.base_price.clone() inputmode="decimal" size="10"/>
                        <p class="field-hint">"Each variant can have its own price below."</p>
                        {price_error}
                    </div>
                </section>
                <section class="panel stack" aria-labelledby="options-title">
                    <h2 id="options-title">"Options and variants"</h2>
                    <p class="field-hint">"Each combination of values is a variant with its own SKU, price and stock. Save to see new combinations below."</p>
                    {option_rows}
                    {(!input.variants.is_empty()).then(|| view! {
                        <div class="table-scroll">
                            <table class="data-table variants">
                                <caption>"Variants: SKU, price and stock"</caption>
                                <thead><tr><th>"Variant"</th><th>"SKU"</th><th>"Price"</th><th>"Stock"</th><th></th></tr></thead>
                                <tbody>{variant_rows}</tbody>
                            </table>
                        </div>
                    })}
                </section>
                <div class="save-bar">
                    <span class="muted">"Saved together: nothing changes until every field is right."</span>
                    <button type="submit">"Save product"</button>
                </div>
            </form>
            <script src="/unsaved.js" defer></script>
            {images}
        </PortalFrame>
    }
}

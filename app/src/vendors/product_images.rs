//! The product editor's images: each with its description, order and removal, and the upload.

use super::model::ProductEditor;
use crate::ui::{Confirm, FormAction, FormState, Notice, image_src};
use leptos::prelude::*;

/// The new-product form's media section: images chosen with the product, added when it is
/// saved (the form is sent as `multipart/form-data`; see `server::http::page_forms`).
#[component]
pub(super) fn NewImages(state: FormState) -> impl IntoView {
    // A form that comes back with errors has lost its files: browsers never refill them.
    let lost = (state.action == "product" && !crate::ui::posted_files().0.is_empty()).then(|| {
        view! {
            <p class="field-error" role="alert">
                "Choose the images again: a form that comes back with errors does not keep its files."
            </p>
        }
    });
    view! {
        <section class="panel stack" aria-labelledby="media-title">
            <h2 id="media-title">"Media"</h2>
            <div class="field drop-zone">
                <label for="product-images">"Images (JPEG, PNG or WebP, up to 5 of 10 MB each)"</label>
                <input id="product-images" type="file" name="images" multiple
                    accept="image/jpeg,image/png,image/webp"/>
                <p class="field-hint">"The first is the main image. After saving you can describe, reorder and add more."</p>
                {lost}
            </div>
        </section>
    }
}

/// Adds the images posted with the new-product form to the product `product` just saved,
/// described by its title: the notice the editor shows next (the first refusal, if any).
pub(super) async fn add_posted(vendor: &str, product: &str, title: &str) -> Notice {
    #[cfg(feature = "ssr")]
    {
        use super::images::intake::{NotTaken, take};
        use super::shop::Need;
        let files = crate::ui::posted_files().0;
        if files.is_empty() {
            return Notice::ProductSaved;
        }
        let viewer = crate::accounts::viewer::Viewer::of_request();
        let (Ok(shop), Ok(state), Some(product)) = (
            viewer.shop_member(vendor, Need::Edit),
            crate::state::app_state(),
            crate::id::ProductId::parse(product).map(crate::id::ProductId::uuid),
        ) else {
            return Notice::ImagesNotStored;
        };
        let mut notice = Notice::ProductSaved;
        for bytes in files.iter() {
            match take(&state, &shop, product, bytes.clone(), title).await {
                Ok(()) => {}
                Err(NotTaken::Refused(refused)) if notice == Notice::ProductSaved => {
                    notice = refused.notice()
                }
                Err(NotTaken::Refused(_)) => {}
                Err(NotTaken::Failed(error)) => {
                    tracing::error!(%error, "adding a new product's image failed");
                    notice = Notice::ImagesNotStored;
                }
            }
        }
        notice
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (vendor, product, title);
        Notice::ProductSaved
    }
}

/// The product's images and the upload form (a plain multipart form; with JavaScript it
/// also takes a dropped file and shows a preview, see `public/upload.js`).
#[component]
pub(super) fn Images(editor: ProductEditor, product: String, state: FormState) -> impl IntoView {
    let action = format!("/vendor/{}/upload/image/{product}", editor.membership.vendor_slug);
    let count = editor.images.len();
    let list = editor
        .images
        .iter()
        .enumerate()
        .map(|(n, i)| {
            let id = i.id.clone();
            let hidden = move || view! { <input type="hidden" name="image_id" value=id.clone()/> };
            let alt_id = format!("alt-{}", i.id);
            let error = (state.value("image-alt", "image_id") == i.id)
                .then(|| state.field_error("image-alt", "alt"))
                .flatten()
                .map(|m| view! { <p class="form-error" role="alert">{m}</p> });
            let mover = |to: &'static str, label: &'static str| view! {
                <form method="post" class="inline">
                    <FormAction name="image-move"/>
                    {hidden()}
                    <input type="hidden" name="to" value=to/>
                    <button type="submit" class="secondary">{label}</button>
                </form>
            };
            view! {
                <li>
                    <img src=image_src(&i.key, 320) width="160" height=160 * i.height / i.width.max(1) alt=i.alt.clone()/>
                    {(n == 0).then(|| view! { <p class="badge">"Main image"</p> })}
                    <form method="post" class="stack">
                        <FormAction name="image-alt"/>
                        {hidden()}
                        <label for=alt_id.clone()>"Alt text"</label>
                        <input id=alt_id name="alt" maxlength="200" value=i.alt.clone()/>
                        {error}
                        <button type="submit">"Save description"</button>
                    </form>
                    <div class="image-actions">
                        {(n > 0).then(|| mover("earlier", "Move earlier"))}
                        {(n + 1 < count).then(|| mover("later", "Move later"))}
                        <Confirm
                            label="Remove".to_string()
                            question="Remove this image from the product? Shoppers stop seeing it at once.".to_string()
                            confirm="Yes, remove the image".to_string()
                        >
                            <FormAction name="delete-image"/>
                            {hidden()}
                        </Confirm>
                    </div>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="images-title">
            <h2 id="images-title">"Images"</h2>
            <ul class="image-list plain-list">{list}</ul>
            <form method="post" action=action enctype="multipart/form-data" class="stack upload-form" data-upload="image">
                <div class="field drop-zone">
                    <label for="image-file">"Image (JPEG, PNG or WebP, up to 10 MB)"</label>
                    <input id="image-file" type="file" name="image" accept="image/jpeg,image/png,image/webp" required/>
                    <img class="upload-preview" alt="" hidden/>
                </div>
                <div class="field">
                    <label for="image-alt">"Description for screen readers (alt text)"</label>
                    <input id="image-alt" name="alt" maxlength="200"/>
                </div>
                <progress class="upload-progress" max="100" value="0" hidden></progress>
                <button type="submit">"Upload"</button>
            </form>
            <script src="/upload.js" defer></script>
        </section>
    }
}

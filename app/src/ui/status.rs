//! Pages for things that went wrong, with the HTTP status set during server rendering.

use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// Sets the response status while rendering on the server; nothing in the browser.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response
            .set_status(http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR));
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Page not found"/>
        <Meta name="robots" content="noindex"/>
        <section class="status-page">
            <h1>"Page not found"</h1>
            <p>"The page you asked for doesn't exist, or the product is no longer on sale."</p>
            <p><a class="button" href="/">"Back to the shop"</a></p>
        </section>
    }
}

/// For signed-in users without the role a page needs.
#[component]
pub fn Forbidden() -> impl IntoView {
    set_status(403);
    view! {
        <Title text="No access"/>
        <Meta name="robots" content="noindex"/>
        <section class="status-page">
            <h1>"You don't have access to this page"</h1>
            <p>"Your account doesn't have the role this page needs. If you think it should, ask the shop's owner or the marketplace's team."</p>
            <p><a class="button" href="/">"Back to the shop"</a></p>
        </section>
    }
}

/// The page shown when loading a page failed.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    if error == AppError::NotFound {
        return view! { <NotFound/> }.into_any();
    }
    if error == AppError::Forbidden {
        return view! { <Forbidden/> }.into_any();
    }
    if error == AppError::TwoFactorRequired {
        super::redirect(&super::Notice::AdminTwoFactor.on("/account/security"));
        return view! { <p><a href="/account/security">"Turn on two-factor authentication"</a></p> }
            .into_any();
    }
    if error == AppError::ConfirmIdentity {
        // Back here once the user has confirmed who they are.
        let confirm = format!("/account/confirm?next={}", crate::text::encode_component(&here()));
        super::redirect(&confirm);
        return view! { <p><a href=confirm>"Confirm it's you"</a></p> }.into_any();
    }
    if error == AppError::Unauthorized {
        // Anonymous visitors of a signed-in page go to the login, and come back after it.
        let login = format!("/account/login?next={}", crate::text::encode_component(&here()));
        super::redirect(&login);
        return view! {
            <section class="status-page">
                <h1>"Please sign in"</h1>
                <p><a class="button" href=login>"Sign in"</a></p>
            </section>
        }
        .into_any();
    }
    set_status(error.status());
    view! {
        <Title text="Something went wrong"/>
        <section class="status-page">
            <h1>"Something went wrong"</h1>
            <p role="alert">{error.to_string()}</p>
            <p><a class="button" href="/">"Back to the shop"</a></p>
        </section>
    }
    .into_any()
}

/// The path and query of the page being rendered.
fn here() -> String {
    let location = leptos_router::hooks::use_location();
    let (path, search) = (location.pathname.get_untracked(), location.search.get_untracked());
    match search.trim_start_matches('?') {
        "" => path,
        query => format!("{path}?{query}"),
    }
}

/// An inline message for a failed action.
#[component]
pub fn ShowError(error: AppError) -> impl IntoView {
    view! { <p class="form-error" role="alert">{error.to_string()}</p> }
}

/// The body of a server-rendered page: awaits `load` and renders `ok` with its value, or the
/// error page (with its status). Pages are not hydrated (only islands are), so this is a plain
/// future awaited during rendering: no resource, nothing serialized for the browser.
pub fn page_body<T, V>(
    load: impl std::future::Future<Output = crate::error::AppResult<T>> + Send + 'static,
    ok: impl FnOnce(T) -> V + Send + 'static,
) -> impl IntoView
where
    T: Send + 'static,
    V: IntoView + 'static,
{
    use leptos::either::Either;
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {Suspend::new(async move {
                match load.await {
                    Ok(value) => Either::Left(ok(value)),
                    Err(error) => Either::Right(view! { <ErrorPage error/> }),
                }
            })}
        </Suspense>
    }
}

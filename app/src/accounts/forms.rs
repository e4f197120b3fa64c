//! Shared pieces of the account pages: acting on a submitted form and the notices shown after
//! a redirect.

use crate::catalog::query::encode_component;
use crate::error::{AppError, AppResult};
use crate::ui::{FormState, FormSubmission, redirect, submitted_form};
use leptos::prelude::*;

/// Runs `run` on the form posted to this page, if any. On success the browser is redirected
/// to the path `run` returns (Post/Redirect/Get); on failure the form comes back with the
/// entered values and the error next to its field.
pub async fn act<F, Fut>(run: F) -> FormState
where
    F: FnOnce(FormSubmission) -> Fut,
    Fut: std::future::Future<Output = AppResult<String>>,
{
    let Some(form) = submitted_form() else {
        return FormState::default();
    };
    match run(form.clone()).await {
        Ok(to) => {
            redirect(&to);
            FormState::default()
        }
        Err(AppError::ConfirmIdentity) => {
            // The user confirms who they are, then comes back to this page to submit again.
            redirect(&format!(
                "/account/confirm?next={}",
                encode_component(&requested_path())
            ));
            FormState::default()
        }
        Err(error) => {
            let action = form.action().to_string();
            FormState::failed(&action, form, error)
        }
    }
}

/// The path and query this request asked for.
fn requested_path() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.uri.path_and_query().map(|p| p.as_str().to_string()))
            .unwrap_or_else(|| "/account".into())
    }
    #[cfg(not(feature = "ssr"))]
    String::from("/account")
}

/// Messages shown after a redirect, by key: fixed texts, so the query string can't inject any.
fn notice_text(key: &str) -> Option<&'static str> {
    Some(match key {
        "check-email" => "Check your inbox: we've sent you a link to confirm your address.",
        "verified" => "Your email address is confirmed. You can sign in now.",
        "reset-sent" => "If that address has an account, we've sent it a link to choose a new password.",
        "password-reset" => {
            "Your password was changed, and every session signed out. Sign in with the new one."
        }
        "signed-out" => "You are signed out.",
        "deleted" => "Your account was deleted. Orders you placed are kept without your personal data.",
        "profile-saved" => "Your profile was saved.",
        "password-changed" => "Your password was changed. Other sessions were signed out.",
        "email-sent" => {
            "We've sent a confirmation link to the new address. Your email changes when you click it."
        }
        "email-changed" => "Your email address was changed.",
        "address-saved" => "The address was saved.",
        "address-deleted" => "The address was deleted.",
        "2fa-off" => "Two-factor authentication is off. Every other browser was signed out.",
        "sessions-ended" => "Your other sessions were signed out.",
        "admin-2fa" => "Turn on two-factor authentication to open the admin area.",
        "added" => "Added to your cart.",
        "cart-updated" => "Your cart was updated.",
        "removed" => "The item was removed from your cart.",
        "declined" => "The payment was declined. Nothing was charged, and your cart is as it was: try again.",
        "processing" => {
            "Thank you! We're confirming your payment with the bank; this page shows when it is done."
        }
        "applied" => {
            "Your application was sent. Add your shop's logo below for the team to see; we'll email you when the marketplace has decided."
        }
        "invited" => "The invitation was sent.",
        "staff-removed" => "They no longer work in this shop.",
        "invite-revoked" => "The invitation was withdrawn.",
        "joined" => "Welcome aboard: you now work in this shop.",
        "vendor-saved" => "Saved. The shop was told by email where its standing changed.",
        "shipped" => "Marked shipped. The shopper was emailed the tracking number.",
        "delivered" => "Marked delivered.",
        "product-saved" => "The product was saved.",
        "logo-saved" => "The shop's logo was saved.",
        "stripe-connected" => {
            "Welcome back from Stripe. Payouts go to your account once Stripe has verified it."
        }
        "stock-saved" => "Stock saved.",
        "image-added" => "The image was added.",
        "image-empty" => "Choose an image file to upload.",
        "image-too-large" => "That file is larger than 10 MB: nothing was stored. Use a smaller image.",
        "image-not-image" => "That file is not a JPEG, PNG or WebP image: nothing was stored.",
        "image-too-many-pixels" => {
            "That image is too large in pixels (at most 8,000 on a side and 40 megapixels): nothing was stored."
        }
        "image-too-tall" => {
            "That image is too tall for its width (shown 960 pixels wide it would be over 8,000 tall): nothing was stored. Crop it or use a wider image."
        }
        "image-broken" => "That image could not be read (is the file complete?): nothing was stored.",
        "image-removed" => "The image was removed.",
        "imported" => "The file was imported: every row was applied.",
        "part-cancelled" => "Cancelled and refunded. The shopper was emailed.",
        "items-cancelled" => {
            "Those items were cancelled, refunded with their tax and put back in stock. The shopper was emailed."
        }
        "refunded" => "The refund was made.",
        "paid" => {
            "Thank you! Your payment went through and your order is confirmed. A confirmation email is on its way."
        }
        _ => return None,
    })
}

/// The notice named by `?notice=` on this page, if it is one we know.
#[component]
pub fn Notice() -> impl IntoView {
    let key = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("notice")
        .unwrap_or_default();
    // Refusals (of an upload) are told as problems, not as news.
    let problem = key.starts_with("image-") && !matches!(key.as_str(), "image-added" | "image-removed");
    notice_text(&key).map(|text| {
        if problem {
            view! { <p class="notice warning" role="alert">{text}</p> }.into_any()
        } else {
            view! { <p class="notice" role="status">{text}</p> }.into_any()
        }
    })
}

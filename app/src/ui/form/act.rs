//! Acting on the form posted to a page: decoded once into the page's typed action, run, then
//! the browser is redirected (Post/Redirect/Get) or the form comes back with what was entered
//! and the error next to its field.

use super::{FormState, redirect, submitted_form};
use crate::error::{AppError, AppResult};
use serde::de::DeserializeOwned;
use std::future::Future;

/// Where a page goes once a form succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum After<T> {
    /// On to this path (Post/Redirect/Get).
    Redirect(String),
    /// This response shows `T` (something shown once, such as new recovery codes).
    Show(T),
}

/// Runs `run` on the form posted to this page, if any, decoded as `A`. On success the browser
/// is redirected to the path `run` returns; on failure the form comes back with the entered
/// values and the error next to its field.
pub async fn act<A, F, Fut>(run: F) -> FormState
where
    A: DeserializeOwned,
    F: FnOnce(A) -> Fut,
    Fut: Future<Output = AppResult<String>>,
{
    act_then::<A, (), _, _>(|action| async move { run(action).await.map(After::Redirect) })
        .await
        .0
}

/// `act` for pages that may show something instead of redirecting (`After::Show`).
pub async fn act_then<A, T, F, Fut>(run: F) -> (FormState, Option<T>)
where
    A: DeserializeOwned,
    F: FnOnce(A) -> Fut,
    Fut: Future<Output = AppResult<After<T>>>,
{
    let Some(form) = submitted_form() else {
        return (FormState::default(), None);
    };
    let outcome = match form.decode::<A>() {
        Ok(action) => run(action).await,
        Err(error) => Err(error),
    };
    match outcome {
        Ok(After::Redirect(to)) => {
            redirect(&to);
            (FormState::default(), None)
        }
        Ok(After::Show(shown)) => (FormState::default(), Some(shown)),
        Err(AppError::ConfirmIdentity) => {
            // The user confirms who they are, then comes back to this page to submit again.
            redirect(&format!(
                "/account/confirm?next={}",
                crate::text::encode_component(&requested_path())
            ));
            (FormState::default(), None)
        }
        Err(error) => {
            let action = form.action().to_string();
            (FormState::failed(&action, form, error), None)
        }
    }
}

/// The path and query this request asked for.
fn requested_path() -> String {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.uri.path_and_query().map(|p| p.as_str().to_string()))
            .unwrap_or_else(|| "/account".into())
    }
    #[cfg(not(feature = "ssr"))]
    String::from("/account")
}

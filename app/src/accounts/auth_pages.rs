//! Signing up, in and out, and the pages emailed links lead to.

use super::api;
use super::model::LoginOutcome;
use crate::error::AppResult;
use crate::ui::{Field, FormAction, FormError, FormState, Notice, PageNotice, act, page_body};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;
use serde::Deserialize;

fn query(name: &str) -> String {
    use_query_map().read_untracked().get(name).unwrap_or_default()
}

/// The frame of the small account forms.
#[component]
fn AuthCard(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <section class="auth-card">
            <h1>{title}</h1>
            <PageNotice/>
            {children()}
        </section>
    }
}

/// The sign-up form.
#[derive(Deserialize)]
struct Register {
    email: String,
    password: String,
    name: String,
}

/// The sign-in form; `next` is where to go once signed in.
#[derive(Deserialize)]
struct Login {
    email: String,
    password: String,
    next: String,
}

/// A form of one code (the second factor at login).
#[derive(Deserialize)]
struct Code {
    code: String,
}

/// Confirming who you are.
#[derive(Deserialize)]
struct Confirm {
    password: String,
    code: String,
    next: String,
}

/// A form of one email address.
#[derive(Deserialize)]
struct EmailOnly {
    email: String,
}

/// A new password, with the emailed token that allows it.
#[derive(Deserialize)]
struct Reset {
    token: String,
    password: String,
}

/// The button of an emailed link's page, posting its token back.
#[derive(Deserialize)]
struct Token {
    token: String,
}

/// The sign-out button.
#[derive(Deserialize)]
struct SignOut {}

#[component]
pub fn RegisterPage() -> impl IntoView {
    page_body(
        async move {
            AppResult::Ok(
                act(|form: Register| async move {
                    api::register(form.email, form.password, form.name).await?;
                    Ok(Notice::CheckEmail.on("/account/login"))
                })
                .await,
            )
        },
        |state: FormState| {
            view! {
                <AuthCard title="Create an account">
                    <form method="post" class="stack" novalidate>
                        <FormAction name="register"/>
                        <FormError form="register" state=state.clone()/>
                        <Field form="register" name="name" label="Your name" state=state.clone() autocomplete="name" required=false maxlength=100/>
                        <Field form="register" name="email" label="Email" kind="email" state=state.clone() autocomplete="email" maxlength=254/>
                        <Field form="register" name="password" label="Password" kind="password" state=state.clone()
                            autocomplete="new-password" maxlength=256 hint="At least 10 characters. A phrase of unrelated words is strong and easy to remember."/>
                        <button type="submit" class="button primary">"Create account"</button>
                    </form>
                    <p>"Already have an account? " <a href="/account/login">"Sign in"</a></p>
                </AuthCard>
            }
        },
    )
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let next = query("next");
    page_body(
        async move {
            AppResult::Ok(
                act(|form: Login| async move {
                    let outcome = api::login(form.email, form.password, form.next).await?;
                    Ok(match outcome {
                        LoginOutcome::SignedIn { next } => next,
                        LoginOutcome::NeedsCode => "/account/login/code".to_string(),
                    })
                })
                .await,
            )
        },
        move |state: FormState| {
            let next = next.clone();
            view! {
                <AuthCard title="Sign in">
                    <form method="post" class="stack" novalidate>
                        <FormAction name="login"/>
                        <input type="hidden" name="next" value=next/>
                        <FormError form="login" state=state.clone()/>
                        <Field form="login" name="email" label="Email" kind="email" state=state.clone() autocomplete="username" maxlength=254/>
                        <Field form="login" name="password" label="Password" kind="password" state=state.clone() autocomplete="current-password" maxlength=256/>
                        <button type="submit" class="button primary">"Sign in"</button>
                    </form>
                    <p><a href="/account/forgot">"Forgot your password?"</a></p>
                    <p>"New here? " <a href="/account/register">"Create an account"</a></p>
                </AuthCard>
            }
        },
    )
}

#[component]
pub fn LoginCodePage() -> impl IntoView {
    page_body(
        async move { AppResult::Ok(act(|form: Code| async move { api::login_code(form.code).await }).await) },
        |state: FormState| {
            view! {
                <AuthCard title="Enter your code">
                    <p>"Open your authenticator app and enter the 6-digit code for this shop, or one of your recovery codes."</p>
                    <form method="post" class="stack" novalidate>
                        <FormAction name="code"/>
                        <FormError form="code" state=state.clone()/>
                        <Field form="code" name="code" label="Code" state=state.clone() autocomplete="one-time-code" maxlength=40/>
                        <button type="submit" class="button primary">"Continue"</button>
                    </form>
                </AuthCard>
            }
        },
    )
}

/// `/account/confirm?next=…`: a signed-in user confirms who they are (password, plus a code
/// with two-factor authentication on) before admin work, a refund or a cancellation.
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let next = query("next");
    page_body(
        async move {
            let me = api::me().await?;
            let state = act(|form: Confirm| async move {
                api::confirm_identity(form.password, form.code, form.next).await
            })
            .await;
            AppResult::Ok((me.two_factor, state))
        },
        move |(two_factor, state): (bool, FormState)| {
            let next = next.clone();
            let asks = if two_factor {
                "Enter your password and a code from your authenticator app (or a recovery code) to continue."
            } else {
                "Enter your password to continue."
            };
            view! {
                <AuthCard title="Confirm it's you">
                    <p>{asks}</p>
                    <form method="post" class="stack" novalidate>
                        <FormAction name="confirm"/>
                        <input type="hidden" name="next" value=next/>
                        <FormError form="confirm" state=state.clone()/>
                        <Field form="confirm" name="password" label="Password" kind="password" state=state.clone() autocomplete="current-password" maxlength=256/>
                        {two_factor.then(|| view! {
                            <Field form="confirm" name="code" label="Code" state=state.clone() autocomplete="one-time-code" maxlength=40/>
                        })}
                        <button type="submit" class="button primary">"Continue"</button>
                    </form>
                </AuthCard>
            }
        },
    )
}

#[component]
pub fn LogoutPage() -> impl IntoView {
    page_body(
        async move {
            AppResult::Ok(
                act(|_: SignOut| async move {
                    api::logout().await?;
                    Ok(Notice::SignedOut.on("/account/login"))
                })
                .await,
            )
        },
        |state: FormState| {
            view! {
                <AuthCard title="Sign out">
                    <FormError form="logout" state/>
                    <form method="post">
                        <FormAction name="logout"/>
                        <button type="submit" class="button">"Sign out"</button>
                    </form>
                </AuthCard>
            }
        },
    )
}

#[component]
pub fn ForgotPage() -> impl IntoView {
    page_body(
        async move {
            AppResult::Ok(
                act(|form: EmailOnly| async move {
                    api::forgot_password(form.email).await?;
                    Ok(Notice::ResetSent.on("/account/login"))
                })
                .await,
            )
        },
        |state: FormState| {
            view! {
                <AuthCard title="Reset your password">
                    <p>"Enter your account's email address and we'll send you a link to choose a new password."</p>
                    <form method="post" class="stack" novalidate>
                        <FormAction name="forgot"/>
                        <FormError form="forgot" state=state.clone()/>
                        <Field form="forgot" name="email" label="Email" kind="email" state=state.clone() autocomplete="email" maxlength=254/>
                        <button type="submit" class="button primary">"Send the link"</button>
                    </form>
                </AuthCard>
            }
        },
    )
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let token = query("token");
    page_body(
        async move {
            AppResult::Ok(
                act(|form: Reset| async move {
                    api::reset_password(form.token, form.password).await?;
                    Ok(Notice::PasswordReset.on("/account/login"))
                })
                .await,
            )
        },
        move |state: FormState| {
            let token = token.clone();
            view! {
                <AuthCard title="Choose a new password">
                    <form method="post" class="stack" novalidate>
                        <FormAction name="reset"/>
                        <input type="hidden" name="token" value=token/>
                        <FormError form="reset" state=state.clone()/>
                        <Field form="reset" name="password" label="New password" kind="password" state=state.clone()
                            autocomplete="new-password" maxlength=256 hint="At least 10 characters."/>
                        <button type="submit" class="button primary">"Save the new password"</button>
                    </form>
                </AuthCard>
            }
        },
    )
}

/// Where an emailed link lands. Opening it changes nothing (mail scanners follow links): the
/// page shows a button that posts the token back, and the change happens on that post.
fn link_page<F, Fut>(title: &'static str, action: &'static str, button: &'static str, run: F) -> impl IntoView
where
    F: FnOnce(String) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = AppResult<String>> + Send + 'static,
{
    let token = query("token");
    page_body(
        async move { AppResult::Ok(act(|form: Token| async move { run(form.token).await }).await) },
        move |state: FormState| {
            view! {
                <AuthCard title=title>
                    <form method="post" class="stack">
                        <FormAction name=action/>
                        <input type="hidden" name="token" value=token.clone()/>
                        <FormError form=action state=state.clone()/>
                        <button type="submit" class="button primary">{button}</button>
                    </form>
                </AuthCard>
            }
        },
    )
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    link_page(
        "Confirm your email",
        "verify",
        "Confirm my email address",
        |token| async move {
            api::verify_email(token).await?;
            Ok(Notice::Verified.on("/account/login"))
        },
    )
}

#[component]
pub fn EmailChangePage() -> impl IntoView {
    link_page(
        "Confirm your new email",
        "email",
        "Confirm the new address",
        |token| async move {
            api::confirm_email_change(token).await?;
            Ok(Notice::EmailChanged.on("/account"))
        },
    )
}

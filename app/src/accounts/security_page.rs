//! `/account/security`: two-factor authentication (turning it on and off asks for the
//! password and signs out every other browser), recovery codes, and where you're signed in.

use super::account_pages::AccountFrame;
use super::api;
use super::model::SecurityOverview;
use crate::error::AppResult;
use crate::ui::{After, Field, FormAction, FormError, FormState, Notice, act_then, page_body};
use leptos::prelude::*;
use serde::Deserialize;

/// What the security page shows beyond its state: the codes just issued.
type Issued = Option<Vec<String>>;

/// The forms of the security page.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum SecurityAction {
    Start {
        start_password: String,
    },
    Confirm {
        code: String,
        confirm_password: String,
    },
    Codes {
        code: String,
    },
    Disable {
        disable_code: String,
        disable_password: String,
    },
    Others,
}

#[component]
pub fn SecurityPage() -> impl IntoView {
    page_body(
        async move {
            let here = "/account/security";
            let (state, issued): (FormState, Issued) = act_then(|action| async move {
                Ok(match action {
                    SecurityAction::Start { start_password } => {
                        api::start_totp(start_password).await?;
                        After::Redirect(here.to_string())
                    }
                    // The codes are shown once, on this response: no redirect.
                    SecurityAction::Confirm {
                        code,
                        confirm_password,
                    } => After::Show(api::confirm_totp(code, confirm_password).await?),
                    SecurityAction::Codes { code } => After::Show(api::new_recovery_codes(code).await?),
                    SecurityAction::Disable {
                        disable_code,
                        disable_password,
                    } => {
                        api::disable_totp(disable_code, disable_password).await?;
                        After::Redirect(Notice::TwoFactorOff.on(here))
                    }
                    SecurityAction::Others => {
                        api::sign_out_others().await?;
                        After::Redirect(Notice::SessionsEnded.on(here))
                    }
                })
            })
            .await;
            let overview = api::get_security().await?;
            AppResult::Ok((overview, state, issued))
        },
        |(overview, state, issued): (SecurityOverview, FormState, Issued)| {
            view! {
                <AccountFrame title="Security">
                    {issued.map(|codes| view! { <RecoveryCodes codes/> })}
                    <TwoFactor overview=overview.clone() state=state.clone()/>
                    <Sessions overview state/>
                </AccountFrame>
            }
        },
    )
}

#[component]
fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    let text = codes.join("\n");
    let download = format!(
        "data:text/plain;charset=utf-8,{}",
        crate::text::encode_component(&text)
    );
    view! {
        <div class="panel notice" role="status">
            <h2>"Your recovery codes"</h2>
            <p>"Each code signs you in once if you lose your phone. Save them now: they are not shown again."</p>
            <ul class="recovery-codes" aria-label="Recovery codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
            <a class="button" href=download download="recovery-codes.txt">"Download the codes"</a>
        </div>
    }
}

#[component]
fn TwoFactor(overview: SecurityOverview, state: FormState) -> impl IntoView {
    let body = if overview.two_factor {
        view! {
            <p>"Two-factor authentication is " <strong>"on"</strong> ". Recovery codes left: " {overview.recovery_codes_left} "."</p>
            <form method="post" class="stack">
                <FormAction name="codes"/>
                <FormError form="codes" state=state.clone()/>
                <Field form="codes" name="code" label="Code from your app" state=state.clone() autocomplete="one-time-code" maxlength=40/>
                <button type="submit" class="button">"Make new recovery codes"</button>
            </form>
            <form method="post" class="stack">
                <FormAction name="disable"/>
                <FormError form="disable" state=state.clone()/>
                <Field form="disable" name="disable_password" label="Current password" kind="password" state=state.clone() autocomplete="current-password" maxlength=256/>
                <Field form="disable" name="disable_code" label="Code to turn it off" state=state.clone() autocomplete="one-time-code" maxlength=40/>
                <p class="muted">"Every other browser signed in to your account is signed out."</p>
                <button type="submit" class="button danger">"Turn off two-factor authentication"</button>
            </form>
        }
        .into_any()
    } else if let Some(enrolment) = overview.enrolment {
        view! {
            <p>"Scan this code with an authenticator app, then enter the 6 digits it shows."</p>
            <div class="qr" role="img" aria-label="QR code for your authenticator app" inner_html=enrolment.qr_svg></div>
            <p>"Can't scan? Enter this key: " <code class="totp-secret">{enrolment.secret}</code></p>
            <form method="post" class="stack">
                <FormAction name="confirm"/>
                <FormError form="confirm" state=state.clone()/>
                <Field form="confirm" name="code" label="Code from your app" state=state.clone() autocomplete="one-time-code" maxlength=6/>
                <Field form="confirm" name="confirm_password" label="Current password" kind="password" state=state.clone() autocomplete="current-password" maxlength=256/>
                <p class="muted">"Every other browser signed in to your account is signed out."</p>
                <button type="submit" class="button primary">"Turn on"</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <p>"Two-factor authentication is " <strong>"off"</strong> ". With it on, signing in needs a code from your phone as well as your password."</p>
            <form method="post" class="stack">
                <FormAction name="start"/>
                <FormError form="start" state=state.clone()/>
                <Field form="start" name="start_password" label="Current password" kind="password" state=state.clone() autocomplete="current-password" maxlength=256/>
                <button type="submit" class="button primary">"Set up two-factor authentication"</button>
            </form>
        }
        .into_any()
    };
    view! {
        <section class="panel" aria-labelledby="twofa-title">
            <h2 id="twofa-title">"Two-factor authentication"</h2>
            {body}
        </section>
    }
}

#[component]
fn Sessions(overview: SecurityOverview, state: FormState) -> impl IntoView {
    let rows = overview
        .sessions
        .iter()
        .map(|s| {
            view! {
                <li>
                    <strong>{s.device.clone()}</strong>
                    {s.current.then(|| view! { " " <span class="badge">"This browser"</span> })}
                    <br/>
                    <span class="muted" title=s.user_agent.clone()>{s.ip.clone()} " · last active " {s.last_seen.clone()}</span>
                </li>
            }
        })
        .collect_view();
    let others = overview.sessions.iter().filter(|s| !s.current).count();
    view! {
        <section class="panel" aria-labelledby="sessions-title">
            <h2 id="sessions-title">"Where you're signed in"</h2>
            <ul class="sessions" aria-label="Active sessions">{rows}</ul>
            <FormError form="others" state/>
            {(others > 0).then(|| view! {
                <form method="post">
                    <FormAction name="others"/>
                    <button type="submit" class="button">"Sign out everywhere else"</button>
                </form>
            })}
        </section>
    }
}

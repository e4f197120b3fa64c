//! `/admin/users/:id`: one person as the operators see them (account, orders, shops,
//! sessions, mail, the log about them) and what may be done to their account. Disabling,
//! signing out, forcing a reset and changing admin rights each ask for confirmation.

use super::api;
use super::model::{PersonAction, PersonDetail};
use crate::audit::AuditPanel;
use crate::error::AppResult;
use crate::ui::{AdminFrame, Confirm, FormAction, FormError, FormState, Notice, TableScroll, act, page_body};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::Deserialize;

/// The page's forms, one per action (`_action`).
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum PersonForm {
    Disable { reason: String },
    Enable,
    SignOut,
    ForceReset,
    ResendVerification,
    GrantAdmin,
    RevokeAdmin,
}

impl PersonForm {
    const NAMES: [&str; 7] = [
        "disable",
        "enable",
        "sign-out",
        "force-reset",
        "resend-verification",
        "grant-admin",
        "revoke-admin",
    ];

    /// The action, and the notice that says it was done.
    fn action(self) -> (PersonAction, Notice) {
        match self {
            PersonForm::Disable { reason } => (PersonAction::Disable { reason }, Notice::AccountDisabled),
            PersonForm::Enable => (PersonAction::Enable, Notice::AccountEnabled),
            PersonForm::SignOut => (PersonAction::SignOut, Notice::AccountSignedOut),
            PersonForm::ForceReset => (PersonAction::ForceReset, Notice::PasswordResetForced),
            PersonForm::ResendVerification => (PersonAction::ResendVerification, Notice::VerificationResent),
            PersonForm::GrantAdmin => (PersonAction::GrantAdmin, Notice::AdminGranted),
            PersonForm::RevokeAdmin => (PersonAction::RevokeAdmin, Notice::AdminRevoked),
        }
    }
}

#[component]
pub fn PersonPage() -> impl IntoView {
    let id = use_params_map().read_untracked().get("id").unwrap_or_default();
    page_body(
        async move {
            let detail = api::person(id.clone()).await?;
            let state = act(|form: PersonForm| async move {
                let (action, notice) = form.action();
                api::act_on_person(id.clone(), action).await?;
                Ok(notice.on(&format!("/admin/users/{id}")))
            })
            .await;
            AppResult::Ok((detail, state))
        },
        |(detail, state): (PersonDetail, FormState)| view! { <Person detail state/> },
    )
}

#[component]
fn Person(detail: PersonDetail, state: FormState) -> impl IntoView {
    let p = detail.person.clone();
    let standing = match (&detail.disabled, p.verified) {
        (Some((at, reason)), _) => format!("Disabled since {at}: {reason}"),
        (None, false) => "Active; email address not confirmed".into(),
        (None, true) => "Active".into(),
    };
    let facts = view! {
        <dl class="facts">
            <div><dt>"Name"</dt><dd>{if p.name.is_empty() { "—".to_string() } else { p.name.clone() }}</dd></div>
            <div><dt>"Joined"</dt><dd>{p.joined.clone()}</dd></div>
            <div><dt>"Standing"</dt><dd>{standing}</dd></div>
            <div><dt>"Admin"</dt><dd>{if p.is_admin { "Yes" } else { "No" }}</dd></div>
            <div><dt>"Two-factor authentication"</dt><dd>{if p.two_factor { "On" } else { "Off" }}</dd></div>
        </dl>
    };
    let actions = (!detail.is_you).then(|| view! { <Actions detail=detail.clone() state=state.clone()/> });
    let yours = detail.is_you.then(|| {
        view! { <p class="muted">"This is your own account: change it from " <a href="/account/security">"your security page"</a> "."</p> }
    });
    view! {
        <AdminFrame title=p.email.clone()>
            <p><a href="/admin/users">"← All people"</a></p>
            {facts}
            {PersonForm::NAMES.map(|form| view! { <FormError form state=state.clone()/> }).collect_view()}
            {actions}
            {yours}
            <Orders detail=detail.clone()/>
            <Shops detail=detail.clone()/>
            <Sessions detail=detail.clone()/>
            <Mails detail=detail.clone()/>
            <AuditPanel title="Changes to this account" rows=detail.audit.clone() empty="No operator has changed this account."/>
        </AdminFrame>
    }
}

/// The account's actions: the harmless ones as buttons, the others behind a confirmation.
#[component]
fn Actions(detail: PersonDetail, state: FormState) -> impl IntoView {
    let (p, email) = (detail.person.clone(), detail.person.email.clone());
    let plain = |action: &'static str, label: &'static str| {
        view! { <form method="post" class="inline"><FormAction name=action/><button type="submit" class="secondary">{label}</button></form> }
    };
    let confirmed = |action: &'static str, label: &'static str, question: String, confirm: String| {
        view! {
            <Confirm label=label.to_string() question confirm>
                <FormAction name=action/>
            </Confirm>
        }
    };
    let reason_error = state.field_error("disable", "reason");
    let disable = (!p.disabled).then(|| {
        view! {
            <Confirm
                label="Disable the account".to_string()
                question=format!("Disable {email}? They are signed out everywhere and can't sign in until an admin enables the account. Orders and shops stay.")
                confirm="Yes, disable the account".to_string()
                open=reason_error.is_some()
            >
                <FormAction name="disable"/>
                <div class="field">
                    <label for="disable-reason">"Why (the other operators read it; the person is not told)"</label>
                    <input id="disable-reason" name="reason" maxlength="500" required value=state.value("disable", "reason")/>
                    {reason_error.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                </div>
            </Confirm>
        }
    });
    let enable = p.disabled.then(|| plain("enable", "Enable the account"));
    let verify = (!p.verified).then(|| plain("resend-verification", "Send the confirmation link again"));
    let admin = if p.is_admin {
        confirmed(
            "revoke-admin",
            "Remove admin rights",
            format!(
                "Remove {email}'s admin rights? They are signed out everywhere and the console closes for them."
            ),
            "Yes, remove admin rights".into(),
        )
    } else {
        confirmed(
            "grant-admin",
            "Make an admin",
            format!(
                "Make {email} an admin? They will see and change everything in this console once they turn on two-factor authentication."
            ),
            "Yes, make them an admin".into(),
        )
    };
    view! {
        <section class="panel stack" aria-labelledby="actions-title">
            <h2 id="actions-title">"Account"</h2>
            <div class="image-actions">
                {enable}
                {verify}
                {confirmed(
                    "sign-out",
                    "Sign out everywhere",
                    format!("Sign {email} out of every browser? They can sign in again at once."),
                    "Yes, sign them out".into(),
                )}
                {confirmed(
                    "force-reset",
                    "Force a password reset",
                    format!("Make {email}'s password stop working? They are signed out and mailed a link to choose a new one."),
                    "Yes, force a reset".into(),
                )}
                {admin}
                {disable}
            </div>
        </section>
    }
}

#[component]
fn Orders(detail: PersonDetail) -> impl IntoView {
    let rows = detail
        .orders
        .iter()
        .map(|o| view! {
            <tr><td>{format!("#{}", o.number)}</td><td>{o.placed.clone()}</td><td>{o.status.clone()}</td><td class="amount">{o.total.to_string()}</td></tr>
        })
        .collect_view();
    view! {
        <section class="panel stack" aria-labelledby="orders-title">
            <h2 id="orders-title">{format!("Orders ({})", detail.person.orders)}</h2>
            {if detail.orders.is_empty() {
                view! { <p class="muted">"No orders."</p> }.into_any()
            } else {
                view! {
                    <TableScroll label="Orders"><table class="data-table">
                        <thead><tr><th>"Order"</th><th>"Placed"</th><th>"Status"</th><th>"Total"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table></TableScroll>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Shops(detail: PersonDetail) -> impl IntoView {
    let items = detail
        .shops
        .iter()
        .map(|s| view! { <li><a href=format!("/v/{}", s.slug)>{s.name.clone()}</a> " · " {s.role.clone()}</li> })
        .collect_view();
    view! {
        <section class="panel stack" aria-labelledby="shops-title">
            <h2 id="shops-title">"Shops"</h2>
            {if detail.shops.is_empty() {
                view! { <p class="muted">"Works in no shop."</p> }.into_any()
            } else {
                view! { <ul>{items}</ul> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Sessions(detail: PersonDetail) -> impl IntoView {
    let items = detail
        .sessions
        .iter()
        .map(|s| view! { <li>{s.device.clone()} " · " {s.ip.clone()} " · last seen " {s.last_seen.clone()}</li> })
        .collect_view();
    view! {
        <section class="panel stack" aria-labelledby="sessions-title">
            <h2 id="sessions-title">"Signed in on"</h2>
            {if detail.sessions.is_empty() {
                view! { <p class="muted">"No browser is signed in."</p> }.into_any()
            } else {
                view! { <ul>{items}</ul> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Mails(detail: PersonDetail) -> impl IntoView {
    let rows = detail
        .mails
        .iter()
        .map(|m| view! { <tr><td>{m.subject.clone()}</td><td>{m.queued.clone()}</td><td>{m.state.clone()}</td></tr> })
        .collect_view();
    view! {
        <section class="panel stack" aria-labelledby="mail-title">
            <h2 id="mail-title">"Mail sent to them"</h2>
            {if detail.mails.is_empty() {
                view! { <p class="muted">"No mail."</p> }.into_any()
            } else {
                view! {
                    <TableScroll label="Mail"><table class="data-table">
                        <thead><tr><th>"Subject"</th><th>"Written"</th><th>"Delivery"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table></TableScroll>
                }.into_any()
            }}
        </section>
    }
}

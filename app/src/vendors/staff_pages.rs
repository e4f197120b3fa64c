//! A shop's people: `/vendor/:vendor/staff` (owners invite and remove) and accepting an
//! invitation at `/vendor/invite`.

use super::api;
use super::model::StaffOverview;
use super::portal_pages::{PortalFrame, shop_param};
use crate::accounts::model::VendorRole;
use crate::error::AppResult;
use crate::ui::{Confirm, Field, FormAction, FormError, FormState, Notice, act, page_body};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;
use serde::Deserialize;

/// The staff page's forms (owners').
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum StaffAction {
    Invite { email: String, role: String },
    Remove { user_id: String },
    Revoke { invite_id: String },
}

/// Accepting an invitation: its emailed token.
#[derive(Deserialize)]
struct Accept {
    token: String,
}

/// `/vendor/:vendor/staff`: who works in the shop; owners invite and remove.
#[component]
pub fn StaffPage() -> impl IntoView {
    let vendor = shop_param();
    page_body(
        async move {
            let staff = api::shop_staff(vendor.clone()).await?;
            let state = act(|action| async move {
                let notice = match action {
                    StaffAction::Invite { email, role } => {
                        api::invite_staff(vendor.clone(), email, role).await?;
                        Notice::Invited
                    }
                    StaffAction::Remove { user_id } => {
                        api::remove_staff(vendor.clone(), user_id).await?;
                        Notice::StaffRemoved
                    }
                    StaffAction::Revoke { invite_id } => {
                        api::revoke_invite(vendor.clone(), invite_id).await?;
                        Notice::InviteRevoked
                    }
                };
                Ok(notice.on(&format!("/vendor/{vendor}/staff")))
            })
            .await;
            AppResult::Ok((staff, state))
        },
        |(staff, state): (StaffOverview, FormState)| {
            let owner = staff.membership.role == VendorRole::Owner && staff.membership.can_edit();
            let members = staff
                .members
                .iter()
                .map(|m| {
                    let remove = (owner && !(m.is_me && m.role == VendorRole::Owner)).then(|| {
                        let user_id = m.user_id.clone();
                        view! {
                            <Confirm
                                label="Remove".to_string()
                                question=format!("Remove {} ({}) from this shop? They lose access at once.", m.name, m.email)
                                confirm=format!("Yes, remove {}", m.name)
                            >
                                <FormAction name="remove"/>
                                <input type="hidden" name="user_id" value=user_id/>
                            </Confirm>
                        }
                    });
                    view! { <tr><td>{m.name.clone()}</td><td>{m.email.clone()}</td><td>{m.role.label()}</td><td>{remove}</td></tr> }
                })
                .collect_view();
            let invites = staff
                .invites
                .iter()
                .map(|i| {
                    let revoke = owner.then(|| view! {
                        <form method="post" class="inline">
                            <FormAction name="revoke"/>
                            <input type="hidden" name="invite_id" value=i.id.clone()/>
                            <button type="submit" class="link-button">"Withdraw"</button>
                        </form>
                    });
                    view! { <li>{i.email.clone()} " · " {i.role.label()} " · until " {i.expires.clone()} " " {revoke}</li> }
                })
                .collect_view();
            view! {
                <PortalFrame membership=staff.membership.clone() title="Staff">
                    <p><a href=format!("/vendor/{}/activity", staff.membership.vendor_slug)>"The shop's activity log"</a></p>
                    <FormError form="remove" state=state.clone()/>
                    <table class="data-table">
                        <thead><tr><th>"Name"</th><th>"Email"</th><th>"Role"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                        <tbody>{members}</tbody>
                    </table>
                    {(!staff.invites.is_empty()).then(|| view! { <h2>"Invitations sent"</h2><ul class="plain-list">{invites}</ul> })}
                    {owner.then(|| view! {
                        <form method="post" class="stack panel">
                            <h2>"Invite someone"</h2>
                            <FormAction name="invite"/>
                            <FormError form="invite" state=state.clone()/>
                            <Field form="invite" name="email" label="Their email" kind="email" state=state.clone()/>
                            <div class="field">
                                <label for="invite-role">"Role"</label>
                                <select id="invite-role" name="role">
                                    <option value="staff">{super::sections::describe(VendorRole::Staff)}</option>
                                    <option value="owner">{super::sections::describe(VendorRole::Owner)}</option>
                                </select>
                            </div>
                            <button type="submit">"Send the invitation"</button>
                        </form>
                    })}
                </PortalFrame>
            }
        },
    )
}

/// `/vendor/invite?token=…`: accepting an invitation, signed in with the invited address.
#[component]
pub fn InvitePage() -> impl IntoView {
    let token = use_query_map().read_untracked().get("token").unwrap_or_default();
    page_body(
        async move {
            crate::accounts::api::me().await?;
            let state = act(|form: Accept| async move {
                let slug = api::accept_invite(form.token).await?;
                Ok(Notice::Joined.on(&format!("/vendor/{slug}")))
            })
            .await;
            AppResult::Ok(state)
        },
        move |state: FormState| {
            view! {
                <Title text="Join a shop"/>
                <Meta name="robots" content="noindex"/>
                <section class="narrow">
                    <h1>"Join a shop"</h1>
                    <form method="post" class="stack panel">
                        <FormAction name="accept"/>
                        <FormError form="accept" state=state.clone()/>
                        <input type="hidden" name="token" value=token.clone()/>
                        <p>"You were invited to work in a shop on this marketplace."</p>
                        <button type="submit">"Accept the invitation"</button>
                    </form>
                </section>
            }
        },
    )
}

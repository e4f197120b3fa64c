//! The signed-in account area: profile, address book, security.

use super::address_fields::AddressFields;
use super::api;
use super::model::{Address, AddressInput, CurrentUser};
use super::postal_address::PostalAddress;
use crate::error::AppResult;
use crate::ui::{
    Confirm, Field, FormAction, FormError, FormState, Notice, PageNotice, act, page_body, submitted_form,
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use serde::Deserialize;

/// The account area's frame: its own navigation beside the page.
#[component]
pub fn AccountFrame(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <div class="account">
            <nav class="account-nav" aria-label="Account">
                <a href="/account">"Profile"</a>
                <a href="/account/orders">"Orders"</a>
                <a href="/account/addresses">"Addresses"</a>
                <a href="/account/security">"Security"</a>
                // On a phone the header has no room for these; here they are on every size.
                {crate::accounts::signed_in_user().map(|user| view! {
                    {(!user.memberships.is_empty()).then(|| view! { <a href="/vendor">"Vendor portal"</a> })}
                    {user.is_admin.then(|| view! { <a href="/admin">"Admin"</a> })}
                })}
                <form method="post" action="/account/logout">
                    <input type="hidden" name="_action" value="logout"/>
                    <button type="submit" class="link-button">"Sign out"</button>
                </form>
            </nav>
            <section class="account-main">
                <h1>{title}</h1>
                <PageNotice/>
                {children()}
            </section>
        </div>
    }
}

/// The forms of the profile page.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum ProfileAction {
    Profile {
        name: String,
    },
    Email {
        new_email: String,
        email_password: String,
    },
    Password {
        current_password: String,
        new_password: String,
    },
    Delete {
        delete_password: String,
    },
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    page_body(
        async move {
            let me = api::me().await?;
            let state = act(|action| async move {
                Ok(match action {
                    ProfileAction::Profile { name } => {
                        api::update_profile(name).await?;
                        Notice::ProfileSaved.on("/account")
                    }
                    ProfileAction::Email {
                        new_email,
                        email_password,
                    } => {
                        api::change_email(new_email, email_password).await?;
                        Notice::EmailSent.on("/account")
                    }
                    ProfileAction::Password {
                        current_password,
                        new_password,
                    } => {
                        api::change_password(current_password, new_password).await?;
                        Notice::PasswordChanged.on("/account")
                    }
                    ProfileAction::Delete { delete_password } => {
                        api::delete_account(delete_password).await?;
                        Notice::Deleted.on("/")
                    }
                })
            })
            .await;
            AppResult::Ok((me, state))
        },
        |(me, state): (CurrentUser, FormState)| {
            let verified = if me.email_verified {
                "confirmed"
            } else {
                "not confirmed yet"
            };
            view! {
                <AccountFrame title="Your account">
                    <form method="post" class="stack panel" aria-labelledby="profile-title">
                        <h2 id="profile-title">"Profile"</h2>
                        <FormAction name="profile"/>
                        <FormError form="profile" state=state.clone()/>
                        <Field form="profile" name="name" label="Name" state=state.clone() value=me.name.clone() required=false maxlength=100 autocomplete="name"/>
                        <button type="submit" class="button">"Save"</button>
                    </form>
                    <form method="post" class="stack panel" aria-labelledby="email-title">
                        <h2 id="email-title">"Email"</h2>
                        <p>{me.email.clone()} " (" {verified} ")"</p>
                        <FormAction name="email"/>
                        <FormError form="email" state=state.clone()/>
                        <Field form="email" name="new_email" label="New email" kind="email" state=state.clone() maxlength=254 autocomplete="email"/>
                        <Field form="email" name="email_password" label="Current password" kind="password" state=state.clone() autocomplete="current-password" maxlength=256/>
                        <button type="submit" class="button">"Change email"</button>
                    </form>
                    <form method="post" class="stack panel" aria-labelledby="password-title">
                        <h2 id="password-title">"Password"</h2>
                        <FormAction name="password"/>
                        <FormError form="password" state=state.clone()/>
                        <Field form="password" name="current_password" label="Current password" kind="password" state=state.clone() autocomplete="current-password" maxlength=256/>
                        <Field form="password" name="new_password" label="New password" kind="password" state=state.clone() autocomplete="new-password" maxlength=256 hint="At least 10 characters."/>
                        <button type="submit" class="button">"Change password"</button>
                    </form>
                    <section class="stack panel danger" aria-labelledby="delete-title">
                        <h2 id="delete-title">"Delete your account"</h2>
                        <p>"Your profile, addresses and sign-in data are removed. Orders stay in the shops' records without your name, email or address; an order still waiting to be sent has to ship first."</p>
                        <Confirm
                            label="Delete my account…".to_string()
                            question="This cannot be undone. Enter your password to delete your account.".to_string()
                            confirm="Delete my account for good".to_string()
                            open=state.any_error("delete").is_some()
                        >
                            <FormAction name="delete"/>
                            <FormError form="delete" state=state.clone()/>
                            <Field form="delete" name="delete_password" label="Current password" kind="password" state=state.clone() autocomplete="current-password" maxlength=256/>
                        </Confirm>
                    </section>
                </AccountFrame>
            }
        },
    )
}

/// The forms of the address book. The address's fields are the form's own (`full_name`, ...).
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum AddressAction {
    Save {
        /// Empty for a new address.
        id: Option<String>,
        #[serde(rename = "")]
        address: AddressInput,
    },
    Delete {
        id: String,
    },
}

#[component]
pub fn AddressesPage() -> impl IntoView {
    page_body(
        async move {
            let state = act(|action| async move {
                Ok(match action {
                    AddressAction::Save { id, address } => {
                        api::save_address(id, address).await?;
                        Notice::AddressSaved.on("/account/addresses")
                    }
                    AddressAction::Delete { id } => {
                        api::delete_address(id).await?;
                        Notice::AddressDeleted.on("/account/addresses")
                    }
                })
            })
            .await;
            let addresses = api::list_addresses().await?;
            AppResult::Ok((addresses, state))
        },
        |(addresses, state): (Vec<Address>, FormState)| {
            let editing = submitted_form()
                .map(|f| f.text("id").to_string())
                .unwrap_or_default();
            let empty = addresses.is_empty();
            let list = addresses
                .into_iter()
                .map(|a| {
                    let open = editing == a.id;
                    view! { <AddressCard address=a state=state.clone() open/> }
                })
                .collect_view();
            // With no address yet, the form is the page: open from the start.
            let new_open = empty || (state.error.is_some() && editing.is_empty());
            view! {
                <AccountFrame title="Addresses">
                    {empty.then(|| view! {
                        <div class="empty-state">
                            <p><strong>"No saved addresses yet."</strong></p>
                            <p class="muted">"Save one and the checkout fills it in for you. You can keep up to 20, with one default for shipping and one for billing."</p>
                        </div>
                    })}
                    <ul class="address-list" aria-label="Your addresses">{list}</ul>
                    <details class="panel" open=new_open>
                        <summary>"Add an address"</summary>
                        <AddressForm address=Address::default() state=state.clone()/>
                    </details>
                </AccountFrame>
            }
        },
    )
}

#[component]
fn AddressCard(address: Address, state: FormState, open: bool) -> impl IntoView {
    let badges = [
        address.is_default_shipping.then_some("Default shipping"),
        address.is_default_billing.then_some("Default billing"),
    ]
    .into_iter()
    .flatten()
    .map(|b| view! { <span class="badge">{b}</span> })
    .collect_view();
    let id = address.id.clone();
    let label = format!("Delete the address of {}?", address.full_name);
    view! {
        <li class="panel address">
            <PostalAddress address=address.as_input()/>
            {badges}
            <details open=open>
                <summary>"Edit"</summary>
                <AddressForm address=address.clone() state=state.clone()/>
            </details>
            <Confirm label="Delete".to_string() question=label confirm="Yes, delete this address".to_string()>
                <FormAction name="delete"/>
                <input type="hidden" name="id" value=id.clone()/>
            </Confirm>
        </li>
    }
}

#[component]
fn AddressForm(address: Address, state: FormState) -> impl IntoView {
    // Only the form that was submitted shows its errors and entered values.
    let submitted = submitted_form().map(|f| f.text("id").to_string());
    let state = if submitted.as_deref() == Some(address.id.as_str()) {
        state
    } else {
        FormState::default()
    };
    view! {
        <form method="post" class="stack address-form" novalidate>
            <FormAction name="save"/>
            <input type="hidden" name="id" value=address.id.clone()/>
            <FormError form="save" state=state.clone()/>
            <AddressFields form="save" state=state.clone() address=address.as_input()/>
            <label class="check"><input type="checkbox" name="default_shipping" checked=address.is_default_shipping/>" Default shipping address"</label>
            <label class="check"><input type="checkbox" name="default_billing" checked=address.is_default_billing/>" Default billing address"</label>
            <button type="submit" class="button">"Save address"</button>
        </form>
    }
}

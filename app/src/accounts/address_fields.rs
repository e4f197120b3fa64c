//! The fields of a postal address, the same in the checkout and the address book: the country
//! first (it decides what the rest must look like), then the lines in the order people write
//! them. Checked on the server against the country's rules (`countries`, `addresses::clean`).

use super::countries::{COUNTRIES, all_regions};
use super::model::AddressInput;
use crate::ui::form::{Field, FormState, input_id};
use leptos::prelude::*;

/// The address fields of form `form`, showing `address` unless the form came back with what
/// was entered. `required` marks the fields a new address needs (off where a saved address
/// may be chosen instead).
#[component]
pub fn AddressFields(
    form: &'static str,
    state: FormState,
    address: AddressInput,
    #[prop(default = true)] required: bool,
) -> impl IntoView {
    let s = state;
    let a = address;
    view! {
        <CountrySelect form state=s.clone() value=a.country required/>
        <Field form name="full_name" label="Full name" state=s.clone() value=a.full_name required autocomplete="shipping name" maxlength=100/>
        <Field form name="line1" label="Address" state=s.clone() value=a.line1 required autocomplete="shipping address-line1" hint="Street and number."/>
        <Field form name="line2" label="Apartment, suite, etc. (optional)" state=s.clone() value=a.line2 required=false autocomplete="shipping address-line2"/>
        <div class="field-row">
            <Field form name="city" label="City" state=s.clone() value=a.city required autocomplete="shipping address-level2" maxlength=100/>
            <Field form name="region" label="State or province" state=s.clone() value=a.region required=false autocomplete="shipping address-level1" maxlength=100 list="address-regions" hint="US, Canada, Australia: required."/>
            <Field form name="postal_code" label="ZIP or postal code" state=s.clone() value=a.postal_code required autocomplete="shipping postal-code" maxlength=20/>
        </div>
        <Field form name="phone" label="Phone (optional)" kind="tel" state=s.clone() value=a.phone required=false autocomplete="shipping tel" maxlength=30 hint="For the courier, if they need to reach you."/>
        <datalist id="address-regions">
            {all_regions()
                .map(|(country, code, name)| {
                    view! { <option value=code>{format!("{name} ({})", country.name)}</option> }
                })
                .collect_view()}
        </datalist>
    }
}

/// The country, chosen from the ones we ship to.
#[component]
fn CountrySelect(form: &'static str, state: FormState, value: String, required: bool) -> impl IntoView {
    let id = input_id(form, "country");
    let error = state.field_error(form, "country");
    let entered = state.value(form, "country");
    let chosen = if entered.is_empty() { value } else { entered };
    let error_id = format!("{id}-error");
    let has_error = error.is_some();
    let described = has_error.then(|| error_id.clone());
    view! {
        <div class="field" class:has-error=has_error>
            <label for=id.clone()>"Country"</label>
            <select
                id=id
                name="country"
                required=required
                autocomplete="shipping country"
                aria-invalid=has_error.then_some("true")
                aria-describedby=described
            >
                <option value="" selected=chosen.is_empty()>"Choose a country"</option>
                {COUNTRIES
                    .iter()
                    .map(|c| {
                        let selected = c.code.eq_ignore_ascii_case(chosen.trim());
                        view! { <option value=c.code selected=selected>{c.name}</option> }
                    })
                    .collect_view()}
            </select>
            {error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
        </div>
    }
}

//! Choosing a variant by its options. The choice lives in the URL (`?variant=SKU`), so every
//! option is a plain link: it works without JavaScript and a chosen variant can be shared. When
//! the island is hydrated, a choice updates price, SKU and availability in place.

use super::model::Variant;
use leptos::prelude::*;

/// One value of one option, and the variant choosing it leads to.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub value: String,
    pub sku: String,
    pub selected: bool,
    /// Whether the exact combination (this value with the other current choices) can be bought.
    pub available: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OptionGroup {
    pub name: String,
    pub choices: Vec<Choice>,
}

/// The variant named by `sku`, or else the first one in stock, or else the first.
pub fn selected_variant<'a>(variants: &'a [Variant], sku: Option<&str>) -> Option<&'a Variant> {
    sku.and_then(|sku| variants.iter().find(|v| v.sku == sku))
        .or_else(|| variants.iter().find(|v| v.available > 0))
        .or_else(|| variants.first())
}

/// For every option, each of its values and where choosing it leads from `selected`.
pub fn option_groups(names: &[String], variants: &[Variant], selected: &Variant) -> Vec<OptionGroup> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut values: Vec<&str> = Vec::new();
            for v in variants {
                if let Some(value) = v.option_values.get(i)
                    && !values.contains(&value.as_str())
                {
                    values.push(value);
                }
            }
            let choices = values
                .into_iter()
                .map(|value| {
                    let exact = variants.iter().find(|v| {
                        v.option_values.get(i).map(String::as_str) == Some(value)
                            && v.option_values
                                .iter()
                                .zip(&selected.option_values)
                                .enumerate()
                                .all(|(j, (a, b))| j == i || a == b)
                    });
                    let fallback = || {
                        let with_value = || {
                            variants
                                .iter()
                                .filter(|v| v.option_values.get(i).map(String::as_str) == Some(value))
                        };
                        with_value()
                            .find(|v| v.available > 0)
                            .or_else(|| with_value().next())
                    };
                    let target = exact.or_else(fallback).unwrap_or(selected);
                    Choice {
                        value: value.to_string(),
                        sku: target.sku.clone(),
                        selected: selected.option_values.get(i).map(String::as_str) == Some(value),
                        available: exact.is_some_and(|v| v.available > 0),
                    }
                })
                .collect();
            OptionGroup {
                name: name.clone(),
                choices,
            }
        })
        .collect()
}

/// Price, availability, SKU and the option pickers of a product: the page's one island.
#[island]
pub fn PurchasePanel(
    option_names: Vec<String>,
    variants: Vec<Variant>,
    /// The SKU named in the URL, if any.
    selected: Option<String>,
    /// The product page's path, for the option links.
    path: String,
) -> impl IntoView {
    let first = selected_variant(&variants, selected.as_deref()).map(|v| v.sku.clone());
    let sku = RwSignal::new(first);
    let variants = StoredValue::new(variants);
    let option_names = StoredValue::new(option_names);
    let current = move || variants.with_value(|all| selected_variant(all, sku.get().as_deref()).cloned());
    move || {
        current().map(|variant| {
            let groups = variants
                .with_value(|all| option_names.with_value(|names| option_groups(names, all, &variant)));
            view! {
                <section class="purchase" aria-label="Price and availability">
                    <Offer variant=variant.clone()/>
                    <VariantPicker groups path=path.clone() chosen=sku/>
                    <BuyForm variant/>
                </section>
            }
        })
    }
}

/// Price and availability of the chosen variant, announced when a choice changes them.
#[component]
fn Offer(variant: Variant) -> impl IntoView {
    let availability = match variant.available {
        0 => "Sold out".to_string(),
        n @ 1..=5 => format!("Only {n} left"),
        _ => "In stock".to_string(),
    };
    view! {
        <div class="offer" aria-live="polite">
            <p class="price price-large">{variant.price.to_string()}</p>
            <p class="availability" class:sold-out=variant.available == 0>{availability}</p>
        </div>
    }
}

/// Quantity and "Add to cart", after the options; on a phone, a bar fixed to the bottom of the
/// screen, so buying never needs a scroll back up.
#[component]
fn BuyForm(variant: Variant) -> impl IntoView {
    let sold_out = variant.available == 0;
    view! {
        <form method="post" action="/cart" class="add-to-cart">
            <input type="hidden" name="_action" value="add"/>
            <input type="hidden" name="sku" value=variant.sku.clone()/>
            <label for="add-quantity">"Quantity"</label>
            <input id="add-quantity" type="number" name="quantity" value="1" min="1"
                max=variant.available.clamp(1, crate::cart::MAX_QUANTITY) inputmode="numeric"
                disabled=sold_out/>
            <button type="submit" class="button" disabled=sold_out>"Add to cart"</button>
        </form>
        <p class="sku muted">"SKU " <span class="sku-code">{variant.sku.clone()}</span></p>
    }
}

/// The option pickers: one group of links per option. Following a link loads the page with
/// that variant; with JavaScript the choice is made in place and the URL updated to match.
#[component]
fn VariantPicker(groups: Vec<OptionGroup>, path: String, chosen: RwSignal<Option<String>>) -> impl IntoView {
    groups
        .into_iter()
        .map(|group| {
            let current = group
                .choices
                .iter()
                .find(|c| c.selected)
                .map(|c| c.value.clone())
                .unwrap_or_default();
            let path = path.clone();
            view! {
                <div class="option-group" role="group" aria-label=group.name.clone()>
                    <p class="option-name">{group.name.clone()} ": " <strong>{current}</strong></p>
                    <ul class="option-values">
                        {group.choices.into_iter().map(|choice| {
                            let label = if choice.available {
                                choice.value.clone()
                            } else {
                                format!("{} (sold out)", choice.value)
                            };
                            let href = format!("{path}?variant={}", crate::text::encode_component(&choice.sku));
                            let target = href.clone();
                            let sku = choice.sku.clone();
                            let choose = move |event: leptos::ev::MouseEvent| {
                                if event.ctrl_key() || event.meta_key() || event.shift_key() {
                                    return; // opening in a new tab keeps the browser's behaviour
                                }
                                event.prevent_default();
                                chosen.set(Some(sku.clone()));
                                if let Ok(history) = window().history() {
                                    let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&target));
                                }
                            };
                            view! {
                                <li>
                                    <a
                                        class="chip"
                                        class:chip-selected=choice.selected
                                        class:chip-unavailable=!choice.available
                                        on:click=choose
                                        href=href
                                        aria-current=choice.selected.then_some("true")
                                        aria-label=format!("{}: {label}", group.name)
                                        rel="nofollow"
                                    >
                                        {choice.value}
                                    </a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::{Currency, Money};

    fn variant(sku: &str, values: &[&str], available: u32) -> Variant {
        Variant {
            sku: sku.into(),
            option_values: values.iter().map(|v| v.to_string()).collect(),
            price: Money::new(1000, Currency::Usd),
            available,
        }
    }

    fn shirts() -> Vec<Variant> {
        vec![
            variant("S-BLK", &["S", "Black"], 0),
            variant("S-RED", &["S", "Red"], 4),
            variant("M-BLK", &["M", "Black"], 2),
        ]
    }

    #[test]
    fn picks_the_named_variant_or_the_first_in_stock() {
        let v = shirts();
        assert_eq!(selected_variant(&v, Some("M-BLK")).unwrap().sku, "M-BLK");
        assert_eq!(selected_variant(&v, Some("nope")).unwrap().sku, "S-RED");
        assert_eq!(selected_variant(&v, None).unwrap().sku, "S-RED");
        assert!(selected_variant(&[], None).is_none());
    }

    #[test]
    fn choices_keep_the_other_options_when_they_can() {
        let v = shirts();
        let names = ["Size".to_string(), "Colour".to_string()];
        let groups = option_groups(&names, &v, &v[1]); // S / Red
        let size = &groups[0].choices;
        assert_eq!(
            size.iter().map(|c| c.value.as_str()).collect::<Vec<_>>(),
            ["S", "M"]
        );
        assert!(size[0].selected && size[0].available);
        // M/Red does not exist: M leads to the M variant there is, and is not "available" as M/Red.
        assert_eq!(size[1].sku, "M-BLK");
        assert!(!size[1].available);
        let colour = &groups[1].choices;
        // S/Black exists but is sold out.
        assert_eq!(colour[0].sku, "S-BLK");
        assert!(!colour[0].available);
        assert!(colour[1].selected);
    }
}

//! The header's search box. Without JavaScript it is a plain GET form to `/search`; hydrated,
//! it is an ARIA combobox suggesting products, categories and vendors as you type (debounced,
//! arrow keys to move, Enter to open a suggestion, Escape to close).

use super::api::suggest;
use super::model::{Suggestion, SuggestionKind};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use std::time::Duration;

const DEBOUNCE: Duration = Duration::from_millis(150);
const LISTBOX: &str = "search-suggestions";

#[island]
pub fn SearchBox(
    /// The current search, shown in the box on the results page (empty elsewhere).
    initial: String,
) -> impl IntoView {
    let suggestions: RwSignal<Vec<Suggestion>> = RwSignal::new(Vec::new());
    let active: RwSignal<Option<usize>> = RwSignal::new(None);
    let open = RwSignal::new(false);
    let pending = StoredValue::new(None::<TimeoutHandle>);
    // Answers arriving out of order are dropped: only the latest request's answer is shown.
    let latest = StoredValue::new(0_u64);

    let expanded = move || open.get() && !suggestions.read().is_empty();
    let close = move || {
        open.set(false);
        active.set(None);
    };
    let request = move |text: String| {
        latest.update_value(|n| *n += 1);
        let ticket = latest.get_value();
        leptos::task::spawn_local(async move {
            let answer = suggest(text).await.map(|s| s.to_vec()).unwrap_or_default();
            if latest.get_value() == ticket {
                suggestions.set(answer);
                active.set(None);
                open.set(true);
            }
        });
    };
    let on_input = move |event: leptos::ev::Event| {
        let text = event_target_value(&event);
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        if text.trim().chars().count() < 2 {
            latest.update_value(|n| *n += 1);
            suggestions.set(Vec::new());
            close();
            return;
        }
        pending.set_value(set_timeout_with_handle(move || request(text), DEBOUNCE).ok());
    };
    let on_keydown = move |event: KeyboardEvent| {
        let count = suggestions.read().len();
        match event.key().as_str() {
            "ArrowDown" | "ArrowUp" if count > 0 => {
                event.prevent_default();
                open.set(true);
                let down = event.key() == "ArrowDown";
                active.update(|a| {
                    *a = match (*a, down) {
                        (None, true) => Some(0),
                        (None, false) => Some(count - 1),
                        (Some(i), true) => Some((i + 1) % count),
                        (Some(i), false) => Some((i + count - 1) % count),
                    }
                });
            }
            "Enter" => {
                let chosen = active
                    .get()
                    .and_then(|i| suggestions.read().get(i).map(|s| s.href.clone()));
                if let Some(href) = chosen.filter(|_| expanded()) {
                    event.prevent_default();
                    let _ = window().location().set_href(&href);
                }
            }
            // The first Escape closes the list and keeps the text (browsers clear a search
            // field on Escape); a second one clears it as usual.
            "Escape" if expanded() => {
                event.prevent_default();
                close();
            }
            _ => {}
        }
    };

    view! {
        <form class="search" action="/search" method="get" role="search">
            <label class="visually-hidden" for="site-search">"Search products"</label>
            <div class="combobox">
                <input
                    id="site-search"
                    type="search"
                    name="q"
                    placeholder="Search"
                    autocomplete="off"
                    maxlength="200"
                    value=initial
                    role="combobox"
                    aria-autocomplete="list"
                    aria-controls=LISTBOX
                    aria-expanded=move || expanded().to_string()
                    aria-activedescendant=move || active.get().map(|i| format!("suggestion-{i}"))
                    on:input=on_input
                    on:keydown=on_keydown
                    on:blur=move |_| close()
                />
                <ul id=LISTBOX role="listbox" aria-label="Suggestions" class="suggestions" hidden=move || !expanded()>
                    {move || {
                        suggestions
                            .get()
                            .into_iter()
                            .enumerate()
                            .map(|(i, s)| {
                                let selected = move || active.get() == Some(i);
                                view! {
                                    <li
                                        id=format!("suggestion-{i}")
                                        role="option"
                                        aria-selected=move || selected().to_string()
                                        class:active=selected
                                    >
                                        // Keeping focus in the box on press lets the click land.
                                        <a href=s.href tabindex="-1" on:mousedown=|e| e.prevent_default()>
                                            <span class="suggestion-kind">{kind_label(s.kind)}</span>
                                            {s.label}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </div>
            <button type="submit" class="search-submit">
                <svg class="icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
                    <circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2"/>
                    <path d="M15.5 15.5 21 21" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>
                </svg>
                <span class="visually-hidden">"Search"</span>
            </button>
        </form>
    }
}

fn kind_label(kind: SuggestionKind) -> &'static str {
    match kind {
        SuggestionKind::Product => "Product",
        SuggestionKind::Category => "Category",
        SuggestionKind::Vendor => "Shop",
    }
}

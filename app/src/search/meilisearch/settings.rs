//! The index's settings, applied only where the server's differ: starting a server against an
//! index already set up changes nothing (no task, no re-indexing), and one changed by hand is
//! put back.

use super::tasks::wait;
use super::transport::Client;
use anyhow::Context;
use meilisearch_sdk::errors::{Error, ErrorCode};
use meilisearch_sdk::settings::{
    FacetSortValue, FacetingSettings, MinWordSizeForTypos, PaginationSetting, Settings, TypoToleranceSettings,
};
use serde_json::Value;
use std::collections::BTreeMap;

/// Matches a search can page through and count. Meilisearch's default (1,000) would cap the
/// totals and facet counts of broad searches on a large catalog.
pub const MAX_TOTAL_HITS: usize = 1_000_000;
/// Values counted per facet, the most frequent first: every category of a large catalog's
/// matches, and a marketplace's busiest shops rather than all of them.
pub const FACET_VALUES: usize = 500;

/// What the index is searched, filtered, sorted and ranked by.
pub fn desired() -> Settings {
    Settings::new()
        // Title first: a word in the title outranks the same word in a category or description.
        .with_searchable_attributes([
            "title",
            "title_joined",
            "stems",
            "categories",
            "vendor",
            "options",
            "joined",
            "description",
        ])
        .with_filterable_attributes([
            "category_id",
            "vendor_slug",
            "vendor_id",
            "price_min",
            "price_bands",
            "in_stock",
            "stars",
        ])
        .with_sortable_attributes(["price_min", "created_at", "rating", "review_count", "id"])
        // A chosen sort orders every match, as on PostgreSQL; without one (relevance) the rule
        // does nothing and the text decides, then reviews, newest and id, as on PostgreSQL.
        // A word matched whole ("boot" in the singulars of "Boots") before one matched as the
        // beginning of a longer word ("Bootcut"), before where in the title it is.
        .with_ranking_rules([
            "sort",
            "words",
            "typo",
            "proximity",
            "attributeRank",
            "exactness",
            "wordPosition",
            "review_count:desc",
            "created_at:desc",
            "id:asc",
        ])
        .with_typo_tolerance(TypoToleranceSettings {
            enabled: Some(true),
            disable_on_attributes: Some(vec![]),
            disable_on_words: Some(vec![]),
            min_word_size_for_typos: Some(MinWordSizeForTypos {
                one_typo: Some(5),
                two_typos: Some(9),
            }),
            disable_on_numbers: None,
        })
        .with_synonyms(std::collections::HashMap::<String, Vec<String>>::new())
        .with_pagination(PaginationSetting {
            max_total_hits: MAX_TOTAL_HITS,
        })
        .with_faceting(FacetingSettings {
            max_values_per_facet: FACET_VALUES,
            // The values kept under the bound are the most frequent ones.
            sort_facet_values_by: Some(BTreeMap::from([("*".to_string(), FacetSortValue::Count)])),
        })
}

/// Creates index `uid` (primary key `id`) if missing and brings its settings to `desired()`.
/// Returns whether anything had to change.
pub async fn apply(client: &Client, uid: &str) -> anyhow::Result<bool> {
    let index = client.index(uid);
    let current = match index.get_settings().await {
        Ok(settings) => Some(settings),
        Err(Error::Meilisearch(e)) if e.error_code == ErrorCode::IndexNotFound => None,
        Err(e) => return Err(e).with_context(|| format!("reading the settings of Meilisearch index {uid}")),
    };
    let current = match current {
        Some(settings) => serde_json::to_value(settings)?,
        None => {
            let task = client.create_index(uid, Some("id")).await?;
            wait(client, task)
                .await
                .with_context(|| format!("creating Meilisearch index {uid}"))?;
            Value::Null
        }
    };
    let wanted = desired();
    if matches(&serde_json::to_value(&wanted)?, &current) {
        return Ok(false);
    }
    let task = index
        .set_settings(&wanted)
        .await
        .with_context(|| format!("applying Meilisearch settings to index {uid}"))?;
    wait(client, task)
        .await
        .with_context(|| format!("applying Meilisearch settings to index {uid}"))?;
    Ok(true)
}

/// Whether `actual` already has every setting `desired` names. Attribute lists Meilisearch
/// keeps in its own order (filterable, sortable) are compared as sets.
fn matches(desired: &Value, actual: &Value) -> bool {
    let (Value::Object(desired), Value::Object(actual)) = (desired, actual) else {
        return false;
    };
    desired.iter().all(|(key, want)| {
        let Some(have) = actual.get(key) else {
            return false;
        };
        match key.as_str() {
            "filterableAttributes" | "sortableAttributes" => sorted(want) == sorted(have),
            _ => same(want, have),
        }
    })
}

/// `want` equals `have`, where objects need only hold `want`'s keys.
fn same(want: &Value, have: &Value) -> bool {
    match (want, have) {
        (Value::Object(want), Value::Object(have)) => {
            want.iter().all(|(k, v)| have.get(k).is_some_and(|h| same(v, h)))
        }
        _ => want == have,
    }
}

fn sorted(value: &Value) -> Vec<String> {
    let mut items: Vec<String> = value
        .as_array()
        .map(|a| a.iter().map(Value::to_string).collect())
        .unwrap_or_default();
    items.sort();
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_in_another_order_or_with_more_fields_match() {
        let desired = json!({"sortableAttributes": ["b", "a"], "rankingRules": ["words", "sort"],
                             "typoTolerance": {"enabled": true}});
        let actual = json!({"sortableAttributes": ["a", "b"], "rankingRules": ["words", "sort"],
                            "typoTolerance": {"enabled": true, "disableOnNumbers": false}, "stopWords": []});
        assert!(matches(&desired, &actual));
        let reordered_rules = json!({"sortableAttributes": ["a", "b"], "rankingRules": ["sort", "words"],
                                     "typoTolerance": {"enabled": true}});
        assert!(
            !matches(&desired, &reordered_rules),
            "ranking rules keep their order"
        );
        assert!(!matches(&desired, &Value::Null));
    }
}

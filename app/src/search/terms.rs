//! Turning what a shopper typed into what is searched for: words split and unaccented in SQL,
//! each looked up in the vocabulary (`search_terms`), misspellings corrected to the nearest known
//! word (trigram distance to find candidates, edit distance to choose), then a `tsquery`.

use super::request::MAX_WORDS;
use sqlx::PgPool;

/// Words at least this long are also searched as prefixes ("cand" finds candles).
pub const PREFIX_MIN: usize = 3;

/// One typed word and what it is searched as.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// As typed: lower-case, unaccented, `[a-z0-9-]`.
    pub typed: String,
    /// The vocabulary word it is, when it is one ("tshirt" is the word "t-shirt").
    pub known: Option<String>,
    /// The vocabulary word it was probably meant to be, when it is not one.
    pub correction: Option<String>,
}

impl Term {
    /// The word shown to the shopper as what was searched for.
    pub fn shown(&self) -> &str {
        self.correction
            .as_deref()
            .or(self.known.as_deref())
            .unwrap_or(&self.typed)
    }
}

/// Splits `text` into words and corrects the ones the catalog does not know. One round trip.
pub async fn analyse(pool: &PgPool, text: &str) -> sqlx::Result<Vec<Term>> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query!(
        r#"with typed as (
               select trim(both '-' from w) as w, ord
                 from regexp_split_to_table(lower(unaccent($1)), '[^a-z0-9-]+') with ordinality as t (w, ord)
           ), words as (
               select w, replace(w, '-', '') as compact, ord from typed
                where length(replace(w, '-', '')) between 1 and 40
                order by ord limit $2
           )
           select w.w as "typed!", known.word as "known?", fix.word as "correction?"
             from words w
             left join search_terms known on known.term = w.compact
             left join lateral (
                  select c.word from (
                      select term, word, frequency from search_terms
                       order by term <-> w.compact limit 8) c
                   where known.term is null and length(w.compact) >= 3
                     and levenshtein(c.term, w.compact) <= case when length(w.compact) <= 4 then 1
                                                               when length(w.compact) <= 8 then 2
                                                               else 3 end
                   order by levenshtein(c.term, w.compact), c.frequency desc, c.term
                   limit 1) fix on true
            order by w.ord"#,
        text,
        MAX_WORDS as i64
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Term {
            typed: r.typed,
            known: r.known,
            correction: r.correction,
        })
        .collect())
}

/// How the words of a query are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combine {
    All,
    Any,
}

/// A `to_tsquery` expression for `terms`; `None` when nothing is left to search for.
/// Words hold only `[a-z0-9-]` (see `analyse`), so quoting them is enough.
pub fn tsquery(terms: &[Term], combine: Combine, weights: &str) -> Option<String> {
    let parts: Vec<String> = terms
        .iter()
        .map(|term| {
            let mut alternatives = Vec::new();
            match &term.known {
                Some(word) => alternatives.push(format!("'{word}':*{weights}")),
                None if term.typed.len() >= PREFIX_MIN => {
                    alternatives.push(format!("'{}':*{weights}", term.typed))
                }
                None => alternatives.push(format!("'{}'{}", term.typed, colon(weights))),
            }
            if let Some(correction) = &term.correction {
                alternatives.push(format!("'{correction}'{}", colon(weights)));
            }
            format!("({})", alternatives.join(" | "))
        })
        .collect();
    if parts.is_empty() {
        return None;
    }
    let joiner = match combine {
        Combine::All => " & ",
        Combine::Any => " | ",
    };
    Some(parts.join(joiner))
}

fn colon(weights: &str) -> String {
    if weights.is_empty() {
        String::new()
    } else {
        format!(":{weights}")
    }
}

/// The corrected query to show, when any word was corrected.
pub fn corrected(terms: &[Term]) -> Option<String> {
    terms
        .iter()
        .any(|t| t.correction.is_some())
        .then(|| terms.iter().map(Term::shown).collect::<Vec<_>>().join(" "))
}

/// How `text` is read, for `server explain-search`: a line per word (known, corrected or
/// unknown) and the full-text query that every word must match.
pub async fn explain(pool: &PgPool, text: &str) -> sqlx::Result<String> {
    let terms = analyse(pool, text).await?;
    let mut out = String::new();
    for term in &terms {
        let reading = match (&term.known, &term.correction) {
            (Some(known), _) => format!("known as {known}"),
            (None, Some(correction)) => format!("unknown, corrected to {correction}"),
            (None, None) => "unknown".to_string(),
        };
        out.push_str(&format!("word: {} ({reading})\n", term.typed));
    }
    match tsquery(&terms, Combine::All, "") {
        Some(query) => out.push_str(&format!("tsquery: {query}\n")),
        None => out.push_str("tsquery: none (no words: every product matches)\n"),
    }
    Ok(out)
}

/// Recomputes every product's search document (after a change to the document's definition).
pub async fn rebuild_documents(pool: &PgPool) -> sqlx::Result<u64> {
    Ok(sqlx::query!(
        "update products p set search_document = product_search_document(p)
          where p.search_document is distinct from product_search_document(p)"
    )
    .execute(pool)
    .await?
    .rows_affected())
}

/// Refreshes the vocabulary from the catalog; readers are not blocked while it runs.
pub async fn refresh(pool: &PgPool) -> sqlx::Result<()> {
    sqlx::query!("refresh materialized view concurrently search_terms")
        .execute(pool)
        .await?;
    // Built from the vocabulary just refreshed.
    sqlx::query!("refresh materialized view concurrently search_term_products")
        .execute(pool)
        .await?;
    Ok(())
}

/// Refreshes the vocabulary inside a transaction that changed the catalog (seeding), so the
/// words are there when it commits.
pub async fn refresh_in(db: &mut sqlx::PgConnection) -> sqlx::Result<()> {
    sqlx::query!("refresh materialized view search_terms")
        .execute(&mut *db)
        .await?;
    sqlx::query!("refresh materialized view search_term_products")
        .execute(&mut *db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(typed: &str, known: Option<&str>, correction: Option<&str>) -> Term {
        Term {
            typed: typed.into(),
            known: known.map(Into::into),
            correction: correction.map(Into::into),
        }
    }

    #[test]
    fn builds_prefix_and_correction_alternatives() {
        let terms = [
            term("wirelss", None, Some("wireless")),
            term("tshirt", Some("t-shirt"), None),
        ];
        assert_eq!(
            tsquery(&terms, Combine::All, "").unwrap(),
            "('wirelss':* | 'wireless') & ('t-shirt':*)"
        );
        assert_eq!(
            tsquery(&terms[..1], Combine::Any, "A").unwrap(),
            "('wirelss':*A | 'wireless':A)"
        );
        assert_eq!(
            tsquery(&[term("xl", None, None)], Combine::All, "").unwrap(),
            "('xl')"
        );
        assert_eq!(tsquery(&[], Combine::All, ""), None);
    }

    #[test]
    fn shows_the_corrected_query_only_when_something_was_corrected() {
        let terms = [
            term("wirelss", None, Some("wireless")),
            term("headphones", Some("headphones"), None),
        ];
        assert_eq!(corrected(&terms).as_deref(), Some("wireless headphones"));
        assert_eq!(corrected(&terms[1..]), None);
    }
}

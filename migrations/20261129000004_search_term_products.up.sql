-- Autocomplete's candidates: for every vocabulary word, the ten most reviewed products whose
-- title has it. A prefix looks up the words it starts and their products, instead of ranking
-- every product whose title has a word beginning with it (thousands on a big catalog).
-- Refreshed with the vocabulary; status and popularity are checked again when suggesting.
create materialized view search_term_products as
    select t.term, top.id as product_id, top.review_count
      from search_terms t
     cross join lateral (
          select p.id, p.review_count from products p
           where p.title_document @@ plainto_tsquery('marketplace', t.word)
             and p.status = 'active' and p.price_min is not null
           order by p.review_count desc, p.rating_avg desc nulls last, p.title, p.slug
           limit 10) top
     -- Words that are all stop words have no lexeme to look for.
     where length(to_tsvector('marketplace', t.word)) > 0;
create unique index search_term_products_key on search_term_products (term, product_id);

-- Prefix lookups in the vocabulary (`term like 'boo%'`), whatever the database's collation.
create index search_terms_prefix_idx on search_terms (term text_pattern_ops);

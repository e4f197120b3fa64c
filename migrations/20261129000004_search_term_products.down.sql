drop index search_terms_prefix_idx;
drop materialized view search_term_products;

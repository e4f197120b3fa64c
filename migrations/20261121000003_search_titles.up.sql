-- Titles on their own: suggestions match only titles, and relevance ranks mostly on them.
-- Short vectors with their own index are far cheaper than filtering whole documents by weight.
alter table products
    add column title_document tsvector generated always as (to_tsvector('marketplace', title)) stored;
create index products_title_search_idx on products using gin (title_document);

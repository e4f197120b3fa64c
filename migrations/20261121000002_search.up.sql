-- Product search on PostgreSQL: a weighted full-text document per product, a vocabulary for
-- typo correction and suggestions (pg_trgm), and an outbox that an external search engine
-- (Meilisearch) is fed from.

create extension if not exists pg_trgm;
create extension if not exists unaccent;
create extension if not exists fuzzystrmatch;

-- English stemming (shirts → shirt) on accent-free words (crème → creme).
create text search configuration marketplace (copy = english);
alter text search configuration marketplace
    alter mapping for asciiword, asciihword, hword_asciipart, word, hword, hword_part
    with unaccent, english_stem;

-- A: title. B: category path, vendor name, option values. C: description.
create function product_search_document(p products) returns tsvector language sql stable as $$
    select setweight(to_tsvector('marketplace', p.title), 'A')
        || setweight(to_tsvector('marketplace', coalesce((
               with recursive up (id, parent_id, name, depth) as (
                   select id, parent_id, name, 0 from categories where id = p.category_id
                   union all
                   select c.id, c.parent_id, c.name, up.depth + 1
                     from categories c join up on c.id = up.parent_id where up.depth < 8)
               select string_agg(name, ' ') from up), '')), 'B')
        || setweight(to_tsvector('marketplace', coalesce((select name from vendors where id = p.vendor_id), '')), 'B')
        || setweight(to_tsvector('marketplace', coalesce((
               select string_agg(distinct value, ' ')
                 from variants v cross join unnest(v.option_values) value
                where v.product_id = p.id), '')), 'B')
        || setweight(to_tsvector('marketplace', p.description), 'C');
$$;

alter table products add column search_document tsvector not null default ''::tsvector;
update products p set search_document = product_search_document(p);
create index products_search_idx on products using gin (search_document);

-- The document follows the product's own text and place.
create function products_search_document() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT'
       or (new.title, new.description, new.category_id, new.vendor_id)
          is distinct from (old.title, old.description, old.category_id, old.vendor_id) then
        new.search_document := product_search_document(new);
    end if;
    return new;
end $$;
create trigger products_search_document before insert or update on products
    for each row execute function products_search_document();

-- ...and the option values of its variants.
create function refresh_product_search(ids uuid[]) returns void language sql as $$
    update products p set search_document = product_search_document(p)
     where p.id = any(ids) and p.search_document is distinct from product_search_document(p);
$$;
create function variants_search_new() returns trigger language plpgsql as $$
begin
    perform refresh_product_search(array(select distinct product_id from new_rows));
    return null;
end $$;
create function variants_search_old() returns trigger language plpgsql as $$
begin
    perform refresh_product_search(array(select distinct product_id from old_rows));
    return null;
end $$;
create function variants_search_changed() returns trigger language plpgsql as $$
begin
    perform refresh_product_search(array(
        select distinct n.product_id from new_rows n join old_rows o on o.id = n.id
         where n.option_values is distinct from o.option_values));
    return null;
end $$;
create trigger variants_search_insert after insert on variants
    referencing new table as new_rows for each statement execute function variants_search_new();
create trigger variants_search_delete after delete on variants
    referencing old table as old_rows for each statement execute function variants_search_old();
create trigger variants_search_update after update on variants
    referencing new table as new_rows old table as old_rows
    for each statement execute function variants_search_changed();

-- Renaming a category or a vendor changes the documents of their products.
create function categories_search_changed() returns trigger language plpgsql as $$
begin
    perform refresh_product_search(array(select id from products where category_id in (
        with recursive down (id) as (
            select n.id from new_rows n join old_rows o on o.id = n.id where n.name is distinct from o.name
            union
            select c.id from categories c join down on c.parent_id = down.id)
        select id from down)));
    return null;
end $$;
create trigger categories_search_update after update on categories
    referencing new table as new_rows old table as old_rows
    for each statement execute function categories_search_changed();
create function vendors_search_changed() returns trigger language plpgsql as $$
begin
    perform refresh_product_search(array(select p.id from products p where p.vendor_id in (
        select n.id from new_rows n join old_rows o on o.id = n.id where n.name is distinct from o.name)));
    return null;
end $$;
create trigger vendors_search_update after update on vendors
    referencing new table as new_rows old table as old_rows
    for each statement execute function vendors_search_changed();

-- Words shoppers may mean, for typo correction and suggestions: every word of titles, category
-- and vendor names and option values, unaccented and lower-cased. `term` is what is compared
-- (hyphens dropped: "tshirt"); `word` is what is searched for ("t-shirt").
create materialized view search_terms as
    with sources as (
        select title as text from products where status = 'active'
        union all select name from categories
        union all select name from vendors where status = 'approved'
        union all select value from variants v cross join unnest(v.option_values) value
    ), words as (
        select regexp_split_to_table(lower(unaccent(text)), '[^a-z0-9-]+') as word from sources
    )
    select trim(both '-' from replace(word, '-', '')) as term,
           min(trim(both '-' from word)) as word,
           count(*)::integer as frequency
      from words
     where length(replace(word, '-', '')) between 2 and 40
     group by 1;
create unique index search_terms_term_idx on search_terms (term);
create index search_terms_trgm_idx on search_terms using gist (term gist_trgm_ops);

-- Products whose search document changed, for an external engine to pick up. Rows are written in
-- the same transaction as the change, so the engine converges after any crash.
create table search_outbox (
    product_id  uuid primary key,
    changed_at  timestamptz not null default now()
);
create function products_search_outbox() returns trigger language plpgsql as $$
begin
    insert into search_outbox (product_id)
    select distinct id from changed_rows
    on conflict (product_id) do update set changed_at = now();
    return null;
end $$;
create trigger products_search_outbox_insert after insert on products
    referencing new table as changed_rows for each statement execute function products_search_outbox();
create trigger products_search_outbox_update after update on products
    referencing new table as changed_rows for each statement execute function products_search_outbox();
create trigger products_search_outbox_delete after delete on products
    referencing old table as changed_rows for each statement execute function products_search_outbox();

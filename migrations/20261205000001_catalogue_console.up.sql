-- The catalogue in the console. Moderation: an operator may hide a product from the
-- storefront with a reason the shop reads, and reinstate it; shoppers report products, and
-- open reports form a queue. And the category tree, which operators now edit.
--
-- A hidden product's status is 'hidden': every storefront query, partial index, search
-- function and the search outbox already treat anything but 'active' as not on sale. What the
-- shop chose is kept in listed_status and comes back on reinstatement. While a product is
-- hidden the shop's own saves (the editor, a CSV import) cannot list it again: the trigger
-- keeps it 'hidden' and remembers the status they chose.
alter table products drop constraint products_status_check;
alter table products
    add column hidden_at timestamptz,
    add column hidden_reason text not null default '',
    add column listed_status text,
    add constraint products_status_check check (status in ('draft', 'active', 'archived', 'hidden')),
    add constraint products_hidden_check check ((status = 'hidden') = (hidden_at is not null)),
    add constraint products_listed_status_check
        check (listed_status is null or listed_status in ('draft', 'active', 'archived')),
    add constraint products_hidden_reason_check check (char_length(hidden_reason) <= 1000);

create function products_keep_hidden() returns trigger language plpgsql as $$
begin
    if new.hidden_at is not null and new.status <> 'hidden' then
        new.listed_status := new.status;
        new.status := 'hidden';
    end if;
    return new;
end
$$;
create trigger products_keep_hidden before update on products
    for each row execute function products_keep_hidden();

create index products_hidden_idx on products (hidden_at desc) where hidden_at is not null;
-- The console's list of every product, newest first.
create index products_created_all_idx on products (created_at desc, id);

-- A shopper's report of a product. One open report per shopper and product; an operator
-- closes the open reports of a product by hiding it or by dismissing them.
create table product_reports (
    id          uuid primary key default uuid_v7(),
    product_id  uuid not null references products (id) on delete cascade,
    reporter_id uuid references users (id) on delete set null,
    reason      text not null,
    note        text not null default '',
    created_at  timestamptz not null default now(),
    closed_at   timestamptz,
    closed_by   uuid references users (id) on delete set null,
    outcome     text,
    constraint product_reports_reason_check
        check (reason in ('counterfeit', 'prohibited', 'misleading', 'offensive', 'other')),
    constraint product_reports_note_check check (char_length(note) <= 1000),
    constraint product_reports_outcome_check
        check ((closed_at is null) = (outcome is null) and (outcome is null or outcome in ('hidden', 'dismissed')))
);
create index product_reports_open_idx on product_reports (product_id, created_at) where closed_at is null;
create unique index product_reports_one_open_key on product_reports (product_id, reporter_id) where closed_at is null;
create index product_reports_reporter_idx on product_reports (reporter_id, created_at desc);

-- Operators now move categories: a new parent changes the category path in the search
-- documents of every product below, as a new name does.
create or replace function categories_search_changed() returns trigger language plpgsql as $$
begin
    perform refresh_product_search(array(select id from products where category_id in (
        with recursive down (id) as (
            select n.id from new_rows n join old_rows o on o.id = n.id
             where n.name is distinct from o.name or n.parent_id is distinct from o.parent_id
            union
            select c.id from categories c join down on c.parent_id = down.id)
        select id from down)));
    return null;
end $$;

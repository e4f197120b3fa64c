-- The catalog: vendors, a category tree, products with variants, images and reviews.
-- Money is bigint minor units of the shop currency. Statuses are text with named checks,
-- so new states are a constraint change rather than an enum migration.

create function set_updated_at() returns trigger language plpgsql as $$
begin
    new.updated_at := now();
    return new;
end $$;

create table vendors (
    id           uuid primary key default gen_random_uuid(),
    slug         text not null,
    name         text not null,
    tagline      text not null default '',
    description  text not null default '',
    country      char(2) not null default 'US',
    contact_email text,
    logo_key     text,
    status       text not null default 'pending',
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    constraint vendors_slug_key unique (slug),
    constraint vendors_slug_check check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
    constraint vendors_name_check check (length(name) between 1 and 120),
    constraint vendors_status_check check (status in ('pending', 'approved', 'rejected', 'suspended'))
);
create trigger vendors_updated_at before update on vendors
    for each row execute function set_updated_at();

create table categories (
    id          uuid primary key default gen_random_uuid(),
    parent_id   uuid,
    slug        text not null,
    name        text not null,
    description text not null default '',
    position    integer not null default 0,
    featured    boolean not null default false,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint categories_slug_key unique (slug),
    constraint categories_parent_fkey foreign key (parent_id) references categories (id) on delete restrict,
    constraint categories_slug_check check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
    constraint categories_name_check check (length(name) between 1 and 80),
    constraint categories_not_own_parent check (parent_id is distinct from id)
);
create index categories_parent_idx on categories (parent_id, position);
create trigger categories_updated_at before update on categories
    for each row execute function set_updated_at();

create table products (
    id            uuid primary key default gen_random_uuid(),
    vendor_id     uuid not null,
    category_id   uuid not null,
    slug          text not null,
    title         text not null,
    description   text not null default '',
    status        text not null default 'draft',
    -- Names of the options its variants choose between, in display order (e.g. {Size,Colour}).
    option_names  text[] not null default '{}',
    -- Listing columns, kept up to date by the triggers below from variants and reviews.
    price_min     bigint,
    price_max     bigint,
    in_stock      boolean not null default false,
    rating_avg    numeric(3, 2),
    review_count  integer not null default 0,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    constraint products_slug_key unique (slug),
    constraint products_vendor_fkey foreign key (vendor_id) references vendors (id) on delete cascade,
    constraint products_category_fkey foreign key (category_id) references categories (id) on delete restrict,
    constraint products_slug_check check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 120),
    constraint products_title_check check (length(title) between 1 and 200),
    constraint products_status_check check (status in ('draft', 'active', 'archived')),
    constraint products_option_names_check check (cardinality(option_names) <= 3)
);
create index products_vendor_idx on products (vendor_id, status, created_at desc);
create index products_category_created_idx on products (category_id, created_at desc) where status = 'active';
create index products_created_idx on products (created_at desc) where status = 'active';
create index products_rating_idx on products (rating_avg desc nulls last, review_count desc) where status = 'active';
create trigger products_updated_at before update on products
    for each row execute function set_updated_at();

create table variants (
    id             uuid primary key default gen_random_uuid(),
    product_id     uuid not null,
    sku            text not null,
    -- Values aligned with products.option_names, e.g. {M,Navy}.
    option_values  text[] not null default '{}',
    price          bigint not null,
    stock_on_hand  integer not null default 0,
    stock_reserved integer not null default 0,
    position       integer not null default 0,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    constraint variants_product_fkey foreign key (product_id) references products (id) on delete cascade,
    constraint variants_sku_key unique (sku),
    constraint variants_options_key unique (product_id, option_values),
    constraint variants_sku_check check (sku ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    constraint variants_price_check check (price >= 0),
    constraint variants_stock_on_hand_check check (stock_on_hand >= 0),
    constraint variants_stock_reserved_check check (stock_reserved >= 0 and stock_reserved <= stock_on_hand)
);
create index variants_product_idx on variants (product_id, position);
create trigger variants_updated_at before update on variants
    for each row execute function set_updated_at();

create table product_images (
    id          uuid primary key default gen_random_uuid(),
    product_id  uuid not null,
    -- Storage key of the image; resized renditions live at <key>-<width>.<ext>.
    key         text not null,
    alt         text not null default '',
    width       integer not null,
    height      integer not null,
    position    integer not null default 0,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint product_images_product_fkey foreign key (product_id) references products (id) on delete cascade,
    constraint product_images_size_check check (width > 0 and height > 0)
);
create index product_images_product_idx on product_images (product_id, position);

create table reviews (
    id           uuid primary key default gen_random_uuid(),
    product_id   uuid not null,
    author_name  text not null,
    rating       smallint not null,
    title        text not null default '',
    body         text not null default '',
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    constraint reviews_product_fkey foreign key (product_id) references products (id) on delete cascade,
    constraint reviews_rating_check check (rating between 1 and 5),
    constraint reviews_author_name_check check (length(author_name) between 1 and 80)
);
create index reviews_product_idx on reviews (product_id, created_at desc);

-- Listing columns. Statement-level triggers with transition tables recompute each touched
-- product once per statement, so bulk writes (seeding, CSV import) stay cheap.
create function refresh_product_variant_summary(ids uuid[]) returns void language sql as $$
    update products p
       set price_min = s.price_min, price_max = s.price_max, in_stock = s.in_stock
      from (select pr.id,
                   min(v.price) as price_min,
                   max(v.price) as price_max,
                   coalesce(bool_or(v.stock_on_hand > v.stock_reserved), false) as in_stock
              from products pr left join variants v on v.product_id = pr.id
             where pr.id = any(ids)
             group by pr.id) s
     where p.id = s.id
       and (p.price_min, p.price_max, p.in_stock) is distinct from (s.price_min, s.price_max, s.in_stock);
$$;

create function variants_summary_new() returns trigger language plpgsql as $$
begin
    perform refresh_product_variant_summary(array(select distinct product_id from new_rows));
    return null;
end $$;
create function variants_summary_old() returns trigger language plpgsql as $$
begin
    perform refresh_product_variant_summary(array(select distinct product_id from old_rows));
    return null;
end $$;
create trigger variants_summary_insert after insert on variants
    referencing new table as new_rows for each statement execute function variants_summary_new();
create trigger variants_summary_update after update on variants
    referencing new table as new_rows for each statement execute function variants_summary_new();
create trigger variants_summary_delete after delete on variants
    referencing old table as old_rows for each statement execute function variants_summary_old();

create function refresh_product_rating(ids uuid[]) returns void language sql as $$
    update products p
       set rating_avg = s.rating_avg, review_count = s.review_count
      from (select pr.id,
                   round(avg(r.rating), 2) as rating_avg,
                   count(r.id)::integer as review_count
              from products pr left join reviews r on r.product_id = pr.id
             where pr.id = any(ids)
             group by pr.id) s
     where p.id = s.id
       and (p.rating_avg, p.review_count) is distinct from (s.rating_avg, s.review_count);
$$;

create function reviews_rating_new() returns trigger language plpgsql as $$
begin
    perform refresh_product_rating(array(select distinct product_id from new_rows));
    return null;
end $$;
create function reviews_rating_old() returns trigger language plpgsql as $$
begin
    perform refresh_product_rating(array(select distinct product_id from old_rows));
    return null;
end $$;
create trigger reviews_rating_insert after insert on reviews
    referencing new table as new_rows for each statement execute function reviews_rating_new();
create trigger reviews_rating_update after update on reviews
    referencing new table as new_rows for each statement execute function reviews_rating_new();
create trigger reviews_rating_delete after delete on reviews
    referencing old table as old_rows for each statement execute function reviews_rating_old();

-- Discount codes: the marketplace's own (funded by the marketplace, on every shop's part of a
-- cart) or a shop's (funded by the shop, on its own part). A percentage (basis points) or a
-- fixed amount (minor units), from a minimum subtotal, between two dates, with limits in total
-- and per customer, and for first orders only. `uses` counts the orders holding the code: an
-- order that is placed takes one (under the code's row lock, so a limit is never exceeded), one
-- closed unpaid gives it back.
create table discount_codes (
    id                 uuid primary key default gen_random_uuid(),
    code               text not null,
    vendor_id          uuid references vendors (id) on delete restrict,
    kind               text not null,
    value              bigint not null,
    min_subtotal       bigint not null default 0,
    starts_at          timestamptz,
    ends_at            timestamptz,
    usage_limit        integer,
    per_customer_limit integer,
    first_order_only   boolean not null default false,
    uses               integer not null default 0,
    disabled_at        timestamptz,
    created_at         timestamptz not null default now(),
    constraint discount_codes_code_check check (code ~ '^[A-Z0-9][A-Z0-9_-]{2,31}$'),
    constraint discount_codes_kind_check check (kind in ('percent', 'fixed')),
    constraint discount_codes_value_check check (value > 0 and (kind <> 'percent' or value <= 10000)),
    constraint discount_codes_min_check check (min_subtotal >= 0),
    constraint discount_codes_dates_check check (starts_at is null or ends_at is null or ends_at > starts_at),
    constraint discount_codes_limits_check check ((usage_limit is null or usage_limit > 0)
        and (per_customer_limit is null or per_customer_limit > 0)),
    constraint discount_codes_uses_check check (uses >= 0 and (usage_limit is null or uses <= usage_limit))
);
-- A code names one offer across the marketplace: a shopper types it without saying whose it is.
create unique index discount_codes_code_key on discount_codes (code);
create index discount_codes_vendor_idx on discount_codes (vendor_id, created_at desc);

-- Which order used which code, for the per-customer limit and the first-order rule; released
-- when the order is closed unpaid.
create table discount_uses (
    id          bigint generated always as identity primary key,
    code_id     uuid not null references discount_codes (id) on delete restrict,
    order_id    uuid not null references orders (id) on delete restrict,
    email       citext not null,
    user_id     uuid references users (id) on delete set null,
    amount      bigint not null,
    released_at timestamptz,
    created_at  timestamptz not null default now(),
    constraint discount_uses_order_key unique (order_id),
    constraint discount_uses_amount_check check (amount > 0)
);
create index discount_uses_email_idx on discount_uses (code_id, email) where released_at is null;
create index discount_uses_user_idx on discount_uses (code_id, user_id) where released_at is null;

-- An order's discount, and each shop's part of it: `discount_funded` is what the marketplace
-- pays the shop for it (all of a marketplace code's, none of a shop's own).
alter table orders
    add column discount_code text,
    add column discount_total bigint not null default 0,
    drop constraint orders_totals_check,
    add constraint orders_totals_check check (subtotal >= 0 and shipping_total >= 0 and tax_total >= 0
        and discount_total between 0 and subtotal
        and total = subtotal - discount_total + shipping_total + tax_total and refunded_total between 0 and total);
alter table vendor_orders
    add column discount bigint not null default 0,
    add column discount_funded bigint not null default 0,
    drop constraint vendor_orders_totals_check,
    add constraint vendor_orders_totals_check check (total = subtotal - discount + shipping + tax
        and discount between 0 and subtotal and discount_funded between 0 and discount
        and refunded between 0 and total);

-- The ledger books what the marketplace pays for its discounts, and takes back its share of a
-- refund.
alter table ledger_entries
    drop constraint ledger_entries_kind_check,
    drop constraint ledger_entries_source_check,
    add constraint ledger_entries_kind_check check (kind in ('sale', 'commission', 'refund',
        'commission_reversal', 'payout', 'payout_reversal', 'transfer_reversal',
        'discount_funding', 'discount_funding_reversal')),
    add constraint ledger_entries_source_check check (
        (kind in ('sale', 'commission', 'discount_funding') and vendor_order_id is not null)
        or (kind in ('refund', 'commission_reversal', 'discount_funding_reversal') and refund_id is not null)
        or (kind in ('payout', 'payout_reversal') and payout_id is not null)
        or (kind = 'transfer_reversal' and payout_id is not null and external_ref is not null));
drop index ledger_entries_sale_key;
create unique index ledger_entries_sale_key on ledger_entries (vendor_order_id, kind)
    where kind in ('sale', 'commission', 'discount_funding');

-- Carts, checkout settings (shipping methods, tax rates), orders split per vendor, payments,
-- refunds, provider events and the record of every status change.

-- A cart belongs to a user (one each, shared by their devices) or to a guest's session (the
-- session holds the cart's id; the row survives restarts like the session does).
create table carts (
    id          uuid primary key default gen_random_uuid(),
    user_id     uuid references users (id) on delete cascade,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint carts_user_key unique (user_id)
);
create index carts_guest_updated_idx on carts (updated_at) where user_id is null;
create trigger carts_updated_at before update on carts
    for each row execute function set_updated_at();

create table cart_items (
    cart_id     uuid not null references carts (id) on delete cascade,
    variant_id  uuid not null references variants (id) on delete cascade,
    quantity    integer not null,
    -- The price when the item was added, to flag changes since.
    unit_price  bigint not null,
    added_at    timestamptz not null default now(),
    primary key (cart_id, variant_id),
    constraint cart_items_quantity_check check (quantity between 1 and 99)
);

-- How a vendor ships: a flat rate, free above a threshold when set.
create table shipping_methods (
    id          uuid primary key default gen_random_uuid(),
    vendor_id   uuid not null references vendors (id) on delete cascade,
    name        text not null,
    price       bigint not null,
    free_over   bigint,
    min_days    integer not null,
    max_days    integer not null,
    position    integer not null default 0,
    constraint shipping_methods_name_check check (length(name) between 1 and 60),
    constraint shipping_methods_price_check check (price >= 0 and (free_over is null or free_over >= 0)),
    constraint shipping_methods_days_check check (min_days >= 0 and max_days >= min_days)
);
create index shipping_methods_vendor_idx on shipping_methods (vendor_id, position);

insert into shipping_methods (vendor_id, name, price, free_over, min_days, max_days, position)
select v.id, m.name, m.price, m.free_over, m.min_days, m.max_days, m.position
from vendors v
cross join (values ('Standard', 499::bigint, 5000::bigint, 3, 5, 0),
                   ('Express', 1499::bigint, null::bigint, 1, 2, 1)) as m (name, price, free_over, min_days, max_days, position);

-- Sales tax / VAT by destination. A rate with region '' applies to the whole country unless a
-- region has its own. Rates are basis points (725 = 7.25 %), charged on goods and shipping.
create table tax_rates (
    country  char(2) not null,
    region   text not null default '',
    name     text not null,
    rate_bp  integer not null,
    primary key (country, region),
    constraint tax_rates_rate_check check (rate_bp between 0 and 10000)
);
insert into tax_rates (country, region, name, rate_bp) values
    ('US', 'CA', 'California sales tax', 725),
    ('US', 'NY', 'New York sales tax', 400),
    ('US', 'TX', 'Texas sales tax', 625),
    ('US', 'WA', 'Washington sales tax', 650),
    ('DE', '', 'VAT (DE)', 1900),
    ('FR', '', 'VAT (FR)', 2000),
    ('NL', '', 'VAT (NL)', 2100),
    ('GB', '', 'VAT (GB)', 2000),
    ('CA', '', 'GST', 500);

create sequence order_number_seq start with 100001;

-- One per checkout. Statuses and their transitions live in app/src/orders/status.rs.
create table orders (
    id               uuid primary key default gen_random_uuid(),
    number           bigint not null default nextval('order_number_seq'),
    user_id          uuid references users (id) on delete set null,
    -- The cart it was placed from: a double submit is recognised by (cart, key).
    cart_id          uuid,
    idempotency_key  text not null,
    email            citext not null,
    status           text not null default 'pending_payment',
    currency         char(3) not null,
    subtotal         bigint not null,
    shipping_total   bigint not null,
    tax_total        bigint not null,
    total            bigint not null,
    refunded_total   bigint not null default 0,
    shipping_address jsonb not null,
    tax_lines        jsonb not null default '[]',
    expires_at       timestamptz not null,
    paid_at          timestamptz,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    constraint orders_number_key unique (number),
    constraint orders_idempotency_key unique (idempotency_key),
    constraint orders_status_check check (status in ('pending_payment', 'paid', 'payment_failed',
        'cancelled', 'expired', 'completed', 'partially_refunded', 'refunded')),
    constraint orders_totals_check check (subtotal >= 0 and shipping_total >= 0 and tax_total >= 0
        and total = subtotal + shipping_total + tax_total and refunded_total between 0 and total)
);
alter sequence order_number_seq owned by orders.number;
create index orders_user_idx on orders (user_id, created_at desc);
create index orders_pending_expiry_idx on orders (expires_at) where status = 'pending_payment';
create trigger orders_updated_at before update on orders
    for each row execute function set_updated_at();

-- The part of an order one vendor fulfils, with its own status and tracking.
create table vendor_orders (
    id               uuid primary key default gen_random_uuid(),
    order_id         uuid not null references orders (id) on delete cascade,
    vendor_id        uuid not null references vendors (id) on delete restrict,
    status           text not null default 'pending',
    shipping_method  text not null,
    subtotal         bigint not null,
    shipping         bigint not null,
    tax              bigint not null,
    total            bigint not null,
    refunded         bigint not null default 0,
    carrier          text,
    tracking_number  text,
    shipped_at       timestamptz,
    delivered_at     timestamptz,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    constraint vendor_orders_order_vendor_key unique (order_id, vendor_id),
    constraint vendor_orders_status_check check (status in ('pending', 'awaiting_fulfilment', 'shipped',
        'delivered', 'cancelled')),
    constraint vendor_orders_totals_check check (total = subtotal + shipping + tax
        and refunded between 0 and total)
);
create index vendor_orders_vendor_idx on vendor_orders (vendor_id, created_at desc);
create trigger vendor_orders_updated_at before update on vendor_orders
    for each row execute function set_updated_at();

-- What was bought, as it was when bought.
create table order_items (
    id               uuid primary key default gen_random_uuid(),
    order_id         uuid not null references orders (id) on delete cascade,
    vendor_order_id  uuid not null references vendor_orders (id) on delete cascade,
    variant_id       uuid references variants (id) on delete set null,
    product_slug     text not null,
    title            text not null,
    options          text not null default '',
    sku              text not null,
    unit_price       bigint not null,
    quantity         integer not null,
    line_total       bigint not null,
    constraint order_items_quantity_check check (quantity > 0),
    constraint order_items_total_check check (line_total = unit_price * quantity)
);
create index order_items_order_idx on order_items (order_id);
create index order_items_vendor_order_idx on order_items (vendor_order_id);

create table payments (
    id               uuid primary key default gen_random_uuid(),
    order_id         uuid not null references orders (id) on delete cascade,
    provider         text not null,
    -- The provider's id for it (a Stripe PaymentIntent id); the test provider makes one up.
    provider_ref     text,
    -- What the browser confirms the payment with (Stripe's PaymentIntent client secret).
    client_secret    text,
    amount           bigint not null,
    currency         char(3) not null,
    status           text not null default 'pending',
    failure_message  text,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    constraint payments_order_key unique (order_id),
    constraint payments_provider_ref_key unique (provider, provider_ref),
    constraint payments_provider_check check (provider in ('test', 'stripe')),
    constraint payments_status_check check (status in ('pending', 'succeeded', 'failed', 'canceled'))
);
create index payments_pending_idx on payments (created_at) where status = 'pending';
create trigger payments_updated_at before update on payments
    for each row execute function set_updated_at();

create table refunds (
    id               uuid primary key default gen_random_uuid(),
    payment_id       uuid not null references payments (id) on delete cascade,
    vendor_order_id  uuid not null references vendor_orders (id) on delete cascade,
    amount           bigint not null,
    reason           text not null default '',
    restock          boolean not null default false,
    provider_ref     text,
    actor            text not null,
    created_at       timestamptz not null default now(),
    constraint refunds_amount_check check (amount > 0)
);
create index refunds_vendor_order_idx on refunds (vendor_order_id);

-- Every provider event applied, once: a repeated delivery hits the unique key.
create table payment_events (
    provider     text not null,
    event_id     text not null,
    event_type   text not null,
    payload      jsonb not null,
    received_at  timestamptz not null default now(),
    primary key (provider, event_id)
);

-- Every status change of an order or a vendor order: when, from what, to what, by whom.
create table order_events (
    id               bigint generated always as identity primary key,
    order_id         uuid not null references orders (id) on delete cascade,
    vendor_order_id  uuid references vendor_orders (id) on delete cascade,
    from_status      text,
    to_status        text not null,
    actor            text not null,
    note             text not null default '',
    at               timestamptz not null default now()
);
create index order_events_order_idx on order_events (order_id, id);

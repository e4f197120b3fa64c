-- The marketplace's own settings, edited by operators in the console (with their history in
-- the audit log); environment variables stay for secrets and infrastructure. One row.
create table platform_settings (
    id                   boolean primary key default true,
    -- Basis points of each sale the marketplace keeps unless a shop has its own rate.
    commission_bp        integer not null default 1000,
    -- How long an unpaid order holds its stock.
    reservation_minutes  integer not null default 30,
    -- Days a sale waits before it is paid out (returns and refunds come first).
    payout_delay_days    integer not null default 7,
    updated_at           timestamptz not null default now(),
    constraint platform_settings_one_row check (id),
    constraint platform_settings_commission_check check (commission_bp between 0 and 10000),
    constraint platform_settings_reservation_check check (reservation_minutes between 1 and 1440),
    constraint platform_settings_payout_delay_check check (payout_delay_days between 0 and 365)
);
insert into platform_settings default values;

-- The shipping methods a new shop starts with (each shop then keeps its own).
create table default_shipping_methods (
    id          uuid primary key default gen_random_uuid(),
    name        text not null,
    price       bigint not null,
    free_over   bigint,
    min_days    integer not null,
    max_days    integer not null,
    position    integer not null default 0,
    constraint default_shipping_methods_name_check check (length(name) between 1 and 60),
    constraint default_shipping_methods_price_check check (price >= 0 and (free_over is null or free_over >= 0)),
    constraint default_shipping_methods_days_check check (min_days >= 0 and max_days >= min_days and max_days <= 365)
);
insert into default_shipping_methods (name, price, free_over, min_days, max_days, position) values
    ('Standard', 499, 5000, 3, 5, 0),
    ('Express', 1499, null, 1, 2, 1);

alter table tax_rates
    add constraint tax_rates_name_check check (length(name) between 1 and 60),
    add constraint tax_rates_region_check check (length(region) <= 10);

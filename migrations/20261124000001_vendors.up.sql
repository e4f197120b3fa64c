-- Vendors running their own shops: applications and their decisions, staff invitations, the
-- commission the marketplace keeps, and the ledger every sale, refund and payout is booked in.

alter table vendors
    add column applied_by       uuid references users (id) on delete set null,
    add column decided_at       timestamptz,
    add column decision_reason  text not null default '',
    -- Basis points the marketplace keeps of each sale; null: the platform default.
    add column commission_bp    integer,
    -- Variants at or below this many available units count as low on stock.
    add column low_stock_threshold integer not null default 5,
    -- The Stripe Connect (Express) account payouts are transferred to.
    add column stripe_account_id text,
    add constraint vendors_commission_check check (commission_bp between 0 and 10000),
    add constraint vendors_low_stock_check check (low_stock_threshold between 0 and 100000),
    add constraint vendors_reason_check check (length(decision_reason) <= 1000);

-- An owner's invitation of someone, by email, to work in the shop. The link carries a token
-- whose hash is stored here; accepting needs an account with that address.
create table vendor_invites (
    id          uuid primary key default gen_random_uuid(),
    vendor_id   uuid not null references vendors (id) on delete cascade,
    email       citext not null,
    role        text not null,
    token_hash  bytea not null,
    invited_by  uuid references users (id) on delete set null,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null,
    accepted_at timestamptz,
    constraint vendor_invites_token_key unique (token_hash),
    constraint vendor_invites_role_check check (role in ('owner', 'staff'))
);
create unique index vendor_invites_open_key on vendor_invites (vendor_id, email) where accepted_at is null;

-- The commission rate a vendor order was sold at, fixed when it is paid, so refunds reverse
-- what was charged whatever the rate is later.
alter table vendor_orders add column commission_bp integer;

create table payouts (
    id           uuid primary key default gen_random_uuid(),
    vendor_id    uuid not null references vendors (id) on delete restrict,
    amount       bigint not null,
    currency     char(3) not null,
    -- test: simulated, no money moves. stripe: a transfer to the connected account.
    provider     text not null,
    provider_ref text,
    status       text not null default 'pending',
    failure_message text,
    -- Taken back from the connected account since (transfer reversals after refunds).
    reversed     bigint not null default 0,
    created_at   timestamptz not null default now(),
    paid_at      timestamptz,
    constraint payouts_amount_check check (amount > 0 and reversed between 0 and amount),
    constraint payouts_provider_check check (provider in ('test', 'stripe')),
    constraint payouts_status_check check (status in ('pending', 'paid', 'failed'))
);
create index payouts_vendor_idx on payouts (vendor_id, created_at desc);

-- Money owed to vendors, as signed entries in minor units: a vendor's balance is the sum of its
-- entries. Entries are only ever added.
create table ledger_entries (
    id               bigint generated always as identity primary key,
    vendor_id        uuid not null references vendors (id) on delete restrict,
    kind             text not null,
    amount           bigint not null,
    vendor_order_id  uuid references vendor_orders (id) on delete restrict,
    refund_id        uuid references refunds (id) on delete restrict,
    payout_id        uuid references payouts (id) on delete restrict,
    -- The provider's id of what the entry books (a Stripe transfer reversal).
    external_ref     text,
    memo             text not null default '',
    created_at       timestamptz not null default now(),
    constraint ledger_entries_kind_check check (kind in ('sale', 'commission', 'refund',
        'commission_reversal', 'payout', 'payout_reversal', 'transfer_reversal')),
    constraint ledger_entries_source_check check (
        (kind in ('sale', 'commission') and vendor_order_id is not null)
        or (kind in ('refund', 'commission_reversal') and refund_id is not null)
        or (kind in ('payout', 'payout_reversal') and payout_id is not null)
        or (kind = 'transfer_reversal' and payout_id is not null and external_ref is not null))
);
-- A sale is booked once, a refund once, a payout once: repeated events change nothing.
create unique index ledger_entries_sale_key on ledger_entries (vendor_order_id, kind)
    where kind in ('sale', 'commission');
create unique index ledger_entries_refund_key on ledger_entries (refund_id, kind) where refund_id is not null;
create unique index ledger_entries_payout_key on ledger_entries (payout_id, kind)
    where kind in ('payout', 'payout_reversal');
create unique index ledger_entries_external_key on ledger_entries (external_ref) where external_ref is not null;
create index ledger_entries_vendor_idx on ledger_entries (vendor_id, id desc);

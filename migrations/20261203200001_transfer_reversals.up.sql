-- Taking a refund back from a shop's transfer is booked before Stripe is asked: a retry after
-- an unanswered request sends the same id as its idempotency key, so money is never taken
-- back twice, and the booked amount is not asked for again meanwhile.
create table transfer_reversals (
    id               uuid primary key,
    payout_id        uuid not null references payouts (id) on delete restrict,
    vendor_id        uuid not null references vendors (id) on delete restrict,
    amount           bigint not null,
    status           text not null default 'pending',
    provider_ref     text,
    failure_message  text,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    constraint transfer_reversals_amount_check check (amount > 0),
    constraint transfer_reversals_status_check check (status in ('pending', 'done', 'failed'))
);
create index transfer_reversals_pending_idx on transfer_reversals (vendor_id) where status = 'pending';
create trigger transfer_reversals_updated_at before update on transfer_reversals
    for each row execute function set_updated_at();

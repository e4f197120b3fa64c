-- Operators hold a shop's payouts (a dispute, a check of its identity): while held, the payout
-- job leaves its balance where it is. The reason is what the shop reads in its portal.
alter table vendors
    add column payouts_held_at timestamptz,
    add column payouts_held_reason text,
    add constraint vendors_payouts_held_check check (
        (payouts_held_at is null) = (payouts_held_reason is null)
        and length(payouts_held_reason) <= 1000
    );

-- The console's payouts list reads the latest payouts of every shop, and those by status.
create index payouts_status_idx on payouts (status, created_at desc);

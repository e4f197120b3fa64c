drop index payouts_status_idx;
alter table vendors
    drop constraint vendors_payouts_held_check,
    drop column payouts_held_reason,
    drop column payouts_held_at;

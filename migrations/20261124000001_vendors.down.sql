drop table ledger_entries;
drop table payouts;
alter table vendor_orders drop column commission_bp;
drop table vendor_invites;
alter table vendors
    drop column applied_by, drop column decided_at, drop column decision_reason,
    drop column commission_bp, drop column low_stock_threshold, drop column stripe_account_id;

drop index ledger_entries_sale_key;
create unique index ledger_entries_sale_key on ledger_entries (vendor_order_id, kind)
    where kind in ('sale', 'commission');
alter table ledger_entries
    drop constraint ledger_entries_kind_check,
    drop constraint ledger_entries_source_check,
    add constraint ledger_entries_kind_check check (kind in ('sale', 'commission', 'refund',
        'commission_reversal', 'payout', 'payout_reversal', 'transfer_reversal')),
    add constraint ledger_entries_source_check check (
        (kind in ('sale', 'commission') and vendor_order_id is not null)
        or (kind in ('refund', 'commission_reversal') and refund_id is not null)
        or (kind in ('payout', 'payout_reversal') and payout_id is not null)
        or (kind = 'transfer_reversal' and payout_id is not null and external_ref is not null));
alter table vendor_orders
    drop constraint vendor_orders_totals_check,
    drop column discount_funded,
    drop column discount,
    add constraint vendor_orders_totals_check check (total = subtotal + shipping + tax
        and refunded between 0 and total);
alter table orders
    drop constraint orders_totals_check,
    drop column discount_total,
    drop column discount_code,
    add constraint orders_totals_check check (subtotal >= 0 and shipping_total >= 0 and tax_total >= 0
        and total = subtotal + shipping_total + tax_total and refunded_total between 0 and total);
drop table discount_uses;
drop table discount_codes;

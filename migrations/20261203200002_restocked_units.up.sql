-- Units of an order item put back on sale by refunds, so a later refund never puts them back
-- again (cancelled units are back already: both together never exceed what was ordered).
alter table order_items
    add column restocked_quantity integer not null default 0,
    add constraint order_items_restocked_check
        check (restocked_quantity >= 0 and cancelled_quantity + restocked_quantity <= quantity);

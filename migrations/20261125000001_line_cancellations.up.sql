-- Lines of a shop's part can be cancelled before it ships (some or all of their units): the
-- units go back on sale and their price and tax are refunded.
alter table order_items
    add column cancelled_quantity integer not null default 0,
    add constraint order_items_cancelled_check check (cancelled_quantity between 0 and quantity);

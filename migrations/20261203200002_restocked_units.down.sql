alter table order_items drop constraint order_items_restocked_check, drop column restocked_quantity;

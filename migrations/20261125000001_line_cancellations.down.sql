alter table order_items drop column cancelled_quantity;

drop index orders_user_idx;
create index orders_user_idx on orders (user_id, created_at desc);

alter table carts alter column id set default gen_random_uuid();
alter table orders alter column id set default gen_random_uuid();
alter table vendor_orders alter column id set default gen_random_uuid();
alter table order_items alter column id set default gen_random_uuid();
alter table payments alter column id set default gen_random_uuid();
alter table refunds alter column id set default gen_random_uuid();
alter table mail_outbox alter column id set default gen_random_uuid();

drop function uuid_v7();

-- Time-ordered ids for the rows written on every order and cart, and a guests-free index of
-- orders by account.
--
-- A random (version 4) id puts each new row's index entry on a random page of the primary key
-- and of every index that references it (items by order, events by order, ...). With half a
-- million orders each new one dirtied a different page of a dozen indexes, and after every
-- checkpoint each such page goes whole into the WAL: a benchmark run wrote 245-267 MB of WAL
-- with random ids and 91-98 MB with these (docs/PERFORMANCE.md). A version 7 id begins with
-- the time in milliseconds, so new entries land on the same few right-hand pages.
-- PostgreSQL 18 has `uuidv7()`; this is the same layout for the versions Debian ships now.

create function uuid_v7() returns uuid
language sql volatile parallel safe
as $$
    -- 48 bits of Unix time in milliseconds over a random id, then the version bits 0111.
    select encode(
               set_bit(set_bit(
                   overlay(uuid_send(gen_random_uuid())
                           placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
                           from 1 for 6),
                   52, 1), 53, 1),
               'hex')::uuid
$$;

alter table carts alter column id set default uuid_v7();
alter table orders alter column id set default uuid_v7();
alter table vendor_orders alter column id set default uuid_v7();
alter table order_items alter column id set default uuid_v7();
alter table payments alter column id set default uuid_v7();
alter table refunds alter column id set default uuid_v7();
alter table mail_outbox alter column id set default uuid_v7();

-- Guests' orders have no account: they need no entry in the index of an account's orders
-- (`user_id = $1` implies not null, so the planner still uses it).
drop index orders_user_idx;
create index orders_user_idx on orders (user_id, created_at desc) where user_id is not null;

-- Accounts the demo seed creates, with a published password: a production server refuses to
-- start while any of them exists. Databases seeded before this column get theirs marked by
-- the addresses the seed has always used.
alter table users add column demo boolean not null default false;
update users set demo = true
where email in ('shopper@example.com', 'owner@example.com', 'staff@example.com', 'admin@example.com');

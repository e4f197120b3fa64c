-- When the owner of an address was last told that someone tried to sign up with it: at most
-- one such note a day, whichever server instance the attempts reach.
alter table users add column signup_notice_at timestamptz;

drop schema tower_sessions cascade;
drop table mail_outbox;
drop table vendor_members;
drop table addresses;
drop table recovery_codes;
drop table user_tokens;
drop table user_sessions;
drop table users;

drop index if exists users_created_idx;
drop table if exists audit_log;
drop function if exists audit_log_append_only();
alter table users drop constraint if exists users_disabled_reason_check,
    drop column if exists disabled_reason,
    drop column if exists disabled_at;

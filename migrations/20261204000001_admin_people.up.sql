-- An operator may disable an account: it cannot sign in, and its sessions are ended. The
-- reason is for the operators; the person is told only that the account is disabled.
alter table users
    add column disabled_at timestamptz,
    add column disabled_reason text not null default '',
    add constraint users_disabled_reason_check check (length(disabled_reason) <= 500);

-- Who changed what: every operator action, and every shop action that changes money, stock,
-- products, staff or settings. Append-only: rows are added, never changed or removed. It is
-- history: its ids point at people and shops without foreign keys, so it neither blocks nor
-- follows what happens to them later.
create table audit_log (
    id           bigint generated always as identity primary key,
    at           timestamptz not null default now(),
    actor_id     uuid,
    actor_ip     text not null default '',
    action       text not null,
    subject_kind text not null,
    subject_id   text not null,
    -- The shop the change belongs to, when it belongs to one (the shop sees its own part).
    vendor_id    uuid,
    before       jsonb,
    after        jsonb,
    constraint audit_log_action_check check (action ~ '^[a-z_]+\.[a-z_]+$'),
    constraint audit_log_subject_check check (length(subject_kind) <= 40 and length(subject_id) <= 100),
    constraint audit_log_ip_check check (length(actor_ip) <= 64)
);
create index audit_log_at_idx on audit_log (at desc);
create index audit_log_subject_idx on audit_log (subject_kind, subject_id, at desc);
create index audit_log_vendor_idx on audit_log (vendor_id, at desc) where vendor_id is not null;
create index audit_log_actor_idx on audit_log (actor_id, at desc);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the audit log is append-only: % is refused', tg_op
        using errcode = 'insufficient_privilege';
end
$$;
create trigger audit_log_no_change before update or delete on audit_log
    for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only();

-- The operators' list of people: newest first, and found by email or name.
create index users_created_idx on users (created_at desc) where deleted_at is null;

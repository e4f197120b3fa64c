-- Accounts: users, their sessions, single-use tokens, 2FA recovery codes, addresses, vendor
-- membership, and the mail outbox. Secrets are never stored in the clear: passwords as argon2id
-- hashes, tokens and recovery codes as SHA-256 digests.

create extension if not exists citext;

create table users (
    id                uuid primary key default gen_random_uuid(),
    email             citext,
    email_verified_at timestamptz,
    password_hash     text,
    name              text not null default '',
    is_admin          boolean not null default false,
    -- Base32 TOTP secret; set while enrolling, in force once `totp_enabled_at` is set.
    totp_secret       text,
    totp_enabled_at   timestamptz,
    -- The last TOTP time step accepted, so a code cannot be replayed.
    totp_last_step    bigint,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    -- A deleted account keeps its row (orders point at it) with the personal data removed.
    deleted_at        timestamptz,
    constraint users_email_check check (email is null or (length(email) <= 254 and email ~ '^[^@\s]+@[^@\s]+$')),
    constraint users_name_check check (length(name) <= 100),
    constraint users_live_has_email check (deleted_at is not null or (email is not null and password_hash is not null))
);
create unique index users_email_key on users (email) where deleted_at is null;
create trigger users_updated_at before update on users
    for each row execute function set_updated_at();

-- One row per signed-in browser: listed on the security page, deleted at logout or by
-- "sign out other sessions". The tower-sessions record holds this id and the user's id.
create table user_sessions (
    id           uuid primary key default gen_random_uuid(),
    user_id      uuid not null references users (id) on delete cascade,
    user_agent   text not null default '',
    ip           text not null default '',
    created_at   timestamptz not null default now(),
    last_seen_at timestamptz not null default now()
);
create index user_sessions_user_idx on user_sessions (user_id, last_seen_at desc);

create table user_tokens (
    token_hash bytea primary key,
    user_id    uuid not null references users (id) on delete cascade,
    purpose    text not null,
    -- For `change_email`: the address the link confirms.
    new_email  citext,
    expires_at timestamptz not null,
    used_at    timestamptz,
    created_at timestamptz not null default now(),
    constraint user_tokens_purpose_check check (purpose in ('verify_email', 'reset_password', 'change_email'))
);
create index user_tokens_user_idx on user_tokens (user_id, purpose);

create table recovery_codes (
    user_id   uuid not null references users (id) on delete cascade,
    code_hash bytea not null,
    used_at   timestamptz,
    primary key (user_id, code_hash)
);

create table addresses (
    id                  uuid primary key default gen_random_uuid(),
    user_id             uuid not null references users (id) on delete cascade,
    full_name           text not null,
    line1               text not null,
    line2               text not null default '',
    city                text not null,
    region              text not null default '',
    postal_code         text not null,
    country             char(2) not null,
    phone               text not null default '',
    is_default_shipping boolean not null default false,
    is_default_billing  boolean not null default false,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    constraint addresses_lengths_check check (
        length(full_name) between 1 and 100 and length(line1) between 1 and 200 and length(line2) <= 200
        and length(city) between 1 and 100 and length(region) <= 100 and length(postal_code) between 1 and 20
        and length(phone) <= 30),
    constraint addresses_country_check check (country ~ '^[A-Z]{2}$')
);
create index addresses_user_idx on addresses (user_id, created_at);
create unique index addresses_default_shipping_key on addresses (user_id) where is_default_shipping;
create unique index addresses_default_billing_key on addresses (user_id) where is_default_billing;
create trigger addresses_updated_at before update on addresses
    for each row execute function set_updated_at();

create table vendor_members (
    vendor_id  uuid not null references vendors (id) on delete cascade,
    user_id    uuid not null references users (id) on delete cascade,
    role       text not null,
    created_at timestamptz not null default now(),
    primary key (vendor_id, user_id),
    constraint vendor_members_role_check check (role in ('owner', 'staff'))
);
create index vendor_members_user_idx on vendor_members (user_id);

-- Mail is written here in the transaction that causes it and delivered by the job queue, so a
-- crash between "token created" and "mail sent" loses nothing.
create table mail_outbox (
    id         uuid primary key default gen_random_uuid(),
    recipient  text not null,
    subject    text not null,
    text_body  text not null,
    html_body  text not null,
    created_at timestamptz not null default now(),
    sent_at    timestamptz,
    attempts   integer not null default 0,
    last_error text
);
create index mail_outbox_pending_idx on mail_outbox (created_at) where sent_at is null;

-- tower-sessions' PostgreSQL store (tower-sessions-sqlx-store), in its own schema and shape.
create schema if not exists tower_sessions;
create table tower_sessions.session (
    id          text primary key not null,
    data        bytea not null,
    expiry_date timestamptz not null
);
create index session_expiry_idx on tower_sessions.session (expiry_date);

-- State that every server instance must share, kept where they all look: PostgreSQL.
-- Both tables are unlogged (no WAL, not replicated, emptied by a crash): losing them costs
-- a client a fresh rate-limit budget or an import page its progress bar, nothing more.

-- Rate limits (GCRA): a key's theoretical arrival time. A request is allowed while that time,
-- pushed on by one period, stays within the burst's window from now.
create unlogged table rate_limits (
    key text primary key,
    tat timestamptz not null
);
create index rate_limits_tat on rate_limits (tat);

-- How far a vendor's CSV import has come, by the token the browser named it with.
create unlogged table catalog_imports (
    vendor_id uuid not null references vendors (id) on delete cascade,
    token text not null,
    stage text not null check (stage in ('reading', 'checking', 'saving', 'done', 'failed')),
    done integer not null default 0,
    total integer not null default 0,
    updated_at timestamptz not null default now(),
    primary key (vendor_id, token)
);
create index catalog_imports_updated on catalog_imports (updated_at);

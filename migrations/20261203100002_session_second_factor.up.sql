-- What each signed-in browser has proved, beyond the password it signed in with: when it last
-- passed a second factor (at login, when turning two-factor authentication on, or when asked
-- again), and when its user last confirmed who they are (password, plus a code with 2FA on).
-- Admin power needs the first; refunds and cancellations need either, the second recent.
alter table user_sessions
    add column second_factor_at timestamptz,
    add column confirmed_at timestamptz;

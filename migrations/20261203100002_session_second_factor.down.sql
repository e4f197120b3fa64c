alter table user_sessions
    drop column confirmed_at,
    drop column second_factor_at;

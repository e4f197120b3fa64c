alter table users drop column signup_notice_at;

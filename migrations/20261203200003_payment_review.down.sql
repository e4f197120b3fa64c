drop index payments_review_idx;
alter table payments drop column review_reason;

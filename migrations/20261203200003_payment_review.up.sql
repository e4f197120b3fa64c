-- A payment the provider reports as received with another amount or currency than asked for
-- is not applied: it is marked for an operator to review, with what was seen.
alter table payments add column review_reason text;
create index payments_review_idx on payments (created_at) where review_reason is not null;

-- The action link of a message, which may carry a single-use token: kept only until the
-- message is sent (or given up on), then removed from its bodies.
alter table mail_outbox add column link text;

-- Links of messages already sent or given up on are removed from their bodies.
update mail_outbox
   set text_body = regexp_replace(text_body, 'token=[A-Za-z0-9_-]+', 'token=removed', 'g'),
       html_body = regexp_replace(html_body, 'token=[A-Za-z0-9_-]+', 'token=removed', 'g')
 where sent_at is not null or attempts >= 10;

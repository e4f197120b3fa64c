alter table mail_outbox drop column link;

alter table users drop column demo;

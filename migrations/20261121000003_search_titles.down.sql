drop index products_title_search_idx;
alter table products drop column title_document;

create or replace function categories_search_changed() returns trigger language plpgsql as $$
begin
    perform refresh_product_search(array(select id from products where category_id in (
        with recursive down (id) as (
            select n.id from new_rows n join old_rows o on o.id = n.id where n.name is distinct from o.name
            union
            select c.id from categories c join down on c.parent_id = down.id)
        select id from down)));
    return null;
end $$;
drop table product_reports;
drop index products_created_all_idx;
drop index products_hidden_idx;
drop trigger products_keep_hidden on products;
drop function products_keep_hidden();
update products set status = coalesce(listed_status, 'draft') where status = 'hidden';
alter table products
    drop constraint products_hidden_check,
    drop constraint products_listed_status_check,
    drop constraint products_hidden_reason_check,
    drop constraint products_status_check,
    drop column hidden_at,
    drop column hidden_reason,
    drop column listed_status,
    add constraint products_status_check check (status in ('draft', 'active', 'archived'));

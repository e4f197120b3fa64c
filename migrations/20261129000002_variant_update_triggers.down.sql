drop trigger variants_search_update on variants;
drop trigger variants_summary_update on variants;
drop function variants_search_row();
drop function variants_summary_row();

create function variants_search_changed() returns trigger language plpgsql as $$
begin
    perform refresh_product_search(array(
        select distinct n.product_id from new_rows n join old_rows o on o.id = n.id
         where n.option_values is distinct from o.option_values));
    return null;
end $$;
create trigger variants_search_update after update on variants
    referencing new table as new_rows old table as old_rows
    for each statement execute function variants_search_changed();
create trigger variants_summary_update after update on variants
    referencing new table as new_rows for each statement execute function variants_summary_new();

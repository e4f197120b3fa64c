-- Every order updates `variants` (its reservation), and so does every payment, cancellation
-- and expiry. The statement-level update triggers captured transition tables and ran two
-- PL/pgSQL functions for each of those statements, although a reservation rarely changes what
-- a listing shows. As row-level triggers with a WHEN condition they run only for a row that
-- changes its product's price range, in-stock flag or options; for the others the condition
-- is checked in the executor and nothing else happens. Inserts and deletes keep their
-- statement-level triggers: seeding and imports write thousands of rows at once.
drop trigger variants_summary_update on variants;
drop trigger variants_search_update on variants;
drop function variants_search_changed();

create function variants_summary_row() returns trigger language plpgsql as $$
begin
    perform refresh_product_variant_summary(array[new.product_id, old.product_id]);
    return null;
end $$;
create trigger variants_summary_update after update on variants for each row
    when (new.price <> old.price
          or new.product_id <> old.product_id
          or (new.stock_on_hand > new.stock_reserved) <> (old.stock_on_hand > old.stock_reserved))
    execute function variants_summary_row();

-- The product a variant left needs its document rebuilt as well as the one it joined.
create function variants_search_row() returns trigger language plpgsql as $$
begin
    perform refresh_product_search(array[new.product_id, old.product_id]);
    return null;
end $$;
create trigger variants_search_update after update on variants for each row
    when (new.option_values is distinct from old.option_values or new.product_id <> old.product_id)
    execute function variants_search_row();

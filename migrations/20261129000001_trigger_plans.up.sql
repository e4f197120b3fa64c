-- The stock and search triggers on `variants` run these two functions after every statement,
-- reserving stock at checkout included. As `language sql` functions their bodies were parsed
-- and planned on each call (about 0.3 ms each, most of a two-line reservation's time). In
-- PL/pgSQL the plan is kept per connection; a generic plan is forced because the planner
-- would otherwise keep re-planning for each array of ids, and the index lookups it picks suit
-- one product and a whole CSV import alike. An empty array returns at once.
create or replace function refresh_product_variant_summary(ids uuid[]) returns void
    language plpgsql set plan_cache_mode = force_generic_plan as $$
begin
    if cardinality(ids) = 0 then
        return;
    end if;
    update products p
       set price_min = s.price_min, price_max = s.price_max, in_stock = s.in_stock
      from (select pr.id,
                   min(v.price) as price_min,
                   max(v.price) as price_max,
                   coalesce(bool_or(v.stock_on_hand > v.stock_reserved), false) as in_stock
              from products pr left join variants v on v.product_id = pr.id
             where pr.id = any(ids)
             group by pr.id) s
     where p.id = s.id
       and (p.price_min, p.price_max, p.in_stock) is distinct from (s.price_min, s.price_max, s.in_stock);
end $$;

create or replace function refresh_product_search(ids uuid[]) returns void
    language plpgsql set plan_cache_mode = force_generic_plan as $$
begin
    if cardinality(ids) = 0 then
        return;
    end if;
    update products p set search_document = product_search_document(p)
     where p.id = any(ids) and p.search_document is distinct from product_search_document(p);
end $$;

create or replace function refresh_product_variant_summary(ids uuid[]) returns void
    language sql as $$
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
$$;

create or replace function refresh_product_search(ids uuid[]) returns void
    language sql as $$
    update products p set search_document = product_search_document(p)
     where p.id = any(ids) and p.search_document is distinct from product_search_document(p);
$$;

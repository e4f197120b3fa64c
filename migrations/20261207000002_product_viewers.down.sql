-- Recomputes every rollup for the days from `since` to today (UTC), in one transaction.
create or replace function refresh_daily_stats(since date) returns void language plpgsql as $$
declare
    today date := (now() at time zone 'UTC')::date;
begin
    delete from stats_daily where day >= since;
    delete from stats_daily_vendor where day >= since;
    delete from stats_daily_category where day >= since;
    delete from stats_daily_product where day >= since;

    insert into stats_daily (day, orders, gmv, tax, refunds, commission, new_shoppers, new_shops)
    select d.day,
           coalesce(o.orders, 0), coalesce(o.gmv, 0), coalesce(o.tax, 0), coalesce(r.refunds, 0),
           coalesce(l.commission, 0), coalesce(u.shoppers, 0), coalesce(v.shops, 0)
    from generate_series(since, today, '1 day') as d(day)
    left join (select (paid_at at time zone 'UTC')::date as day, count(*) as orders, sum(total) as gmv,
                      sum(tax_total) as tax
               from orders where paid_at >= since group by 1) o on o.day = d.day
    left join (select (created_at at time zone 'UTC')::date as day, sum(amount) as refunds
               from refunds where created_at >= since group by 1) r on r.day = d.day
    left join (select (created_at at time zone 'UTC')::date as day, -sum(amount) as commission
               from ledger_entries where kind in ('commission', 'commission_reversal') and created_at >= since
               group by 1) l on l.day = d.day
    left join (select (created_at at time zone 'UTC')::date as day, count(*) as shoppers
               from users where created_at >= since and not is_admin group by 1) u on u.day = d.day
    left join (select (created_at at time zone 'UTC')::date as day, count(*) as shops
               from vendors where created_at >= since group by 1) v on v.day = d.day;

    insert into stats_daily_vendor (day, vendor_id, orders, gmv)
    select (o.paid_at at time zone 'UTC')::date, vo.vendor_id, count(*), sum(vo.total)
    from orders o join vendor_orders vo on vo.order_id = o.id
    where o.paid_at >= since
    group by 1, 2;

    insert into stats_daily_category (day, category_id, units, amount)
    select (o.paid_at at time zone 'UTC')::date, p.category_id, sum(i.quantity), sum(i.line_total)
    from orders o join order_items i on i.order_id = o.id join products p on p.slug = i.product_slug
    where o.paid_at >= since
    group by 1, 2;

    insert into stats_daily_product (day, product_slug, title, units, amount)
    select (o.paid_at at time zone 'UTC')::date, i.product_slug, min(i.title), sum(i.quantity), sum(i.line_total)
    from orders o join order_items i on i.order_id = o.id
    where o.paid_at >= since
    group by 1, 2;

    delete from stats_top_products;
    insert into stats_top_products (days, rank, product_slug, title, units, amount)
    select period.days, top.rank, top.product_slug, top.title, top.units, top.amount
    from unnest(array[1, 7, 30, 90]) as period(days)
    cross join lateral (
        select row_number() over (order by sum(amount) desc, min(title)) as rank, product_slug,
               min(title) as title, sum(units) as units, sum(amount) as amount
        from stats_daily_product where day between today - (period.days - 1) and today
        group by product_slug order by sum(amount) desc, min(title) limit 5) top;

    insert into stats_refreshed (at) values (now())
    on conflict (only_row) do update set at = excluded.at;
end
$$;

alter table stats_daily drop column viewers;
drop table product_viewers;

-- The overview's reads for the last :days days (app/src/analytics/overview.rs), as pgbench runs them.
select coalesce(sum(orders), 0), coalesce(sum(gmv), 0), coalesce(sum(tax), 0), coalesce(sum(refunds), 0),
       coalesce(sum(commission), 0), coalesce(sum(new_shoppers), 0), coalesce(sum(new_shops), 0),
       coalesce(sum(viewers), 0)
from stats_daily where day between current_date - (:days - 1) and current_date;
select coalesce(sum(orders), 0), coalesce(sum(gmv), 0), coalesce(sum(tax), 0), coalesce(sum(refunds), 0),
       coalesce(sum(commission), 0), coalesce(sum(new_shoppers), 0), coalesce(sum(new_shops), 0),
       coalesce(sum(viewers), 0)
from stats_daily where day between current_date - (2 * :days - 1) and current_date - :days;
select to_char(d.day, 'YYYY-MM-DD'), coalesce(s.gmv, 0), coalesce(s.orders, 0)
from generate_series(current_date - (:days - 1), current_date, '1 day') d(day)
left join stats_daily s on s.day = d.day order by d.day;
(select 'shop', v.name, sum(s.gmv)::bigint, sum(s.orders)::bigint from stats_daily_vendor s join vendors v on v.id = s.vendor_id
 where s.day between current_date - (:days - 1) and current_date group by v.id, v.name order by 3 desc, 2 limit 5)
union all
(select 'category', c.name, sum(s.amount)::bigint, sum(s.units)::bigint from stats_daily_category s join categories c on c.id = s.category_id
 where s.day between current_date - (:days - 1) and current_date group by c.id, c.name order by 3 desc, 2 limit 5);
select title, amount, units from stats_top_products where days = :days order by rank;
select to_char(at at time zone 'UTC', 'FMDD Mon YYYY, HH24:MI "UTC"') from stats_refreshed;

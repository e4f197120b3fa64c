-- :orders paid orders of one or two units of a random product on sale, paid at a random moment
-- of the last 120 days, each with its shop's part, its line and its commission, as checkout and
-- payment would have written them. For scripts/bench-overview.sh.
create temp table pick as
    select row_number() over (order by v.id) as rn, p.slug, p.title, v.sku, v.price, p.vendor_id
    from variants v join products p on p.id = v.product_id join vendors s on s.id = p.vendor_id
    where p.status = 'active' and s.status = 'approved' and v.price > 0;
create temp table gen as
    select g, gen_random_uuid() as order_id, gen_random_uuid() as part_id,
           1 + floor(random() * (select count(*) from pick))::bigint as rn,
           1 + floor(random() * 2)::int as qty,
           now() - random() * interval '120 days' as paid
    from generate_series(1, :orders) g;
insert into orders (id, idempotency_key, email, status, currency, subtotal, shipping_total, tax_total, total,
                    shipping_address, expires_at, paid_at, created_at)
select gen.order_id, 'bench-' || gen.order_id, 'shopper' || (g % 5000) || '@example.com', 'paid', 'USD',
       p.price * qty, 500, p.price * qty * 7 / 100, p.price * qty + 500 + p.price * qty * 7 / 100,
       jsonb_build_object('country', 'US', 'region', (array['CA', 'NY', 'TX', 'WA'])[1 + g % 4]),
       paid, paid, paid
from gen join pick p using (rn);
insert into vendor_orders (id, order_id, vendor_id, status, shipping_method, subtotal, shipping, tax, total,
                           commission_bp, created_at)
select gen.part_id, gen.order_id, p.vendor_id, 'awaiting_fulfilment', 'standard', p.price * qty, 500,
       p.price * qty * 7 / 100, p.price * qty + 500 + p.price * qty * 7 / 100, 1000, paid
from gen join pick p using (rn);
insert into order_items (order_id, vendor_order_id, product_slug, title, sku, unit_price, quantity, line_total)
select gen.order_id, gen.part_id, p.slug, p.title, p.sku, p.price, qty, p.price * qty
from gen join pick p using (rn);
insert into ledger_entries (vendor_id, kind, amount, vendor_order_id, created_at)
select p.vendor_id, 'commission', -((p.price * qty + 500 + p.price * qty * 7 / 100) / 10), gen.part_id, paid
from gen join pick p using (rn);
analyze;

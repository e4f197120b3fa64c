//! The overview's figures on `/admin`: the period's choice (today, 7, 30, 90 days or a range),
//! each figure with its change against the period before, sales and orders per day as charts,
//! and the best shops, categories and products. Links and a GET form: no JavaScript needed.

use super::model::{Figures, Overview, PERIODS, Ranked, change};
use crate::money::commission::percent_label;
use crate::ui::{Bar, BarChart, TableScroll};
use leptos::prelude::*;

#[component]
pub fn Analytics(overview: Overview) -> impl IntoView {
    let o = overview;
    let choices = PERIODS
        .iter()
        .map(|(key, label)| {
            let current = (o.period == *key).then_some("page");
            view! { <a href=format!("/admin?period={key}") aria-current=current>{*label}</a> }
        })
        .collect_view();
    let range = o.period == "range";
    let gmv_bars = o
        .days
        .iter()
        .map(|d| Bar {
            day: d.day.clone(),
            value: d.gmv.minor,
            shown: d.gmv.to_string(),
        })
        .collect();
    let order_bars = o
        .days
        .iter()
        .map(|d| Bar {
            day: d.day.clone(),
            value: d.orders,
            shown: d.orders.to_string(),
        })
        .collect();
    let span = if o.from == o.to {
        o.from.clone()
    } else {
        format!("{} to {}", o.from, o.to)
    };
    let as_of = if o.as_of.is_empty() {
        "The figures are being gathered for the first time.".to_string()
    } else {
        format!("Figures as of {}, refreshed every minute.", o.as_of)
    };
    view! {
        <section class="panel stack" aria-labelledby="figures-title">
            <h2 id="figures-title">{format!("The marketplace, {span} (UTC)")}</h2>
            <nav class="period-choice" aria-label="Period">{choices}</nav>
            <form method="get" class="row-form" aria-label="A range of days">
                <input type="hidden" name="period" value="range"/>
                <label>"From " <input type="date" name="from" value=range.then(|| o.from.clone()) required/></label>
                <label>"To " <input type="date" name="to" value=range.then(|| o.to.clone()) required/></label>
                <button type="submit">"Show"</button>
            </form>
            <FigureList now=o.figures before=o.previous/>
            <p class="muted">{as_of}</p>
        </section>
        <section class="panel stack" aria-labelledby="gmv-title">
            <h2 id="gmv-title">"Sales per day"</h2>
            <BarChart id="gmv-chart" what="Sales" bars=gmv_bars empty="No sales in this period"/>
        </section>
        <section class="panel stack" aria-labelledby="orders-chart-title">
            <h2 id="orders-chart-title">"Orders per day"</h2>
            <BarChart id="orders-chart" what="Orders" bars=order_bars empty="No orders in this period"/>
        </section>
        <div class="columns">
            <Top title="Top shops" count="Orders" rows=o.top_shops.clone()/>
            <Top title="Top categories" count="Units" rows=o.top_categories.clone()/>
            <Top title="Top products" count="Units" rows=o.top_products.clone()/>
        </div>
    }
}

/// The period's figures, each with its change against the period before.
#[component]
fn FigureList(now: Figures, before: Figures) -> impl IntoView {
    let rows = [
        (
            "Sales (GMV)",
            now.gmv.to_string(),
            change(now.gmv.minor, before.gmv.minor),
        ),
        (
            "Orders",
            now.orders.to_string(),
            change(now.orders, before.orders),
        ),
        (
            "Average order",
            now.average_order.to_string(),
            change(now.average_order.minor, before.average_order.minor),
        ),
        (
            "Conversion",
            now.conversion_bp().map_or_else(
                || "No product views yet".to_string(),
                |bp| percent_label(bp.min(1_000_000) as i32),
            ),
            change(
                now.conversion_bp().unwrap_or(0),
                before.conversion_bp().unwrap_or(0),
            ),
        ),
        (
            "Visitors who viewed a product",
            now.viewers.to_string(),
            change(now.viewers, before.viewers),
        ),
        (
            "Refunds",
            now.refunds.to_string(),
            change(now.refunds.minor, before.refunds.minor),
        ),
        (
            "Commission kept",
            now.commission.to_string(),
            change(now.commission.minor, before.commission.minor),
        ),
        (
            "Tax collected",
            now.tax.to_string(),
            change(now.tax.minor, before.tax.minor),
        ),
        (
            "New shoppers",
            now.new_shoppers.to_string(),
            change(now.new_shoppers, before.new_shoppers),
        ),
        (
            "New shop applications",
            now.new_shops.to_string(),
            change(now.new_shops, before.new_shops),
        ),
    ];
    let items = rows
        .into_iter()
        .map(|(label, value, change)| {
            view! { <div><dt>{label}</dt><dd>{value}<span class="change">{format!("{change} on the period before")}</span></dd></div> }
        })
        .collect_view();
    view! { <dl class="figures">{items}</dl> }
}

/// The five best of the period, with their sales.
#[component]
fn Top(title: &'static str, count: &'static str, rows: Vec<Ranked>) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|r| view! { <tr><td>{r.name}</td><td class="amount">{r.amount.to_string()}</td><td class="amount">{r.count}</td></tr> })
        .collect_view();
    view! {
        <section class="panel stack" aria-label=title>
            <h2>{title}</h2>
            <TableScroll label=title><table class="data-table">
                <thead><tr><th>"Name"</th><th>"Sales"</th><th>{count}</th></tr></thead>
                <tbody>{body}</tbody>
            </table></TableScroll>
        </section>
    }
}

//! The operators' reports as CSV, for a range of days (UTC): what each holds, its query and
//! how its cells are written. Rows are read one by one and written out in chunks (`csv`), so a
//! report of a million orders never holds them in memory. Sales are read from the same daily
//! rollups as the overview, so the two always agree. Text from people (shop names, product
//! titles, reasons, emails) is neutralised against spreadsheet formulas.

#[cfg(feature = "ssr")]
use crate::money::{Currency, Money};

/// A report, by the name of its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    SalesByDay,
    SalesByShop,
    SalesByCategory,
    TaxByRegion,
    Commissions,
    Payouts,
    Refunds,
    Orders,
}

/// How a column's values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// Text someone typed: neutralised.
    Text,
    /// Minor units, written in major units ("12.50").
    Money,
    /// A number or a date we wrote ourselves.
    Plain,
}

impl Report {
    pub const ALL: [Report; 8] = [
        Report::SalesByDay,
        Report::SalesByShop,
        Report::SalesByCategory,
        Report::TaxByRegion,
        Report::Commissions,
        Report::Payouts,
        Report::Refunds,
        Report::Orders,
    ];

    /// Its file's name.
    pub fn file(self) -> &'static str {
        match self {
            Report::SalesByDay => "sales-by-day.csv",
            Report::SalesByShop => "sales-by-shop.csv",
            Report::SalesByCategory => "sales-by-category.csv",
            Report::TaxByRegion => "tax-by-region.csv",
            Report::Commissions => "commissions.csv",
            Report::Payouts => "payouts.csv",
            Report::Refunds => "refunds.csv",
            Report::Orders => "orders.csv",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Report::SalesByDay => "Sales by day",
            Report::SalesByShop => "Sales by shop",
            Report::SalesByCategory => "Sales by category",
            Report::TaxByRegion => "Tax collected by region",
            Report::Commissions => "Commission by shop",
            Report::Payouts => "Payouts",
            Report::Refunds => "Refunds",
            Report::Orders => "Paid orders",
        }
    }

    pub fn from_file(file: &str) -> Option<Report> {
        Report::ALL.into_iter().find(|r| r.file() == file)
    }

    /// The columns: heading and kind.
    pub fn columns(self) -> &'static [(&'static str, Cell)] {
        use Cell::*;
        match self {
            Report::SalesByDay => &[
                ("day", Plain),
                ("orders", Plain),
                ("sales", Money),
                ("refunds", Money),
                ("tax", Money),
                ("commission", Money),
            ],
            Report::SalesByShop => &[("shop", Text), ("orders", Plain), ("sales", Money)],
            Report::SalesByCategory => &[("category", Text), ("units", Plain), ("sales", Money)],
            Report::TaxByRegion => &[
                ("country", Plain),
                ("region", Text),
                ("orders", Plain),
                ("tax", Money),
            ],
            Report::Commissions => &[("shop", Text), ("commission", Money)],
            Report::Payouts => &[
                ("created", Plain),
                ("shop", Text),
                ("amount", Money),
                ("status", Plain),
                ("failure", Text),
            ],
            Report::Refunds => &[
                ("created", Plain),
                ("order", Plain),
                ("shop", Text),
                ("amount", Money),
                ("reason", Text),
            ],
            Report::Orders => &[
                ("order", Plain),
                ("paid", Plain),
                ("email", Text),
                ("status", Plain),
                ("subtotal", Money),
                ("shipping", Money),
                ("tax", Money),
                ("total", Money),
                ("refunded", Money),
            ],
        }
    }

    /// Its query: `$1` and `$2` are the first and last day; every column is text.
    pub fn sql(self) -> &'static str {
        match self {
            Report::SalesByDay => {
                "select day::text, orders::text, gmv::text, refunds::text, tax::text, commission::text
                 from stats_daily where day between $1 and $2 order by day"
            }
            Report::SalesByShop => {
                "select v.name, sum(s.orders)::text, sum(s.gmv)::text
                 from stats_daily_vendor s join vendors v on v.id = s.vendor_id
                 where s.day between $1 and $2 group by v.id, v.name order by sum(s.gmv) desc, v.name"
            }
            Report::SalesByCategory => {
                "select c.name, sum(s.units)::text, sum(s.amount)::text
                 from stats_daily_category s join categories c on c.id = s.category_id
                 where s.day between $1 and $2 group by c.id, c.name order by sum(s.amount) desc, c.name"
            }
            Report::TaxByRegion => {
                "select coalesce(shipping_address->>'country', ''), coalesce(shipping_address->>'region', ''),
                        count(*)::text, sum(tax_total)::text
                 from orders where paid_at >= $1::date and paid_at < $2::date + 1
                 group by 1, 2 order by 1, 2"
            }
            Report::Commissions => {
                "select v.name, (-sum(l.amount))::text
                 from ledger_entries l join vendors v on v.id = l.vendor_id
                 where l.kind in ('commission', 'commission_reversal')
                   and l.created_at >= $1::date and l.created_at < $2::date + 1
                 group by v.id, v.name order by -sum(l.amount) desc, v.name"
            }
            Report::Payouts => {
                "select to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI'), v.name, p.amount::text,
                        p.status, coalesce(p.failure_message, '')
                 from payouts p join vendors v on v.id = p.vendor_id
                 where p.created_at >= $1::date and p.created_at < $2::date + 1 order by p.created_at, p.id"
            }
            Report::Refunds => {
                "select to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI'), o.number::text, v.name,
                        r.amount::text, r.reason
                 from refunds r join vendor_orders vo on vo.id = r.vendor_order_id
                 join orders o on o.id = vo.order_id join vendors v on v.id = vo.vendor_id
                 where r.created_at >= $1::date and r.created_at < $2::date + 1 order by r.created_at, r.id"
            }
            Report::Orders => {
                "select number::text, to_char(paid_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI'), email::text, status,
                        subtotal::text, shipping_total::text, tax_total::text, total::text, refunded_total::text
                 from orders where paid_at >= $1::date and paid_at < $2::date + 1 order by paid_at, number"
            }
        }
    }
}

/// A row's cells as written: money in major units, people's text neutralised.
#[cfg(feature = "ssr")]
pub fn cells(report: Report, row: &[String], currency: Currency) -> Vec<String> {
    report
        .columns()
        .iter()
        .zip(row)
        .map(|((_, kind), value)| match kind {
            Cell::Text => crate::vendors::catalog_csv::cells::neutralise(value).into_owned(),
            Cell::Plain => value.clone(),
            // An ASCII minus: a spreadsheet reads "-12.50" as a number.
            Cell::Money => value
                .parse::<i64>()
                .map(|minor| Money::new(minor, currency).decimal().replace('\u{2212}', "-"))
                .unwrap_or_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_report_is_found_by_its_file_and_nothing_else_is() {
        for report in Report::ALL {
            assert_eq!(Report::from_file(report.file()), Some(report));
        }
        assert_eq!(Report::from_file("../etc/passwd"), None);
    }

    #[test]
    fn text_is_neutralised_and_money_reads_as_numbers() {
        let row = ["=HYPERLINK(\"x\")".to_string(), "-1250".to_string()];
        let written = cells(Report::Commissions, &row, Currency::default());
        assert_eq!(written, ["'=HYPERLINK(\"x\")", "-12.50"]);
    }
}

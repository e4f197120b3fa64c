//! The vendor portal's sections, and who may use each: the menu shows a role only what it may
//! open, and the invite form describes the roles from the same list.

use crate::accounts::model::VendorRole;

/// One entry of the portal's menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    /// Its path under the shop's `/vendor/{slug}` ("" is the dashboard).
    pub path: &'static str,
    pub name: &'static str,
    /// Money and the shop's people are the owners'.
    pub owners_only: bool,
}

const fn section(path: &'static str, name: &'static str, owners_only: bool) -> Section {
    Section {
        path,
        name,
        owners_only,
    }
}

/// Every section, in menu order.
pub const SECTIONS: [Section; 7] = [
    section("", "Dashboard", false),
    section("/products", "Products", false),
    section("/inventory", "Inventory", false),
    section("/orders", "Orders", false),
    section("/money", "Money", true),
    section("/discounts", "Discounts", true),
    section("/staff", "Staff", true),
];

/// The sections `role` may open, in menu order.
pub fn for_role(role: VendorRole) -> impl Iterator<Item = &'static Section> {
    SECTIONS
        .iter()
        .filter(move |s| role == VendorRole::Owner || !s.owners_only)
}

/// What `role` may do, in the menu's words.
pub fn describe(role: VendorRole) -> String {
    let names: Vec<&str> = for_role(role).map(|s| s.name).collect();
    let (last, rest) = names.split_last().expect("every role has sections");
    let list = format!("{} and {last}", rest.join(", "));
    match role {
        VendorRole::Staff => format!("Staff: {list}; they ship orders but don't cancel or refund them"),
        VendorRole::Owner => format!("Owner: {list}; they also cancel and refund orders"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_see_the_shop_work_and_owners_also_money_and_people() {
        let names = |role| for_role(role).map(|s| s.name).collect::<Vec<_>>();
        assert_eq!(
            names(VendorRole::Staff),
            ["Dashboard", "Products", "Inventory", "Orders"]
        );
        assert_eq!(
            names(VendorRole::Owner),
            [
                "Dashboard",
                "Products",
                "Inventory",
                "Orders",
                "Money",
                "Discounts",
                "Staff"
            ]
        );
        assert_eq!(
            describe(VendorRole::Staff),
            "Staff: Dashboard, Products, Inventory and Orders; they ship orders but don't cancel or refund them"
        );
        assert!(
            describe(VendorRole::Owner)
                .starts_with("Owner: Dashboard, Products, Inventory, Orders, Money, Discounts and Staff")
        );
    }
}

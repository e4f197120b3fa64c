//! Typed ids: a UUID that knows what it names (`UserId`, `VendorId`, ...), the same in the
//! browser and on the server, sent as its usual text. This is the one place where text
//! becomes an id (`Id::parse`); a `UserId` can't be passed where a `VendorId` is meant.

use crate::error::AppError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use uuid::Uuid;

/// What an id names, as a message to a client calls it ("a shop").
pub trait Kind {
    const NAME: &'static str;
}

/// What ids name: types with no values, only there to tell ids apart.
pub mod kind {
    macro_rules! kinds {
        ($($(#[$doc:meta])* $kind:ident = $name:literal,)*) => {$(
            $(#[$doc])*
            pub enum $kind {}
            impl super::Kind for $kind {
                const NAME: &'static str = $name;
            }
        )*};
    }

    kinds! {
        User = "a user",
        /// A signed-in browser (`user_sessions`).
        Session = "a session",
        Vendor = "a shop",
        Order = "an order",
        /// One shop's part of an order.
        VendorOrder = "an order part",
        OrderItem = "an order item",
        Product = "a product",
        ProductImage = "an image",
        Address = "an address",
        Invite = "an invitation",
        DiscountCode = "a discount code",
    }
}

/// The id of a `T`.
#[derive(Serialize, Deserialize)]
#[serde(transparent)]
pub struct Id<T> {
    uuid: Uuid,
    #[serde(skip)]
    kind: PhantomData<fn() -> T>,
}

pub type UserId = Id<kind::User>;
pub type SessionId = Id<kind::Session>;
pub type VendorId = Id<kind::Vendor>;
pub type OrderId = Id<kind::Order>;
pub type VendorOrderId = Id<kind::VendorOrder>;
pub type OrderItemId = Id<kind::OrderItem>;
pub type ProductId = Id<kind::Product>;
pub type ProductImageId = Id<kind::ProductImage>;
pub type AddressId = Id<kind::Address>;
pub type InviteId = Id<kind::Invite>;
pub type DiscountCodeId = Id<kind::DiscountCode>;

impl<T> Id<T> {
    pub const fn from_uuid(uuid: Uuid) -> Self {
        Self {
            uuid,
            kind: PhantomData,
        }
    }

    /// The id written as `text` (a UUID in any of its usual forms), if it is one.
    pub fn parse(text: &str) -> Option<Self> {
        Uuid::parse_str(text).ok().map(Self::from_uuid)
    }

    pub const fn uuid(self) -> Uuid {
        self.uuid
    }
}

impl<T: Kind> Id<T> {
    /// The id a client sent as `text`, or a 400 saying what it should have been.
    pub fn sent(text: &str) -> Result<Self, AppError> {
        Self::parse(text).ok_or_else(|| AppError::BadRequest(format!("That is not {}'s id.", T::NAME)))
    }
}

impl<T> From<Uuid> for Id<T> {
    fn from(uuid: Uuid) -> Self {
        Self::from_uuid(uuid)
    }
}

impl<T> PartialEq<Uuid> for Id<T> {
    fn eq(&self, other: &Uuid) -> bool {
        self.uuid == *other
    }
}

impl<T> Clone for Id<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Id<T> {}

impl<T> PartialEq for Id<T> {
    fn eq(&self, other: &Self) -> bool {
        self.uuid == other.uuid
    }
}

impl<T> Eq for Id<T> {}

impl<T> Hash for Id<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.uuid.hash(state);
    }
}

impl<T> Default for Id<T> {
    /// The nil id, which names nothing.
    fn default() -> Self {
        Self::from_uuid(Uuid::nil())
    }
}

impl<T> fmt::Display for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.uuid.fmt(f)
    }
}

impl<T> fmt::Debug for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.uuid.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_travel_as_their_uuid_and_parse_back() {
        let uuid = Uuid::parse_str("0191c3a4-7b2e-7cc1-9a51-8d3a4f0e2b11").unwrap();
        let id = VendorId::from_uuid(uuid);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"0191c3a4-7b2e-7cc1-9a51-8d3a4f0e2b11\"");
        assert_eq!(serde_json::from_str::<VendorId>(&json).unwrap(), id);
        assert_eq!(VendorId::parse(&id.to_string()), Some(id));
        assert_eq!(VendorId::parse("0191c3a47b2e7cc19a518d3a4f0e2b11"), Some(id));
        assert_eq!(
            VendorId::sent("42"),
            Err(AppError::BadRequest("That is not a shop's id.".into()))
        );
        for bad in [
            "",
            "42",
            "not-an-id",
            "0191c3a4-7b2e-7cc1-9a51-8d3a4f0e2b1",
            " 0191c3a47b2e7cc19a518d3a4f0e2b11",
        ] {
            assert_eq!(VendorId::parse(bad), None, "{bad:?}");
        }
    }
}

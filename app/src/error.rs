//! The one error type of the app. It crosses the wire between server functions and the
//! browser, so it carries only what a user may see; details are logged on the server.

use serde::{Deserialize, Serialize};

mod problems;
pub use problems::{FieldProblem, Problems, summary_title};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

/// What went wrong, as the user is allowed to know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("We couldn't find that page.")]
    NotFound,
    /// The request itself was wrong; the message says how.
    #[error("{0}")]
    BadRequest(String),
    /// One field of a form was wrong; the message is shown next to it.
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// Several fields of a form were wrong (see `Problems`); each message is shown next to
    /// its field, and all of them in the form's summary.
    #[error("{}", problems::summary_title(.0.len()))]
    Fields(Vec<FieldProblem>),
    #[error("{0}")]
    Conflict(String),
    #[error("Please sign in to continue.")]
    Unauthorized,
    #[error("You don't have access to this page.")]
    Forbidden,
    /// Refused for a reason the user can act on (a suspended shop's data is read-only, ...);
    /// the message says which.
    #[error("{0}")]
    NotAllowed(String),
    /// The admin area needs two-factor authentication switched on first.
    #[error("Turn on two-factor authentication to open the admin area.")]
    TwoFactorRequired,
    /// This session has to prove who is using it first (password, and a code with 2FA on).
    #[error(
        "Confirm it's you to continue: enter your password (and a code from your app when two-factor authentication is on)."
    )]
    ConfirmIdentity,
    #[error("Too many attempts. Please wait a moment and try again.")]
    RateLimited,
    #[error("We couldn't reach the server. Check your connection and try again.")]
    Network,
    /// The database (or another part the request needs) does not answer just now.
    #[error("The shop is briefly unavailable. Please try again in a minute.")]
    Unavailable,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl AppError {
    /// A validation error on one form field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound => 404,
            Self::BadRequest(_) | Self::Invalid { .. } | Self::Fields(_) => 400,
            Self::Conflict(_) => 409,
            Self::Unauthorized => 401,
            Self::Forbidden | Self::NotAllowed(_) | Self::TwoFactorRequired | Self::ConfirmIdentity => 403,
            Self::RateLimited => 429,
            Self::Network | Self::Unavailable => 503,
            Self::Internal => 500,
        }
    }

    /// The message for `field`, when this error is about that field.
    pub fn for_field(&self, name: &str) -> Option<&str> {
        self.field_problems()
            .find(|(field, _)| *field == name)
            .map(|(_, message)| message)
    }

    /// Every field this error is about, with its message, in the form's order.
    pub fn field_problems(&self) -> impl Iterator<Item = (&str, &str)> {
        let (one, many) = match self {
            Self::Invalid { field, message } => (Some((field.as_str(), message.as_str())), &[][..]),
            Self::Fields(problems) => (None, problems.as_slice()),
            _ => (None, &[][..]),
        };
        one.into_iter()
            .chain(many.iter().map(|p| (p.field.as_str(), p.message.as_str())))
    }

    /// Every field problem's message, in one line (for a page that shows them above its form).
    pub fn field_messages(&self) -> String {
        self.field_problems()
            .map(|(_, message)| message)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Whether the error is about fields of a form (shown next to them) rather than the whole.
    pub fn is_about_fields(&self) -> bool {
        matches!(self, Self::Invalid { .. } | Self::Fields(_))
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // The same variants mean different things on each side of the wire: on the server they
        // describe the request it received, in the browser the response or the network.
        let on_server = cfg!(feature = "ssr");
        match value {
            ServerFnErrorErr::Args(message)
            | ServerFnErrorErr::MissingArg(message)
            | ServerFnErrorErr::Deserialization(message)
                if on_server =>
            {
                Self::BadRequest(format!("The request was malformed: {message}"))
            }
            ServerFnErrorErr::Request(_) if on_server => {
                Self::BadRequest("The request body could not be read.".into())
            }
            ServerFnErrorErr::Request(_) => Self::Network,
            _ => Self::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;

    impl AppError {
        /// An error the user can do nothing about: its cause is logged with what was being done
        /// (`context`), and the user sees only that something went wrong on our side.
        pub fn internal(context: &'static str, cause: impl std::fmt::Display) -> Self {
            tracing::error!(error = %cause, "{context}");
            AppError::Internal
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(error: sqlx::Error) -> Self {
            match &error {
                sqlx::Error::RowNotFound => AppError::NotFound,
                sqlx::Error::Database(db) if db.constraint().is_some() => {
                    let constraint = db.constraint().unwrap_or_default();
                    tracing::info!(constraint, "request refused by a database constraint");
                    AppError::Conflict(conflict_message(constraint))
                }
                _ if unreachable_database(&error) => {
                    tracing::warn!(error = %error, "the database does not answer");
                    AppError::Unavailable
                }
                _ => {
                    tracing::error!(error = %error, "database error");
                    AppError::Internal
                }
            }
        }
    }

    /// Whether `error` says the database could not be reached or is shutting down or starting
    /// (rather than that a query was wrong): the request may succeed in a moment.
    fn unreachable_database(error: &sqlx::Error) -> bool {
        match error {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => true,
            // Class 08 (connection exception), 57P01-57P03 (shutdown, cannot connect now).
            sqlx::Error::Database(db) => db
                .code()
                .is_some_and(|code| code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03")),
            _ => false,
        }
    }

    /// A sentence for a named constraint; the constraint names are part of the schema's contract.
    fn conflict_message(constraint: &str) -> String {
        match constraint {
            "vendors_slug_key" => "That shop address is already taken.".into(),
            "products_slug_key" => "A product with that address already exists.".into(),
            "variants_sku_key" => "That SKU is already in use.".into(),
            "variants_options_key" => "Two variants have the same options.".into(),
            "users_email_key" => "That email address is already used by another account.".into(),
            "addresses_lengths_check" | "addresses_country_check" => {
                "Check the address: a field is missing or too long.".into()
            }
            "variants_stock_on_hand_check" | "variants_stock_reserved_check" => "Not enough stock.".into(),
            _ => "That change conflicts with existing data.".into(),
        }
    }

    impl From<tokio::task::JoinError> for AppError {
        fn from(error: tokio::task::JoinError) -> Self {
            tracing::error!(error = %error, "background task failed");
            AppError::Internal
        }
    }
}

/// The result of every server function and domain operation.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_are_found_by_field_name() {
        let error = AppError::invalid("email", "That email address is not valid.");
        assert_eq!(error.for_field("email"), Some("That email address is not valid."));
        assert_eq!(error.for_field("password"), None);
        assert_eq!(error.status(), 400);
    }

    #[test]
    fn errors_survive_the_wire() {
        let error = AppError::Conflict("That SKU is already in use.".into());
        let decoded = AppError::de(error.ser());
        assert_eq!(decoded, error);
    }

    #[test]
    fn unreadable_bodies_are_the_senders_fault_on_the_server() {
        let decoded = AppError::de("not json".into());
        if cfg!(feature = "ssr") {
            assert!(matches!(decoded, AppError::BadRequest(_)), "{decoded:?}");
        } else {
            assert_eq!(decoded, AppError::Internal);
        }
        assert_eq!(
            AppError::from_server_fn_error(ServerFnErrorErr::ServerError("boom".into())),
            AppError::Internal
        );
    }
}

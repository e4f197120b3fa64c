//! Who is asking: the request's signed-in user (with their shop memberships and whether this
//! session passed a second factor), its session and where the browser is. Read once at the
//! edge of each server function and page (`Viewer::of_request`) and passed to the domain
//! functions, which decide from it, never from ids the browser sends. A shop's members are
//! checked by `vendors::shop` (`Viewer::shop_member`).

use super::model::CurrentUser;
use crate::error::{AppError, AppResult};
use std::sync::Arc;
use tower_sessions::Session;
use uuid::Uuid;

/// The request's user, put in the request's extensions by the server's identity layer.
#[derive(Debug, Clone, Default)]
pub struct Identity(pub Option<Arc<CurrentUser>>);

/// Where the browser is, for the sessions list, and the time zone it says it is in (a
/// well-formed name from the `tz` cookie, see `time_zone`).
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: String,
    pub time_zone: Option<String>,
}

/// The request's viewer: a guest, or a signed-in user.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    user: Option<Arc<CurrentUser>>,
    session: Option<Session>,
    client: ClientInfo,
}

impl Viewer {
    /// A viewer made of its parts (requests outside Leptos, tests).
    pub fn new(user: Option<Arc<CurrentUser>>, session: Option<Session>, client: ClientInfo) -> Self {
        Self {
            user,
            session,
            client,
        }
    }

    /// The viewer of the request being handled, from what the server's identity layer put in
    /// the request (see `server::http::accounts::identify`).
    pub fn of_request() -> Self {
        let parts = leptos::prelude::use_context::<http::request::Parts>();
        let extension = |parts: &http::request::Parts| {
            (
                parts.extensions.get::<Identity>().and_then(|i| i.0.clone()),
                parts.extensions.get::<Session>().cloned(),
                parts.extensions.get::<ClientInfo>().cloned().unwrap_or_default(),
            )
        };
        match parts.as_ref().map(extension) {
            Some((user, session, client)) => Self::new(user, session, client),
            None => Self::default(),
        }
    }

    /// The signed-in user, if any.
    pub fn user(&self) -> Option<&Arc<CurrentUser>> {
        self.user.as_ref()
    }

    /// Signed in, or `Unauthorized` (pages send the browser to the login).
    pub fn signed_in(&self) -> AppResult<&Arc<CurrentUser>> {
        self.user.as_ref().ok_or(AppError::Unauthorized)
    }

    /// The signed-in user's id, or `Unauthorized`.
    pub fn signed_in_id(&self) -> AppResult<Uuid> {
        Ok(self.signed_in()?.id.uuid())
    }

    /// The signed-in user's id, when signed in.
    pub fn user_id(&self) -> Option<Uuid> {
        self.user.as_ref().map(|u| u.id.uuid())
    }

    /// A platform admin with two-factor authentication on, in a session that passed it (at
    /// login or by confirming since): a password alone, or an older session, opens nothing.
    pub fn admin(&self) -> AppResult<&Arc<CurrentUser>> {
        let user = self.signed_in()?;
        if !user.is_admin {
            return Err(AppError::Forbidden);
        }
        if !user.two_factor {
            return Err(AppError::TwoFactorRequired);
        }
        if !user.session_two_factor {
            return Err(AppError::ConfirmIdentity);
        }
        Ok(user)
    }

    /// For moving money out (refunds, cancellations): a session that passed a second factor,
    /// or whose user confirmed who they are (password, plus a code with 2FA on) in the last
    /// `identity::CONFIRMED_MINUTES`. Otherwise `ConfirmIdentity` (pages send the browser to confirm).
    pub fn confirmed(&self) -> AppResult<&Arc<CurrentUser>> {
        let user = self.signed_in()?;
        if user.session_two_factor || user.recently_confirmed {
            Ok(user)
        } else {
            Err(AppError::ConfirmIdentity)
        }
    }

    /// The request's session.
    pub fn session(&self) -> AppResult<&Session> {
        self.session.as_ref().ok_or_else(|| {
            tracing::error!("the session layer is missing");
            AppError::Internal
        })
    }

    /// Where the browser is (for rate limits and the sessions list).
    pub fn client(&self) -> &ClientInfo {
        &self.client
    }

    /// Who made a change, as recorded in `order_events`.
    pub fn actor(&self) -> String {
        match &self.user {
            Some(user) => format!("user:{}", user.id),
            None => "guest".into(),
        }
    }
}

//! The one error type every server function returns.
//!
//! An [`AppError`] crosses the wire as JSON, so it carries only what a citizen
//! may see: a kind, and for validation the per-field messages already written
//! in their language. The cause of an internal failure is logged on the server
//! and never serialised.

use crate::i18n::{td_string, Locale};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

mod fields;
pub use fields::{Checked, FieldError, Fields, Invalid, ValidationCode};

/// Why a server function failed, as the client is allowed to know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case", from = "WireError")]
pub enum AppError {
    /// One or more fields are invalid (HTTP 422).
    #[error("validation failed on {} field(s)", fields.len())]
    Validation { fields: Vec<FieldError> },
    /// The request could not be read at all: missing or malformed arguments (HTTP 400).
    #[error("bad request")]
    BadRequest,
    /// HTTP 401.
    #[error("not signed in")]
    Unauthorized,
    /// HTTP 403.
    #[error("forbidden")]
    Forbidden,
    /// HTTP 404.
    #[error("not found")]
    NotFound,
    /// The request clashes with the state of the record, e.g. a slot filled
    /// up (HTTP 409).
    #[error("conflict: {reason:?}")]
    Conflict { reason: ConflictReason },
    /// Too many attempts from this address or for this record (HTTP 429).
    #[error("rate limited")]
    RateLimited { retry_after_secs: u32 },
    /// The request body is larger than the endpoint takes (HTTP 413).
    #[error("payload too large")]
    PayloadTooLarge,
    /// The request body arrived too slowly (HTTP 408).
    #[error("request timeout")]
    Timeout,
    /// The service cannot answer right now: the database is out of reach,
    /// the server is starting, or it is at its limit of work (HTTP 503).
    #[error("unavailable")]
    Unavailable { retry_after_secs: u32 },
    /// Anything else (HTTP 500). The cause is in the server log only.
    #[error("internal error")]
    Internal,
    /// The browser could not reach the server, or could not read its answer.
    /// Only ever built on the client.
    #[error("network error")]
    Network,
}

/// Every variant's JSON fields at once. Reading an internally tagged enum
/// directly makes serde buffer the input, which costs the WebAssembly bundle
/// several kilobytes; a flat struct does not.
#[derive(Deserialize)]
struct WireError {
    kind: Kind,
    #[serde(default)]
    fields: Vec<FieldError>,
    #[serde(default)]
    retry_after_secs: u32,
    #[serde(default)]
    reason: ConflictReason,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Validation,
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    RateLimited,
    PayloadTooLarge,
    Timeout,
    Unavailable,
    Internal,
    Network,
}

impl From<Invalid> for AppError {
    fn from(Invalid(fields): Invalid) -> Self {
        if fields.is_empty() {
            #[cfg(feature = "ssr")]
            tracing::error!("a form value was missing without a field problem");
            return AppError::Internal;
        }
        AppError::Validation { fields }
    }
}

impl From<WireError> for AppError {
    fn from(wire: WireError) -> Self {
        match wire.kind {
            Kind::Validation => Self::Validation {
                fields: wire.fields,
            },
            Kind::BadRequest => Self::BadRequest,
            Kind::Unauthorized => Self::Unauthorized,
            Kind::Forbidden => Self::Forbidden,
            Kind::NotFound => Self::NotFound,
            Kind::Conflict => Self::Conflict {
                reason: wire.reason,
            },
            Kind::RateLimited => Self::RateLimited {
                retry_after_secs: wire.retry_after_secs,
            },
            Kind::PayloadTooLarge => Self::PayloadTooLarge,
            Kind::Timeout => Self::Timeout,
            Kind::Unavailable => Self::Unavailable {
                retry_after_secs: wire.retry_after_secs,
            },
            Kind::Internal => Self::Internal,
            Kind::Network => Self::Network,
        }
    }
}

/// Why a request clashes with the record it acts on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictReason {
    /// The record changed under the request.
    #[default]
    Changed,
    /// The slot has no place left (or is no longer offered).
    SlotFull,
    /// This citizen already holds an active booking at this office.
    AlreadyBooked,
    /// Too late: the minimum notice before the appointment has passed.
    TooLate,
    /// The booking's status does not allow this action.
    InvalidTransition,
    /// A slot would get fewer places than the bookings it holds.
    CapacityBelowTaken,
    /// Check-in is only on the day of the appointment.
    NotToday,
    /// A no-show only once the appointment has begun.
    NotYetBegun,
    /// The booking already has a proposed time waiting for an answer.
    AlreadyProposed,
    /// No proposed time is open (never made, answered, or expired).
    NoProposal,
    /// The day still has places to book: no waiting list for it.
    DayNotFull,
    /// This citizen already waits for this day at this office.
    AlreadyWaiting,
    /// No place is on offer (never offered, claimed, or its time ran out).
    OfferExpired,
}

impl ConflictReason {
    pub fn message(self, locale: Locale) -> &'static str {
        match self {
            Self::Changed => td_string!(locale, errors.conflict),
            Self::SlotFull => td_string!(locale, errors.slot_full),
            Self::AlreadyBooked => td_string!(locale, errors.already_booked),
            Self::TooLate => td_string!(locale, errors.too_late),
            Self::InvalidTransition => td_string!(locale, errors.invalid_transition),
            Self::CapacityBelowTaken => td_string!(locale, errors.capacity_below_taken),
            Self::NotToday => td_string!(locale, errors.not_today),
            Self::NotYetBegun => td_string!(locale, errors.not_yet_begun),
            // Shown only on pages the server renders (the desk's proposal,
            // the citizen's answer, the waiting list's plain forms): the
            // browser's bundle carries the general words instead.
            #[cfg(feature = "ssr")]
            Self::AlreadyProposed => td_string!(locale, errors.already_proposed),
            #[cfg(feature = "ssr")]
            Self::NoProposal => td_string!(locale, errors.no_proposal),
            #[cfg(feature = "ssr")]
            Self::DayNotFull => td_string!(locale, errors.day_not_full),
            #[cfg(feature = "ssr")]
            Self::AlreadyWaiting => td_string!(locale, errors.already_waiting),
            #[cfg(feature = "ssr")]
            Self::OfferExpired => td_string!(locale, errors.offer_expired),
            #[cfg(not(feature = "ssr"))]
            Self::AlreadyProposed
            | Self::NoProposal
            | Self::DayNotFull
            | Self::AlreadyWaiting
            | Self::OfferExpired => {
                td_string!(locale, errors.conflict)
            }
        }
    }
}

impl AppError {
    /// A validation error on a single field.
    pub fn invalid(field: impl Into<String>, code: ValidationCode, locale: Locale) -> Self {
        Self::Validation {
            fields: vec![FieldError::new(field, code, locale)],
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            Self::Validation { .. } => 422,
            Self::BadRequest => 400,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Conflict { .. } => 409,
            Self::RateLimited { .. } => 429,
            Self::PayloadTooLarge => 413,
            Self::Timeout => 408,
            Self::Unavailable { .. } => 503,
            Self::Internal | Self::Network => 500,
        }
    }

    /// The message for `field`, if this is a validation error that names it.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        match self {
            Self::Validation { fields } => fields
                .iter()
                .find(|f| f.field == field)
                .map(|f| f.message.as_str()),
            _ => None,
        }
    }

    /// The sentence shown at the top of a form or page, in `locale`.
    pub fn message(&self, locale: Locale) -> &'static str {
        match self {
            Self::Validation { .. } => td_string!(locale, errors.summary),
            Self::BadRequest => td_string!(locale, errors.bad_request),
            Self::Unauthorized => td_string!(locale, errors.unauthorized),
            Self::Forbidden => td_string!(locale, errors.forbidden),
            Self::NotFound => td_string!(locale, errors.not_found),
            Self::Conflict { reason } => reason.message(locale),
            Self::RateLimited { .. } => td_string!(locale, errors.rate_limited),
            Self::PayloadTooLarge => td_string!(locale, errors.payload_too_large),
            Self::Timeout => td_string!(locale, errors.timeout),
            Self::Unavailable { .. } => td_string!(locale, errors.unavailable),
            Self::Internal => td_string!(locale, errors.internal),
            Self::Network => td_string!(locale, errors.network),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = match value {
            // The arguments could not be read: the client sent something malformed.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => Self::BadRequest,
            // On the server, the request body could not be read: over the
            // body limit, or cut off. Either way the client's doing.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(message) => {
                if message.contains("length limit exceeded") {
                    Self::PayloadTooLarge
                } else {
                    Self::BadRequest
                }
            }
            // Only the browser sees these: the request never got an answer it could read.
            #[cfg(not(feature = "ssr"))]
            ServerFnErrorErr::Deserialization(_) => Self::Network,
            ServerFnErrorErr::Request(_) => Self::Network,
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failed in the framework");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                Self::Internal
            }
        };
        #[cfg(feature = "ssr")]
        set_error_status(&error);
        error
    }
}

/// Sets the response's status (and `Retry-After`) for `error`; see
/// [`crate::ssr::respond::set_status`] for when a browser is left alone.
#[cfg(feature = "ssr")]
pub fn set_error_status(error: &AppError) {
    let retry_after = match error {
        AppError::RateLimited { retry_after_secs } | AppError::Unavailable { retry_after_secs } => {
            Some(*retry_after_secs)
        }
        _ => None,
    };
    crate::ssr::respond::set_status(
        error.status(),
        retry_after,
        matches!(error, AppError::Unavailable { .. }),
    );
}

/// Applies [`set_error_status`] to a server function's result and passes it on.
#[cfg(feature = "ssr")]
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        set_error_status(error);
    }
    result
}

#[cfg(test)]
mod tests;

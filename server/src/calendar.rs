//! `GET /my-booking/calendar.ics?t=TOKEN`: a booking as an iCalendar file,
//! opened with the private link's token.

use app::booking::{notify, repo};
use app::ssr::AppState;
use axum::{
    extract::{Query, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Params {
    #[serde(default)]
    t: String,
}

pub async fn download(State(state): State<AppState>, Query(params): Query<Params>) -> Response {
    let booking = match repo::by_token(&state.pool, params.t.trim()).await {
        Ok(Some(booking)) => booking,
        Ok(None) => return (StatusCode::NOT_FOUND, "not found").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "calendar download failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let en = booking.locale == "en";
    let office = if en {
        booking
            .office_name_en
            .as_deref()
            .unwrap_or(&booking.office_name_vi)
    } else {
        &booking.office_name_vi
    };
    let address = if en {
        booking
            .office_address_en
            .as_deref()
            .unwrap_or(&booking.office_address_vi)
    } else {
        &booking.office_address_vi
    };
    let body = notify::ics(&booking, office, address, None, en);
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"tiep-dan.ics\"",
            ),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        body,
    )
        .into_response()
}

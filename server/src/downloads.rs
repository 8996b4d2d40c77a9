//! CSV downloads for staff: `GET /staff/cases.csv` (the case list, as on
//! screen) and `GET /staff/reports.csv` (a report's figures). Plain links,
//! so they sit beside the pages rather than among the JSON server
//! functions; they check the session, role and office like those do.

use app::error::AppError;
use app::locale::negotiate;
use app::reports::csv;
use app::ssr::AppState;
use app::staff::auth::{self, AuthSession};
use axum::{
    extract::{Query, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Params {
    #[serde(default)]
    office: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

fn locale(headers: &HeaderMap) -> app::i18n::Locale {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    negotiate(header(header::COOKIE), header(header::ACCEPT_LANGUAGE))
}

fn answer(result: Result<Vec<u8>, AppError>, name: &str, locale: app::i18n::Locale) -> Response {
    match result {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            body,
        )
            .into_response(),
        Err(error) => {
            let status =
                StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, error.message(locale).to_owned()).into_response()
        }
    }
}

pub async fn cases(
    State(state): State<AppState>,
    mut session: AuthSession,
    headers: HeaderMap,
    Query(p): Query<Params>,
) -> Response {
    let locale = locale(&headers);
    let result = match auth::current_in(&mut session, &state).await {
        Ok(user) => csv::cases(&state, &user, locale, &p.office, &p.status).await,
        Err(e) => Err(e),
    };
    answer(result, "ho-so.csv", locale)
}

pub async fn report(
    State(state): State<AppState>,
    mut session: AuthSession,
    headers: HeaderMap,
    Query(p): Query<Params>,
) -> Response {
    let locale = locale(&headers);
    let result = match auth::current_in(&mut session, &state).await {
        Ok(user) => csv::report(&state, &user, locale, &p.office, &p.from, &p.to).await,
        Err(e) => Err(e),
    };
    answer(result, "bao-cao.csv", locale)
}

//! Every SQL statement about consent texts.

use super::ConsentText;
use crate::i18n::Locale;
use sqlx::{PgConnection, PgPool};

/// The version in force now, stored with what a citizen sends. Read in the
/// writing transaction, so a booking never names a version newer than the
/// moment it was made.
pub async fn current_version(conn: &mut PgConnection) -> Result<String, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT version FROM consent_texts WHERE valid_from <= now() ORDER BY valid_from DESC LIMIT 1"
    )
    .fetch_one(conn)
    .await
}

/// The versions in force so far, newest first, in `locale`.
pub async fn history(pool: &PgPool, locale: Locale) -> Result<Vec<ConsentText>, sqlx::Error> {
    let en = locale == Locale::en;
    let rows = sqlx::query!(
        r#"
        SELECT version, purpose_vi, purpose_en, text_vi, text_en,
               to_char(valid_from AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') AS "valid_from!"
        FROM consent_texts WHERE valid_from <= now() ORDER BY valid_from DESC
        "#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ConsentText {
            version: r.version,
            valid_from: r.valid_from,
            purpose: if en { r.purpose_en } else { r.purpose_vi },
            text: if en { r.text_en } else { r.text_vi },
        })
        .collect())
}

/// The version in force now, in `locale` (the forms show it).
pub async fn current(pool: &PgPool, locale: Locale) -> Result<Option<ConsentText>, sqlx::Error> {
    Ok(history(pool, locale).await?.into_iter().next())
}

/// The text of `version` in `locale` (what a citizen agreed to).
pub async fn text_of(
    pool: &PgPool,
    version: &str,
    locale: Locale,
) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT text_vi, text_en FROM consent_texts WHERE version = $1",
        version
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        if locale == Locale::en {
            r.text_en
        } else {
            r.text_vi
        }
    }))
}

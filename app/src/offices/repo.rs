//! SQL for offices.

use super::{Localized, Office, OfficeChoice, Session};
use crate::i18n::Locale;
use chrono::Timelike;
use sqlx::PgPool;
use uuid::Uuid;

/// Active offices in listing order, each with its sessions.
pub async fn list(pool: &PgPool) -> Result<Vec<Office>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        SELECT o.slug, o.name_vi, o.name_en, o.address_vi, o.address_en, o.phone, o.email,
               h.weekday AS "weekday?", h.opens AS "opens?", h.closes AS "closes?"
        FROM offices o
        LEFT JOIN opening_hours h ON h.office_id = o.id
        WHERE o.active
        ORDER BY o.position, o.name_vi, o.id, h.weekday, h.opens
        "#
    )
    .fetch_all(pool)
    .await?;

    let mut offices: Vec<Office> = Vec::new();
    for row in rows {
        if offices.last().is_none_or(|o| o.slug != row.slug) {
            offices.push(Office {
                slug: row.slug,
                name: Localized {
                    vi: row.name_vi,
                    en: row.name_en,
                },
                address: Localized {
                    vi: row.address_vi,
                    en: row.address_en,
                },
                phone: row.phone,
                email: row.email,
                hours: Vec::new(),
            });
        }
        if let (Some(weekday), Some(opens), Some(closes), Some(office)) =
            (row.weekday, row.opens, row.closes, offices.last_mut())
        {
            office.hours.push(Session {
                // The CHECK constraint keeps weekday within 1..=7.
                weekday: weekday as u8,
                opens: minutes(opens),
                closes: minutes(closes),
            });
        }
    }
    Ok(offices)
}

fn minutes(t: chrono::NaiveTime) -> u16 {
    (t.hour() * 60 + t.minute()) as u16
}

/// An office as one record: who it is and where, without its hours. Every
/// look-up of an office by slug or id returns this.
#[derive(Debug, Clone)]
pub struct OfficeRow {
    pub id: Uuid,
    pub slug: String,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub address_vi: String,
    pub address_en: Option<String>,
}

impl OfficeRow {
    pub fn name(&self, locale: Locale) -> &str {
        match (locale, &self.name_en) {
            (Locale::en, Some(en)) => en,
            _ => &self.name_vi,
        }
    }

    pub fn address(&self, locale: Locale) -> &str {
        match (locale, &self.address_en) {
            (Locale::en, Some(en)) => en,
            _ => &self.address_vi,
        }
    }

    /// The office as a member picks it, named in the reader's language.
    pub fn choice(&self, locale: Locale) -> OfficeChoice {
        OfficeChoice {
            slug: self.slug.clone(),
            name: self.name(locale).to_owned(),
        }
    }
}

/// Any active office by slug (a member's scope is checked by the caller).
pub async fn by_slug(pool: &PgPool, slug: &str) -> Result<Option<OfficeRow>, sqlx::Error> {
    sqlx::query_as!(
        OfficeRow,
        "SELECT id, slug, name_vi, name_en, address_vi, address_en FROM offices WHERE slug = $1 AND active",
        slug
    )
    .fetch_optional(pool)
    .await
}

/// The active offices among `ids`, in the order the public site lists them.
pub async fn among(pool: &PgPool, ids: &[Uuid]) -> Result<Vec<OfficeRow>, sqlx::Error> {
    sqlx::query_as!(
        OfficeRow,
        "SELECT id, slug, name_vi, name_en, address_vi, address_en FROM offices WHERE id = ANY($1) AND active ORDER BY position, slug",
        ids
    )
    .fetch_all(pool)
    .await
}

/// Every active office, in listing order.
pub async fn all(pool: &PgPool) -> Result<Vec<OfficeRow>, sqlx::Error> {
    sqlx::query_as!(
        OfficeRow,
        "SELECT id, slug, name_vi, name_en, address_vi, address_en FROM offices WHERE active ORDER BY position, slug"
    )
    .fetch_all(pool)
    .await
}

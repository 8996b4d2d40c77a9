//! SQL for offices.

use super::{Localized, Office, Session};
use chrono::Timelike;
use sqlx::PgPool;

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

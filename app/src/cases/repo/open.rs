//! Opening a case: from a booking (its reference and contact) or by hand.

use super::change::{add_event, Event};
use crate::booking::{BookingStatus, Topic};
use crate::cases::{CaseKind, CaseStatus, Channel};
use chrono::NaiveDate;
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

/// What opening a case from a booking needs to know of it.
pub struct BookingRef {
    pub id: Uuid,
    pub office_id: Uuid,
    pub status: BookingStatus,
    pub topic: Topic,
    pub case_code: Option<String>,
}

pub async fn booking_ref(pool: &PgPool, code: &str) -> Result<Option<BookingRef>, sqlx::Error> {
    sqlx::query_as!(
        BookingRef,
        r#"
        SELECT b.id, b.office_id, b.status AS "status: BookingStatus", b.topic AS "topic: Topic",
               c.code AS "case_code?"
        FROM bookings b LEFT JOIN cases c ON c.booking_id = b.id
        WHERE b.code = $1
        "#,
        code
    )
    .fetch_optional(pool)
    .await
}

/// A case to write. The contact comes from the booking when there is one.
pub struct NewCase<'a> {
    pub code: &'a str,
    pub kind: CaseKind,
    pub summary: &'a str,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub office_id: Uuid,
    pub booking_id: Option<Uuid>,
    pub assigned_to: Option<Uuid>,
    pub remote_area: bool,
    pub due_on: Option<NaiveDate>,
    pub full_name: &'a str,
    pub citizen_id: Option<&'a str>,
    pub phone: &'a str,
    pub email: Option<&'a str>,
    pub notify: bool,
    pub locale: &'a str,
}

/// Inserts the case (the handling agency is its office until transferred)
/// and its first timeline event. `None` when the code is taken.
pub async fn insert(
    tx: &mut Transaction<'_, Postgres>,
    new: &NewCase<'_>,
    actor: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    let id = sqlx::query_scalar!(
        r#"
        INSERT INTO cases (code, kind, summary, channel, received_on, office_id, booking_id, agency,
                           assigned_to, remote_area, due_on, full_name, citizen_id, phone, email,
                           notify, locale)
        SELECT $1, $2, $3, $4, $5, o.id, $7, o.name_vi, $8, $9, $10, $11, $12, $13, $14, $15, $16
        FROM offices o WHERE o.id = $6
        ON CONFLICT (code) DO NOTHING
        RETURNING id
        "#,
        new.code,
        new.kind.as_str(),
        new.summary,
        new.channel.as_str(),
        new.received_on,
        new.office_id,
        new.booking_id,
        new.assigned_to,
        new.remote_area,
        new.due_on,
        new.full_name,
        new.citizen_id,
        new.phone,
        new.email,
        new.notify,
        new.locale,
    )
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(id) = id {
        add_event(
            tx,
            &Event {
                case_id: id,
                actor: Some(actor),
                event: "opened",
                status: CaseStatus::Received,
                public: true,
                public_note: "",
                internal_note: "",
                extension_days: None,
                due_on: new.due_on,
            },
        )
        .await?;
    }
    Ok(id)
}

/// The contact of the booking `id`, to carry over into its case.
pub struct BookingContact {
    pub full_name: String,
    pub citizen_id: String,
    pub phone: String,
    pub email: Option<String>,
    pub summary: String,
    pub locale: String,
    pub received_on: NaiveDate,
}

pub async fn booking_contact(pool: &PgPool, id: Uuid) -> Result<BookingContact, sqlx::Error> {
    sqlx::query_as!(
        BookingContact,
        r#"
        SELECT b.full_name, b.citizen_id, b.phone, b.email, b.summary, b.locale,
               -- The day the citizen was received: their check-in.
               (coalesce((SELECT min(e.at) FROM booking_events e
                          WHERE e.booking_id = b.id AND e.status = 'checked_in'),
                         s.starts_at) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS "received_on!"
        FROM bookings b JOIN slots s ON s.id = b.slot_id
        WHERE b.id = $1
        "#,
        id
    )
    .fetch_one(pool)
    .await
}

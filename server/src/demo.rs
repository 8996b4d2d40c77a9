//! Demo data for `make run` and the browser tests: two real reception
//! offices with their weekly hours, and one staff account per role.
//! Idempotent: running it again updates the same rows. Refused in production.

use app::ssr::{AppEnv, Settings};
use secrecy::ExposeSecret;
use sqlx::PgPool;

struct DemoOffice {
    slug: &'static str,
    name_vi: &'static str,
    name_en: &'static str,
    address_vi: &'static str,
    address_en: &'static str,
    phone: &'static str,
    email: &'static str,
    /// (ISO weekday, opens, closes)
    hours: &'static [(i16, &'static str, &'static str)],
    /// Length of a slot and bookings per slot (see the schedule migration).
    slot_minutes: i16,
    capacity: i16,
}

const WEEKDAYS_TWO_SESSIONS: &[(i16, &str, &str)] = &[
    (1, "07:30", "11:30"),
    (1, "13:30", "17:00"),
    (2, "07:30", "11:30"),
    (2, "13:30", "17:00"),
    (3, "07:30", "11:30"),
    (3, "13:30", "17:00"),
    (4, "07:30", "11:30"),
    (4, "13:30", "17:00"),
    (5, "07:30", "11:30"),
    (5, "13:30", "17:00"),
];

const INSPECTORATE_HOURS: &[(i16, &str, &str)] = &[
    (1, "08:00", "11:30"),
    (1, "13:30", "16:30"),
    (2, "08:00", "11:30"),
    (2, "13:30", "16:30"),
    (3, "08:00", "11:30"),
    (3, "13:30", "16:30"),
    (4, "08:00", "11:30"),
    (4, "13:30", "16:30"),
    (5, "08:00", "11:30"),
];

const OFFICES: &[DemoOffice] = &[
    DemoOffice {
        slug: "tw-ha-noi",
        name_vi: "Trụ sở Ban Tiếp công dân Trung ương, Hà Nội",
        name_en: "Central Citizen Reception Office, Ha Noi",
        address_vi: "Số 1 Ngô Thì Nhậm, phường Hà Đông, Hà Nội",
        address_en: "1 Ngo Thi Nham Street, Ha Dong Ward, Ha Noi",
        phone: "024 3000 0001",
        email: "tiepdan.hanoi@tiepdan.local",
        hours: WEEKDAYS_TWO_SESSIONS,
        slot_minutes: 30,
        capacity: 4,
    },
    DemoOffice {
        slug: "thanh-tra-chinh-phu",
        name_vi: "Trụ sở Thanh tra Chính phủ",
        name_en: "Government Inspectorate Headquarters",
        address_vi: "Lô D29 Khu đô thị mới Cầu Giấy, phường Yên Hòa, Hà Nội",
        address_en: "Lot D29, Cau Giay New Urban Area, Yen Hoa Ward, Ha Noi",
        phone: "024 3000 0002",
        email: "tiepdan.ttcp@tiepdan.local",
        hours: INSPECTORATE_HOURS,
        slot_minutes: 30,
        capacity: 3,
    },
];

/// (e-mail, display name, role)
const STAFF: &[(&str, &str, &str)] = &[
    ("letan@tiepdan.local", "Lễ tân (demo)", "receptionist"),
    ("canbo@tiepdan.local", "Cán bộ xử lý đơn (demo)", "officer"),
    (
        "truong@tiepdan.local",
        "Trưởng nhóm xử lý đơn (demo)",
        "supervisor",
    ),
    ("quantri@tiepdan.local", "Quản trị hệ thống (demo)", "admin"),
];

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("demo data is never loaded when APP_ENV=production")]
    Production,
    #[error("database error while loading demo data: {0}")]
    Database(#[from] sqlx::Error),
    #[error("could not hash the demo password: {0}")]
    Hash(String),
}

/// What was loaded, for the log line.
#[derive(Debug, PartialEq, Eq)]
pub struct DemoSummary {
    pub offices: usize,
    pub staff: usize,
    /// Slots inserted or updated for the coming weeks.
    pub slots: u64,
}

/// Loads or refreshes the demo offices and staff accounts in one transaction.
pub async fn seed(pool: &PgPool, settings: &Settings) -> Result<DemoSummary, DemoError> {
    if settings.env == AppEnv::Production {
        return Err(DemoError::Production);
    }
    let mut tx = pool.begin().await?;
    let mut office_ids = Vec::new();
    for (position, office) in OFFICES.iter().enumerate() {
        let id = sqlx::query_scalar!(
            r#"
            INSERT INTO offices (slug, name_vi, name_en, address_vi, address_en, phone, email, position)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (slug) DO UPDATE SET
                name_vi = EXCLUDED.name_vi, name_en = EXCLUDED.name_en,
                address_vi = EXCLUDED.address_vi, address_en = EXCLUDED.address_en,
                phone = EXCLUDED.phone, email = EXCLUDED.email,
                position = EXCLUDED.position, active = true
            RETURNING id
            "#,
            office.slug,
            office.name_vi,
            office.name_en,
            office.address_vi,
            office.address_en,
            office.phone,
            office.email,
            position as i32,
        )
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query!("DELETE FROM opening_hours WHERE office_id = $1", id)
            .execute(&mut *tx)
            .await?;
        for &(weekday, opens, closes) in office.hours {
            sqlx::query!(
                "INSERT INTO opening_hours (office_id, weekday, opens, closes, slot_minutes, capacity)
                 VALUES ($1, $2, $3::text::time, $4::text::time, $5, $6)",
                id,
                weekday,
                opens,
                closes,
                office.slot_minutes,
                office.capacity,
            )
            .execute(&mut *tx)
            .await?;
        }
        office_ids.push(id);
    }

    let password = settings.demo_password.expose_secret().to_owned();
    for &(email, name, role) in STAFF {
        let existing = sqlx::query_scalar!(
            "SELECT password_hash FROM staff_accounts WHERE email = $1",
            email
        )
        .fetch_optional(&mut *tx)
        .await?;
        let hash = hash_unless_current(password.clone(), existing).await?;
        let staff_id = sqlx::query_scalar!(
            r#"
            INSERT INTO staff_accounts (email, display_name, role, password_hash, is_demo)
            VALUES ($1, $2, $3, $4, true)
            ON CONFLICT (email) DO UPDATE SET
                display_name = EXCLUDED.display_name, role = EXCLUDED.role,
                password_hash = EXCLUDED.password_hash, active = true, is_demo = true
            RETURNING id
            "#,
            email,
            name,
            role,
            hash,
        )
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query!(
            "INSERT INTO staff_offices (staff_id, office_id)
             SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING",
            staff_id,
            &office_ids,
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let slots = app::booking::generator::generate(pool).await?.upserted;
    Ok(DemoSummary {
        offices: OFFICES.len(),
        staff: STAFF.len(),
        slots,
    })
}

/// Keeps a stored hash that still matches the password (Argon2 is slow on
/// purpose, and a re-run should not change anything); hashes anew otherwise.
async fn hash_unless_current(
    password: String,
    existing: Option<String>,
) -> Result<String, DemoError> {
    tokio::task::spawn_blocking(move || match existing {
        Some(hash) if password_auth::verify_password(&password, &hash).is_ok() => hash,
        _ => password_auth::generate_hash(&password),
    })
    .await
    .map_err(|e| DemoError::Hash(e.to_string()))
}

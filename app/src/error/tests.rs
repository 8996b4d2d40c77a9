use super::*;

#[test]
fn validation_error_serialises_with_its_field_messages() {
    let err = AppError::invalid("locale", ValidationCode::UnsupportedLocale, Locale::en);
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["kind"], "validation");
    assert_eq!(json["fields"][0]["field"], "locale");
    assert_eq!(json["fields"][0]["code"], "unsupported_locale");
    assert_eq!(
        json["fields"][0]["message"],
        "This language is not supported. Please choose Tiếng Việt or English."
    );
}

#[test]
fn every_error_reads_back_as_itself() {
    let cases = [
        AppError::invalid("locale", ValidationCode::Required, Locale::vi),
        AppError::BadRequest,
        AppError::Unauthorized,
        AppError::Forbidden,
        AppError::NotFound,
        AppError::Conflict {
            reason: ConflictReason::SlotFull,
        },
        AppError::RateLimited {
            retry_after_secs: 90,
        },
        AppError::PayloadTooLarge,
        AppError::Timeout,
        AppError::Unavailable {
            retry_after_secs: 5,
        },
        AppError::Internal,
        AppError::Network,
    ];
    for err in cases {
        let json = serde_json::to_string(&err).unwrap();
        assert_eq!(
            serde_json::from_str::<AppError>(&json).unwrap(),
            err,
            "{json}"
        );
    }
}

#[test]
fn every_kind_maps_to_its_http_status() {
    let cases = [
        (AppError::Validation { fields: vec![] }, 422),
        (AppError::BadRequest, 400),
        (AppError::Unauthorized, 401),
        (AppError::Forbidden, 403),
        (AppError::NotFound, 404),
        (
            AppError::Conflict {
                reason: ConflictReason::AlreadyBooked,
            },
            409,
        ),
        (
            AppError::RateLimited {
                retry_after_secs: 60,
            },
            429,
        ),
        (AppError::PayloadTooLarge, 413),
        (AppError::Timeout, 408),
        (
            AppError::Unavailable {
                retry_after_secs: 5,
            },
            503,
        ),
        (AppError::Internal, 500),
    ];
    for (err, status) in cases {
        assert_eq!(err.status(), status, "{err:?}");
    }
}

#[test]
fn messages_exist_in_both_languages_and_differ() {
    for err in [
        AppError::Internal,
        AppError::NotFound,
        AppError::Conflict {
            reason: ConflictReason::TooLate,
        },
    ] {
        let vi = err.message(Locale::vi);
        let en = err.message(Locale::en);
        assert!(!vi.is_empty() && !en.is_empty());
        assert_ne!(vi, en, "{err:?} is not translated");
    }
}

#[test]
fn field_message_finds_the_named_field_only() {
    let err = AppError::invalid("locale", ValidationCode::Required, Locale::vi);
    assert_eq!(
        err.field_message("locale"),
        Some("Vui lòng điền thông tin này.")
    );
    assert_eq!(err.field_message("phone"), None);
    assert_eq!(AppError::Internal.field_message("locale"), None);
}

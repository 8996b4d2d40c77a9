//! HTTP tests: the real router on a real port, against a fresh PostgreSQL
//! database per test (`#[sqlx::test]`) and a real SMTP sink.

mod assets;
mod booking;
mod cases;
mod demo;
mod docs;
mod errors;
mod health;
mod helpers;
mod locale;
mod mail;
mod outbox;
mod pages;
mod reports;
mod schedule;
mod staff;
mod staff_accounts;
mod staff_schedule;
mod staff_totp;
mod validation;

//! HTTP tests: the real router on a real port, against a fresh PostgreSQL
//! database per test (`#[sqlx::test]`) and a real SMTP sink.

mod assets;
mod audit;
mod booking;
mod bounds;
mod bursts;
mod case_email;
mod cases;
mod confidentiality;
mod demo;
mod desk;
mod desk_time;
mod docs;
mod errors;
mod health;
mod helpers;
mod locale;
mod mail;
mod outage;
mod outbox;
mod pages;
mod plain_posts;
mod privileges;
mod proposals;
mod reports;
mod schedule;
mod schedule_races;
mod staff;
mod staff_accounts;
mod staff_endpoints;
mod staff_schedule;
mod staff_totp;
mod surfaces;
mod validation;
mod waitlist;
mod walk_ins;

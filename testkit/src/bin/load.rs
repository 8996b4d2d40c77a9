//! `load BASE_URL SLOT_IDS CONCURRENCY SECONDS`: fires booking requests at
//! `POST /api/bookings/create` from CONCURRENCY clients for SECONDS seconds
//! and prints bookings per second and latency percentiles as JSON.
//!
//! Each client is a thread with its own kept-alive connection and its own
//! client address (sent as `X-Forwarded-For`, which the server believes from
//! loopback), like distinct citizens; each booking has a fresh CCCD, and
//! slots are taken round-robin from SLOT_IDS (comma-separated). Only 200
//! answers count as bookings and in the latencies; every status is tallied.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: load BASE_URL SLOT_IDS CONCURRENCY SECONDS");
        std::process::exit(2);
    }
    let url = format!("{}/api/bookings/create", args[1].trim_end_matches('/'));
    let slots: Arc<Vec<String>> = Arc::new(args[2].split(',').map(str::to_owned).collect());
    let clients: usize = args[3].parse().expect("CONCURRENCY");
    let seconds: u64 = args[4].parse().expect("SECONDS");
    // Citizens are numbered from LOAD_FIRST_CITIZEN, so a warm-up run and
    // the measured one never book the same CCCD twice.
    let first: u64 = std::env::var("LOAD_FIRST_CITIZEN")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let counter = Arc::new(AtomicU64::new(first));
    let deadline = Instant::now() + Duration::from_secs(seconds);

    let threads: Vec<_> = (0..clients)
        .map(|client| {
            let url = url.clone();
            let slots = slots.clone();
            let counter = counter.clone();
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .max_redirects(0)
                    .build()
                    .into();
                let ip = format!(
                    "10.{}.{}.{}",
                    client / 65536 % 256,
                    client / 256 % 256,
                    client % 256
                );
                let mut latencies = Vec::new();
                let mut statuses = std::collections::BTreeMap::<u16, u64>::new();
                while Instant::now() < deadline {
                    let n = counter.fetch_add(1, Ordering::Relaxed);
                    let citizen = format!("001{:09}", n);
                    let slot = &slots[(n as usize) % slots.len()];
                    let started = Instant::now();
                    let response = agent
                        .post(&url)
                        .header("accept", "application/json")
                        .header("x-forwarded-for", &ip)
                        .send_form([
                            ("slot_id", slot.as_str()),
                            ("full_name", "Nguyễn Văn An"),
                            ("citizen_id", citizen.as_str()),
                            ("phone", "0912345678"),
                            ("topic", "complaint"),
                            ("summary", "Khiếu nại quyết định thu hồi đất năm 2025."),
                            ("party_size", "1"),
                            ("consent", "true"),
                        ]);
                    let elapsed = started.elapsed();
                    let status = match response {
                        Ok(mut r) => {
                            let _ = r.body_mut().read_to_vec();
                            r.status().as_u16()
                        }
                        Err(_) => 0,
                    };
                    *statuses.entry(status).or_default() += 1;
                    if status == 200 {
                        latencies.push(elapsed);
                    }
                }
                (latencies, statuses)
            })
        })
        .collect();

    let mut latencies = Vec::new();
    let mut statuses = std::collections::BTreeMap::<u16, u64>::new();
    for thread in threads {
        let (l, s) = thread.join().expect("client thread");
        latencies.extend(l);
        for (k, v) in s {
            *statuses.entry(k).or_default() += v;
        }
    }
    latencies.sort();
    let pct = |p: f64| -> f64 {
        if latencies.is_empty() {
            return f64::NAN;
        }
        let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies[i].as_secs_f64() * 1000.0
    };
    let ok = latencies.len() as f64;
    println!(
        "{}",
        serde_json::json!({
            "clients": clients,
            "seconds": seconds,
            "bookings": latencies.len(),
            "bookings_per_second": ok / seconds as f64,
            "p50_ms": pct(0.50),
            "p99_ms": pct(0.99),
            "statuses": statuses.iter().map(|(k, v)| (k.to_string(), serde_json::Value::from(*v))).collect::<serde_json::Map<_, _>>(),
        })
    );
}

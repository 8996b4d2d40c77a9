//! `signin-flood BASE_URL N [ROUNDS]`: N staff sign-ins sent at the same
//! moment (N threads released by one barrier), each for an unknown account
//! from a client address of its own (`X-Forwarded-For`, believed from
//! loopback), ROUNDS times (default 1). Prints the answers' statuses as JSON.
//! `scripts/signin-flood.sh` reads the server's peak memory around it.

use std::collections::BTreeMap;
use std::sync::{Arc, Barrier, Mutex};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if !(3..=4).contains(&args.len()) {
        eprintln!("usage: signin-flood BASE_URL N [ROUNDS]");
        std::process::exit(2);
    }
    let url = format!("{}/api/staff/login", args[1].trim_end_matches('/'));
    let n: usize = args[2].parse().expect("N");
    let rounds: usize = args.get(3).map_or(1, |r| r.parse().expect("ROUNDS"));
    let statuses = Arc::new(Mutex::new(BTreeMap::<String, u64>::new()));
    for round in 0..rounds {
        let barrier = Arc::new(Barrier::new(n));
        let threads: Vec<_> = (0..n)
            .map(|i| {
                let (url, barrier, statuses) = (url.clone(), barrier.clone(), statuses.clone());
                std::thread::spawn(move || {
                    let agent: ureq::Agent = ureq::Agent::config_builder()
                        .http_status_as_error(false)
                        .max_redirects(0)
                        .build()
                        .into();
                    let who = round * n + i;
                    let ip = format!("10.{}.{}.{}", who / 65536 % 256, who / 256 % 256, who % 256);
                    let email = format!("nobody{who}@flood.test");
                    barrier.wait();
                    let status = match agent
                        .post(&url)
                        .header("accept", "application/json")
                        .header("x-forwarded-for", &ip)
                        .send_form([("email", email.as_str()), ("password", "not the password")])
                    {
                        Ok(response) => response.status().as_u16().to_string(),
                        Err(_) => "error".to_owned(),
                    };
                    if let Ok(mut s) = statuses.lock() {
                        *s.entry(status).or_insert(0) += 1;
                    }
                })
            })
            .collect();
        for t in threads {
            let _ = t.join();
        }
    }
    let statuses = statuses.lock().map(|s| s.clone()).unwrap_or_default();
    println!(
        "{}",
        serde_json::json!({ "requests": n * rounds, "statuses": statuses })
    );
}

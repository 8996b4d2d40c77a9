//! `smtp-sink ADDR DIR`: records every message sent to ADDR as DIR/NNNNN.json.
//! Started by `make test` for the server the browser tests run against.

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(addr), Some(dir)) = (args.next(), args.next()) else {
        eprintln!("usage: smtp-sink ADDR DIR");
        std::process::exit(2);
    };
    let addr = match addr.parse() {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("smtp-sink: bad address {addr:?}: {e}");
            std::process::exit(2);
        }
    };
    match testkit::SmtpSink::start_on(addr, Some(PathBuf::from(dir))) {
        Ok(sink) => {
            println!("smtp-sink listening on {}", sink.addr());
            loop {
                std::thread::park();
            }
        }
        Err(e) => {
            eprintln!("smtp-sink: {e}");
            std::process::exit(1);
        }
    }
}

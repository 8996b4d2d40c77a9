//! A real SMTP server for tests. It accepts every message, keeps it in memory
//! for Rust tests and, when given a folder, writes it there as JSON for the
//! browser tests. The app talks to it through its ordinary SMTP transport.
//!
//! The protocol is `mailin`'s; the few lines of socket handling are ours
//! because `mailin-embedded` pulls in a second TLS stack (aws-lc) that would
//! change the features of the app's own dependencies in test builds.

mod proxy;
pub use proxy::{Target, TcpProxy};

use mailin::{response, Action, Handler, Response, SessionBuilder};
use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One message as the sink received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    /// Envelope sender and recipients (`MAIL FROM`, `RCPT TO`).
    pub envelope_from: String,
    pub envelope_to: Vec<String>,
    /// The raw RFC 5322 message.
    pub raw: Vec<u8>,
}

impl ReceivedMail {
    /// The decoded `Subject` header.
    pub fn subject(&self) -> Option<String> {
        mail_parser::MessageParser::default()
            .parse(&self.raw)
            .and_then(|m| m.subject().map(str::to_owned))
    }

    /// The decoded plain-text body.
    pub fn text(&self) -> Option<String> {
        mail_parser::MessageParser::default()
            .parse(&self.raw)
            .and_then(|m| m.body_text(0).map(|t| t.into_owned()))
    }

    /// The decoded HTML body, if the message has one.
    pub fn html(&self) -> Option<String> {
        let message = mail_parser::MessageParser::default().parse(&self.raw)?;
        message.html_body.first()?;
        message.body_html(0).map(|t| t.into_owned())
    }

    /// Attachments as (file name, content as text).
    pub fn attachments(&self) -> Vec<(String, String)> {
        use mail_parser::MimeHeaders as _;
        let Some(message) = mail_parser::MessageParser::default().parse(&self.raw) else {
            return Vec::new();
        };
        message
            .attachments()
            .map(|part| {
                (
                    part.attachment_name().unwrap_or_default().to_owned(),
                    String::from_utf8_lossy(part.contents()).into_owned(),
                )
            })
            .collect()
    }

    /// The decoded `From` header, e.g. `Tiếp dân <no-reply@tiepdan.local>`.
    pub fn from_header(&self) -> Option<String> {
        let message = mail_parser::MessageParser::default().parse(&self.raw)?;
        let addr = message.from()?.first()?;
        Some(match (addr.name(), addr.address()) {
            (Some(name), Some(address)) => format!("{name} <{address}>"),
            (None, Some(address)) => address.to_owned(),
            _ => return None,
        })
    }

    fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "envelope_from": self.envelope_from,
            "envelope_to": self.envelope_to,
            "from": self.from_header(),
            "subject": self.subject(),
            "text": self.text(),
            "html": self.html(),
            "attachments": self.attachments().into_iter().map(|(name, _)| name).collect::<Vec<_>>(),
            "raw": String::from_utf8_lossy(&self.raw),
        })
    }
}

type Inbox = Arc<Mutex<Vec<ReceivedMail>>>;
type Refused = Arc<Mutex<Vec<String>>>;

/// A running sink. It stops with the test process.
pub struct SmtpSink {
    addr: SocketAddr,
    inbox: Inbox,
    refused: Refused,
}

impl SmtpSink {
    /// Starts a sink on a free local port, keeping messages in memory only.
    pub fn start() -> io::Result<Self> {
        Self::start_on("127.0.0.1:0".parse().expect("literal address"), None)
    }

    /// Starts a sink on `addr`; with `dir`, also writes `NNNNN.json` per message.
    pub fn start_on(addr: SocketAddr, dir: Option<PathBuf>) -> io::Result<Self> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        if let Some(dir) = &dir {
            std::fs::create_dir_all(dir)?;
        }
        let inbox = Inbox::default();
        let refused = Refused::default();
        let handler = Recorder {
            inbox: inbox.clone(),
            refused: refused.clone(),
            dir,
            current: None,
        };
        std::thread::Builder::new()
            .name("smtp-sink".into())
            .spawn(move || {
                for stream in listener.incoming().flatten() {
                    let handler = handler.clone();
                    std::thread::spawn(move || {
                        if let Err(e) = converse(stream, handler) {
                            eprintln!("smtp-sink: connection ended with {e}");
                        }
                    });
                }
            })?;
        Ok(Self {
            addr,
            inbox,
            refused,
        })
    }

    /// Takes messages to `recipient` again after [`refuse`](Self::refuse).
    pub fn accept(&self, recipient: &str) {
        if let Ok(mut refused) = self.refused.lock() {
            refused.retain(|r| !r.eq_ignore_ascii_case(recipient));
        }
    }

    /// From now on every message to `recipient` is refused with a
    /// temporary failure (`451`), as a mail server that is down for them.
    pub fn refuse(&self, recipient: &str) {
        if let Ok(mut refused) = self.refused.lock() {
            refused.push(recipient.to_ascii_lowercase());
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The `SMTP_URL` that points the app at this sink.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// Every message received so far, oldest first.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.inbox.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// Waits up to `timeout` for a message addressed to `recipient`.
    pub fn wait_for(&self, recipient: &str, timeout: Duration) -> Option<ReceivedMail> {
        let deadline = Instant::now() + timeout;
        loop {
            let found = self.messages().into_iter().find(|m| {
                m.envelope_to
                    .iter()
                    .any(|to| to.eq_ignore_ascii_case(recipient))
            });
            if found.is_some() || Instant::now() >= deadline {
                return found;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Speaks SMTP on one connection until the client quits.
fn converse(stream: TcpStream, handler: Recorder) -> io::Result<()> {
    let peer = stream.peer_addr()?.ip();
    let mut session = SessionBuilder::new("smtp-sink.test").build(peer, handler);
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    session.greeting().write_to(&mut writer)?;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let response = session.process(&line);
        match response.action {
            Action::NoReply => {}
            Action::Close => {
                response.write_to(&mut writer)?;
                return writer.flush();
            }
            // STARTTLS is never offered, so there is nothing to upgrade to.
            Action::Reply | Action::UpgradeTls => response.write_to(&mut writer)?,
        }
        writer.flush()?;
    }
}

/// Per-connection SMTP state, cloned for every connection.
#[derive(Clone)]
struct Recorder {
    inbox: Inbox,
    refused: Refused,
    dir: Option<PathBuf>,
    current: Option<ReceivedMail>,
}

impl Handler for Recorder {
    fn rcpt(&mut self, to: &str) -> Response {
        let refused = self
            .refused
            .lock()
            .map(|r| {
                r.iter()
                    .any(|a| a.eq_ignore_ascii_case(to.trim_matches(['<', '>'])))
            })
            .unwrap_or(false);
        if refused {
            Response::custom(451, "4.3.0 Mailbox temporarily unavailable".to_owned())
        } else {
            response::OK
        }
    }

    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = Some(ReceivedMail {
            envelope_from: from.to_owned(),
            envelope_to: to.to_vec(),
            raw: Vec::new(),
        });
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        if let Some(mail) = &mut self.current {
            mail.raw.extend_from_slice(buf);
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let Some(mail) = self.current.take() else {
            return response::INTERNAL_ERROR;
        };
        let Ok(mut inbox) = self.inbox.lock() else {
            return response::INTERNAL_ERROR;
        };
        if let Some(dir) = &self.dir {
            // Write then rename, so a reader never sees half a message.
            let name = format!("{:05}", inbox.len() + 1);
            let tmp = dir.join(format!(".{name}.tmp"));
            let written = serde_json::to_vec_pretty(&mail.to_json())
                .map_err(io::Error::other)
                .and_then(|json| std::fs::write(&tmp, json))
                .and_then(|()| std::fs::rename(&tmp, dir.join(format!("{name}.json"))));
            if let Err(e) = written {
                eprintln!("smtp-sink could not save a message: {e}");
                return response::INTERNAL_ERROR;
            }
        }
        inbox.push(mail);
        response::OK
    }
}

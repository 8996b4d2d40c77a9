//! The mail seam: one SMTP transport, configured from `SMTP_URL`.
//!
//! Features never send directly from a request: they write an outbox row in
//! their transaction and a worker renders the [`Message`] and calls
//! [`Mailer::send`], so a slow or broken mail server never loses a booking.

use super::settings::Settings;
use lettre::message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use secrecy::ExposeSecret;

/// A message as a feature renders it. Subjects must never hold personal data.
#[derive(Debug, Clone)]
pub struct Message {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// An iCalendar (`.ics`) attachment.
    pub ics: Option<String>,
}

impl Message {
    /// The message with its recipient parsed (`None`: not an address).
    pub fn into_email(self) -> Option<Email> {
        Some(Email {
            to: self.to.parse().ok()?,
            subject: self.subject,
            text: self.text,
            html: Some(self.html),
            ics: self.ics.map(|ics| ("tiep-dan.ics".to_owned(), ics)),
        })
    }
}

/// A message ready to send.
#[derive(Debug, Clone)]
pub struct Email {
    pub to: Mailbox,
    pub subject: String,
    pub text: String,
    /// The same content as HTML, sent as an alternative to the text.
    pub html: Option<String>,
    /// An iCalendar (`.ics`) attachment: file name and content.
    pub ics: Option<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("SMTP_URL is not a valid SMTP address: {0}")]
    Config(#[source] lettre::transport::smtp::Error),
    #[error("the message could not be built: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("invalid content type")]
    ContentType,
    #[error("the SMTP server refused or could not be reached: {0}")]
    Send(#[from] lettre::transport::smtp::Error),
    #[error("the SMTP server did not answer NOOP")]
    Unreachable,
}

impl MailError {
    /// A short reason to keep with the message: the reply code or the kind
    /// of failure, never the reply's text (which can quote the address).
    pub fn reason(&self) -> String {
        match self {
            Self::Send(e) => match e.status() {
                Some(code) => format!("smtp {code}"),
                None if e.is_timeout() => "timeout".to_owned(),
                None => "connection".to_owned(),
            },
            Self::Build(_) | Self::ContentType => "unbuildable".to_owned(),
            Self::Config(_) => "configuration".to_owned(),
            Self::Unreachable => "connection".to_owned(),
        }
    }

    /// Whether sending the same message again cannot succeed (a 5xx reply,
    /// a message that cannot be built).
    pub fn is_permanent(&self) -> bool {
        match self {
            Self::Send(e) => e.is_permanent(),
            Self::Build(_) | Self::ContentType => true,
            Self::Config(_) | Self::Unreachable => false,
        }
    }
}

/// Sends e-mail through SMTP. Cheap to clone: the connection pool is shared.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    // The transport's own Debug would print the SMTP credentials.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// Builds the transport; connects lazily, on the first message.
    pub fn new(settings: &Settings) -> Result<Self, MailError> {
        let transport =
            AsyncSmtpTransport::<Tokio1Executor>::from_url(settings.smtp_url.expose_secret())
                .map_err(MailError::Config)?
                .timeout(Some(std::time::Duration::from_secs(
                    settings.smtp_timeout_secs,
                )))
                .build();
        Ok(Self {
            transport,
            from: settings.mail_from.clone(),
        })
    }

    /// Whether the SMTP server answers (a connection and a `NOOP`): the
    /// outbox asks before it renders a batch, so that while the server is
    /// down no link is minted for a message that cannot leave.
    pub async fn reachable(&self) -> Result<(), MailError> {
        match self.transport.test_connection().await {
            Ok(true) => Ok(()),
            Ok(false) => Err(MailError::Unreachable),
            Err(e) => Err(MailError::Send(e)),
        }
    }

    /// Sends one message, UTF-8 encoded: plain text, or text and HTML
    /// alternatives, with the calendar attachment if there is one.
    pub async fn send(&self, email: &Email) -> Result<(), MailError> {
        let builder = lettre::Message::builder()
            .from(self.from.clone())
            .to(email.to.clone())
            .subject(email.subject.clone());
        let message = match (&email.html, &email.ics) {
            (None, None) => builder
                .header(ContentType::TEXT_PLAIN)
                .body(email.text.clone())?,
            (html, ics) => {
                let body = match html {
                    Some(html) => {
                        MultiPart::alternative_plain_html(email.text.clone(), html.clone())
                    }
                    None => MultiPart::mixed().singlepart(SinglePart::plain(email.text.clone())),
                };
                let body = match ics {
                    Some((name, content)) => MultiPart::mixed().multipart(body).singlepart(
                        Attachment::new(name.clone()).body(
                            content.clone(),
                            ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
                                .map_err(|_| MailError::ContentType)?,
                        ),
                    ),
                    None => body,
                };
                builder.multipart(body)?
            }
        };
        self.transport.send(message).await?;
        Ok(())
    }
}

//! The mail seam: one SMTP transport, configured from `SMTP_URL`.
//!
//! Features never send directly from a request: they write an outbox row in
//! their transaction and a worker calls [`Mailer::send`], so a slow or broken
//! mail server never loses a booking (see the booking issue).

use super::settings::Settings;
use lettre::message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

/// A message ready to send. Subjects must never hold personal data.
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
                .build();
        Ok(Self {
            transport,
            from: settings.mail_from.clone(),
        })
    }

    /// Sends one message, UTF-8 encoded: plain text, or text and HTML
    /// alternatives, with the calendar attachment if there is one.
    pub async fn send(&self, email: &Email) -> Result<(), MailError> {
        let builder = Message::builder()
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

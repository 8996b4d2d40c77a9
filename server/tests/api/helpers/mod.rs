use app::ssr::{mail::Mailer, AppState, Settings};

pub mod booking;
pub mod cases;
pub mod staff;

use http::HeaderMap;
use sqlx::PgPool;
use std::path::PathBuf;
use testkit::SmtpSink;

/// A server on its own port, its database and its mail sink.
pub struct TestApp {
    pub base: String,
    pub pool: PgPool,
    pub mail: SmtpSink,
    pub state: AppState,
}

/// The site built by `cargo leptos build`, when there is one; tests that
/// need particular files make their own folder instead.
pub fn built_site_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site")
}

pub async fn spawn_app(pool: PgPool) -> TestApp {
    spawn_app_with_site(pool, built_site_root()).await
}

pub async fn spawn_app_with_site(pool: PgPool, site_root: PathBuf) -> TestApp {
    spawn(pool, site_root, &[]).await
}

/// A server with some settings overridden, e.g. a rate limit.
pub async fn spawn_app_with(pool: PgPool, overrides: &[(&str, &str)]) -> TestApp {
    spawn(pool, built_site_root(), overrides).await
}

async fn spawn(pool: PgPool, site_root: PathBuf, overrides: &[(&str, &str)]) -> TestApp {
    server::telemetry::init();
    let mail = SmtpSink::start().expect("start the SMTP sink");
    let site_root = site_root.display().to_string();
    let overrides: Vec<(String, String)> = overrides
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let settings = Settings::from_lookup(|name| {
        if let Some((_, value)) = overrides.iter().find(|(k, _)| k == name) {
            return Some(value.clone());
        }
        match name {
            "APP_ENV" => Some("test".into()),
            "SMTP_URL" => Some(mail.url()),
            "LEPTOS_SITE_ROOT" => Some(site_root.clone()),
            "OUTBOX_POLL_MS" => Some("100".into()),
            _ => None,
        }
    })
    .expect("test settings");
    let mailer = Mailer::new(&settings).expect("mailer");
    TestApp::serve(AppState::new(pool, mailer, settings), mail).await
}

impl TestApp {
    /// Serves `state` on a free port with its outbox worker.
    pub async fn serve(state: AppState, mail: SmtpSink) -> TestApp {
        let options = server::serve::leptos_options(&state.settings);
        let base = listen(state.clone(), options).await;
        server::workers::spawn_for_tests(state.clone());
        TestApp {
            base,
            pool: state.pool.clone(),
            mail,
            state,
        }
    }
}

/// Serves `state` on a free port through the binary's own serve function
/// (timeouts, connection bounds); returns the base URL.
async fn listen(state: AppState, options: leptos::config::LeptosOptions) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local addr");
    let limits = server::serve::Limits::from(&*state.settings);
    let router = server::router(state, options);
    tokio::spawn(async move {
        server::serve::serve_on(listener, router, limits, std::future::pending())
            .await
            .expect("serve");
    });
    format!("http://{addr}")
}

impl TestApp {
    /// A second server instance on the same database, with its own
    /// connection pool, as another machine behind the load balancer.
    pub async fn second_instance(&self) -> String {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(10)
            .connect_with((*self.pool.connect_options()).clone())
            .await
            .expect("second pool");
        let settings = (*self.state.settings).clone();
        let options = server::serve::leptos_options(&settings);
        let state = AppState::new(pool, self.state.mailer.clone(), settings);
        listen(state, options).await
    }
}

/// A response read whole, so tests can look at it without awaiting.
pub struct TestResponse {
    status: u16,
    headers: HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("a UTF-8 body")
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// How a request is sent: `ureq` is a small blocking client that, unlike
/// reqwest, leaves the features of the server's own hyper and rustls alone,
/// so the tests reuse the release build's compiled crates.
enum Body<'a> {
    None,
    Form(&'a [(&'a str, &'a str)]),
}

async fn send(
    method: &'static str,
    url: String,
    headers: &[(&str, &str)],
    body: Body<'_>,
) -> TestResponse {
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let form: Option<Vec<(String, String)>> = match body {
        Body::None => None,
        Body::Form(pairs) => Some(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ),
    };
    tokio::task::spawn_blocking(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .build()
            .into();
        let response = match (method, form) {
            ("GET", _) => {
                let mut request = agent.get(&url);
                for (name, value) in &headers {
                    request = request.header(name, value);
                }
                request.call()
            }
            (_, form) => {
                let mut request = agent.post(&url);
                for (name, value) in &headers {
                    request = request.header(name, value);
                }
                request.send_form(form.unwrap_or_default())
            }
        }
        .expect("the server answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.into_body().read_to_vec().expect("read the body");
        TestResponse {
            status,
            headers,
            body,
        }
    })
    .await
    .expect("the request thread")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.get_with(path, &[]).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> TestResponse {
        send("GET", self.url(path), headers, Body::None).await
    }

    /// A server function call as a hydrated island makes it.
    pub async fn call(
        &self,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut all = vec![("accept", "application/json")];
        all.extend_from_slice(headers);
        send("POST", self.url(path), &all, Body::Form(form)).await
    }

    /// A form submitted by a browser without JavaScript.
    pub async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
        referer: &str,
    ) -> TestResponse {
        self.post_form_with(path, form, referer, &[]).await
    }

    /// A form submitted by a browser without JavaScript, with extra headers
    /// (a staff session's cookie).
    pub async fn post_form_with(
        &self,
        path: &str,
        form: &[(&str, &str)],
        referer: &str,
        extra: &[(&str, &str)],
    ) -> TestResponse {
        let referer = self.url(referer);
        let mut headers = vec![
            ("accept", "text/html,application/xhtml+xml"),
            ("referer", referer.as_str()),
        ];
        headers.extend_from_slice(extra);
        send("POST", self.url(path), &headers, Body::Form(form)).await
    }
}

/// A JSON server function call to any URL with extra headers (an address
/// through the trusted proxy, a cookie).
pub async fn post_with(url: &str, form: &[(&str, &str)], headers: &[(&str, &str)]) -> TestResponse {
    let mut all = vec![("accept", "application/json")];
    all.extend_from_slice(headers);
    send("POST", url.to_owned(), &all, Body::Form(form)).await
}

/// Runs `n` requests at once (`request(i)` makes the i-th) and returns
/// their answers' statuses, counted: the shape every burst test asserts on.
pub async fn burst<F, Fut>(n: usize, request: F) -> std::collections::BTreeMap<u16, usize>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = TestResponse> + Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    for i in 0..n {
        set.spawn(request(i));
    }
    let mut counts = std::collections::BTreeMap::new();
    while let Some(response) = set.join_next().await {
        *counts
            .entry(response.expect("a request task").status())
            .or_insert(0) += 1;
    }
    counts
}

/// The value of cookie `name` set by `response`, as a `Cookie` header part.
pub fn set_cookie(response: &TestResponse, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

/// A JSON server function call to any base URL (e.g. a second instance).
pub async fn post_json(url: &str, form: &[(&str, &str)]) -> TestResponse {
    send(
        "POST",
        url.to_owned(),
        &[("accept", "application/json")],
        Body::Form(form),
    )
    .await
}

/// A JSON server function call with a session cookie to any base URL.
pub async fn post_json_as(url: &str, cookie: &str, form: &[(&str, &str)]) -> TestResponse {
    send(
        "POST",
        url.to_owned(),
        &[("accept", "application/json"), ("cookie", cookie)],
        Body::Form(form),
    )
    .await
}

/// A form POST to this app with a staff session cookie.
pub async fn post_as(
    app: &TestApp,
    cookie: &str,
    path: &str,
    form: &[(&str, &str)],
) -> TestResponse {
    app.call(path, form, &[("cookie", cookie)]).await
}

/// A JSON GET from this app with a staff session cookie.
pub async fn get_as(app: &TestApp, cookie: &str, path: &str) -> TestResponse {
    app.get_with(path, &[("cookie", cookie), ("accept", "application/json")])
        .await
}

/// A GET with a session cookie to any base URL.
pub async fn get_json(url: &str, cookie: &str) -> TestResponse {
    send(
        "GET",
        url.to_owned(),
        &[("accept", "application/json"), ("cookie", cookie)],
        Body::None,
    )
    .await
}

impl TestApp {
    /// Waits (without blocking the runtime the outbox worker shares) for a
    /// message to `recipient` whose subject contains `subject_part`.
    pub async fn mail_to(&self, recipient: &str, subject_part: &str) -> testkit::ReceivedMail {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        loop {
            let found = self.mail.messages().into_iter().find(|m| {
                m.envelope_to.iter().any(|to| to == recipient)
                    && m.subject().is_some_and(|s| s.contains(subject_part))
            });
            if let Some(message) = found {
                return message;
            }
            let subjects: Vec<String> = self
                .mail
                .messages()
                .iter()
                .filter_map(|m| m.subject())
                .collect();
            assert!(
                std::time::Instant::now() < deadline,
                "no message to {recipient} about {subject_part:?}; got {subjects:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

/// Waits for a fresh rate-limit window when the current one ends within a
/// minute. The limits count in fixed windows of a quarter of an hour or an
/// hour (`app::ssr::limits`), both ending on a quarter-hour: a test that
/// counts attempts up to a limit counts them all in one window, whatever the
/// minute it starts at.
pub async fn fresh_limit_window(pool: &PgPool) {
    let window = f64::from(app::ssr::limits::QUARTER_HOUR);
    let left: f64 = sqlx::query_scalar(
        "SELECT $1 - mod(extract(epoch FROM now())::numeric, $1::numeric)::float8",
    )
    .bind(window)
    .fetch_one(pool)
    .await
    .unwrap();
    if left < 60.0 {
        tokio::time::sleep(std::time::Duration::from_secs_f64(left + 0.5)).await;
    }
}

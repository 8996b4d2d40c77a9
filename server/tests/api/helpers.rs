use app::ssr::{mail::Mailer, AppState, Settings};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT};
use sqlx::PgPool;
use std::path::PathBuf;
use std::sync::Arc;
use testkit::SmtpSink;

/// A server on its own port, its database and its mail sink.
pub struct TestApp {
    pub base: String,
    pub pool: PgPool,
    pub mail: SmtpSink,
    pub state: AppState,
    /// Follows no redirects, so tests see them.
    pub client: reqwest::Client,
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
    server::telemetry::init();
    let mail = SmtpSink::start().expect("start the SMTP sink");
    let site_root = site_root.display().to_string();
    let settings = Settings::from_lookup(|name| match name {
        "APP_ENV" => Some("test".into()),
        "SMTP_URL" => Some(mail.url()),
        "LEPTOS_SITE_ROOT" => Some(site_root.clone()),
        _ => None,
    })
    .expect("test settings");
    let options = server::serve::leptos_options(&settings);
    let state = AppState {
        pool: pool.clone(),
        mailer: Mailer::new(&settings).expect("mailer"),
        settings: Arc::new(settings),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local addr");
    let router = server::router(state.clone(), options);
    tokio::spawn(async move {
        axum::serve(listener, router).await.expect("serve");
    });
    TestApp {
        base: format!("http://{addr}"),
        pool,
        mail,
        state,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// A server function call as a hydrated island makes it.
    pub async fn call(
        &self,
        path: &str,
        form: &[(&str, &str)],
        extra: HeaderMap,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header(ACCEPT, "application/json")
            .headers(extra)
            .form(form)
            .send()
            .await
            .expect("POST")
    }

    /// A form submitted by a browser without JavaScript.
    pub async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
        referer: &str,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header(ACCEPT, "text/html,application/xhtml+xml")
            .header(reqwest::header::REFERER, self.url(referer))
            .form(form)
            .send()
            .await
            .expect("POST")
    }
}

pub fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, HeaderValue::from_str(value).expect("header value"));
    }
    map
}

//! The router: pages, server functions, assets and probes.

use crate::state::ServerState;
use crate::unavailable::Readiness;
use crate::{assets, calendar, downloads, health, http_layers, json_error, sessions};
use app::error::AppError;
use app::locale::negotiate;
use app::shell::{shell, App};
use app::ssr::AppState;
use axum::{
    body::Body,
    extract::State,
    http::{header, request::Parts, HeaderValue, Method, Request, StatusCode},
    response::{IntoResponse, Response},
    routing::{any, get},
    Router,
};
use leptos::prelude::{provide_context, use_context, LeptosOptions};
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};

/// Builds the complete application router, ready to serve.
pub fn router(app: AppState, leptos: LeptosOptions) -> Router {
    router_with(app, leptos, Readiness::ready())
}

/// [`router`] for an instance that may still be starting: until `readiness`
/// says so, everything but the probes and static files is answered 503.
pub fn router_with(app: AppState, leptos: LeptosOptions, readiness: Readiness) -> Router {
    let state = ServerState {
        leptos: leptos.clone(),
        app: app.clone(),
        readiness: readiness.clone(),
    };
    let auth = sessions::layer(&app);
    let settings = app.settings.clone();
    let context = move || provide_request_context(&app);
    let routes = generate_route_list(App);

    let router = Router::new()
        .route("/healthz", get(health::alive))
        .route("/readyz", get(health::ready))
        .route("/my-booking/calendar.ics", get(calendar::download))
        .route("/staff/cases.csv", get(downloads::cases))
        .route("/staff/reports.csv", get(downloads::report))
        .route("/api/{*fn_name}", any(server_fn_handler))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let leptos = leptos.clone();
            move || shell(leptos.clone())
        })
        .nest_service(
            &format!("/{}", leptos.site_pkg_dir),
            assets::pkg_service(&leptos),
        )
        .merge(public_files(&leptos))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            ServerState,
            _,
        >(context, shell));
    let router = router
        .layer(axum::middleware::map_response(downloads_stay))
        .layer(auth);
    http_layers::wrap(router, &settings, readiness).with_state(state)
}

fn public_files(leptos: &LeptosOptions) -> Router<ServerState> {
    assets::PUBLIC_FILES
        .iter()
        .fold(Router::new(), |router, name| {
            router.route_service(&format!("/{name}"), assets::public_file(leptos, name))
        })
}

/// Context every page and server function can use: the app state and the
/// locale this request is answered in.
fn provide_request_context(app: &AppState) {
    provide_context(app.clone());
    let locale = use_context::<Parts>()
        .map(|parts| {
            let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
            negotiate(header(header::COOKIE), header(header::ACCEPT_LANGUAGE))
        })
        .unwrap_or_default();
    provide_context(locale);
    http_layers::content_security_policy();
}

async fn server_fn_handler(State(state): State<ServerState>, request: Request<Body>) -> Response {
    let methods = server_fn_methods(request.uri().path());
    if methods.is_empty() {
        return json_error::error_response(&AppError::NotFound);
    }
    if !methods.contains(request.method()) {
        let mut response = json_error::error_response(&AppError::BadRequest);
        *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
        let allow = methods
            .iter()
            .map(Method::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        if let Ok(value) = HeaderValue::from_str(&allow) {
            response.headers_mut().insert(header::ALLOW, value);
        }
        return response;
    }
    handle_server_fns_with_context(move || provide_request_context(&state.app), request)
        .await
        .into_response()
}

/// A file to keep (the personal-data download) answers a plain form post
/// itself: leptos's server functions would send the browser back to the
/// form instead (its `Location` beside the file's status and headers).
async fn downloads_stay(response: Response) -> Response {
    let mut response = response;
    if response.headers().contains_key(header::CONTENT_DISPOSITION) {
        response.headers_mut().remove(header::LOCATION);
    }
    response
}

/// The methods the server function at `path` answers (none: no such
/// function). The registry is complete before the first request.
fn server_fn_methods(path: &str) -> Vec<Method> {
    use std::collections::HashMap;
    use std::sync::OnceLock;
    static REGISTRY: OnceLock<HashMap<&'static str, Vec<Method>>> = OnceLock::new();
    REGISTRY
        .get_or_init(|| {
            let mut map: HashMap<&'static str, Vec<Method>> = HashMap::new();
            for (path, method) in leptos::server_fn::axum::server_fn_paths() {
                map.entry(path).or_default().push(method);
            }
            map
        })
        .get(path)
        .cloned()
        .unwrap_or_default()
}

//! leptos ends every rendered page with inline scripts that hand resource
//! data to hydration. Our islands read no resource and pages render in
//! islands mode (nothing outside an island is serialized), so those scripts
//! are always the empty ones below: this layer drops them, and a page
//! without an island carries no script at all. A script with data in it is
//! left alone.

use axum::{
    body::Body,
    extract::Request,
    http::{header, Response},
    middleware::Next,
};
use http_body::Frame;
use http_body_util::BodyExt;

/// What follows `<script` (and its nonce) in the empty data scripts.
const EMPTY: [&[u8]; 2] = [
    b">__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];</script>",
    b">__INCOMPLETE_CHUNKS=[];</script>",
];

/// Drops the empty data scripts from the end of an HTML page's chunks:
/// leptos writes them after `</html>`, in the page's last chunk or in
/// chunks of their own, so no page is ever buffered here. A script split
/// between two chunks would stay (harmless, and the browser tests would
/// say so).
pub async fn strip_empty_data_scripts(request: Request, next: Next) -> Response<Body> {
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // The body may get shorter.
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = body.map_frame(|frame| match frame.into_data() {
        Ok(data) => {
            let kept = without_trailing_data_scripts(&data);
            Frame::data(data.slice(..kept))
        }
        Err(other) => other,
    });
    Response::from_parts(parts, Body::new(body))
}

/// How much of `chunk` is left once the empty data scripts at its end are
/// cut off.
fn without_trailing_data_scripts(chunk: &[u8]) -> usize {
    let mut end = chunk.len();
    while let Some(start) = chunk[..end].windows(7).rposition(|w| w == b"<script") {
        if !is_empty_data_script(&chunk[start..end]) {
            break;
        }
        end = start;
    }
    end
}

fn is_empty_data_script(chunk: &[u8]) -> bool {
    let Some(rest) = chunk.strip_prefix(b"<script") else {
        return false;
    };
    // ` nonce="…"`, when the page has one.
    let rest = match rest.strip_prefix(b" nonce=\"") {
        Some(nonce) => match nonce.iter().position(|&b| b == b'"') {
            Some(end) => &nonce[end + 1..],
            None => return false,
        },
        None => rest,
    };
    EMPTY.contains(&rest)
}

#[cfg(test)]
mod tests {
    use super::{is_empty_data_script, without_trailing_data_scripts};

    #[test]
    fn the_scripts_are_cut_from_the_end_of_a_page() {
        let page = "<html><body><script>let a;</script></body></html>";
        let scripts = "<script nonce=\"n\">__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];</script><script nonce=\"n\">__INCOMPLETE_CHUNKS=[];</script>";
        let whole = format!("{page}{scripts}");
        assert_eq!(without_trailing_data_scripts(whole.as_bytes()), page.len());
        assert_eq!(without_trailing_data_scripts(scripts.as_bytes()), 0);
        assert_eq!(without_trailing_data_scripts(page.as_bytes()), page.len());
        // Data in the first: only the second goes.
        let full = "<script>__RESOLVED_RESOURCES=[\"1\",];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];</script>";
        let kept = format!("{full}<script>__INCOMPLETE_CHUNKS=[];</script>");
        assert_eq!(without_trailing_data_scripts(kept.as_bytes()), full.len());
    }

    #[test]
    fn only_the_empty_data_scripts_are_dropped() {
        for chunk in [
            "<script nonce=\"AbC-_1\">__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];</script>",
            "<script>__INCOMPLETE_CHUNKS=[];</script>",
            "<script nonce=\"x\">__INCOMPLETE_CHUNKS=[];</script>",
        ] {
            assert!(is_empty_data_script(chunk.as_bytes()), "{chunk}");
        }
        for chunk in [
            "<script nonce=\"x\">__RESOLVED_RESOURCES=[\"{}\",];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];</script>",
            "<script nonce=\"x\">__INCOMPLETE_CHUNKS=[3,];</script>",
            "<script nonce=\"x\">__RESOLVED_RESOURCES[0] = \"{}\";</script>",
            "<script nonce=\"x\">__INCOMPLETE_CHUNKS=[];</script><p>",
            "<p>__INCOMPLETE_CHUNKS=[];</p>",
            "<script nonce=\"x>__INCOMPLETE_CHUNKS=[];</script>",
        ] {
            assert!(!is_empty_data_script(chunk.as_bytes()), "{chunk}");
        }
    }
}

//! Who is asking: the client's address, for rate limits.

use axum::extract::ConnectInfo;
use http::request::Parts;
use ipnet::IpNet;
use leptos::prelude::use_context;
use std::net::{IpAddr, SocketAddr};

/// The address of the client behind the current request.
///
/// The direct peer is believed unless it is one of `trusted` proxies; then
/// `X-Forwarded-For` is read from the right, skipping further trusted hops,
/// so a client can never choose its own address by sending the header.
pub fn client_addr(trusted: &[IpNet]) -> Option<IpAddr> {
    let parts = use_context::<Parts>()?;
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>()?.0.ip();
    let forwarded = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    Some(resolve(peer, &forwarded, trusted))
}

/// The pure rule behind [`client_addr`].
pub fn resolve(peer: IpAddr, forwarded_for: &str, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    for hop in forwarded_for.rsplit(',') {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !is_trusted(&ip) {
                    break;
                }
            }
            // A garbled entry: stop at the last address we could trust.
            Err(_) => break,
        }
    }
    client
}

/// The client address as a rate-limit key part; `unknown` when the server
/// was started without connection info (never in production).
pub fn client_key(trusted: &[IpNet]) -> String {
    client_addr(trusted).map_or_else(|| "unknown".to_owned(), limit_key)
}

/// The part of an address one client controls: an IPv4 address, or the /64
/// of an IPv6 one (a single subscriber is routinely given a whole /64, so
/// per-address limits on the full IPv6 address would give them 2^64 tries).
pub fn limit_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => ipnet::Ipv6Net::new(v6, 64)
                .map(|net| net.trunc().to_string())
                .unwrap_or_else(|_| v6.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64() {
        assert_eq!(limit_key(ip("203.0.113.7")), "203.0.113.7");
        assert_eq!(
            limit_key(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            limit_key(ip("2001:db8:1:2::1")),
            limit_key(ip("2001:db8:1:2:ffff::9"))
        );
        assert_ne!(
            limit_key(ip("2001:db8:1:2::1")),
            limit_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(limit_key(ip("::ffff:198.51.100.4")), "198.51.100.4");
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_peers() {
        let loopback: Vec<IpNet> = vec!["127.0.0.0/8".parse().unwrap()];
        // Straight from the internet: the header is the client's own words.
        assert_eq!(
            resolve(ip("203.0.113.7"), "1.2.3.4", &loopback),
            ip("203.0.113.7")
        );
        // Through our proxy: the proxy appended the real address last.
        assert_eq!(
            resolve(ip("127.0.0.1"), "1.2.3.4, 203.0.113.7", &loopback),
            ip("203.0.113.7")
        );
        assert_eq!(resolve(ip("127.0.0.1"), "", &loopback), ip("127.0.0.1"));
        assert_eq!(
            resolve(ip("127.0.0.1"), "garbage", &loopback),
            ip("127.0.0.1")
        );
        let two: Vec<IpNet> = vec![
            "127.0.0.0/8".parse().unwrap(),
            "10.0.0.0/8".parse().unwrap(),
        ];
        assert_eq!(
            resolve(ip("127.0.0.1"), "198.51.100.2, 10.1.1.1", &two),
            ip("198.51.100.2")
        );
    }
}

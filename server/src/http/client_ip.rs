//! Who the client is behind proxies we trust (`TRUSTED_PROXIES`): the `Forwarded` (RFC 7239)
//! or `X-Forwarded-For` chain is read from the right, past the trusted hops, and only when the
//! peer itself is trusted. Anyone else could write those headers, so they are ignored.

use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::IpAddr;

/// The client's address: `peer` unless `peer` is a trusted proxy, then the first untrusted hop
/// from the right of the forwarding chain (or the leftmost, when every hop is trusted).
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(&canonical(*ip)));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    for hop in forwarded_chain(headers).iter().rev() {
        // A hop we can't read (`unknown`, an obfuscated name) ends what we can know.
        let Some(ip) = parse_hop(hop) else { break };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    canonical(client)
}

/// The hops of `Forwarded` (its `for=` values), or else of `X-Forwarded-For`, in order.
fn forwarded_chain(headers: &HeaderMap) -> Vec<String> {
    let values = |name: &str| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|s| s.trim().to_string())
            .collect::<Vec<_>>()
    };
    let forwarded: Vec<String> = values("forwarded")
        .iter()
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (key, value) = pair.trim().split_once('=')?;
                key.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| value.trim().trim_matches('"').to_string())
            })
        })
        .collect();
    if forwarded.is_empty() {
        values("x-forwarded-for")
    } else {
        forwarded
    }
}

/// An address as written in a hop: `1.2.3.4`, `1.2.3.4:80`, `[2001:db8::1]:80`, `2001:db8::1`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    hop.rsplit_once(':')?.0.parse().ok()
}

/// An IPv4 address mapped into IPv6 is that IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// `TRUSTED_PROXIES`: comma-separated addresses or CIDR ranges.
pub fn parse_trusted(list: &str) -> Result<Vec<IpNet>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{item:?} is not an address or a CIDR range like 10.0.0.0/8"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn only_trusted_peers_are_believed() {
        let trusted = parse_trusted("10.0.0.0/8, 192.168.1.1").unwrap();
        let spoofed = headers(&[("x-forwarded-for", "1.2.3.4")]);
        assert_eq!(
            client_ip(ip("203.0.113.9"), &spoofed, &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(client_ip(ip("10.1.2.3"), &spoofed, &trusted), ip("1.2.3.4"));
        assert_eq!(client_ip(ip("10.1.2.3"), &spoofed, &[]), ip("10.1.2.3"));
    }

    #[test]
    fn the_chain_is_read_from_the_right_past_trusted_hops() {
        let trusted = parse_trusted("10.0.0.0/8").unwrap();
        // The client wrote "6.6.6.6" itself; the proxy appended what it saw.
        let chain = headers(&[
            ("x-forwarded-for", "6.6.6.6, 198.51.100.7"),
            ("x-forwarded-for", "10.0.0.2"),
        ]);
        assert_eq!(client_ip(ip("10.0.0.1"), &chain, &trusted), ip("198.51.100.7"));
        let rfc = headers(&[(
            "forwarded",
            r#"for=6.6.6.6, for="[2001:db8::7]:4711";proto=https, for=10.0.0.2"#,
        )]);
        assert_eq!(client_ip(ip("10.0.0.1"), &rfc, &trusted), ip("2001:db8::7"));
        let unknown = headers(&[("forwarded", "for=unknown, for=10.0.0.2")]);
        assert_eq!(client_ip(ip("10.0.0.1"), &unknown, &trusted), ip("10.0.0.2"));
        assert_eq!(
            client_ip(ip("10.0.0.1"), &HeaderMap::new(), &trusted),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn bad_lists_are_refused() {
        assert!(parse_trusted("10.0.0.0/8,nonsense").is_err());
        assert_eq!(parse_trusted(" ").unwrap(), vec![]);
        assert_eq!(parse_trusted("::1").unwrap().len(), 1);
    }
}

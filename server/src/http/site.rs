//! The site's files served from inside the binary (built with `embed-site`): the WASM, JS and
//! CSS under `/pkg` with one build id in their names, so a deployment's pages and files always
//! match and may be cached for a year, and the files of `public/`; each answered with its
//! precompressed `.br` or `.gz` variant when the browser takes it.
//!
//! The lookup is a trait so the answering rules are tested without a built site; the embedded
//! files themselves are `embedded::Embedded`.

#[cfg(feature = "embed-site")]
pub mod embedded;

use axum::body::Body;
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::borrow::Cow;

/// One file of the site.
pub struct File {
    pub data: Cow<'static, [u8]>,
    pub mime: String,
    /// A strong validator of the content (a digest).
    pub tag: String,
}

/// Where the site's files come from.
pub trait Files: Send + Sync + 'static {
    fn get(&self, path: &str) -> Option<File>;
    /// Every file's path, relative to the site root (`pkg/marketplace.x1y2.js`).
    fn paths(&self) -> Vec<String>;
}

/// The three files a page loads, as built and as pages name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// What pages call the bundle (`marketplace.<build id>`): Leptos's output name.
    pub output_name: String,
    js: String,
    wasm: String,
    css: String,
}

impl Bundle {
    /// Finds the bundle named `name` among `files` (`pkg/<name>.<hash>.js` or `pkg/<name>.js`,
    /// and the same for the WASM and CSS); `hashes` is cargo-leptos's hash file, which chooses
    /// when an older build's files lie beside the newest.
    pub fn find(files: &dyn Files, name: &str, hashes: Option<&str>) -> anyhow::Result<Self> {
        let paths = files.paths();
        let pick = |kind: &str, unhashed: String| -> anyhow::Result<String> {
            if let Some(hash) = hashes.and_then(|text| hash_of(text, kind)) {
                let wanted = format!("pkg/{name}.{hash}.{kind}");
                anyhow::ensure!(paths.contains(&wanted), "the site has no {wanted}");
                return Ok(wanted);
            }
            let found: Vec<&String> = paths
                .iter()
                .filter(|p| {
                    **p == unhashed
                        || p.strip_prefix(&format!("pkg/{name}."))
                            .and_then(|rest| rest.strip_suffix(&format!(".{kind}")))
                            .is_some_and(|hash| !hash.is_empty() && !hash.contains('.'))
                })
                .collect();
            match found.as_slice() {
                [one] => Ok((*one).clone()),
                [] => {
                    anyhow::bail!("the site has no {kind} file for {name}: build it with cargo leptos first")
                }
                _ => anyhow::bail!("the site has several {kind} files for {name} and no hash file to choose"),
            }
        };
        let js = pick("js", format!("pkg/{name}.js"))?;
        let wasm = pick("wasm", format!("pkg/{name}_bg.wasm"))?;
        let css = pick("css", format!("pkg/{name}.css"))?;
        let id = {
            let tags: Vec<String> = [&js, &wasm, &css]
                .iter()
                .map(|p| files.get(p).map(|f| f.tag).unwrap_or_default())
                .collect();
            let mut digest: u64 = 0xcbf2_9ce4_8422_2325;
            for byte in tags.concat().bytes() {
                digest = (digest ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
            format!("{digest:016x}")
        };
        Ok(Self {
            output_name: format!("{name}.{id}"),
            js,
            wasm,
            css,
        })
    }

    /// The built file a page's `/pkg/<file>` means, if any.
    pub fn resolve(&self, file: &str) -> Option<&str> {
        let rest = file.strip_prefix(&self.output_name)?;
        match rest {
            ".js" => Some(&self.js),
            // Leptos names it `<output>.wasm` when the output name was set at compile time
            // (as the Makefile does), `<output>_bg.wasm` otherwise.
            ".wasm" | "_bg.wasm" => Some(&self.wasm),
            ".css" => Some(&self.css),
            _ => None,
        }
    }
}

/// The hash of `kind` (`js`, `wasm`, `css`) in cargo-leptos's hash file (`js: abc...` lines).
fn hash_of<'a>(hashes: &'a str, kind: &str) -> Option<&'a str> {
    hashes.lines().find_map(|line| {
        let (k, hash) = line.split_once(':')?;
        (k.trim() == kind).then(|| hash.trim())
    })
}

/// Whether the request's `Accept-Encoding` takes `encoding` (not refused with `q=0`).
fn accepts(headers: &HeaderMap, encoding: &str) -> bool {
    headers
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            parts
                .next()
                .is_some_and(|name| name.eq_ignore_ascii_case(encoding))
                && !parts
                    .any(|p| p.strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()) == Some(0.0))
        })
}

/// `Cache-Control` of the bundle's files: their names change with their content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The answer for `path` (relative to the site root), or `None` when there is no such file.
/// `cache` is the `Cache-Control` to send, if any (otherwise the default policy applies).
pub fn answer(
    files: &dyn Files,
    path: &str,
    headers: &HeaderMap,
    cache: Option<&'static str>,
) -> Option<Response> {
    let file = files.get(path)?;
    // A compressed variant is sent with the original's content type.
    let compressed = [("br", ".br"), ("gzip", ".gz")]
        .into_iter()
        .filter(|(encoding, _)| accepts(headers, encoding))
        .find_map(|(encoding, suffix)| files.get(&format!("{path}{suffix}")).map(|f| (f.data, encoding)));
    let tag = match compressed {
        Some((_, encoding)) => format!("\"{}-{encoding}\"", file.tag),
        None => format!("\"{}\"", file.tag),
    };
    let mut response = Response::builder()
        .header(CONTENT_TYPE, &file.mime)
        .header(ETAG, &tag)
        .header(VARY, "accept-encoding");
    if let Some(cache) = cache {
        response = response.header(CACHE_CONTROL, cache);
    }
    let data = match compressed {
        Some((data, encoding)) => {
            response = response.header(CONTENT_ENCODING, encoding);
            data
        }
        None => file.data,
    };
    let unchanged = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    let built = if unchanged {
        response.status(StatusCode::NOT_MODIFIED).body(Body::empty())
    } else {
        response.body(Body::from(data))
    };
    built.ok()
}

#[cfg(test)]
mod tests;

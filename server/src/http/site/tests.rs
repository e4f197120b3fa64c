//! The answering rules of the site's files, over files held in memory.

use super::*;
use axum::http::HeaderValue;
use std::collections::BTreeMap;

struct Memory(BTreeMap<&'static str, &'static str>);

impl Files for Memory {
    fn get(&self, path: &str) -> Option<File> {
        let text = self.0.get(path)?;
        let mime = match path.rsplit('.').next() {
            Some("js") => "text/javascript",
            Some("css") => "text/css",
            Some("wasm") => "application/wasm",
            _ => "application/octet-stream",
        };
        Some(File {
            data: Cow::Borrowed(text.as_bytes()),
            mime: mime.into(),
            tag: format!("t{}", text.len()),
        })
    }

    fn paths(&self) -> Vec<String> {
        self.0.keys().map(|k| k.to_string()).collect()
    }
}

fn site() -> Memory {
    Memory(BTreeMap::from([
        ("pkg/marketplace.aaa.js", "js new"),
        ("pkg/marketplace.aaa.js.br", "br!"),
        ("pkg/marketplace.aaa.js.gz", "gz!"),
        ("pkg/marketplace.bbb.wasm", "wasm"),
        ("pkg/marketplace.ccc.css", "css"),
        ("pkg/marketplace.d.ts", "types"),
        ("manifest.webmanifest", "{}"),
    ]))
}

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(*name, HeaderValue::from_static(value));
    }
    map
}

async fn body(response: Response) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn pages_name_the_bundle_by_one_build_id_that_changes_with_any_file() {
    let bundle = Bundle::find(&site(), "marketplace", None).unwrap();
    let id = bundle.output_name.strip_prefix("marketplace.").unwrap();
    assert_eq!(id.len(), 16);
    let name = &bundle.output_name;
    assert_eq!(
        bundle.resolve(&format!("{name}.js")),
        Some("pkg/marketplace.aaa.js")
    );
    assert_eq!(
        bundle.resolve(&format!("{name}_bg.wasm")),
        Some("pkg/marketplace.bbb.wasm")
    );
    assert_eq!(
        bundle.resolve(&format!("{name}.wasm")),
        Some("pkg/marketplace.bbb.wasm")
    );
    assert_eq!(
        bundle.resolve(&format!("{name}.css")),
        Some("pkg/marketplace.ccc.css")
    );
    assert_eq!(
        bundle.resolve("marketplace.aaa.js"),
        None,
        "only the names pages use"
    );
    assert_eq!(bundle.resolve(&format!("{name}.js.map")), None);

    let mut changed = site();
    changed.0.insert("pkg/marketplace.ccc.css", "css, changed");
    let other = Bundle::find(&changed, "marketplace", None).unwrap();
    assert_ne!(other.output_name, bundle.output_name);
}

#[test]
fn the_hash_file_chooses_among_builds_and_without_it_two_builds_are_refused() {
    let mut two = site();
    two.0.insert("pkg/marketplace.zzz.js", "js old");
    let refused = Bundle::find(&two, "marketplace", None).unwrap_err().to_string();
    assert!(refused.contains("several js"), "{refused}");
    let chosen = Bundle::find(&two, "marketplace", Some("js: zzz\nwasm: bbb\ncss: ccc\n")).unwrap();
    assert_eq!(
        chosen.resolve(&format!("{}.js", chosen.output_name)),
        Some("pkg/marketplace.zzz.js")
    );
    let missing = Bundle::find(&site(), "marketplace", Some("js: nope\nwasm: bbb\ncss: ccc")).unwrap_err();
    assert!(
        missing.to_string().contains("pkg/marketplace.nope.js"),
        "{missing}"
    );
    let empty = Memory(BTreeMap::new());
    assert!(
        Bundle::find(&empty, "marketplace", None)
            .unwrap_err()
            .to_string()
            .contains("cargo leptos")
    );
}

#[tokio::test]
async fn a_file_comes_compressed_when_the_browser_takes_it_with_its_own_type() {
    let files = site();
    let path = "pkg/marketplace.aaa.js";
    let br = answer(
        &files,
        path,
        &headers(&[("accept-encoding", "gzip, deflate, br")]),
        Some(IMMUTABLE),
    )
    .unwrap();
    assert_eq!(br.headers()[CONTENT_ENCODING], "br");
    assert_eq!(br.headers()[CONTENT_TYPE], "text/javascript");
    assert_eq!(br.headers()[CACHE_CONTROL], IMMUTABLE);
    assert_eq!(br.headers()[VARY], "accept-encoding");
    assert_eq!(body(br).await, "br!");

    let gz = answer(
        &files,
        path,
        &headers(&[("accept-encoding", "gzip;q=1, br;q=0")]),
        None,
    )
    .unwrap();
    assert_eq!(gz.headers()[CONTENT_ENCODING], "gzip");
    assert!(
        gz.headers().get(CACHE_CONTROL).is_none(),
        "the default policy decides"
    );
    assert_eq!(body(gz).await, "gz!");

    let plain = answer(&files, path, &HeaderMap::new(), None).unwrap();
    assert!(plain.headers().get(CONTENT_ENCODING).is_none());
    assert_eq!(body(plain).await, "js new");

    let css = answer(
        &files,
        "pkg/marketplace.ccc.css",
        &headers(&[("accept-encoding", "br")]),
        None,
    )
    .unwrap();
    assert!(
        css.headers().get(CONTENT_ENCODING).is_none(),
        "no variant: sent as it is"
    );
    assert!(answer(&files, "pkg/none.js", &HeaderMap::new(), None).is_none());
}

#[tokio::test]
async fn a_browser_holding_the_same_file_is_told_it_has_not_changed() {
    let files = site();
    let path = "manifest.webmanifest";
    let first = answer(&files, path, &HeaderMap::new(), None).unwrap();
    let tag = first.headers()[ETAG].clone();
    let mut again = HeaderMap::new();
    again.insert(IF_NONE_MATCH, tag.clone());
    let second = answer(&files, path, &again, None).unwrap();
    assert_eq!(second.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(body(second).await, "");
    // The compressed variant is another representation, with its own tag.
    let br = answer(
        &files,
        "pkg/marketplace.aaa.js",
        &headers(&[("accept-encoding", "br")]),
        None,
    )
    .unwrap();
    let plain = answer(&files, "pkg/marketplace.aaa.js", &HeaderMap::new(), None).unwrap();
    assert_ne!(br.headers()[ETAG], plain.headers()[ETAG]);
}

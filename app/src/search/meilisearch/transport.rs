//! How the engine talks to Meilisearch: reqwest, each request's JSON sent as one body of known
//! length.
//!
//! Hand-written rather than the SDK's own client (`meilisearch_sdk::reqwest`), which streams
//! every body through a buffer of 8 MiB that it allocates and zeroes per request (its comment
//! says 8 KiB): on a search page that zeroing was the largest single cost in the server's
//! profile. The SDK's request and error types are kept, so its builders work unchanged.

use async_trait::async_trait;
use futures_util::AsyncReadExt;
use meilisearch_sdk::errors::Error;
use meilisearch_sdk::request::{HttpClient, Method, parse_response};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The engine's Meilisearch client.
pub type Client = meilisearch_sdk::client::Client<Http>;

/// A client for `url`, authorised by `api_key` when there is one.
pub fn client(url: &str, api_key: Option<&str>) -> Result<Client, Error> {
    Ok(Client::new_with_client(url, api_key, Http::new(api_key)?))
}

#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
}

impl Http {
    fn new(api_key: Option<&str>) -> Result<Self, Error> {
        let mut headers = HeaderMap::new();
        headers.insert(USER_AGENT, HeaderValue::from_static("marketplace"));
        if let Some(key) = api_key {
            let mut value =
                HeaderValue::from_str(&format!("Bearer {key}")).map_err(|e| Error::Other(Box::new(e)))?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        Ok(Self {
            client: reqwest::Client::builder().default_headers(headers).build()?,
        })
    }

    async fn send<Output: DeserializeOwned>(
        &self,
        url: &str,
        (verb, query, body): (reqwest::Method, String, Option<Vec<u8>>),
        content_type: &str,
        expected_status_code: u16,
    ) -> Result<Output, Error> {
        let url = format!("{url}{query}");
        let mut request = self.client.request(verb, &url);
        if let Some(body) = body {
            request = request.header(CONTENT_TYPE, content_type).body(body);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let body = response.text().await?;
        let body = if body.is_empty() { "null" } else { &body };
        parse_response(status, expected_status_code, body, url)
    }
}

/// A request's verb, its query string and its body.
fn parts<Query: Serialize, Body>(
    method: Method<Query, Body>,
) -> Result<(reqwest::Method, String, Option<Body>), Error> {
    let query = yaup::to_string(method.query())?;
    Ok(match method {
        Method::Get { .. } => (reqwest::Method::GET, query, None),
        Method::Delete { .. } => (reqwest::Method::DELETE, query, None),
        Method::Post { body, .. } => (reqwest::Method::POST, query, Some(body)),
        Method::Put { body, .. } => (reqwest::Method::PUT, query, Some(body)),
        Method::Patch { body, .. } => (reqwest::Method::PATCH, query, Some(body)),
    })
}

#[async_trait]
impl HttpClient for Http {
    async fn request<Query, Body, Output>(
        &self,
        url: &str,
        method: Method<Query, Body>,
        expected_status_code: u16,
    ) -> Result<Output, Error>
    where
        Query: Serialize + Send + Sync,
        Body: Serialize + Send + Sync,
        Output: DeserializeOwned + 'static + Send,
    {
        let (verb, query, body) = parts(method)?;
        let body = body.map(|body| serde_json::to_vec(&body)).transpose()?;
        self.send(url, (verb, query, body), "application/json", expected_status_code)
            .await
    }

    async fn stream_request<
        Query: Serialize + Send + Sync,
        Body: futures_util::AsyncRead + Send + Sync + 'static,
        Output: DeserializeOwned + 'static,
    >(
        &self,
        url: &str,
        method: Method<Query, Body>,
        content_type: &str,
        expected_status_code: u16,
    ) -> Result<Output, Error> {
        let (verb, query, body) = parts(method)?;
        let body = match body {
            Some(body) => {
                let mut bytes = Vec::new();
                std::pin::pin!(body)
                    .read_to_end(&mut bytes)
                    .await
                    .map_err(|e| Error::Other(Box::new(e)))?;
                Some(bytes)
            }
            None => None,
        };
        self.send(url, (verb, query, body), content_type, expected_status_code)
            .await
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// A search reaches Meilisearch as one body of known length with the key, and its answer
    /// is read. The SDK's own client sent it chunked, through its 8 MiB buffer.
    #[tokio::test]
    async fn a_search_is_sent_as_one_body_of_known_length() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = Vec::new();
            let mut buffer = [0; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = socket.read(&mut buffer).await.unwrap();
                assert!(n > 0, "the request ended before its head");
                request.extend_from_slice(&buffer[..n]);
            }
            let answer = r#"{"hits":[],"query":"lamp","processingTimeMs":0,"limit":20,"offset":0,"estimatedTotalHits":0}"#;
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{answer}",
                answer.len()
            );
            socket.write_all(response.as_bytes()).await.unwrap();
            String::from_utf8(request).unwrap().to_ascii_lowercase()
        });

        let client = super::client(&url, Some("secret-key")).unwrap();
        let found = client
            .index("products")
            .search()
            .with_query("lamp")
            .execute::<serde_json::Value>()
            .await
            .unwrap();
        assert_eq!(found.estimated_total_hits, Some(0));

        let request = server.await.unwrap();
        assert!(request.starts_with("post /indexes/products/search "), "{request}");
        assert!(request.contains("\r\ncontent-length: "), "{request}");
        assert!(!request.contains("transfer-encoding"), "{request}");
        assert!(
            request.contains("\r\nauthorization: bearer secret-key\r\n"),
            "{request}"
        );
        assert!(
            request.contains("\r\ncontent-type: application/json\r\n"),
            "{request}"
        );
    }
}

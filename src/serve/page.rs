//! The web page `serve` gives a browser (no install): plain HTML, CSS and
//! JavaScript built into the executable. The page holds no data and needs
//! no token; it reads the token from the address's fragment (which a
//! browser never sends) and asks the API like any client.

use super::api::Answer;

const INDEX: &str = include_str!("web/index.html");
const STYLE: &str = include_str!("web/logweave.css");
const SCRIPT: &str = include_str!("web/logweave.js");

/// The answer for one of the page's files at `path`, or `None`.
pub fn answer(path: &str) -> Option<Answer> {
    let (content_type, body) = match path {
        "/" | "/index.html" => ("text/html; charset=utf-8", INDEX),
        "/logweave.css" => ("text/css; charset=utf-8", STYLE),
        "/logweave.js" => ("text/javascript; charset=utf-8", SCRIPT),
        _ => return None,
    };
    Some(Answer {
        status: 200,
        content_type,
        headers: vec![
            (
                "Content-Security-Policy",
                "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
                    .to_owned(),
            ),
            ("Referrer-Policy", "no-referrer".to_owned()),
            ("X-Frame-Options", "DENY".to_owned()),
        ],
        body: body.as_bytes().to_vec(),
    })
}

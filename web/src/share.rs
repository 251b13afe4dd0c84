//! Share links and downloads: the whole scenario text, deflated and
//! base64url-encoded, in the page's URL fragment (`#s=...&t=...`), so a
//! link reproduces the view with no server; the YAML and the timeline CSV
//! as files.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use wasm_bindgen::JsCast;

use crate::frame::Frame;

/// Base64url as links write it: no padding; reading is lenient (padding,
/// non-zero trailing bits).
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Base64url without padding.
pub fn base64url(bytes: &[u8]) -> String {
    URL_SAFE.encode(bytes)
}

/// Reads base64url (padding and the standard alphabet's `+/` accepted).
pub fn from_base64url(text: &str) -> Option<Vec<u8>> {
    let text: String = text
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    URL_SAFE.decode(text).ok()
}

/// The scenario text as a URL-safe token.
pub fn encode(text: &str) -> String {
    base64url(&miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9))
}

/// The scenario text from a token (at most 4 MB once inflated).
pub fn decode(token: &str) -> Option<String> {
    let bytes = from_base64url(token)?;
    let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, 4 << 20).ok()?;
    String::from_utf8(raw).ok()
}

/// What a link carries.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Link {
    /// The scenario text.
    pub text: Option<String>,
    /// The cursor, seconds.
    pub cursor: Option<f64>,
    /// The preset it was loaded from, by file name, when unchanged.
    pub preset: Option<String>,
    /// Whether it carried a scenario that could not be read.
    pub unreadable: bool,
}

/// Reads a fragment (`#s=...&t=...` or `#p=inference-ramp-spike`).
pub fn parse_fragment(fragment: &str) -> Link {
    let mut link = Link::default();
    for part in fragment.trim_start_matches('#').split('&') {
        if let Some(v) = part.strip_prefix("s=") {
            link.text = decode(v);
            link.unreadable = link.text.is_none();
        } else if let Some(v) = part.strip_prefix("t=") {
            link.cursor = v.parse().ok().filter(|t: &f64| t.is_finite());
        } else if let Some(v) = part.strip_prefix("p=") {
            link.preset = Some(v.to_owned());
        }
    }
    link
}

/// The fragment for a text and cursor.
pub fn fragment(text: &str, cursor: f64) -> String {
    format!("#s={}&t={}", encode(text), cursor.round() as i64)
}

/// The page's current fragment.
pub fn current_fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Replaces the URL's fragment without adding a history entry.
pub fn replace_fragment(fragment: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if window.location().hash().ok().as_deref() == Some(fragment) {
        return;
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(fragment));
    }
}

/// The page's full URL.
pub fn href() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// Offers `content` as a file download.
pub fn download(name: &str, mime: &str, content: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&content.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "cannot make the file")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "no object URL")?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "no link")?
        .dyn_into()
        .map_err(|_| "no link")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The timeline of every variant as CSV: a `variant` column, then the union
/// of the variants' columns in order (empty where a variant lacks one).
pub fn timeline_csv(frame: &Frame) -> String {
    let mut names: Vec<&str> = Vec::new();
    for v in &frame.variants {
        for n in &v.names {
            if !names.contains(&n.as_str()) {
                names.push(n);
            }
        }
    }
    let mut out = String::from("variant");
    for n in &names {
        out.push(',');
        out.push_str(&csv_field(n));
    }
    out.push('\n');
    for v in &frame.variants {
        let cols: Vec<Option<&[f64]>> = names.iter().map(|n| v.column(n)).collect();
        let name = csv_field(&v.name);
        for row in 0..v.rows {
            out.push_str(&name);
            for c in &cols {
                out.push(',');
                if let Some(x) = c.and_then(|c| c.get(row)).filter(|x| x.is_finite()) {
                    let r = (x * 1000.0).round() / 1000.0;
                    out.push_str(&crate::yaml_write::number(r));
                }
            }
            out.push('\n');
        }
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(from_base64url(&base64url(&bytes)).unwrap(), bytes);
        }
        assert_eq!(base64url(b"hi?"), "aGk_");
        assert_eq!(from_base64url("aGk/").unwrap(), b"hi?");
        assert_eq!(from_base64url("YWI=").unwrap(), b"ab");
        assert_eq!(from_base64url("YWJ"), Some(b"ab".to_vec()));
        assert_eq!(from_base64url("a*"), None);
    }

    #[test]
    fn links_round_trip() {
        let text = "manifests: |\n  kind: X\nload: [{constant: 20}]\n";
        let link = parse_fragment(&fragment(text, 4095.4));
        assert_eq!(link.text.as_deref(), Some(text));
        assert_eq!(link.cursor, Some(4095.0));
    }
}

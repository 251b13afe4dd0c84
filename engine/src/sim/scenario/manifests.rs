//! Loading a variant's manifests (inline, text or files) and locating their problems in the scenario.

use alloc::format;
use alloc::string::ToString;

use serde_json::Value;

use crate::error::{Error, ErrorKind, Path, Segment as PathSegment};
use crate::manifest::{self, Manifests};
use crate::sim::infer::Assumption;
use crate::spec::validation;

use super::{Ctx, err, join};

pub(super) fn looks_like_path(s: &str) -> bool {
    let t = s.trim();
    !t.contains('\n')
        && !t.contains(": ")
        && (t.ends_with(".yaml") || t.ends_with(".yml") || t.ends_with(".json"))
}

pub(super) fn read_manifests(
    v: &Value,
    at: &Path,
    opts: validation::Options,
    ctx: &Ctx<'_>,
) -> Result<Manifests, Error> {
    match v {
        Value::String(s) => manifest_text(s, at, opts, ctx),
        Value::Object(_) => {
            // One object: its paths are `manifests.spec...`, not `manifests[0]...`.
            let place = |e: Error| strip_first_index(e).under(at);
            let mut m = manifest::from_values(core::slice::from_ref(v), opts)
                .map(|m| place_notices(m, &place))
                .map_err(place)?;
            for o in &mut m.objects {
                set_document(o, SINGLE);
            }
            Ok(m)
        }
        Value::Array(items) => {
            if items.iter().all(Value::is_object) {
                let place = |e: Error| e.under(at);
                return manifest::from_values(items, opts)
                    .map(|m| place_notices(m, &place))
                    .map_err(place);
            }
            let mut all = Manifests::default();
            let mut error = None;
            for (i, item) in items.iter().enumerate() {
                let item_at = at.index(i);
                let read = match item {
                    Value::String(s) => manifest_text(s, &item_at, opts, ctx),
                    Value::Object(_) => {
                        let place = |e: Error| strip_first_index(e).under(&item_at);
                        manifest::from_values(core::slice::from_ref(item), opts)
                            .map(|m| place_notices(m, &place))
                            .map_err(place)
                    }
                    _ => Err(err(
                        ErrorKind::Schema,
                        item_at,
                        "a manifests entry is a path, YAML text or an object",
                    )),
                };
                match read {
                    Ok(m) => {
                        all.notices.0.extend(m.notices.0);
                        // Keep each object's path: remember the list index in `document`.
                        for mut o in m.objects {
                            let d = o.document();
                            set_document(&mut o, list_document(i, d));
                            all.objects.push(o);
                        }
                    }
                    Err(e) => error = Some(join(error, e)),
                }
            }
            match error {
                Some(e) => Err(e),
                None => Ok(all),
            }
        }
        _ => Err(err(
            ErrorKind::Schema,
            at.clone(),
            "`manifests` is multi-document YAML text (or, with the CLI, a path or a list of paths)",
        )),
    }
}

/// Objects from a list of files keep `document = (list index + 1) × 1e6 + doc`.
pub(super) const LIST_STRIDE: usize = 1_000_000;
/// The one object of a `manifests:` that is a single mapping.
pub(super) const SINGLE: usize = usize::MAX - 1;

pub(super) fn list_document(list_index: usize, doc: usize) -> usize {
    (list_index + 1) * LIST_STRIDE + doc
}

pub(super) fn set_document(o: &mut manifest::Object, d: usize) {
    match o {
        manifest::Object::Workload(w) => w.document = d,
        manifest::Object::Hpa(h) => h.document = d,
        manifest::Object::ScaledObject(s) => s.document = d,
        manifest::Object::Ignored(x) => x.document = d,
    }
}

/// The path of an object's document below `manifests`.
pub(crate) fn object_path(m_at: &Path, document: usize) -> Path {
    if document >= SINGLE {
        m_at.clone()
    } else if document >= LIST_STRIDE {
        let d = document - LIST_STRIDE;
        m_at.index(d / LIST_STRIDE).index(d % LIST_STRIDE)
    } else {
        m_at.index(document)
    }
}

pub(super) fn strip_first_index(mut e: Error) -> Error {
    for p in &mut e.problems {
        if matches!(p.at.0.first(), Some(PathSegment::Index(_))) {
            p.at.0.remove(0);
            p.path = p.at.to_string();
        }
    }
    e
}

pub(super) fn manifest_text(
    s: &str,
    at: &Path,
    opts: validation::Options,
    ctx: &Ctx<'_>,
) -> Result<Manifests, Error> {
    if looks_like_path(s) {
        let Some(loader) = ctx.loader else {
            return Err(err(
                ErrorKind::Unsupported,
                at.clone(),
                format!(
                    "{s:?} looks like a file path; only the command line reads manifest files: give the manifests' text here"
                ),
            ));
        };
        let text = loader(s.trim()).map_err(|e| {
            err(
                ErrorKind::Invalid,
                at.clone(),
                format!("cannot read {s:?}: {e}"),
            )
        })?;
        let place = |e: Error| {
            // Lines refer to the file: say so in the message, keep the scenario's line.
            let mut e = e.under(at);
            for p in &mut e.problems {
                if let (Some(l), Some(c)) = (p.line.take(), p.column.take()) {
                    p.message = format!("{}:{l}:{c}: {}", s.trim(), p.message);
                }
            }
            e
        };
        return parse_manifest_text(&text, opts)
            .map(|m| place_notices(m, &place))
            .map_err(place);
    }
    let place = |e: Error| shift_embedded(e.under(at), at, s, ctx);
    parse_manifest_text(s, opts)
        .map(|m| place_notices(m, &place))
        .map_err(place)
}

/// Places the manifests' notices in the scenario exactly as their errors
/// would be placed (`place`: paths under `manifests`, lines shifted into
/// the scenario or named in the file).
pub(super) fn place_notices(mut m: Manifests, place: &impl Fn(Error) -> Error) -> Manifests {
    m.notices = m.notices.placed(place);
    m
}

#[cfg(feature = "yaml")]
pub(super) fn parse_manifest_text(
    text: &str,
    opts: validation::Options,
) -> Result<Manifests, Error> {
    manifest::parse(text, opts)
}

#[cfg(not(feature = "yaml"))]
pub(super) fn parse_manifest_text(
    _text: &str,
    _opts: validation::Options,
) -> Result<Manifests, Error> {
    Err(err(
        ErrorKind::Unsupported,
        Path::root(),
        "reading manifests from YAML text needs replicast-engine's `yaml` feature; give them as objects",
    ))
}

/// Gives problems found after reading (binding) inside inline manifests
/// text the line and column of their place in that text.
pub(super) fn locate_in_manifests(
    mut e: Error,
    v: Option<&Value>,
    m_at: &Path,
    ctx: &Ctx<'_>,
) -> Error {
    in_manifests(v, m_at, ctx, |locate| {
        for p in &mut e.problems {
            if p.line.is_none() {
                if let Some((l, c)) = locate(&p.at) {
                    p.line = Some(l);
                    p.column = Some(c);
                }
            }
        }
    });
    e
}

/// Gives assumptions inside inline manifests text their line and column.
pub(super) fn locate_assumptions(
    list: &mut [Assumption],
    v: Option<&Value>,
    m_at: &Path,
    ctx: &Ctx<'_>,
) {
    in_manifests(v, m_at, ctx, |locate| {
        for a in list.iter_mut() {
            if let Some((l, c)) = locate(&a.at) {
                a.line = Some(l);
                a.column = Some(c);
            }
        }
    });
}

/// Calls `with` with a locator of paths inside inline manifests text (the
/// scenario's line and column of a path below `m_at`), when there is one.
pub(super) fn in_manifests(
    v: Option<&Value>,
    m_at: &Path,
    ctx: &Ctx<'_>,
    with: impl FnOnce(&dyn Fn(&Path) -> Option<(u32, u32)>),
) {
    #[cfg(feature = "yaml")]
    {
        let Some(Value::String(text)) = v else {
            return;
        };
        if looks_like_path(text) {
            return;
        }
        let Ok(docs) = crate::yaml::parse_documents(text, &crate::yaml::Limits::default()) else {
            return;
        };
        let Some((first, col)) = ctx.origin.and_then(|o| o(m_at, text)) else {
            return;
        };
        with(&|at: &Path| {
            if !at.0.starts_with(&m_at.0) {
                return None;
            }
            let rest = Path(at.0[m_at.0.len()..].to_vec());
            manifest::locate(&docs, &rest).map(|(l, c)| (first + l - 1, c + col))
        });
    }
    #[cfg(not(feature = "yaml"))]
    {
        let _ = (v, m_at, ctx, with);
    }
}

/// Moves line numbers of text embedded at `at` into the scenario's lines.
pub(crate) fn shift_embedded(mut e: Error, at: &Path, text: &str, ctx: &Ctx<'_>) -> Error {
    let origin = ctx.origin.and_then(|o| o(at, text));
    for p in &mut e.problems {
        let Some(l) = p.line else { continue };
        match origin {
            Some((first, col)) => {
                p.line = Some(first + l - 1);
                p.column = p.column.map(|c| c + col);
            }
            None => {
                p.message = format!("{} (line {l} of the text)", p.message);
                p.line = None;
                p.column = None;
            }
        }
    }
    e
}

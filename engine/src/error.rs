//! Errors for input that cannot be evaluated at all.
//!
//! Runtime conditions (a failing metric, a limited scale-up) are not errors:
//! they are data in the decision. An [`Error`] means the input itself is
//! wrong, and each of its problems names the exact place: a [`Path`] such as
//! `hpa.spec.metrics[1].resource.target`, and, when the input came from
//! text, the line and column there.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde::Serialize;

/// One step into a document: a mapping key or a sequence index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// A location in a document, written as Kubernetes writes field paths
/// (`spec.metrics[1].resource.target`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Path(pub Vec<Segment>);

impl Path {
    /// The document root.
    pub fn root() -> Path {
        Path(Vec::new())
    }

    /// This path followed by a key (`field.Path.Child`).
    pub fn child(&self, key: &str) -> Path {
        let mut p = self.clone();
        p.0.push(Segment::Key(key.to_string()));
        p
    }

    /// This path followed by an index (`field.Path.Index`).
    pub fn index(&self, i: usize) -> Path {
        let mut p = self.clone();
        p.0.push(Segment::Index(i));
        p
    }

    /// `prefix` followed by this path.
    pub fn under(&self, prefix: &Path) -> Path {
        let mut p = prefix.clone();
        p.0.extend(self.0.iter().cloned());
        p
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Segment::Key(k) if i == 0 => f.write_str(k)?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// What kind of problem the input has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum ErrorKind {
    /// Not well-formed YAML or JSON.
    Syntax,
    /// Over a size, depth or alias limit.
    Limit,
    /// A field of the wrong type, or a missing required field.
    Schema,
    /// Well-formed, but invalid as the API server or admission would judge it.
    Invalid,
    /// An API version or kind that is not supported, with what to change.
    Unsupported,
    /// A warning or an assumption, refused because the input was read
    /// with `--strict` ([`crate::notice::Notices::into_strict_error`]).
    Strict,
}

/// One problem, at one place.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    /// Where: `hpa.spec.metrics[1].resource.target`.
    pub path: String,
    /// 1-based line in the input text, when it came from text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column in the input text, when it came from text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// What is wrong, in Kubernetes' words where Kubernetes has words for it.
    pub message: String,
    /// The kind of problem.
    pub kind: ErrorKind,
    #[serde(skip)]
    pub(crate) at: Path,
}

/// Input that cannot be evaluated: every problem found, in document order.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    /// The problems; never empty.
    pub problems: Vec<Problem>,
}

impl Error {
    /// An error with one problem at `path`.
    pub fn new(kind: ErrorKind, path: Path, message: impl Into<String>) -> Error {
        Error {
            problems: alloc::vec![Problem {
                path: path.to_string(),
                line: None,
                column: None,
                message: message.into(),
                kind,
                at: path,
            }],
        }
    }

    /// An error at a text position that has no path (a syntax error).
    pub fn at_position(
        kind: ErrorKind,
        line: u32,
        column: u32,
        message: impl Into<String>,
    ) -> Error {
        let mut e = Error::new(kind, Path::root(), message);
        e.problems[0].line = Some(line);
        e.problems[0].column = Some(column);
        e
    }

    /// The first problem.
    pub fn first(&self) -> &Problem {
        &self.problems[0]
    }

    /// Adds `prefix` in front of every problem's path.
    pub fn under(mut self, prefix: &Path) -> Error {
        for p in &mut self.problems {
            p.at = p.at.under(prefix);
            p.path = p.at.to_string();
        }
        self
    }

    /// Joins the problems of two errors.
    pub fn join(mut self, other: Error) -> Error {
        self.problems.extend(other.problems);
        self
    }

    /// Fills in line and column from a locator over the source text.
    pub fn locate(mut self, locate: impl Fn(&Path) -> Option<(u32, u32)>) -> Error {
        for p in &mut self.problems {
            if p.line.is_none() {
                if let Some((line, column)) = locate(&p.at) {
                    p.line = Some(line);
                    p.column = Some(column);
                }
            }
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            match (p.line, p.column) {
                (Some(l), Some(c)) if p.path.is_empty() => write!(f, "line {l}, column {c}: ")?,
                (Some(l), Some(c)) => write!(f, "{} (line {l}, column {c}): ", p.path)?,
                _ if p.path.is_empty() => {}
                _ => write!(f, "{}: ", p.path)?,
            }
            f.write_str(&p.message)?;
        }
        Ok(())
    }
}

impl core::error::Error for Error {}

//! `scalingModifiers.formula`: a small, bounded evaluator for the part of
//! expr-lang (github.com/expr-lang/expr) that KEDA formulas use.
//!
//! Mirrors how `pkg/scaling/modifiers/formula.go` runs a formula: trigger
//! names are variables holding the triggers' float values (or `nil` for a
//! trigger in fallback under `fallback.behavior: scalingModifiers`); the
//! result must be a number. Supported: numbers, `true`/`false`/`nil`,
//! `+ - * / % **`, comparisons, `!`/`not`, `&&`/`and`, `||`/`or`, `??`,
//! `cond ? a : b`, parentheses, and `abs ceil floor round sqrt min max float
//! int`. Formulas are limited to 1024 characters and 64 levels of nesting;
//! errors name the column, as expr-lang does (`unknown name x (1:5)`).

use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

const MAX_LEN: usize = 1024;
const MAX_DEPTH: usize = 64;

/// A formula value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Val {
    /// A number.
    Num(f64),
    /// A boolean.
    Bool(bool),
    /// `nil`.
    Nil,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Op(&'static str),
}

#[derive(Debug)]
enum Expr {
    Lit(Val),
    Var(String, usize),
    Unary(&'static str, Box<Expr>),
    Binary(&'static str, Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>, usize),
}

const OPS: [&str; 22] = [
    "**", "??", "&&", "||", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "^", "<", ">", "!",
    "?", ":", "(", ")", ",",
];

fn lex(src: &str) -> Result<Vec<(Tok, usize)>, String> {
    if src.len() > MAX_LEN {
        return Err(format!(
            "the formula is {} characters long; the limit is {MAX_LEN}",
            src.len()
        ));
    }
    let b = src.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        let col = i + 1;
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            let start = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.' || b[i] == b'_') {
                i += 1;
            }
            if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
                i += 1;
                if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
                    i += 1;
                }
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let text: String = src[start..i].chars().filter(|c| *c != '_').collect();
            let n = text
                .parse::<f64>()
                .map_err(|_| format!("invalid number {text:?} (1:{col})"))?;
            out.push((Tok::Num(n), col));
        } else if c.is_ascii_alphabetic() || c == b'_' || c == b'$' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$') {
                i += 1;
            }
            out.push((Tok::Ident(src[start..i].to_string()), col));
        } else {
            let op = OPS
                .iter()
                .find(|op| src[i..].starts_with(**op))
                .ok_or_else(|| {
                    format!(
                        "unexpected character {:?} (1:{col})",
                        src[i..].chars().next().unwrap_or('?')
                    )
                })?;
            i += op.len();
            out.push((Tok::Op(op), col));
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    depth: usize,
    len: usize,
}

impl Parser {
    fn peek_op(&self) -> Option<&'static str> {
        match self.toks.get(self.pos) {
            Some((Tok::Op(o), _)) => Some(o),
            Some((Tok::Ident(w), _)) if w == "and" => Some("&&"),
            Some((Tok::Ident(w), _)) if w == "or" => Some("||"),
            _ => None,
        }
    }

    fn col(&self) -> usize {
        self.toks.get(self.pos).map(|t| t.1).unwrap_or(self.len + 1)
    }

    fn expect(&mut self, op: &str) -> Result<(), String> {
        if self.peek_op() == Some(op) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("expected {op:?} (1:{})", self.col()))
        }
    }

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, String>) -> Result<T, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!(
                "the formula nests deeper than {MAX_DEPTH} levels (1:{})",
                self.col()
            ));
        }
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn expr(&mut self) -> Result<Expr, String> {
        self.nested(|p| {
            let cond = p.binary(0)?;
            if p.peek_op() == Some("?") {
                p.pos += 1;
                let a = p.expr()?;
                p.expect(":")?;
                let b = p.expr()?;
                return Ok(Expr::Cond(Box::new(cond), Box::new(a), Box::new(b)));
            }
            Ok(cond)
        })
    }

    fn binary(&mut self, level: usize) -> Result<Expr, String> {
        const LEVELS: [&[&str]; 7] = [
            &["??"],
            &["||"],
            &["&&"],
            &["==", "!="],
            &["<", "<=", ">", ">="],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        if level == LEVELS.len() {
            return self.power();
        }
        let mut lhs = self.binary(level + 1)?;
        while let Some(op) = self.peek_op().filter(|o| LEVELS[level].contains(o)) {
            self.pos += 1;
            let rhs = self.binary(level + 1)?;
            lhs = Expr::Binary(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn power(&mut self) -> Result<Expr, String> {
        let base = self.unary()?;
        if matches!(self.peek_op(), Some("**" | "^")) {
            self.pos += 1;
            let exp = self.nested(|p| p.power())?;
            return Ok(Expr::Binary("**", Box::new(base), Box::new(exp)));
        }
        Ok(base)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        let op = match self.toks.get(self.pos) {
            Some((Tok::Op(o @ ("-" | "+" | "!")), _)) => Some(*o),
            Some((Tok::Ident(w), _)) if w == "not" => Some("!"),
            _ => None,
        };
        if let Some(op) = op {
            self.pos += 1;
            let e = self.nested(|p| p.unary())?;
            return Ok(Expr::Unary(op, Box::new(e)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let col = self.col();
        let Some((tok, _)) = self.toks.get(self.pos).cloned() else {
            return Err(format!("unexpected end of formula (1:{col})"));
        };
        self.pos += 1;
        match tok {
            Tok::Num(n) => Ok(Expr::Lit(Val::Num(n))),
            Tok::Op("(") => {
                let e = self.expr()?;
                self.expect(")")?;
                Ok(e)
            }
            Tok::Ident(w) => match w.as_str() {
                "true" => Ok(Expr::Lit(Val::Bool(true))),
                "false" => Ok(Expr::Lit(Val::Bool(false))),
                "nil" => Ok(Expr::Lit(Val::Nil)),
                _ if self.peek_op() == Some("(") => {
                    self.pos += 1;
                    let mut args = Vec::new();
                    if self.peek_op() != Some(")") {
                        loop {
                            args.push(self.expr()?);
                            if self.peek_op() == Some(",") {
                                self.pos += 1;
                            } else {
                                break;
                            }
                        }
                    }
                    self.expect(")")?;
                    Ok(Expr::Call(w, args, col))
                }
                _ => Ok(Expr::Var(w, col)),
            },
            Tok::Op(o) => Err(format!("unexpected token {o:?} (1:{col})")),
        }
    }
}

/// A compiled formula.
#[derive(Debug)]
pub struct Formula(Expr);

const FUNCTIONS: [&str; 9] = [
    "abs", "ceil", "floor", "round", "sqrt", "min", "max", "float", "int",
];

/// Compiles a formula, checking that every name is one of `names`.
pub fn compile(src: &str, names: &[&str]) -> Result<Formula, String> {
    let toks = lex(src)?;
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
        len: src.len(),
    };
    let e = p.expr()?;
    if p.pos < p.toks.len() {
        return Err(format!("unexpected token (1:{})", p.col()));
    }
    fn walk(e: &Expr, names: &[&str]) -> Result<(), String> {
        match e {
            Expr::Lit(_) => Ok(()),
            Expr::Var(n, col) if names.contains(&n.as_str()) => {
                let _ = col;
                Ok(())
            }
            Expr::Var(n, col) => Err(format!("unknown name {n} (1:{col})")),
            Expr::Unary(_, a) => walk(a, names),
            Expr::Binary(_, a, b) => walk(a, names).and(walk(b, names)),
            Expr::Cond(a, b, c) => walk(a, names).and(walk(b, names)).and(walk(c, names)),
            Expr::Call(f, args, col) => {
                if !FUNCTIONS.contains(&f.as_str()) {
                    return Err(format!("unknown func {f} (1:{col})"));
                }
                args.iter().try_for_each(|a| walk(a, names))
            }
        }
    }
    walk(&e, names)?;
    Ok(Formula(e))
}

/// Checks a formula against the trigger names (the webhook's compile step).
pub fn check(src: &str, names: &[&str]) -> Result<(), String> {
    compile(src, names).map(|_| ())
}

impl Formula {
    /// Runs the formula with `lookup` giving each trigger's value.
    pub fn eval(&self, lookup: &dyn Fn(&str) -> Val) -> Result<Val, String> {
        eval(&self.0, lookup)
    }
}

fn num(v: Val, what: &str) -> Result<f64, String> {
    match v {
        Val::Num(n) => Ok(n),
        other => Err(format!("invalid operation: {what} on {}", type_name(other))),
    }
}

fn type_name(v: Val) -> &'static str {
    match v {
        Val::Num(_) => "float64",
        Val::Bool(_) => "bool",
        Val::Nil => "nil",
    }
}

fn truthy(v: Val, what: &str) -> Result<bool, String> {
    match v {
        Val::Bool(b) => Ok(b),
        other => Err(format!("invalid operation: {what} on {}", type_name(other))),
    }
}

fn eval(e: &Expr, lookup: &dyn Fn(&str) -> Val) -> Result<Val, String> {
    Ok(match e {
        Expr::Lit(v) => *v,
        Expr::Var(n, _) => lookup(n),
        Expr::Unary(op, a) => {
            let v = eval(a, lookup)?;
            match *op {
                "-" => Val::Num(-num(v, "-")?),
                "+" => Val::Num(num(v, "+")?),
                _ => Val::Bool(!truthy(v, "!")?),
            }
        }
        Expr::Cond(c, a, b) => {
            if truthy(eval(c, lookup)?, "?:")? {
                eval(a, lookup)?
            } else {
                eval(b, lookup)?
            }
        }
        Expr::Binary(op, a, b) => {
            let l = eval(a, lookup)?;
            match *op {
                "??" => {
                    if l == Val::Nil {
                        eval(b, lookup)?
                    } else {
                        l
                    }
                }
                "&&" => Val::Bool(truthy(l, "&&")? && truthy(eval(b, lookup)?, "&&")?),
                "||" => Val::Bool(truthy(l, "||")? || truthy(eval(b, lookup)?, "||")?),
                "==" => Val::Bool(l == eval(b, lookup)?),
                "!=" => Val::Bool(l != eval(b, lookup)?),
                _ => {
                    let (x, y) = (num(l, op)?, num(eval(b, lookup)?, op)?);
                    match *op {
                        "<" => Val::Bool(x < y),
                        "<=" => Val::Bool(x <= y),
                        ">" => Val::Bool(x > y),
                        ">=" => Val::Bool(x >= y),
                        "+" => Val::Num(x + y),
                        "-" => Val::Num(x - y),
                        "*" => Val::Num(x * y),
                        "/" => Val::Num(x / y),
                        "%" => Val::Num(libm::fmod(x, y)),
                        _ => Val::Num(libm::pow(x, y)),
                    }
                }
            }
        }
        Expr::Call(f, args, col) => {
            let vals: Vec<f64> = args
                .iter()
                .map(|a| eval(a, lookup).and_then(|v| num(v, f)))
                .collect::<Result<_, _>>()?;
            let one = || {
                if vals.len() == 1 {
                    Ok(vals[0])
                } else {
                    Err(format!("{f} takes one argument (1:{col})"))
                }
            };
            Val::Num(match f.as_str() {
                "abs" => libm::fabs(one()?),
                "ceil" => libm::ceil(one()?),
                "floor" => libm::floor(one()?),
                "round" => libm::round(one()?),
                "sqrt" => libm::sqrt(one()?),
                "float" => one()?,
                "int" => libm::trunc(one()?),
                "min" | "max" if !vals.is_empty() => {
                    let pick = if f == "min" { f64::min } else { f64::max };
                    vals.iter().copied().fold(vals[0], pick)
                }
                _ => return Err(format!("{f} needs arguments (1:{col})")),
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str, vars: &[(&str, Val)]) -> Result<Val, String> {
        let names: Vec<&str> = vars.iter().map(|(n, _)| *n).collect();
        let f = compile(src, &names)?;
        f.eval(&|n| {
            vars.iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| *v)
                .unwrap_or(Val::Nil)
        })
    }

    #[test]
    fn evaluates_formulas() {
        let v = [("queue", Val::Num(30.0)), ("lag", Val::Num(10.0))];
        assert_eq!(run("(queue + lag) / 2", &v), Ok(Val::Num(20.0)));
        assert_eq!(run("queue > 20 ? queue : lag", &v), Ok(Val::Num(30.0)));
        assert_eq!(run("queue > 20 && lag < 5 ? 1 : 0", &v), Ok(Val::Num(0.0)));
        assert_eq!(
            run("max(queue, lag, 50) - min(1, 2)", &v),
            Ok(Val::Num(49.0))
        );
        assert_eq!(run("2 ** 3 ** 2", &v), Ok(Val::Num(512.0)));
        assert_eq!(run("-queue + 1", &v), Ok(Val::Num(-29.0)));
        assert_eq!(
            run("float(queue ?? 5)", &[("queue", Val::Nil)]),
            Ok(Val::Num(5.0))
        );
        assert_eq!(
            run("queue == nil ? 7 : queue", &[("queue", Val::Nil)]),
            Ok(Val::Num(7.0))
        );
        assert_eq!(run("queue > 1 or lag > 100", &v), Ok(Val::Bool(true)));
    }

    #[test]
    fn errors_name_the_column() {
        assert_eq!(
            compile("queue + lagg", &["queue", "lag"]).unwrap_err(),
            "unknown name lagg (1:9)"
        );
        assert!(compile("(queue", &["queue"]).unwrap_err().contains("(1:7)"));
        assert!(compile("queue +", &["queue"]).is_err());
        assert!(
            compile("frob(queue)", &["queue"])
                .unwrap_err()
                .starts_with("unknown func")
        );
    }

    #[test]
    fn bounds_length_and_depth() {
        assert!(
            compile(&"(".repeat(200), &[])
                .unwrap_err()
                .contains("deeper")
        );
        assert!(
            compile(&"1+".repeat(600), &[])
                .unwrap_err()
                .contains("limit")
        );
        assert!(
            compile(&"-".repeat(300), &[])
                .unwrap_err()
                .contains("deeper")
        );
    }
}

//! SCIM filters (RFC 7644 §3.4.2.2): a nom parser into [`Filter`], resolution against a
//! [`ResourceSchema`] (canonical names, unknown attributes and bad operator/type pairs refused)
//! and evaluation over a resource's JSON. [`Filter::indexed_eq`] exposes the equality a list
//! query can answer from an index before the full filter is evaluated in memory.

use chrono::{DateTime, FixedOffset};
use nom::IResult;
use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case, take_while, take_while1};
use nom::character::complete::{char, multispace0, multispace1};
use nom::combinator::{map, peek, recognize, value};
use nom::number::complete::recognize_float;
use nom::sequence::{delimited, pair, preceded, terminated};
use serde_json::Value;

use super::error::{ScimError, ScimResult};
use super::schema::{Attr, AttrType, ResourceSchema};

/// `[urn:]name[.sub]`.
#[derive(Debug, Clone, PartialEq)]
pub struct AttrPath {
    /// Schema URN when given (or, after resolution, when the attribute is an extension's).
    pub urn: Option<String>,
    /// Attribute name.
    pub name: String,
    /// Sub-attribute name.
    pub sub: Option<String>,
    /// Filled in by resolution: compare strings case-sensitively.
    pub case_exact: bool,
    /// Filled in by resolution: the leaf type.
    pub ty: Option<AttrType>,
}

impl AttrPath {
    fn new(urn: Option<String>, name: String, sub: Option<String>) -> AttrPath {
        AttrPath {
            urn,
            name,
            sub,
            case_exact: false,
            ty: None,
        }
    }
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// equal
    Eq,
    /// not equal
    Ne,
    /// contains
    Co,
    /// starts with
    Sw,
    /// ends with
    Ew,
    /// greater than
    Gt,
    /// greater than or equal
    Ge,
    /// less than
    Lt,
    /// less than or equal
    Le,
}

/// A literal on the right of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// JSON string.
    Str(String),
    /// JSON number.
    Num(f64),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
}

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `attr op value`.
    Compare(AttrPath, CompareOp, Literal),
    /// `attr pr`.
    Present(AttrPath),
    /// `not (f)`.
    Not(Box<Filter>),
    /// `a and b`.
    And(Box<Filter>, Box<Filter>),
    /// `a or b`.
    Or(Box<Filter>, Box<Filter>),
    /// `attr[f]`: some value of multi-valued `attr` matches `f`.
    ValuePath(AttrPath, Box<Filter>),
}

type PResult<'a, T> = IResult<&'a str, T>;

fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '_' | '-' | '$')
}

/// Splits a lexed path token into URN, name and sub-attribute.
pub(crate) fn split_path(token: &str) -> AttrPath {
    let (urn, rest) = if token.len() > 4 && token[..4].eq_ignore_ascii_case("urn:") {
        match token.rfind(':') {
            Some(i) => (Some(token[..i].to_owned()), &token[i + 1..]),
            None => (None, token),
        }
    } else {
        (None, token)
    };
    match rest.split_once('.') {
        Some((name, sub)) => AttrPath::new(urn, name.to_owned(), Some(sub.to_owned())),
        None => AttrPath::new(urn, rest.to_owned(), None),
    }
}

pub(crate) fn attr_path(i: &str) -> PResult<'_, AttrPath> {
    let (rest, token) = recognize(pair(
        take_while1(|c: char| c.is_ascii_alphabetic() || c == '$'),
        take_while(is_path_char),
    ))(i)?;
    Ok((rest, split_path(token)))
}

fn compare_op(i: &str) -> PResult<'_, CompareOp> {
    terminated(
        alt((
            value(CompareOp::Eq, tag_no_case("eq")),
            value(CompareOp::Ne, tag_no_case("ne")),
            value(CompareOp::Co, tag_no_case("co")),
            value(CompareOp::Sw, tag_no_case("sw")),
            value(CompareOp::Ew, tag_no_case("ew")),
            value(CompareOp::Gt, tag_no_case("gt")),
            value(CompareOp::Ge, tag_no_case("ge")),
            value(CompareOp::Lt, tag_no_case("lt")),
            value(CompareOp::Le, tag_no_case("le")),
        )),
        multispace1,
    )(i)
}

fn json_string(i: &str) -> PResult<'_, String> {
    let escaped = recognize(pair(char('\\'), nom::character::complete::anychar));
    let (rest, raw) = recognize(delimited(
        char('"'),
        nom::multi::many0_count(alt((escaped, take_while1(|c: char| c != '"' && c != '\\')))),
        char('"'),
    ))(i)?;
    match serde_json::from_str::<String>(raw) {
        Ok(s) => Ok((rest, s)),
        Err(_) => Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Escaped,
        ))),
    }
}

fn keyword_end(i: &str) -> PResult<'_, ()> {
    // `true`, `pr`, … must not be the start of a longer word.
    match i.chars().next() {
        Some(c) if is_path_char(c) => Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Verify,
        ))),
        _ => Ok((i, ())),
    }
}

fn literal(i: &str) -> PResult<'_, Literal> {
    alt((
        map(json_string, Literal::Str),
        value(
            Literal::Bool(true),
            terminated(tag_no_case("true"), keyword_end),
        ),
        value(
            Literal::Bool(false),
            terminated(tag_no_case("false"), keyword_end),
        ),
        value(Literal::Null, terminated(tag_no_case("null"), keyword_end)),
        number,
    ))(i)
}

fn number(i: &str) -> PResult<'_, Literal> {
    let (rest, n) = recognize_float(i)?;
    match n.parse::<f64>() {
        Ok(f) => Ok((rest, Literal::Num(f))),
        Err(_) => Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Float,
        ))),
    }
}

fn attr_expression(i: &str) -> PResult<'_, Filter> {
    let (i, path) = attr_path(i)?;
    let (i, _) = multispace1(i)?;
    alt((
        map(terminated(tag_no_case("pr"), keyword_end), {
            let path = path.clone();
            move |_| Filter::Present(path.clone())
        }),
        map(pair(compare_op, literal), move |(op, lit)| {
            Filter::Compare(path.clone(), op, lit)
        }),
    ))(i)
}

fn value_path(i: &str) -> PResult<'_, Filter> {
    let (i, path) = attr_path(i)?;
    let (i, inner) = delimited(
        pair(char('['), multispace0),
        or_expression,
        pair(multispace0, char(']')),
    )(i)?;
    Ok((i, Filter::ValuePath(path, Box::new(inner))))
}

fn grouped(i: &str) -> PResult<'_, Filter> {
    delimited(
        pair(char('('), multispace0),
        or_expression,
        pair(multispace0, char(')')),
    )(i)
}

fn not_expression(i: &str) -> PResult<'_, Filter> {
    map(
        preceded(pair(tag_no_case("not"), multispace0), grouped),
        |f| Filter::Not(Box::new(f)),
    )(i)
}

fn unary(i: &str) -> PResult<'_, Filter> {
    alt((not_expression, grouped, value_path, attr_expression))(i)
}

fn logical<'a>(word: &'static str) -> impl FnMut(&'a str) -> PResult<'a, ()> {
    // `a and(b)` is fine, `a andx` is not: a keyword ends at a space or a parenthesis.
    move |i| {
        let (i, _) = delimited(
            multispace1,
            tag_no_case(word),
            alt((multispace1, peek(tag("(")))),
        )(i)?;
        Ok((i, ()))
    }
}

fn and_expression(i: &str) -> PResult<'_, Filter> {
    let (mut i, mut left) = unary(i)?;
    loop {
        match preceded(logical("and"), preceded(multispace0, unary))(i) {
            Ok((rest, right)) => {
                left = Filter::And(Box::new(left), Box::new(right));
                i = rest;
            }
            Err(nom::Err::Error(_)) => return Ok((i, left)),
            Err(e) => return Err(e),
        }
    }
}

pub(crate) fn or_expression(i: &str) -> PResult<'_, Filter> {
    let (mut i, mut left) = and_expression(i)?;
    loop {
        match preceded(logical("or"), preceded(multispace0, and_expression))(i) {
            Ok((rest, right)) => {
                left = Filter::Or(Box::new(left), Box::new(right));
                i = rest;
            }
            Err(nom::Err::Error(_)) => return Ok((i, left)),
            Err(e) => return Err(e),
        }
    }
}

/// Longest filter or PATCH path accepted, in bytes. It also bounds how deep an `and`/`or`
/// chain can nest, so resolution, evaluation and drop (all recursive) stay shallow.
pub const MAX_LEN: usize = 4096;

/// Deepest nesting of `(…)` and `[…]` accepted. The parser recurses once per level, so without
/// a cap one request with 100,000 `(` overflows the stack and aborts the whole process.
pub const MAX_DEPTH: usize = 32;

/// Refuses input longer than [`MAX_LEN`] or nested deeper than [`MAX_DEPTH`] (brackets inside
/// string literals do not count), before any recursive parsing starts.
pub(crate) fn check_limits(input: &str) -> Result<(), String> {
    if input.len() > MAX_LEN {
        return Err(format!(
            "is {} bytes long; the limit is {MAX_LEN}",
            input.len()
        ));
    }
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for c in input.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(format!("nests deeper than {MAX_DEPTH} levels"));
                }
            }
            ')' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Parses a filter; anything left over or unparsable is `invalidFilter`.
pub fn parse(input: &str) -> ScimResult<Filter> {
    check_limits(input).map_err(|why| ScimError::InvalidFilter(format!("the filter {why}")))?;
    match delimited(multispace0, or_expression, multispace0)(input) {
        Ok(("", f)) => Ok(f),
        Ok((rest, _)) => Err(ScimError::InvalidFilter(format!(
            "unexpected text at `{}`",
            rest.chars().take(30).collect::<String>()
        ))),
        Err(_) => Err(ScimError::InvalidFilter(format!(
            "cannot parse `{}`",
            input.chars().take(60).collect::<String>()
        ))),
    }
}

/// Where attribute names in a filter are looked up.
#[derive(Clone, Copy)]
enum Scope<'s> {
    Resource(&'s ResourceSchema),
    Complex(&'static [Attr]),
}

fn resolve_path(
    path: &mut AttrPath,
    scope: Scope<'_>,
    allow_complex: bool,
) -> ScimResult<&'static Attr> {
    let unknown =
        |p: &AttrPath| ScimError::InvalidFilter(format!("unknown attribute `{}`", p.name));
    let attr: &'static Attr = match scope {
        Scope::Resource(schema) => {
            let attr = schema
                .attr(path.urn.as_deref(), &path.name)
                .ok_or_else(|| unknown(path))?;
            // Keep the URN only for extension attributes: that is where their JSON lives.
            path.urn = match &path.urn {
                Some(u) => schema.extension_urn(u).map(str::to_owned),
                None => schema
                    .extension
                    .filter(|(_, attrs)| attrs.iter().any(|a| std::ptr::eq(a, attr)))
                    .map(|(u, _)| u.to_owned()),
            };
            attr
        }
        Scope::Complex(subs) => {
            if path.urn.is_some() {
                return Err(unknown(path));
            }
            subs.iter()
                .find(|a| a.name.eq_ignore_ascii_case(&path.name))
                .ok_or_else(|| unknown(path))?
        }
    };
    path.name = attr.name.to_owned();
    let leaf: &'static Attr = match &path.sub {
        Some(sub) => {
            let s = attr
                .sub
                .iter()
                .find(|a| a.name.eq_ignore_ascii_case(sub))
                .ok_or_else(|| {
                    ScimError::InvalidFilter(format!("unknown attribute `{}.{sub}`", attr.name))
                })?;
            path.sub = Some(s.name.to_owned());
            s
        }
        // A multi-valued complex attribute compares its `value` sub-attribute.
        None if attr.ty == AttrType::Complex && !allow_complex => {
            attr.sub.iter().find(|a| a.name == "value").ok_or_else(|| {
                ScimError::InvalidFilter(format!(
                    "`{}` is complex; name a sub-attribute",
                    attr.name
                ))
            })?
        }
        None => attr,
    };
    path.case_exact = leaf.case_exact;
    path.ty = Some(leaf.ty);
    Ok(attr)
}

impl Filter {
    /// Resolves attribute names against `schema` (case-insensitively, to canonical spelling)
    /// and refuses unknown attributes and ordering operators on booleans.
    pub fn resolve(mut self, schema: &ResourceSchema) -> ScimResult<Filter> {
        resolve_in(&mut self, Scope::Resource(schema))?;
        Ok(self)
    }

    /// Resolves a filter inside a complex attribute's brackets (`emails[type eq "work"]`).
    pub(crate) fn resolve_within(mut self, subs: &'static [Attr]) -> ScimResult<Filter> {
        resolve_in(&mut self, Scope::Complex(subs))?;
        Ok(self)
    }

    /// Whether the filter refers to attribute `name` (canonical spelling) anywhere.
    pub fn mentions(&self, name: &str) -> bool {
        match self {
            Filter::And(a, b) | Filter::Or(a, b) => a.mentions(name) || b.mentions(name),
            Filter::Not(a) => a.mentions(name),
            Filter::Present(p) | Filter::Compare(p, _, _) | Filter::ValuePath(p, _) => {
                p.name == name
            }
        }
    }

    /// Whether the resource (or multi-valued element) `json` satisfies the filter.
    pub fn matches(&self, json: &Value) -> bool {
        match self {
            Filter::And(a, b) => a.matches(json) && b.matches(json),
            Filter::Or(a, b) => a.matches(json) || b.matches(json),
            Filter::Not(f) => !f.matches(json),
            Filter::Present(p) => leaves(json, p).iter().any(|v| present(v)),
            Filter::Compare(p, op, lit) => {
                let values = leaves(json, p);
                match op {
                    CompareOp::Ne => !values.iter().any(|v| compare(v, CompareOp::Eq, lit, p)),
                    _ if *lit == Literal::Null && *op == CompareOp::Eq => {
                        !values.iter().any(|v| present(v))
                    }
                    _ => values.iter().any(|v| compare(v, *op, lit, p)),
                }
            }
            Filter::ValuePath(p, inner) => {
                let base = lookup(json, p.urn.as_deref(), &p.name);
                match base {
                    Some(Value::Array(items)) => items.iter().any(|item| inner.matches(item)),
                    Some(v @ Value::Object(_)) => inner.matches(v),
                    _ => false,
                }
            }
        }
    }

    /// An `eq` on `userName`, `externalId`, `displayName` or `id` that every match must
    /// satisfy (the filter itself, or one side of a top-level `and`), for index lookups.
    pub fn indexed_eq(&self) -> Option<(&str, &str)> {
        match self {
            Filter::Compare(p, CompareOp::Eq, Literal::Str(v))
                if p.urn.is_none()
                    && p.sub.is_none()
                    && matches!(
                        p.name.as_str(),
                        "userName" | "externalId" | "displayName" | "id"
                    ) =>
            {
                Some((p.name.as_str(), v.as_str()))
            }
            Filter::And(a, b) => a.indexed_eq().or_else(|| b.indexed_eq()),
            _ => None,
        }
    }
}

fn resolve_in(f: &mut Filter, scope: Scope<'_>) -> ScimResult<()> {
    match f {
        Filter::And(a, b) | Filter::Or(a, b) => {
            resolve_in(a, scope)?;
            resolve_in(b, scope)
        }
        Filter::Not(a) => resolve_in(a, scope),
        Filter::Present(p) => resolve_path(p, scope, true).map(|_| ()),
        Filter::Compare(p, op, lit) => {
            resolve_path(p, scope, false)?;
            let ordering = matches!(
                op,
                CompareOp::Gt
                    | CompareOp::Ge
                    | CompareOp::Lt
                    | CompareOp::Le
                    | CompareOp::Co
                    | CompareOp::Sw
                    | CompareOp::Ew
            );
            if ordering
                && (p.ty == Some(AttrType::Boolean)
                    || matches!(lit, Literal::Bool(_) | Literal::Null))
            {
                return Err(ScimError::InvalidFilter(format!(
                    "operator {op:?} cannot compare `{}` with {lit:?}",
                    p.name
                )));
            }
            Ok(())
        }
        Filter::ValuePath(p, inner) => {
            if p.sub.is_some() {
                return Err(ScimError::InvalidFilter(
                    "a value path names an attribute, not a sub-attribute".into(),
                ));
            }
            let attr = resolve_path(p, scope, true)?;
            if attr.ty != AttrType::Complex {
                return Err(ScimError::InvalidFilter(format!(
                    "`{}` is not complex",
                    attr.name
                )));
            }
            resolve_in(inner, Scope::Complex(attr.sub))
        }
    }
}

/// `json[urn][name]` or `json[name]`.
pub(crate) fn lookup<'v>(json: &'v Value, urn: Option<&str>, name: &str) -> Option<&'v Value> {
    match urn {
        Some(u) => json.get(u)?.get(name),
        None => json.get(name),
    }
}

/// The leaf values a path reaches: for multi-valued attributes every element's sub-attribute
/// (or `value`), so `emails co "x"` and `emails.value co "x"` both look inside the list.
fn leaves<'v>(json: &'v Value, p: &AttrPath) -> Vec<&'v Value> {
    let Some(base) = lookup(json, p.urn.as_deref(), &p.name) else {
        return Vec::new();
    };
    let pick = |v: &'v Value| -> Option<&'v Value> {
        match (&p.sub, v) {
            (Some(sub), Value::Object(m)) => m.get(sub),
            (None, Value::Object(m)) if p.ty != Some(AttrType::Complex) => m.get("value"),
            (Some(_), _) => None,
            (None, other) => Some(other),
        }
    };
    match base {
        Value::Array(items) => items.iter().filter_map(pick).collect(),
        other => pick(other).into_iter().collect(),
    }
}

fn present(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => true,
    }
}

fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

fn parse_time(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s).ok()
}

fn compare(v: &Value, op: CompareOp, lit: &Literal, p: &AttrPath) -> bool {
    use std::cmp::Ordering;
    let ordered = |o: Ordering| match op {
        CompareOp::Eq => o == Ordering::Equal,
        CompareOp::Ne => o != Ordering::Equal,
        CompareOp::Gt => o == Ordering::Greater,
        CompareOp::Ge => o != Ordering::Less,
        CompareOp::Lt => o == Ordering::Less,
        CompareOp::Le => o != Ordering::Greater,
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
    };
    match lit {
        Literal::Null => false,
        Literal::Bool(b) => as_bool(v).is_some_and(|x| ordered(x.cmp(b))),
        Literal::Num(n) => v
            .as_f64()
            .and_then(|x| x.partial_cmp(n))
            .is_some_and(ordered),
        Literal::Str(s) => {
            if p.ty == Some(AttrType::Boolean) {
                // Entra writes booleans as strings; compare them as booleans either way.
                return match (as_bool(v), as_bool(&Value::String(s.clone()))) {
                    (Some(a), Some(b)) => ordered(a.cmp(&b)),
                    _ => false,
                };
            }
            let Some(actual) = v.as_str() else {
                return false;
            };
            if p.ty == Some(AttrType::DateTime)
                && let (Some(a), Some(b)) = (parse_time(actual), parse_time(s))
            {
                return ordered(a.cmp(&b));
            }
            let (a, b) = if p.case_exact {
                (actual.to_owned(), s.clone())
            } else {
                (actual.to_lowercase(), s.to_lowercase())
            };
            match op {
                CompareOp::Co => a.contains(&b),
                CompareOp::Sw => a.starts_with(&b),
                CompareOp::Ew => a.ends_with(&b),
                _ => ordered(a.cmp(&b)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::schema::{GROUP_SCHEMA, USER_SCHEMA};
    use super::*;
    use serde_json::json;

    fn user_filter(s: &str) -> Filter {
        match parse(s).and_then(|f| f.resolve(&USER_SCHEMA)) {
            Ok(f) => f,
            Err(e) => panic!("{s}: {e}"),
        }
    }

    fn alice() -> Value {
        json!({
            "id": "0190",
            "userName": "Alice@Example.org",
            "externalId": "ABC",
            "displayName": "Alice Liddell",
            "active": true,
            "title": "Dr",
            "name": { "givenName": "Alice", "familyName": "Liddell" },
            "emails": [
                { "value": "alice@work.example", "type": "work", "primary": true },
                { "value": "alice@home.example", "type": "home" }
            ],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                "department": "Research", "manager": { "value": "m1" }
            },
            "meta": { "lastModified": "2026-11-23T10:00:00.000Z", "created": "2026-01-01T00:00:00Z" }
        })
    }

    #[test]
    fn nesting_and_length_are_capped() {
        let deep = format!("{}a eq 1{}", "(".repeat(100_000), ")".repeat(100_000));
        assert!(matches!(parse(&deep), Err(ScimError::InvalidFilter(_))));
        let at_limit = format!("{}a eq 1{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(parse(&at_limit).is_ok());
        let over = format!(
            "{}a eq 1{}",
            "(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        assert!(parse(&over).is_err());
        // Brackets inside a string literal are data, not nesting.
        let quoted = format!("a eq \"{}\"", "(".repeat(100));
        assert!(parse(&quoted).is_ok());
        assert!(parse(&"a eq 1 and ".repeat(500)).is_err());
    }

    #[test]
    fn parses_every_operator() {
        for op in [
            "eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "EQ", "Eq",
        ] {
            parse(&format!("userName {op} \"a\"")).expect(op);
        }
        assert_eq!(
            parse("title pr").ok(),
            Some(Filter::Present(AttrPath::new(None, "title".into(), None)))
        );
    }

    #[test]
    fn precedence_not_and_or() {
        // a or b and c == a or (b and c)
        let f = parse("title pr or userName eq \"x\" and active eq true").expect("parse");
        assert!(matches!(f, Filter::Or(_, ref r) if matches!(**r, Filter::And(_, _))));
        let f =
            parse("not (title pr) and (userName eq \"x\" or userName eq \"y\")").expect("parse");
        assert!(
            matches!(f, Filter::And(ref l, ref r) if matches!(**l, Filter::Not(_)) && matches!(**r, Filter::Or(_, _)))
        );
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "userName",
            "userName eq",
            "userName eq \"x",
            "userName xx \"x\"",
            "userName eq \"x\" and",
            "(userName eq \"x\"",
            "emails[type eq \"work\"",
            "userName eq x",
            "userName eq \"a\" andtitle pr",
            "active eqtrue",
        ] {
            assert!(
                matches!(parse(bad), Err(ScimError::InvalidFilter(_))),
                "{bad:?} should fail"
            );
        }
    }

    #[test]
    fn unknown_attributes_and_boolean_ordering_are_invalid() {
        for bad in [
            "nosuch eq \"x\"",
            "active gt true",
            "name.nosuch eq \"x\"",
            "emails[nosuch eq 1]",
        ] {
            let r = parse(bad).and_then(|f| f.resolve(&USER_SCHEMA));
            assert!(matches!(r, Err(ScimError::InvalidFilter(_))), "{bad}");
        }
    }

    #[test]
    fn evaluates_against_a_user() {
        let u = alice();
        let yes = [
            "userName eq \"alice@example.org\"",
            "USERNAME Eq \"ALICE@EXAMPLE.ORG\"",
            "externalId eq \"ABC\"",
            "userName sw \"ali\" and userName ew \".org\"",
            "displayName co \"liddell\"",
            "emails[type eq \"work\" and value co \"@work\"]",
            "emails co \"home.example\"",
            "emails.value eq \"alice@home.example\"",
            "emails[primary eq true] or title pr",
            "active eq true",
            "active eq \"True\"",
            "not (active eq false)",
            "title pr and not (userType pr)",
            "name.givenName eq \"alice\"",
            "meta.lastModified gt \"2026-11-23T09:59:59Z\"",
            "meta.lastModified ge \"2026-11-23T10:00:00Z\"",
            "meta.created lt \"2026-11-23T10:00:00+01:00\"",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"research\"",
            "department eq \"Research\"",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"m1\"",
            "userName ne \"bob\"",
            "userType eq null",
            "userName gt \"a\" and userName lt \"b\"",
            "userName le \"alice@example.org\"",
        ];
        for f in yes {
            assert!(user_filter(f).matches(&u), "{f} should match");
        }
        let no = [
            "externalId eq \"abc\"",
            "emails[type eq \"other\"]",
            "userName ne \"alice@example.org\"",
            "active eq false",
            "userType pr",
            "meta.lastModified gt \"2026-11-23T10:00:00Z\"",
            "userName eq \"x\" or displayName eq \"y\"",
            "not(userName pr)",
        ];
        for f in no {
            assert!(!user_filter(f).matches(&u), "{f} should not match");
        }
    }

    #[test]
    fn group_members_value_path() {
        let g = json!({"displayName": "Staff", "members": [{"value": "u1"}, {"value": "u2"}]});
        let f = parse("members[value eq \"u2\"]")
            .and_then(|f| f.resolve(&GROUP_SCHEMA))
            .expect("ok");
        assert!(f.matches(&g));
        let f = parse("members eq \"u3\"")
            .and_then(|f| f.resolve(&GROUP_SCHEMA))
            .expect("ok");
        assert!(!f.matches(&g));
    }

    #[test]
    fn index_hints() {
        let f = user_filter("userName eq \"a\" and active eq true");
        assert_eq!(f.indexed_eq(), Some(("userName", "a")));
        let f = user_filter("username eq \"a\"");
        assert_eq!(f.indexed_eq(), Some(("userName", "a")));
        assert_eq!(
            user_filter("userName eq \"a\" or title pr").indexed_eq(),
            None
        );
        assert_eq!(user_filter("userName co \"a\"").indexed_eq(), None);
    }

    #[test]
    fn strings_with_escapes() {
        let f = parse(r#"displayName eq "say \"hi\" \\ there""#).expect("parse");
        assert!(
            matches!(f, Filter::Compare(_, _, Literal::Str(ref s)) if s == "say \"hi\" \\ there")
        );
    }
}

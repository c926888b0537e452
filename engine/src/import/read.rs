//! Streams the documents of one `mongoexport` file, in either of its layouts: one document
//! per line (the default) or one JSON array (`--jsonArray`, optionally `--pretty`). Memory
//! is one document at a time, capped at [`ReadLimits::max_document_bytes`]; an oversized
//! document is skipped to its end and reported, not buffered.

use std::io::{self, BufRead};

/// Where a document sits in its file (line numbers count from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line on which the document starts.
    pub line: u64,
    /// Byte offset of its first byte.
    pub offset: u64,
    /// Its length in bytes.
    pub len: u64,
}

/// One item the reader yields.
#[derive(Debug)]
pub enum Item<'a> {
    /// A complete document's bytes.
    Document(Position, &'a [u8]),
    /// A document larger than the limit; `head` is its first bytes.
    Oversized(Position, &'a [u8]),
    /// The array layout is broken at this position (e.g. a missing `,` or `]`); reading stops.
    Broken(Position, &'static str),
}

/// Size limits of the reader.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    /// Largest document accepted (MongoDB's own BSON limit is 16 MiB).
    pub max_document_bytes: usize,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_document_bytes: 16 * 1024 * 1024,
        }
    }
}

/// How much of an oversized document is kept for the rejects file.
const HEAD_BYTES: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    Unknown,
    Lines,
    /// Inside the top-level array; `expect_value` until an element, then a `,` or `]`.
    Array {
        expect_value: bool,
    },
    Done,
}

/// A pull reader over a [`BufRead`].
pub struct DocumentReader<R> {
    input: R,
    limits: ReadLimits,
    layout: Layout,
    line: u64,
    offset: u64,
    buf: Vec<u8>,
}

impl<R: BufRead> DocumentReader<R> {
    /// Reads `input` with `limits`.
    pub fn new(input: R, limits: ReadLimits) -> Self {
        DocumentReader {
            input,
            limits,
            layout: Layout::Unknown,
            line: 1,
            offset: 0,
            buf: Vec::new(),
        }
    }

    /// Bytes consumed so far (for progress).
    pub fn bytes_read(&self) -> u64 {
        self.offset
    }

    /// The next document, or `None` at the end of the file.
    pub fn next_item(&mut self) -> io::Result<Option<Item<'_>>> {
        loop {
            // Skip whitespace (and, in the array layout, the separators).
            let Some(b) = self.peek()? else {
                return Ok(match self.layout {
                    Layout::Array { .. } => {
                        self.layout = Layout::Done;
                        Some(Item::Broken(
                            self.here(),
                            "the JSON array is not closed with ']'",
                        ))
                    }
                    _ => None,
                });
            };
            match (self.layout, b) {
                (Layout::Done, _) => return Ok(None),
                (_, b' ' | b'\t' | b'\r' | b'\n') => {
                    self.bump(b);
                }
                (Layout::Unknown, b'[') => {
                    self.bump(b);
                    self.layout = Layout::Array { expect_value: true };
                }
                (Layout::Unknown, _) => self.layout = Layout::Lines,
                (
                    Layout::Array {
                        expect_value: false,
                    },
                    b',',
                ) => {
                    self.bump(b);
                    self.layout = Layout::Array { expect_value: true };
                }
                (Layout::Array { .. }, b']') => {
                    self.bump(b);
                    self.layout = Layout::Done;
                }
                (
                    Layout::Array {
                        expect_value: false,
                    },
                    _,
                ) => {
                    let at = self.here();
                    self.layout = Layout::Done;
                    return Ok(Some(Item::Broken(
                        at,
                        "expected ',' or ']' between array elements",
                    )));
                }
                (Layout::Array { expect_value: true }, _) => {
                    self.layout = Layout::Array {
                        expect_value: false,
                    };
                    return self.take_value();
                }
                (Layout::Lines, _) => return self.take_line(),
            }
        }
    }

    fn here(&self) -> Position {
        Position {
            line: self.line,
            offset: self.offset,
            len: 0,
        }
    }

    fn peek(&mut self) -> io::Result<Option<u8>> {
        Ok(self.input.fill_buf()?.first().copied())
    }

    fn bump(&mut self, b: u8) {
        self.input.consume(1);
        self.offset += 1;
        if b == b'\n' {
            self.line += 1;
        }
    }

    /// One line (without its line break) as a document.
    fn take_line(&mut self) -> io::Result<Option<Item<'_>>> {
        let start = self.here();
        self.buf.clear();
        let mut len: u64 = 0;
        let mut oversized = false;
        loop {
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            let (take, found) = match memchr_newline(chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            let body = if found {
                &chunk[..take - 1]
            } else {
                &chunk[..take]
            };
            if oversized || self.buf.len() + body.len() > self.limits.max_document_bytes {
                // Past the limit only the head is kept, for the rejects file.
                oversized = true;
                self.buf.truncate(HEAD_BYTES);
                let room = HEAD_BYTES.saturating_sub(self.buf.len()).min(body.len());
                self.buf.extend_from_slice(&body[..room]);
            } else {
                self.buf.extend_from_slice(body);
            }
            len += body.len() as u64;
            self.input.consume(take);
            self.offset += take as u64;
            if found {
                self.line += 1;
                break;
            }
        }
        // A Windows line end.
        if !oversized && self.buf.last() == Some(&b'\r') {
            self.buf.pop();
            len -= 1;
        }
        let pos = Position { len, ..start };
        Ok(Some(if oversized {
            Item::Oversized(pos, &self.buf)
        } else {
            Item::Document(pos, &self.buf)
        }))
    }

    /// One array element: scans to the end of the value (tracking strings and nesting),
    /// counting lines, without parsing it.
    fn take_value(&mut self) -> io::Result<Option<Item<'_>>> {
        let start = self.here();
        self.buf.clear();
        let mut depth: u64 = 0;
        let mut in_string = false;
        let mut escaped = false;
        let mut len: u64 = 0;
        let mut oversized = false;
        let mut done = false;
        while !done {
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            let mut used = 0;
            let mut newlines = 0;
            for &b in chunk {
                if !in_string
                    && depth == 0
                    && len + used as u64 > 0
                    && matches!(b, b',' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                {
                    done = true;
                    break;
                }
                used += 1;
                if b == b'\n' {
                    newlines += 1;
                }
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if b == b'\\' {
                        escaped = true;
                    } else if b == b'"' {
                        in_string = false;
                    }
                } else {
                    match b {
                        b'"' => in_string = true,
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                done = true;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            let part = &chunk[..used];
            if oversized || self.buf.len() + part.len() > self.limits.max_document_bytes {
                // Past the limit only the head is kept, for the rejects file.
                oversized = true;
                self.buf.truncate(HEAD_BYTES);
                let room = HEAD_BYTES.saturating_sub(self.buf.len()).min(part.len());
                self.buf.extend_from_slice(&part[..room]);
            } else {
                self.buf.extend_from_slice(part);
            }
            len += used as u64;
            self.input.consume(used);
            self.offset += used as u64;
            self.line += newlines;
        }
        let pos = Position { len, ..start };
        Ok(Some(if oversized {
            Item::Oversized(pos, &self.buf)
        } else if !done && depth > 0 {
            self.layout = Layout::Done;
            Item::Broken(start, "the file ends inside a document")
        } else {
            Item::Document(pos, &self.buf)
        }))
    }
}

fn memchr_newline(s: &[u8]) -> Option<usize> {
    s.iter().position(|&b| b == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &str, max: usize) -> Vec<(u64, u64, String, &'static str)> {
        let mut r = DocumentReader::new(
            io::BufReader::with_capacity(7, input.as_bytes()),
            ReadLimits {
                max_document_bytes: max,
            },
        );
        let mut out = Vec::new();
        while let Some(item) = r.next_item().unwrap() {
            out.push(match item {
                Item::Document(p, b) => (
                    p.line,
                    p.offset,
                    String::from_utf8_lossy(b).into_owned(),
                    "doc",
                ),
                Item::Oversized(p, b) => (
                    p.line,
                    p.offset,
                    String::from_utf8_lossy(b).into_owned(),
                    "big",
                ),
                Item::Broken(p, _) => (p.line, p.offset, String::new(), "broken"),
            });
        }
        out
    }

    #[test]
    fn json_lines_with_positions() {
        let got = all("{\"a\":1}\n\n{\"b\":\"x\\ny\"}\r\n{\"c\":3}", 1000);
        assert_eq!(
            got,
            vec![
                (1, 0, "{\"a\":1}".into(), "doc"),
                (3, 9, "{\"b\":\"x\\ny\"}".into(), "doc"),
                (4, 23, "{\"c\":3}".into(), "doc"),
            ]
        );
    }

    #[test]
    fn pretty_arrays_split_on_element_boundaries() {
        let input =
            "[\n  {\n    \"a\": \"]},\\\"\",\n    \"b\": [1, {\"c\": 2}]\n  },\n  {\"d\": 4}\n]\n";
        let got = all(input, 1000);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, 2);
        assert!(got[0].2.starts_with('{') && got[0].2.ends_with('}'));
        assert_eq!(
            got[1],
            (
                6,
                input.find("{\"d\"").unwrap() as u64,
                "{\"d\": 4}".into(),
                "doc"
            )
        );
        assert!(all("[]", 10).is_empty());
    }

    #[test]
    fn oversized_documents_are_skipped_with_their_head() {
        let big = format!("{{\"a\":\"{}\"}}", "x".repeat(5000));
        let got = all(&format!("{big}\n{{\"b\":1}}\n"), 100);
        assert_eq!(got[0].3, "big");
        assert_eq!(got[0].2.len(), HEAD_BYTES);
        assert_eq!(got[1], (2, big.len() as u64 + 1, "{\"b\":1}".into(), "doc"));
        let got = all(&format!("[{big},{{\"b\":1}}]"), 100);
        assert_eq!((got[0].3, got[1].3), ("big", "doc"));
    }

    #[test]
    fn broken_arrays_stop_with_a_position() {
        assert_eq!(
            all("[{\"a\":1} {\"b\":2}]", 100).last().unwrap().3,
            "broken"
        );
        assert_eq!(all("[{\"a\":1},", 100).last().unwrap().3, "broken");
        assert_eq!(all("[{\"a\":1", 100).last().unwrap().3, "broken");
    }
}

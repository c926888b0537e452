//! Streams one collection file into its staging table with PostgreSQL `COPY … FROM STDIN`
//! (text format) through sqlx's `copy_in_raw`. Parsing runs on a blocking thread and hands
//! over 1 MiB chunks through a bounded channel, so PostgreSQL ingests one chunk while the
//! next is parsed, and memory stays a few chunks whatever the file size.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::PgConnection;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::extended_json::{self, Document, Limits};
use super::read::{DocumentReader, Item, Position, ReadLimits};
use super::{Collection, ImportError, Run};

/// How big a chunk grows before it is handed to COPY.
const CHUNK_BYTES: usize = 1 << 20;
/// Chunks in flight between the parser thread and COPY.
const CHANNEL_DEPTH: usize = 4;

/// One COPY text-format row being written.
pub struct CopyRow<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> CopyRow<'a> {
    fn new(out: &'a mut Vec<u8>) -> Self {
        CopyRow { out, first: true }
    }

    fn sep(&mut self) {
        if !self.first {
            self.out.push(b'\t');
        }
        self.first = false;
    }

    fn escaped(&mut self, s: &str) {
        for &b in s.as_bytes() {
            match b {
                b'\\' => self.out.extend_from_slice(b"\\\\"),
                b'\n' => self.out.extend_from_slice(b"\\n"),
                b'\r' => self.out.extend_from_slice(b"\\r"),
                b'\t' => self.out.extend_from_slice(b"\\t"),
                _ => self.out.push(b),
            }
        }
    }

    /// `\N`.
    pub fn null(&mut self) -> &mut Self {
        self.sep();
        self.out.extend_from_slice(b"\\N");
        self
    }

    /// A text (or any type given in its text form) column.
    pub fn text(&mut self, s: &str) -> &mut Self {
        self.sep();
        self.escaped(s);
        self
    }

    /// A nullable text column.
    pub fn opt_text(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.text(s),
            None => self.null(),
        }
    }

    /// An integer column.
    pub fn int(&mut self, i: i64) -> &mut Self {
        self.sep();
        self.out.extend_from_slice(i.to_string().as_bytes());
        self
    }

    /// A uuid column.
    pub fn uuid(&mut self, id: Uuid) -> &mut Self {
        self.sep();
        let mut buf = Uuid::encode_buffer();
        self.out
            .extend_from_slice(id.hyphenated().encode_lower(&mut buf).as_bytes());
        self
    }

    /// A nullable uuid column.
    pub fn opt_uuid(&mut self, id: Option<Uuid>) -> &mut Self {
        match id {
            Some(id) => self.uuid(id),
            None => self.null(),
        }
    }

    /// A boolean column.
    pub fn bool(&mut self, b: bool) -> &mut Self {
        self.sep();
        self.out.push(if b { b't' } else { b'f' });
        self
    }

    /// A timestamptz column.
    pub fn time(&mut self, t: DateTime<Utc>) -> &mut Self {
        self.sep();
        self.out
            .extend_from_slice(t.to_rfc3339_opts(SecondsFormat::Micros, true).as_bytes());
        self
    }

    /// A nullable timestamptz column.
    pub fn opt_time(&mut self, t: Option<DateTime<Utc>>) -> &mut Self {
        match t {
            Some(t) => self.time(t),
            None => self.null(),
        }
    }

    /// A `text[]` (or `uuid[]`) column.
    pub fn array<S: AsRef<str>>(&mut self, items: &[S]) -> &mut Self {
        self.sep();
        let mut lit = String::from("{");
        for (i, s) in items.iter().enumerate() {
            if i > 0 {
                lit.push(',');
            }
            lit.push('"');
            for c in s.as_ref().chars() {
                if c == '"' || c == '\\' {
                    lit.push('\\');
                }
                lit.push(c);
            }
            lit.push('"');
        }
        lit.push('}');
        self.escaped(&lit);
        self
    }

    /// A nullable jsonb column.
    pub fn json(&mut self, v: Option<&serde_json::Value>) -> &mut Self {
        match v {
            Some(v) => {
                let s = v.to_string();
                self.text(&s)
            }
            None => self.null(),
        }
    }

    /// Ends the row.
    pub fn end(&mut self) {
        self.out.push(b'\n');
    }
}

/// Writes the `file_line, file_offset, file_len` columns every staging table starts with.
pub fn position(row: &mut CopyRow<'_>, pos: Position) {
    row.int(pos.line as i64)
        .int(pos.offset as i64)
        .int(pos.len as i64);
}

/// Counts of one staged file.
#[derive(Debug, Default, Clone, Copy)]
pub struct Staged {
    /// Documents read.
    pub documents: u64,
    /// Documents turned into staging rows.
    pub staged: u64,
    /// Join entries (array elements turned into rows later, e.g. roles) staged.
    pub links: u64,
}

/// A mapper's verdict on one document: staged rows are written into `row`; `links` counts
/// the join entries it carried.
pub type MapResult = Result<u64, String>;

enum Msg {
    Chunk(Vec<u8>),
    Reject(Position, String, Vec<u8>),
    Progress(u64),
    Failed(ImportError),
}

/// Streams `path` through `map` into `copy_sql` (a `COPY … FROM STDIN` statement).
pub async fn stage<F>(
    conn: &mut PgConnection,
    collection: Collection,
    path: &Path,
    copy_sql: &str,
    run: &mut Run<'_>,
    mut map: F,
) -> Result<Staged, ImportError>
where
    F: FnMut(&Document, Position, &mut CopyRow<'_>) -> MapResult + Send + 'static,
{
    let limits: (ReadLimits, Limits) = run.limits();
    let progress = run.progress;
    let total = std::fs::metadata(path)
        .map_err(|e| ImportError::io(path, e))?
        .len();
    progress.start(collection, total);
    let (tx, mut rx) = mpsc::channel::<Msg>(CHANNEL_DEPTH);
    let owned: PathBuf = path.to_owned();
    let parser = tokio::task::spawn_blocking(move || {
        let send = |m: Msg| tx.blocking_send(m).is_ok();
        let file = match File::open(&owned) {
            Ok(f) => f,
            Err(e) => {
                send(Msg::Failed(ImportError::io(&owned, e)));
                return Staged::default();
            }
        };
        let mut reader = DocumentReader::new(BufReader::with_capacity(1 << 16, file), limits.0);
        let mut counts = Staged::default();
        let mut chunk = Vec::with_capacity(CHUNK_BYTES + 64 * 1024);
        let mut reported = 0;
        loop {
            let item = match reader.next_item() {
                Ok(Some(item)) => item,
                Ok(None) => break,
                Err(e) => {
                    send(Msg::Failed(ImportError::io(&owned, e)));
                    return counts;
                }
            };
            let reject = match item {
                Item::Document(pos, bytes) => {
                    counts.documents += 1;
                    match extended_json::parse_document(bytes, limits.1) {
                        Err(e) => Some((pos, e.to_string(), bytes.to_vec())),
                        Ok(doc) => {
                            let mark = chunk.len();
                            let mut row = CopyRow::new(&mut chunk);
                            match map(&doc, pos, &mut row) {
                                Ok(links) => {
                                    counts.staged += 1;
                                    counts.links += links;
                                    None
                                }
                                Err(reason) => {
                                    chunk.truncate(mark);
                                    Some((pos, reason, bytes.to_vec()))
                                }
                            }
                        }
                    }
                }
                Item::Oversized(pos, head) => {
                    counts.documents += 1;
                    Some((
                        pos,
                        format!(
                            "document of {} bytes is larger than the limit of {} bytes",
                            pos.len, limits.0.max_document_bytes
                        ),
                        head.to_vec(),
                    ))
                }
                Item::Broken(pos, reason) => Some((pos, reason.to_owned(), Vec::new())),
            };
            if let Some((pos, reason, raw)) = reject
                && !send(Msg::Reject(pos, reason, raw))
            {
                return counts;
            }
            if chunk.len() >= CHUNK_BYTES {
                let full =
                    std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_BYTES + 64 * 1024));
                if !send(Msg::Chunk(full)) {
                    return counts;
                }
            }
            let read = reader.bytes_read();
            if read - reported >= CHUNK_BYTES as u64 {
                reported = read;
                send(Msg::Progress(read));
            }
        }
        if !chunk.is_empty() {
            send(Msg::Chunk(chunk));
        }
        send(Msg::Progress(reader.bytes_read()));
        counts
    });

    let mut copy = conn.copy_in_raw(copy_sql).await?;
    let mut failure = None;
    while let Some(msg) = rx.recv().await {
        let step = match msg {
            Msg::Chunk(bytes) => copy
                .send(bytes)
                .await
                .map(|_| ())
                .map_err(ImportError::from),
            Msg::Reject(pos, reason, raw) => run.rejects.reject(collection, pos, &reason, &raw),
            Msg::Progress(n) => {
                progress.advance(collection, n);
                Ok(())
            }
            Msg::Failed(e) => Err(e),
        };
        if let Err(e) = step {
            failure = Some(e);
            break;
        }
    }
    drop(rx);
    let counts = parser
        .await
        .map_err(|e| ImportError::Internal(e.to_string()))?;
    if let Some(e) = failure {
        // Best effort: the transaction is rolled back by the caller anyway.
        let _ = copy.abort("import aborted").await;
        return Err(e);
    }
    copy.finish().await?;
    progress.finish(collection);
    Ok(counts)
}

/// Reads the raw bytes of a staged row back from its file, for a rejects entry found by SQL.
pub fn raw_record(path: &Path, offset: i64, len: i32) -> Vec<u8> {
    let read = || -> std::io::Result<Vec<u8>> {
        let mut f = File::open(path)?;
        f.seek(SeekFrom::Start(u64::try_from(offset).unwrap_or(0)))?;
        let mut buf = vec![0; usize::try_from(len).unwrap_or(0)];
        f.read_exact(&mut buf)?;
        Ok(buf)
    };
    read().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_rows_escape_text_and_arrays() {
        let mut out = Vec::new();
        let mut row = CopyRow::new(&mut out);
        row.text("a\tb\\c\nd")
            .null()
            .array(&["x\"y", "back\\slash", "plain"])
            .bool(true)
            .int(-3);
        row.end();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a\\tb\\\\c\\nd\t\\N\t{\"x\\\\\"y\",\"back\\\\\\\\slash\",\"plain\"}\tt\t-3\n"
        );
    }
}

//! Migration from the MongoDB version: reads a folder of `mongoexport` files (one per
//! collection, named `<collection>.json`; JSON lines or `--jsonArray`; canonical or relaxed
//! Extended JSON v2) and loads them with `COPY` into staging tables, checks them with
//! set-based SQL and merges them into the real tables — core tables first, join tables after.
//!
//! - **Deterministic**: every `_id` becomes the UUIDv5 of `<collection>/<_id>`
//!   ([`fields::legacy_uuid`]), recorded in `legacy_ids`; merges are `on conflict do nothing`,
//!   so a second run changes nothing.
//! - **Resumable**: each collection loads in its own transaction (with `strict` or `dry_run`,
//!   all of them in one). A killed import leaves the finished collections committed and the
//!   interrupted one rolled back; running it again loads what is missing.
//! - **Bad records** (malformed Extended JSON, oversized or over-nested documents, a missing
//!   required field, a dangling reference, an e-mail that differs only in case from an
//!   earlier one) go to the rejects file with file, line, reason and the raw record; with
//!   `strict` the first one aborts the whole import with nothing written.
//! - **Credentials keep their bytes**: `credentials.credential_source` holds the document as
//!   the old system's API served it (see [`badges`]), and `award::served_bytes` serves it.
//! - Old login sessions are not carried over: their tokens were cookies of the old app, the
//!   session payloads here live in Redis, and a fresh OpenID sign-in re-reads the user's
//!   current groups. Old OAuth tokens of `accounts` are dropped for the same reason; the
//!   provider/subject link is kept.
//!
//! The CLI shows progress bars; [`job`] runs the same import as a background job whose
//! progress the admin Import page shows.

mod badges;
mod client_apps;
pub mod extended_json;
mod fields;
pub mod job;
mod load;
pub mod read;
mod users;
mod verify;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use sqlx::{Acquire, PgConnection, PgPool};

use crate::error::Error;
use crate::rbac::CanImportData;
use crate::signing_key::KeyEncryptionKey;

pub use fields::legacy_uuid;
pub use verify::{ForeignKeyCheck, TableCount};

/// A collection of the old database, in load order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Collection {
    /// `users` → users, user_roles.
    Users,
    /// `accounts` (NextAuth) → the users' provider/subject link.
    Accounts,
    /// `sessions` (NextAuth) → read and counted, not carried over.
    Sessions,
    /// `oauthClientApps` → oauth_client_apps.
    OauthClientApps,
    /// `oauthRoles` → client_roles, client_role_users.
    OauthRoles,
    /// `Image` → the image of profiles and achievements.
    Image,
    /// `Alignment` → achievement_alignments.
    Alignment,
    /// `Profile` → issuers.
    Profile,
    /// `Multikey` → signing_keys (encrypted at rest).
    Multikey,
    /// `Achievement` → achievements, achievement_alignments.
    Achievement,
    /// `ResultDescription` → achievement_result_descriptions.
    ResultDescription,
    /// `RubricCriterionLevel` → rubric_criterion_levels.
    RubricCriterionLevel,
    /// `AchievementCredential` → credentials (byte for byte).
    AchievementCredential,
    /// `EndorsementCredential` → endorsements (byte for byte).
    EndorsementCredential,
}

impl Collection {
    /// Every collection in load order.
    pub const ALL: [Collection; 14] = [
        Collection::Users,
        Collection::Accounts,
        Collection::Sessions,
        Collection::OauthClientApps,
        Collection::OauthRoles,
        Collection::Image,
        Collection::Alignment,
        Collection::Profile,
        Collection::Multikey,
        Collection::Achievement,
        Collection::ResultDescription,
        Collection::RubricCriterionLevel,
        Collection::AchievementCredential,
        Collection::EndorsementCredential,
    ];

    /// The MongoDB collection name (and file stem).
    pub fn name(self) -> &'static str {
        match self {
            Collection::Users => "users",
            Collection::Accounts => "accounts",
            Collection::Sessions => "sessions",
            Collection::OauthClientApps => "oauthClientApps",
            Collection::OauthRoles => "oauthRoles",
            Collection::Image => "Image",
            Collection::Alignment => "Alignment",
            Collection::Profile => "Profile",
            Collection::Multikey => "Multikey",
            Collection::Achievement => "Achievement",
            Collection::ResultDescription => "ResultDescription",
            Collection::RubricCriterionLevel => "RubricCriterionLevel",
            Collection::AchievementCredential => "AchievementCredential",
            Collection::EndorsementCredential => "EndorsementCredential",
        }
    }

    /// The export file of this collection in `dir`.
    pub fn file_in(self, dir: &Path) -> PathBuf {
        dir.join(format!("{}.json", self.name()))
    }
}

/// What went wrong with an import as a whole.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file could not be read (or the rejects file written).
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// `strict`: a bad record aborted the import; nothing was written.
    #[error("{file}:{line}: {reason} (strict mode: nothing was imported)")]
    Rejected {
        /// File name.
        file: String,
        /// Line the record starts on.
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// The database refused or is unreachable.
    #[error(transparent)]
    Engine(#[from] Error),
    /// A bug.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ImportError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        ImportError::Io {
            path: path.to_owned(),
            source,
        }
    }
}

impl From<sqlx::Error> for ImportError {
    fn from(e: sqlx::Error) -> Self {
        ImportError::Engine(Error::from(e))
    }
}

/// Receives progress (bytes of each file), e.g. a progress bar or a job's progress row.
pub trait Progress: Send + Sync {
    /// A collection file of `total_bytes` starts.
    fn start(&self, collection: Collection, total_bytes: u64);
    /// `bytes_read` of it are done.
    fn advance(&self, collection: Collection, bytes_read: u64);
    /// It is loaded.
    fn finish(&self, collection: Collection);
}

/// Ignores progress.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: Collection, _: u64) {}
    fn advance(&self, _: Collection, _: u64) {}
    fn finish(&self, _: Collection) {}
}

/// How to import.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder with the `mongoexport` files.
    pub from: PathBuf,
    /// Load inside one transaction and roll it back: reports what would be loaded.
    pub dry_run: bool,
    /// Abort on the first bad record, with nothing written.
    pub strict: bool,
    /// Where rejected records go (JSON lines); `None` only counts them.
    pub rejects: Option<PathBuf>,
    /// Largest document accepted.
    pub read_limits: read::ReadLimits,
    /// Deepest nesting accepted.
    pub json_limits: extended_json::Limits,
}

impl Options {
    /// Defaults for a folder.
    pub fn new(from: impl Into<PathBuf>) -> Self {
        Options {
            from: from.into(),
            dry_run: false,
            strict: false,
            rejects: None,
            read_limits: read::ReadLimits::default(),
            json_limits: extended_json::Limits::default(),
        }
    }
}

/// One rejected record as written to the rejects file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Reject {
    /// File name.
    pub file: String,
    /// Line the record starts on.
    pub line: u64,
    /// Why it was skipped.
    pub reason: String,
    /// The record as it is in the file (the first KiB of an oversized one).
    pub record: String,
}

/// Collects rejects: counts them, writes them, or aborts (`strict`).
pub struct RejectSink {
    strict: bool,
    dir: PathBuf,
    out: Option<(PathBuf, BufWriter<File>)>,
    counts: BTreeMap<Collection, u64>,
}

impl RejectSink {
    fn new(options: &Options) -> Result<Self, ImportError> {
        let out = match &options.rejects {
            Some(p) => Some((
                p.clone(),
                BufWriter::new(File::create(p).map_err(|e| ImportError::io(p, e))?),
            )),
            None => None,
        };
        Ok(RejectSink {
            strict: options.strict,
            dir: options.from.clone(),
            out,
            counts: BTreeMap::new(),
        })
    }

    /// Records one bad record of `collection`.
    pub fn reject(
        &mut self,
        collection: Collection,
        pos: read::Position,
        reason: &str,
        raw: &[u8],
    ) -> Result<(), ImportError> {
        let file = format!("{}.json", collection.name());
        if self.strict {
            return Err(ImportError::Rejected {
                file,
                line: pos.line,
                reason: reason.to_owned(),
            });
        }
        *self.counts.entry(collection).or_default() += 1;
        tracing::warn!(file, line = pos.line, reason, "record rejected");
        if let Some((path, out)) = &mut self.out {
            let entry = Reject {
                file,
                line: pos.line,
                reason: reason.to_owned(),
                record: String::from_utf8_lossy(raw).into_owned(),
            };
            let write = serde_json::to_writer(&mut *out, &entry)
                .map_err(std::io::Error::other)
                .and_then(|()| out.write_all(b"\n"));
            write.map_err(|e| ImportError::io(path, e))?;
        }
        Ok(())
    }

    /// Rejects rows SQL found (dangling references, duplicates), reading their raw records back.
    fn reject_rows(
        &mut self,
        collection: Collection,
        rows: impl IntoIterator<Item = (i64, i64, i32, String)>,
    ) -> Result<(), ImportError> {
        let path = collection.file_in(&self.dir);
        for (line, offset, len, reason) in rows {
            let raw = load::raw_record(&path, offset, len);
            let pos = read::Position {
                line: u64::try_from(line).unwrap_or(0),
                offset: u64::try_from(offset).unwrap_or(0),
                len: u64::try_from(len).unwrap_or(0),
            };
            self.reject(collection, pos, &reason, &raw)?;
        }
        Ok(())
    }

    fn count(&self, collection: Collection) -> u64 {
        self.counts.get(&collection).copied().unwrap_or(0)
    }

    fn flush(&mut self) -> Result<(), ImportError> {
        if let Some((path, out)) = &mut self.out {
            out.flush().map_err(|e| ImportError::io(path, e))?;
        }
        Ok(())
    }
}

/// What one collection contributed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CollectionReport {
    /// The file was there.
    pub present: bool,
    /// Documents in the file.
    pub documents: u64,
    /// Documents (and join entries) rejected.
    pub rejected: u64,
}

/// The result of an import.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Report {
    /// Per collection.
    pub collections: BTreeMap<&'static str, CollectionReport>,
    /// Per target table: expected from the source, inserted now, present after.
    pub tables: Vec<TableCount>,
    /// Foreign keys of the imported tables with the number of rows that break them.
    pub foreign_keys: Vec<ForeignKeyCheck>,
    /// The import ran in a rolled-back transaction.
    pub dry_run: bool,
}

impl Report {
    /// Every table has what the source promised and no foreign key is broken.
    pub fn is_consistent(&self) -> bool {
        self.tables.iter().all(TableCount::matches)
            && self.foreign_keys.iter().all(|f| f.orphans == 0)
    }

    /// Rows inserted by this run, all tables.
    pub fn inserted(&self) -> i64 {
        self.tables.iter().map(|t| t.inserted).sum()
    }
}

/// State one import carries through its collections.
pub(crate) struct Run<'a> {
    options: &'a Options,
    kek: &'a KeyEncryptionKey,
    progress: &'a dyn Progress,
    rejects: RejectSink,
    report: Report,
}

impl Run<'_> {
    fn file(&self, c: Collection) -> Option<PathBuf> {
        let p = c.file_in(&self.options.from);
        p.is_file().then_some(p)
    }

    fn limits(&self) -> (read::ReadLimits, extended_json::Limits) {
        (self.options.read_limits, self.options.json_limits)
    }

    fn note(&mut self, c: Collection, documents: u64) {
        let entry = self.report.collections.entry(c.name()).or_default();
        entry.present = true;
        entry.documents = documents;
        entry.rejected = self.rejects.count(c);
    }

    fn table(&mut self, t: TableCount) {
        self.report.tables.push(t);
    }
}

/// Imports the export folder `options.from` (see the module documentation).
pub async fn run(
    pool: &PgPool,
    _auth: &CanImportData,
    kek: &KeyEncryptionKey,
    options: &Options,
    progress: &dyn Progress,
) -> Result<Report, ImportError> {
    if !options.from.is_dir() {
        return Err(ImportError::io(
            &options.from,
            std::io::Error::new(std::io::ErrorKind::NotFound, "not a folder"),
        ));
    }
    let mut run = Run {
        options,
        kek,
        progress,
        rejects: RejectSink::new(options)?,
        report: Report {
            dry_run: options.dry_run,
            ..Report::default()
        },
    };
    let single = options.strict || options.dry_run;
    let mut outer = if single {
        Some(pool.begin().await?)
    } else {
        None
    };
    for c in Collection::ALL {
        let mut tx = match outer.as_mut() {
            Some(o) => o.begin().await?,
            None => pool.begin().await?,
        };
        // One import at a time: the staging tables are shared.
        sqlx::query!("select pg_advisory_xact_lock(7242011501)")
            .execute(&mut *tx)
            .await?;
        load_collection(&mut tx, &mut run, c).await?;
        tx.commit().await?;
    }
    run.report.foreign_keys = match outer.as_mut() {
        Some(o) => verify::foreign_keys(o).await?,
        None => verify::foreign_keys(&mut *pool.acquire().await?).await?,
    };
    if let Some(o) = outer {
        if options.dry_run {
            o.rollback().await?;
        } else {
            o.commit().await?;
        }
    }
    run.rejects.flush()?;
    Ok(run.report)
}

async fn load_collection(
    conn: &mut PgConnection,
    run: &mut Run<'_>,
    c: Collection,
) -> Result<(), ImportError> {
    match c {
        Collection::Users => users::users(conn, run).await,
        Collection::Accounts => users::accounts(conn, run).await,
        Collection::Sessions => users::sessions(run).await,
        Collection::OauthClientApps => client_apps::apps(conn, run).await,
        Collection::OauthRoles => client_apps::roles(conn, run).await,
        Collection::Image => badges::images(conn, run).await,
        Collection::Alignment => badges::alignments(conn, run).await,
        Collection::Profile => badges::issuers(conn, run).await,
        Collection::Multikey => badges::keys(conn, run).await,
        Collection::Achievement => badges::achievements(conn, run).await,
        Collection::ResultDescription => badges::result_descriptions(conn, run).await,
        Collection::RubricCriterionLevel => badges::rubric_levels(conn, run).await,
        Collection::AchievementCredential => badges::credentials(conn, run).await,
        Collection::EndorsementCredential => badges::endorsements(conn, run).await,
    }
}

//! The import as a background job, for admins who cannot run the CLI: the admin Import page
//! uploads the `mongoexport` files into PostgreSQL ([`Upload`], 1 MiB chunks in one
//! transaction, so a broken upload leaves nothing), and any worker on any machine writes them
//! to a scratch folder and runs [`super::run`] with the job's progress row as its progress bar.
//! The import is idempotent, so a worker that dies mid-way leaves a job the next worker simply
//! runs again. A dry run keeps its upload so the admin can then import it for real.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use super::{Collection, ImportError, Options, Progress, Reject};
use crate::error::{Error, Result};
use crate::job::{self, Job};
use crate::rbac::CanImportData;
use crate::signing_key::KeyEncryptionKey;

/// The job kind.
pub const JOB_KIND: &str = "import_mongo";
/// Rejected records kept with the job for the page (all of them are counted).
pub const REJECTS_SHOWN: usize = 200;
/// Chunk size in the database.
const CHUNK: usize = 1 << 20;
/// How often a running import writes its progress and renews its lease.
const HEARTBEAT: Duration = Duration::from_secs(1);
/// Uploads nobody imported are dropped after this many days.
const UPLOAD_DAYS: i32 = 7;

/// How the job imports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Roll everything back at the end: shows what would be loaded.
    pub dry_run: bool,
    /// Stop at the first bad record, with nothing written.
    pub strict: bool,
}

/// One uploaded file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedFile {
    /// `<collection>.json`.
    pub name: String,
    /// Size.
    pub bytes: u64,
}

/// What an import job carries in its payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Payload {
    upload_id: Uuid,
    settings: Settings,
    files: Vec<UploadedFile>,
    #[serde(default)]
    report: Option<serde_json::Value>,
    #[serde(default)]
    rejects: Vec<Reject>,
    #[serde(default)]
    rejects_total: u64,
}

/// An import job as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportJob {
    /// The job (status, progress in KiB, error).
    pub job: Job,
    /// How it imports.
    pub settings: Settings,
    /// The files, in load order.
    pub files: Vec<UploadedFile>,
    /// The import's summary ([`super::Report`] as JSON) once it finished.
    pub report: Option<serde_json::Value>,
    /// The first [`REJECTS_SHOWN`] rejected records.
    pub rejects: Vec<Reject>,
    /// Rejected records in all.
    pub rejects_total: u64,
    /// The upload is still stored (a dry run's, or one not yet imported).
    pub upload_kept: bool,
}

/// The collection a file name stands for: `<collection>.json` as `mongoexport -o` names it.
pub fn collection_of(file_name: &str) -> Result<Collection> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    Collection::ALL
        .into_iter()
        .find(|c| format!("{}.json", c.name()) == base)
        .ok_or_else(|| {
            Error::invalid(
                "files",
                format!(
                    "`{base}` is not a collection the import reads; name each file after its \
                     collection: {}",
                    Collection::ALL
                        .iter()
                        .map(|c| format!("{}.json", c.name()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })
}

/// An upload in progress: files are written chunk by chunk inside one transaction, and
/// [`Upload::finish`] queues the job in it. Dropping it unfinished stores nothing.
pub struct Upload {
    tx: Transaction<'static, Postgres>,
    id: Uuid,
    limit: u64,
    total: u64,
    files: Vec<UploadedFile>,
    buffer: Vec<u8>,
    seq: i32,
}

/// Starts an upload of at most `limit_bytes` in all.
pub async fn begin_upload(pool: &PgPool, auth: &CanImportData, limit_bytes: u64) -> Result<Upload> {
    let mut tx = pool.begin().await?;
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into import_uploads (id, created_by) values ($1, $2)",
        id,
        auth.actor().user_id
    )
    .execute(&mut *tx)
    .await?;
    Ok(Upload {
        tx,
        id,
        limit: limit_bytes,
        total: 0,
        files: Vec::new(),
        buffer: Vec::with_capacity(CHUNK),
        seq: 0,
    })
}

impl Upload {
    /// Starts the next file; its name says which collection it holds.
    pub async fn start_file(&mut self, file_name: &str) -> Result<()> {
        let collection = collection_of(file_name)?;
        let name = format!("{}.json", collection.name());
        if self.files.iter().any(|f| f.name == name) {
            return Err(Error::invalid(
                "files",
                format!("`{name}` is there twice; upload each collection once"),
            ));
        }
        self.flush().await?;
        self.seq = 0;
        self.files.push(UploadedFile { name, bytes: 0 });
        Ok(())
    }

    /// Appends bytes to the current file.
    pub async fn write(&mut self, mut bytes: &[u8]) -> Result<()> {
        let Some(file) = self.files.last_mut() else {
            return Err(Error::invalid("files", "the upload has no file name"));
        };
        self.total += bytes.len() as u64;
        file.bytes += bytes.len() as u64;
        if self.total > self.limit {
            return Err(Error::invalid(
                "files",
                format!(
                    "the files are larger than the {} MiB this page accepts; run \
                     `badge-engine import-mongo` on the server instead",
                    self.limit >> 20
                ),
            ));
        }
        while !bytes.is_empty() {
            let room = CHUNK - self.buffer.len();
            let (now, rest) = bytes.split_at(room.min(bytes.len()));
            self.buffer.extend_from_slice(now);
            bytes = rest;
            if self.buffer.len() == CHUNK {
                self.flush().await?;
            }
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<()> {
        let Some(file) = self.files.last() else {
            return Ok(());
        };
        if self.buffer.is_empty() {
            return Ok(());
        }
        sqlx::query!(
            "insert into import_upload_chunks (upload_id, file_name, seq, data) values ($1, $2, $3, $4)",
            self.id,
            file.name,
            self.seq,
            self.buffer.as_slice()
        )
        .execute(&mut *self.tx)
        .await?;
        self.seq += 1;
        self.buffer.clear();
        Ok(())
    }

    /// Stores the files and queues their import.
    pub async fn finish(mut self, auth: &CanImportData, settings: Settings) -> Result<Job> {
        if self.files.is_empty() {
            return Err(Error::invalid(
                "files",
                "choose the mongoexport files to import (users.json, Profile.json, …)",
            ));
        }
        if let Some(empty) = self.files.iter().find(|f| f.bytes == 0) {
            return Err(Error::invalid(
                "files",
                format!("`{}` is empty", empty.name),
            ));
        }
        self.flush().await?;
        let total = i64::try_from(self.total).map_err(Error::internal)?;
        sqlx::query!(
            "update import_uploads set total_bytes = $2 where id = $1",
            self.id,
            total
        )
        .execute(&mut *self.tx)
        .await?;
        // Load order, whatever order the browser sent them in.
        self.files.sort_by_key(|f| collection_of(&f.name).ok());
        let job = enqueue(&mut self.tx, auth, self.id, settings, self.files).await?;
        self.tx.commit().await?;
        Ok(job)
    }
}

async fn enqueue(
    conn: &mut sqlx::PgConnection,
    auth: &CanImportData,
    upload_id: Uuid,
    settings: Settings,
    files: Vec<UploadedFile>,
) -> Result<Job> {
    let total_kib = kib(files.iter().map(|f| f.bytes).sum());
    let payload = Payload {
        upload_id,
        settings,
        files,
        report: None,
        rejects: Vec::new(),
        rejects_total: 0,
    };
    let payload = serde_json::to_value(&payload).map_err(Error::internal)?;
    // Another attempt cannot fix a bad record or a strict stop; a lost worker's lease still
    // hands the job to the next worker.
    let job = job::enqueue_conn(conn, auth.actor(), JOB_KIND, &payload, Some(total_kib)).await?;
    job::set_max_attempts(conn, job.id, 1).await?;
    Ok(job)
}

fn kib(bytes: u64) -> i32 {
    i32::try_from(bytes.div_ceil(1024)).unwrap_or(i32::MAX)
}

/// Imports a dry run's upload again with new settings (typically: for real).
pub async fn start_again(
    pool: &PgPool,
    auth: &CanImportData,
    job_id: Uuid,
    settings: Settings,
) -> Result<Job> {
    let before = get(pool, auth, job_id).await?;
    if !before.upload_kept {
        return Err(Error::invalid(
            "job",
            "the files of this import are no longer stored; upload them again",
        ));
    }
    if matches!(before.job.status.as_str(), "queued" | "running") {
        return Err(Error::invalid("job", "this import is still running"));
    }
    let upload_id = payload_of(&before.job)?.upload_id;
    let mut tx = pool.begin().await?;
    let job = enqueue(&mut tx, auth, upload_id, settings, before.files).await?;
    tx.commit().await?;
    Ok(job)
}

fn payload_of(job: &Job) -> Result<Payload> {
    serde_json::from_value(job.payload.clone()).map_err(Error::internal)
}

/// One import job.
pub async fn get(pool: &PgPool, _auth: &CanImportData, id: Uuid) -> Result<ImportJob> {
    let job = job::get_any(pool, id).await?;
    if job.kind != JOB_KIND {
        return Err(Error::NotFound { entity: "import" });
    }
    view(pool, job).await
}

async fn view(pool: &PgPool, job: Job) -> Result<ImportJob> {
    let p = payload_of(&job)?;
    let upload_kept = sqlx::query_scalar!(
        r#"select exists(select 1 from import_uploads where id = $1) as "e!""#,
        p.upload_id
    )
    .fetch_one(pool)
    .await?;
    Ok(ImportJob {
        job,
        settings: p.settings,
        files: p.files,
        report: p.report,
        rejects: p.rejects,
        rejects_total: p.rejects_total,
        upload_kept,
    })
}

/// The latest import jobs, newest first.
pub async fn recent(pool: &PgPool, _auth: &CanImportData, limit: i64) -> Result<Vec<ImportJob>> {
    let mut out = Vec::new();
    for job in job::of_kind(pool, JOB_KIND, limit).await? {
        out.push(view(pool, job).await?);
    }
    Ok(out)
}

/// Drops uploads older than a week that no queued or running job needs.
pub async fn purge_uploads(pool: &PgPool) -> Result<u64> {
    Ok(sqlx::query!(
        r#"delete from import_uploads u
            where created_at < now() - make_interval(days => $1)
              and not exists (select 1 from jobs j
                               where j.kind = 'import_mongo' and j.status in ('queued', 'running')
                                 and j.payload->>'upload_id' = u.id::text)"#,
        UPLOAD_DAYS
    )
    .execute(pool)
    .await?
    .rows_affected())
}

/// Bytes read per collection, summed into the job's progress.
struct JobProgress {
    per: Mutex<HashMap<Collection, u64>>,
    done: AtomicU64,
}

impl JobProgress {
    fn set(&self, c: Collection, bytes: u64) {
        if let Ok(mut per) = self.per.lock() {
            per.insert(c, bytes);
            self.done.store(per.values().sum(), Ordering::Relaxed);
        }
    }
}

impl Progress for JobProgress {
    fn start(&self, c: Collection, _total: u64) {
        self.set(c, 0);
    }
    fn advance(&self, c: Collection, bytes_read: u64) {
        self.set(c, bytes_read);
    }
    fn finish(&self, _: Collection) {}
}

/// Removes the scratch folder whatever way the job ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs an import job (called by the worker): writes the files out, imports them with the
/// job's progress row as progress bar, and keeps the summary and the first rejects with it.
pub async fn run(
    pool: &PgPool,
    kek: &KeyEncryptionKey,
    job: &Job,
    worker: &str,
    lease_seconds: i32,
) -> Result<()> {
    let mut p = payload_of(job)?;
    let scratch = Scratch(std::env::temp_dir().join(format!("badge-engine-import-{}", job.id)));
    let _ = std::fs::remove_dir_all(&scratch.0);
    let files = scratch.0.join("export");
    std::fs::create_dir_all(&files).map_err(Error::internal)?;
    for f in &p.files {
        write_out(pool, p.upload_id, &f.name, &files.join(&f.name)).await?;
    }
    let rejects_path = scratch.0.join("rejects.jsonl");
    let mut options = Options::new(&files);
    options.dry_run = p.settings.dry_run;
    options.strict = p.settings.strict;
    options.rejects = Some(rejects_path.clone());
    let progress = JobProgress {
        per: Mutex::new(HashMap::new()),
        done: AtomicU64::new(0),
    };
    let auth = crate::rbac::Principal::bypass_for_system_task("job:import_mongo")
        .require::<crate::rbac::can::ImportData>()?;
    let heartbeat = async {
        loop {
            tokio::time::sleep(HEARTBEAT).await;
            let done = kib(progress.done.load(Ordering::Relaxed));
            if let Err(e) = job::progress(pool, job.id, worker, done, lease_seconds).await {
                return e;
            }
        }
    };
    // Losing the job (cancelled, or the lease went to another worker) drops the import: the
    // collection being loaded rolls back, the ones before it stay (the import is idempotent).
    let report = tokio::select! {
        r = super::run(pool, &auth, kek, &options, &progress) => r,
        e = heartbeat => return Err(e),
    };
    let report = match report {
        Ok(r) => r,
        Err(ImportError::Engine(e)) => return Err(e),
        Err(r @ ImportError::Rejected { .. }) => {
            return Err(Error::invalid("files", r.to_string()));
        }
        Err(other) => return Err(Error::internal(other)),
    };
    let (rejects, total) = read_rejects(&rejects_path)?;
    p.report = Some(serde_json::to_value(&report).map_err(Error::internal)?);
    p.rejects = rejects;
    p.rejects_total = total;
    let payload = serde_json::to_value(&p).map_err(Error::internal)?;
    job::set_payload(pool, job.id, worker, &payload).await?;
    if !p.settings.dry_run {
        sqlx::query!("delete from import_uploads where id = $1", p.upload_id)
            .execute(pool)
            .await?;
    }
    if !report.is_consistent() {
        return Err(Error::invalid(
            "report",
            "the import finished, but its checks found differences; see the summary",
        ));
    }
    Ok(())
}

async fn write_out(pool: &PgPool, upload_id: Uuid, name: &str, to: &Path) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(to).map_err(Error::internal)?);
    let mut seq = 0i32;
    while let Some(data) = sqlx::query_scalar!(
        "select data from import_upload_chunks where upload_id = $1 and file_name = $2 and seq = $3",
        upload_id,
        name,
        seq
    )
    .fetch_optional(pool)
    .await?
    {
        out.write_all(&data).map_err(Error::internal)?;
        seq += 1;
    }
    if seq == 0 {
        return Err(Error::invalid(
            "files",
            "the uploaded files are no longer stored; upload them again",
        ));
    }
    out.flush().map_err(Error::internal)
}

fn read_rejects(path: &Path) -> Result<(Vec<Reject>, u64)> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(_) => return Ok((Vec::new(), 0)),
    };
    let mut shown = Vec::new();
    let mut total = 0u64;
    for line in BufReader::new(file).lines() {
        let line = line.map_err(Error::internal)?;
        total += 1;
        if shown.len() < REJECTS_SHOWN
            && let Ok(r) = serde_json::from_str::<Reject>(&line)
        {
            shown.push(r);
        }
    }
    Ok((shown, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_name_collections() {
        assert_eq!(collection_of("users.json").ok(), Some(Collection::Users));
        assert_eq!(
            collection_of("C:\\export\\Profile.json").ok(),
            Some(Collection::Profile)
        );
        let e = collection_of("people.csv").err().map(|e| e.to_string());
        assert!(e.is_some_and(|m| m.contains("people.csv") && m.contains("users.json")));
    }

    #[test]
    fn progress_is_counted_in_kib() {
        assert_eq!(kib(0), 0);
        assert_eq!(kib(1), 1);
        assert_eq!(kib(2048), 2);
        assert_eq!(kib(u64::MAX / 2), i32::MAX);
    }
}

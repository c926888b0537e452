//! `badge-engine award-csv --achievement <id> --file people.csv`: the bulk award of the admin
//! page from a terminal. The file is checked first (every problem printed with its row and
//! column, nothing issued); then the award is confirmed and issued by the job queue — by a
//! worker started in this process, unless `--no-worker` leaves it to running servers — with
//! an `indicatif` progress bar (rows, rate, errors) until it is done.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use engine::award::bulk;
use engine::rbac::{Principal, can};
use indicatif::{ProgressBar, ProgressStyle};
use uuid::Uuid;

use crate::config::Config;
use crate::startup::{self, StartupError};

/// Largest file read (the row limit of the bulk award applies too).
const MAX_FILE_BYTES: u64 = 64 << 20;

/// Arguments of `award-csv`.
#[derive(Debug, Args)]
pub struct AwardCsvArgs {
    /// The achievement to award.
    #[arg(long)]
    pub achievement: Uuid,
    /// CSV file: name, email and optional narrative, evidence_url, result, expires.
    #[arg(long)]
    pub file: PathBuf,
    /// Award rows again that were awarded before from the same content.
    #[arg(long)]
    pub again: bool,
    /// Only check the file; issue nothing.
    #[arg(long)]
    pub check: bool,
    /// Leave the issuing to the workers of running servers instead of one started here.
    #[arg(long)]
    pub no_worker: bool,
}

/// Checks, confirms and follows one bulk award.
pub async fn run(config: Config, args: AwardCsvArgs) -> Result<(), StartupError> {
    let fail = StartupError::Command;
    let size = std::fs::metadata(&args.file)
        .map_err(|e| fail(format!("cannot read {}: {e}", args.file.display())))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(fail(format!(
            "{} is {} MB; the limit is {} MB",
            args.file.display(),
            size >> 20,
            MAX_FILE_BYTES >> 20
        )));
    }
    let bytes = std::fs::read(&args.file)
        .map_err(|e| fail(format!("cannot read {}: {e}", args.file.display())))?;
    let db = startup::connect_database(&config).await?;
    startup::migrate(&db).await?;
    let cache = match &config.redis_url {
        Some(url) => engine::cache::Cache::connect(url)
            .await
            .map_err(|e| StartupError::Redis {
                url: crate::config::redact_url(url),
                reason: e.to_string(),
            })?,
        None => engine::cache::Cache::disabled(),
    };
    let services = startup::services(&config, db.clone(), cache)?;
    let system = Principal::bypass_for_system_task("cli:award-csv");
    let message = |e: engine::Error| fail(crate::error::public_message(&e));
    let award = system.require::<can::Award>().map_err(message)?;
    let view = system.require::<can::ViewAdmin>().map_err(message)?;
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "awards.csv".into());

    let checked = bulk::check_file(&db, &award, args.achievement, &name, &bytes, args.again)
        .await
        .map_err(message)?;
    if !checked.errors.is_empty() {
        for e in &checked.errors {
            match (&e.column, &e.column_name) {
                (Some(c), Some(n)) => eprintln!("row {}, column {c} ({n}): {}", e.row, e.message),
                (Some(c), None) => eprintln!("row {}, column {c}: {}", e.row, e.message),
                _ => eprintln!("row {}: {}", e.row, e.message),
            }
        }
        let more = checked.error_count.saturating_sub(checked.errors.len());
        if more > 0 {
            eprintln!("… and {more} more");
        }
        return Err(fail(format!(
            "{} problem(s) in {}; nothing was awarded",
            checked.error_count,
            args.file.display()
        )));
    }
    let Some(pending) = checked.bulk_award else {
        return Err(fail("the file was not stored".into()));
    };
    println!(
        "{}: {} rows checked{}",
        args.file.display(),
        checked.rows,
        if checked.already_awarded > 0 {
            format!(
                ", {} awarded before (skipped; --again awards them again)",
                checked.already_awarded
            )
        } else {
            String::new()
        }
    );
    if args.check {
        return Ok(());
    }
    let confirmed = bulk::confirm(&db, &award, pending.id)
        .await
        .map_err(message)?;

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = (!args.no_worker).then(|| {
        tokio::spawn(crate::worker::run(
            services.clone(),
            config.job_lease_seconds,
            stop_rx,
        ))
    });
    let bar = ProgressBar::new(u64::try_from(confirmed.total_rows).unwrap_or(0));
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40.cyan/blue} {pos}/{len} rows ({percent} %) · {per_sec} · {msg} · {elapsed}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let done = loop {
        let b = bulk::get(&db, &view, confirmed.id).await.map_err(message)?;
        bar.set_position(u64::try_from(b.done()).unwrap_or(0));
        bar.set_message(format!("{} failed", b.failed));
        if matches!(b.status.as_str(), "succeeded" | "failed" | "cancelled") {
            break b;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    bar.finish();
    let _ = stop_tx.send(true);
    if let Some(w) = worker {
        let _ = w.await;
    }
    println!(
        "{}: {} issued, {} skipped as awarded before, {} failed (bulk award {})",
        done.status, done.issued, done.skipped, done.failed, done.id
    );
    if done.status == "succeeded" && done.failed == 0 {
        Ok(())
    } else {
        Err(fail(format!(
            "the bulk award ended {}; see Administration → Jobs",
            done.status
        )))
    }
}

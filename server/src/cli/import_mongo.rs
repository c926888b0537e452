//! `badge-engine import-mongo --from <dir>`: loads a folder of `mongoexport` files from the
//! MongoDB version (see `engine::import`), with a progress bar per collection (`indicatif`:
//! the usual terminal progress crate; bars go to stderr and hide themselves when stderr is
//! not a terminal) and a summary table on stdout.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use clap::Args;
use engine::import::{self, Collection, ImportError, Options, Progress, Report};
use engine::rbac::{Principal, can};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::startup::{self, StartupError};

/// Arguments of `import-mongo`.
#[derive(Debug, Args)]
pub struct ImportMongoArgs {
    /// Folder with one `mongoexport` file per collection, named `<collection>.json`.
    #[arg(long)]
    pub from: PathBuf,
    /// Load inside a transaction that is rolled back: shows what would be loaded.
    #[arg(long)]
    pub dry_run: bool,
    /// Stop at the first bad record and write nothing.
    #[arg(long)]
    pub strict: bool,
    /// Write rejected records here (JSON lines: file, line, reason, record).
    #[arg(long)]
    pub rejects: Option<PathBuf>,
}

/// One bar per collection file, sized in bytes.
struct Bars {
    multi: MultiProgress,
    bars: Mutex<HashMap<Collection, ProgressBar>>,
}

impl Bars {
    fn new() -> Bars {
        Bars {
            multi: MultiProgress::new(),
            bars: Mutex::new(HashMap::new()),
        }
    }

    fn with(&self, c: Collection, f: impl FnOnce(&ProgressBar)) {
        if let Ok(bars) = self.bars.lock()
            && let Some(bar) = bars.get(&c)
        {
            f(bar);
        }
    }
}

impl Progress for Bars {
    fn start(&self, c: Collection, total_bytes: u64) {
        let bar = self.multi.add(ProgressBar::new(total_bytes));
        let style = ProgressStyle::with_template(
            "{prefix:>22} [{bar:30}] {bytes:>10}/{total_bytes:<10} {bytes_per_sec:>12} {msg}",
        )
        .map(|s| s.progress_chars("=> "));
        if let Ok(style) = style {
            bar.set_style(style);
        }
        bar.set_prefix(c.name());
        if let Ok(mut bars) = self.bars.lock() {
            bars.insert(c, bar);
        }
    }

    fn advance(&self, c: Collection, bytes_read: u64) {
        self.with(c, |b| b.set_position(bytes_read));
    }

    fn finish(&self, c: Collection) {
        self.with(c, |b| b.finish_with_message("loaded"));
    }
}

/// Prints the per-table summary and the foreign-key checks.
fn print_summary(report: &Report, rejects: Option<&PathBuf>) {
    println!(
        "{:<22} {:<34} {:>10} {:>10} {:>10} {:>10}  check",
        "collection", "table", "documents", "rejected", "inserted", "present"
    );
    for t in &report.tables {
        let c = report.collections.get(t.collection);
        println!(
            "{:<22} {:<34} {:>10} {:>10} {:>10} {:>10}  {}",
            t.collection,
            t.table,
            c.map_or(0, |c| c.documents),
            c.map_or(0, |c| c.rejected),
            t.inserted,
            t.present,
            if t.matches() {
                "ok".to_owned()
            } else {
                format!("MISMATCH: expected {}", t.expected)
            }
        );
    }
    let broken: Vec<_> = report
        .foreign_keys
        .iter()
        .filter(|f| f.orphans > 0)
        .collect();
    println!(
        "foreign keys: {} checked, {}",
        report.foreign_keys.len(),
        if broken.is_empty() {
            "no orphans".to_owned()
        } else {
            broken
                .iter()
                .map(|f| format!("{}: {} orphans", f.name, f.orphans))
                .collect::<Vec<_>>()
                .join("; ")
        }
    );
    let rejected: u64 = report.collections.values().map(|c| c.rejected).sum();
    if rejected > 0 {
        match rejects {
            Some(p) => println!("{rejected} records rejected: see {}", p.display()),
            None => {
                println!("{rejected} records rejected: run again with --rejects FILE to see them")
            }
        }
    }
    if report.dry_run {
        println!("dry run: nothing was written");
    }
}

/// Runs the import against the configured database (migrating it first).
pub async fn run(config: Config, args: ImportMongoArgs) -> Result<(), StartupError> {
    let db = startup::connect_database(&config).await?;
    startup::migrate(&db).await?;
    let fail = |e: String| StartupError::Command(e);
    let auth = Principal::bypass_for_system_task("cli:import-mongo")
        .require::<can::ImportData>()
        .map_err(|e| fail(crate::error::public_message(&e)))?;
    let mut options = Options::new(&args.from);
    options.dry_run = args.dry_run;
    options.strict = args.strict;
    options.rejects = args.rejects.clone();
    let bars = Bars::new();
    let report = import::run(&db, &auth, &config.key_encryption_key, &options, &bars)
        .await
        .map_err(|e| match e {
            ImportError::Engine(e) => fail(crate::error::public_message(&e)),
            other => fail(other.to_string()),
        })?;
    print_summary(&report, args.rejects.as_ref());
    if report.is_consistent() {
        Ok(())
    } else {
        Err(fail("verification failed: see the summary above".into()))
    }
}

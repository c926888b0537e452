//! The `badge-engine` command line: `serve`, `migrate` and the operator tools that grow around them.

pub mod scim_token;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod award_csv;
pub mod client_app;
pub mod credential;
pub mod import_mongo;

use crate::config::{Config, LogFormat};
use crate::{startup, telemetry};

/// Badge Engine: an Open Badges 3.0 issuer.
#[derive(Debug, Parser)]
#[command(name = "badge-engine", version, about)]
pub struct Cli {
    /// Write logs as JSON lines (same as LOG_FORMAT=json).
    #[arg(long, global = true)]
    pub log_json: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations, then serve the web app (with a job and e-mail worker unless
    /// WORKER=false) until SIGTERM or ctrl-c.
    Serve,
    /// Run only a job and e-mail worker (add as many as you like, on any machine).
    Worker,
    /// Apply pending database migrations and exit.
    Migrate {
        /// Create the database first when it does not exist yet.
        #[arg(long)]
        create_database: bool,
    },
    /// Create the demo issuer (with a signing key) and achievement if they are missing.
    SeedDemo,
    /// Give a role to everyone whose ID token carries a claim value: an Entra group object id
    /// (`groups` claim; also members of the SCIM group with that externalId) or, with
    /// `--kind app-role`, an app-role value (`roles` claim only). Idempotent. Use it to
    /// appoint the first admins.
    MapClaim {
        /// Group object id or app-role value.
        #[arg(long)]
        claim: String,
        /// Role name: admin, issuer_manager, awarder or viewer (or a custom role).
        #[arg(long)]
        role: String,
        /// Which claim the value is matched against.
        #[arg(long, value_enum, default_value = "group")]
        kind: crate::auth::bootstrap::ClaimKind,
    },
    /// Offline Open Badges 3.0 tools: verify, extract, bake, and (for development) keygen, sign.
    Credential(credential::CredentialArgs),
    /// Import the MongoDB version's data from a folder of `mongoexport` files.
    ImportMongo(import_mongo::ImportMongoArgs),
    /// Bulk award an achievement from a CSV file (checked first), with a progress bar.
    AwardCsv(award_csv::AwardCsvArgs),
    /// Register, list or revoke REST API client apps.
    ClientApp {
        /// What to do with client apps.
        #[command(subcommand)]
        command: client_app::ClientAppCommand,
    },
    /// Create, list or revoke SCIM bearer tokens for Entra provisioning.
    ScimToken {
        /// What to do with tokens.
        #[command(subcommand)]
        command: scim_token::ScimTokenCommand,
    },
}

/// Parses the command line, runs the command and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Credential tools are offline: they need no configuration, database or runtime.
    let cli = match cli.command {
        Command::Credential(args) => {
            return credential::run(args).unwrap_or_else(|e| fail(format!("{e:#}")));
        }
        command => Cli { command, ..cli },
    };
    // `.env` is a development convenience; real environment variables win.
    let _ = dotenvy::dotenv();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(format!("cannot start the async runtime: {e}")),
    };
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> ExitCode {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => return fail(e.to_string()),
    };
    telemetry::init(if cli.log_json {
        LogFormat::Json
    } else {
        config.log_format
    });
    let result = match cli.command {
        Command::Serve => startup::serve(config).await,
        Command::Worker => startup::work(config).await,
        Command::Migrate { create_database } => migrate(config, create_database).await,
        Command::SeedDemo => seed_demo(config).await,
        // Handled in `main` before configuration is loaded.
        Command::Credential(_) => Ok(()),
        Command::MapClaim { claim, role, kind } => {
            crate::auth::bootstrap::map_claim(config, &claim, &role, kind)
                .await
                .map_err(startup::StartupError::Command)
        }
        Command::ScimToken { command } => scim_token::run(config, command).await,
        Command::ClientApp { command } => client_app::run(config, command).await,
        Command::ImportMongo(args) => import_mongo::run(config, args).await,
        Command::AwardCsv(args) => award_csv::run(config, args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e.to_string()),
    }
}

async fn migrate(config: Config, create_database: bool) -> Result<(), startup::StartupError> {
    if create_database {
        startup::create_database_if_missing(&config).await?;
    }
    let db = startup::connect_database(&config).await?;
    startup::migrate(&db).await?;
    tracing::info!("migrations applied");
    Ok(())
}

async fn seed_demo(config: Config) -> Result<(), startup::StartupError> {
    let db = startup::connect_database(&config).await?;
    startup::migrate(&db).await?;
    let report = engine::seed::demo(&db, &config.key_encryption_key)
        .await
        .map_err(|e| startup::StartupError::Seed(e.to_string()))?;
    tracing::info!(?report, "demo data present");
    Ok(())
}

/// Prints one line for the operator and yields a failing exit code.
fn fail(message: String) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

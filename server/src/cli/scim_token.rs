//! `badge-engine scim-token create|list|revoke`: SCIM bearer tokens for Entra's provisioning
//! connector, without the admin UI. `create` prints the token once, alone on stdout, so
//! scripts can capture it; everything else goes to stderr.

use chrono::{DateTime, Duration, Utc};
use clap::Subcommand;
use engine::rbac::{Principal, can};
use uuid::Uuid;

use crate::config::Config;
use crate::startup::{self, StartupError};

/// `scim-token` subcommands.
#[derive(Debug, Subcommand)]
pub enum ScimTokenCommand {
    /// Create a token and print it once (paste it into Entra's "Secret Token").
    Create {
        /// A name to tell tokens apart, e.g. `entra-prod`.
        name: String,
        /// Expire the token after this many days (default: never).
        #[arg(long)]
        expires_in_days: Option<i64>,
    },
    /// List tokens with their last use.
    List,
    /// Revoke a token by id (idempotent).
    Revoke {
        /// Token id from `list`.
        id: Uuid,
    },
}

fn when(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M:%SZ").to_string())
        .unwrap_or_else(|| "-".into())
}

/// Runs a `scim-token` subcommand against the configured (already migrated) database.
pub async fn run(config: Config, command: ScimTokenCommand) -> Result<(), StartupError> {
    let db = startup::connect_database(&config).await?;
    let fail = |e: engine::Error| StartupError::Command(crate::error::public_message(&e));
    let auth = Principal::bypass_for_system_task("cli")
        .require::<can::ManageScimTokens>()
        .map_err(fail)?;
    match command {
        ScimTokenCommand::Create {
            name,
            expires_in_days,
        } => {
            if name.trim().is_empty() {
                return Err(StartupError::Command(
                    "the token name must not be blank".into(),
                ));
            }
            let expires_at = match expires_in_days {
                Some(d) if d > 0 => Some(Utc::now() + Duration::days(d)),
                Some(_) => {
                    return Err(StartupError::Command(
                        "--expires-in-days must be positive".into(),
                    ));
                }
                None => None,
            };
            let created = engine::scim_token::create(&db, &auth, &name, expires_at)
                .await
                .map_err(fail)?;
            eprintln!(
                "created SCIM token {:?} (id {}); it is shown only this once:",
                created.token.name, created.token.id
            );
            println!("{}", created.secret);
        }
        ScimTokenCommand::List => {
            let tokens = engine::scim_token::list(&db, &auth).await.map_err(fail)?;
            println!(
                "{:<36}  {:<20}  {:<12}  {:<20}  {:<20}  {:<20}  revoked",
                "id", "name", "prefix", "created", "last used", "expires"
            );
            for t in tokens {
                println!(
                    "{:<36}  {:<20}  {:<12}  {:<20}  {:<20}  {:<20}  {}",
                    t.id,
                    t.name,
                    t.prefix,
                    when(Some(t.created_at)),
                    when(t.last_used_at),
                    when(t.expires_at),
                    when(t.revoked_at)
                );
            }
        }
        ScimTokenCommand::Revoke { id } => {
            engine::scim_token::revoke(&db, &auth, id)
                .await
                .map_err(fail)?;
            eprintln!("revoked SCIM token {id}");
        }
    }
    Ok(())
}

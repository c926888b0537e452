//! `badge-engine client-app create|list|revoke`: REST API client apps without the admin page
//! (for scripts, first set-up and the API benchmark and fuzz run). `create` prints the client
//! id and the secret, once, as `<client_id> <secret>` alone on stdout; the rest goes to stderr.

use clap::Subcommand;
use engine::client_app::{ClientRoleInput, role};
use engine::rbac::{Permission, Principal, can};
use uuid::Uuid;

use crate::config::Config;
use crate::startup::{self, StartupError};

/// `client-app` subcommands.
#[derive(Debug, Subcommand)]
pub enum ClientAppCommand {
    /// Register an app owned by the user with `--owner` (username or e-mail) and give it one
    /// role with `--permissions` (comma-separated: view_admin, manage_achievements, award,
    /// revoke, manage_issuers, manage_jobs) on every issuer, or on `--issuer`.
    Create {
        /// The app's name.
        name: String,
        /// Username or e-mail of the owning user.
        #[arg(long)]
        owner: String,
        /// Permissions of the app's role.
        #[arg(long, value_delimiter = ',')]
        permissions: Vec<String>,
        /// Limit the role to this issuer (and its departments).
        #[arg(long)]
        issuer: Option<Uuid>,
    },
    /// List apps.
    List,
    /// Revoke an app by id (idempotent).
    Revoke {
        /// App id from `list`.
        id: Uuid,
    },
}

/// Runs a `client-app` subcommand against the configured (already migrated) database.
pub async fn run(config: Config, command: ClientAppCommand) -> Result<(), StartupError> {
    let db = startup::connect_database(&config).await?;
    let fail = |e: engine::Error| StartupError::Command(crate::error::public_message(&e));
    let auth = Principal::bypass_for_system_task("cli")
        .require::<can::ManageClientApps>()
        .map_err(fail)?;
    match command {
        ClientAppCommand::Create {
            name,
            owner,
            permissions,
            issuer,
        } => {
            let user = match engine::user::find_by_username(&db, &owner)
                .await
                .map_err(fail)?
            {
                Some(u) => Some(u),
                None => engine::user::find_by_email(&db, &owner)
                    .await
                    .map_err(fail)?,
            };
            let user = user.ok_or_else(|| {
                StartupError::Command(format!("no user has the username or e-mail `{owner}`"))
            })?;
            let permissions = permissions
                .iter()
                .map(|p| {
                    Permission::parse(p.trim())
                        .ok_or_else(|| StartupError::Command(format!("`{p}` is not a permission")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let created = engine::client_app::create(&db, &auth, user.id, &name, "", &[])
                .await
                .map_err(fail)?;
            if !permissions.is_empty() {
                role::create(
                    &db,
                    &auth,
                    created.app.id,
                    &ClientRoleInput {
                        name: "default".into(),
                        description: "Made by `badge-engine client-app create`".into(),
                        permissions,
                        issuer_ids: issuer.map(|i| vec![i]),
                    },
                )
                .await
                .map_err(fail)?;
            }
            eprintln!(
                "registered client app {:?}; its secret is shown only this once:",
                created.app.name
            );
            println!("{} {}", created.app.client_id, created.secret);
        }
        ClientAppCommand::List => {
            for app in engine::client_app::list(&db, &auth).await.map_err(fail)? {
                println!(
                    "{}  {:<30}  {}  {}",
                    app.client_id,
                    app.name,
                    app.secret_prefix,
                    if app.revoked_at.is_some() {
                        "revoked"
                    } else {
                        "active"
                    }
                );
            }
        }
        ClientAppCommand::Revoke { id } => {
            engine::client_app::revoke(&db, &auth, id)
                .await
                .map_err(fail)?;
            eprintln!("revoked client app {id}");
        }
    }
    Ok(())
}

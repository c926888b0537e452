//! `badge-engine credential …`: offline tools around the `openbadges` library — verify a
//! credential (JSON, baked PNG or baked SVG), extract or bake images, and for development
//! generate a did:key and sign an unsigned credential.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use openbadges::bake::{self, Baked, BakingIssue, ImageFormat, Payload};
use openbadges::keys::KeyPair;
use openbadges::proof::{ProofOptions, default_suite};
use openbadges::verify::{VerifyOptions, verify_json};

/// Work with Open Badges 3.0 credentials offline.
#[derive(Debug, Args)]
pub struct CredentialArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: CredentialCommand,
}

/// The credential subcommands.
#[derive(Debug, Subcommand)]
pub enum CredentialCommand {
    /// Verify a credential (JSON, baked PNG or baked SVG) and print the report, preceded by a
    /// `WARN` line for each Open Badges baking rule the image breaks; the exit status is
    /// non-zero when any check fails (baking warnings alone do not fail it).
    Verify {
        /// Credential JSON, or a PNG/SVG with a baked credential.
        file: PathBuf,
        /// Check validity dates at this time (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<DateTime<Utc>>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the credential baked into a PNG or SVG image (baking-rule warnings go to stderr).
    Extract {
        /// The baked image.
        image: PathBuf,
        /// Write the credential here instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Bake a credential into a PNG or SVG image (replacing any earlier one).
    Bake {
        /// The image (PNG or SVG).
        image: PathBuf,
        /// The signed credential JSON.
        credential: PathBuf,
        /// Where to write the baked image.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Development: generate an Ed25519 did:key and print it (with its secret) as JSON.
    Keygen {
        /// Write the key file here (created with owner-only permissions) instead of stdout.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Development: sign an unsigned credential with a key file from `keygen`.
    Sign {
        /// The unsigned credential JSON (its issuer id must be the key's DID).
        unsigned: PathBuf,
        /// Key file written by `keygen`.
        #[arg(long)]
        key: PathBuf,
        /// Write the signed credential here instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

/// Runs a credential subcommand.
pub fn run(args: CredentialArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        CredentialCommand::Verify { file, at, json } => verify(&file, at, json),
        CredentialCommand::Extract { image, output } => {
            let (credential, issues) = extract(&read(&image)?)?;
            for issue in &issues {
                eprintln!("warning: {issue}");
            }
            write_out(output.as_deref(), &credential)?;
            Ok(ExitCode::SUCCESS)
        }
        CredentialCommand::Bake {
            image,
            credential,
            output,
        } => {
            let credential = read(&credential)?;
            serde_json::from_slice::<serde_json::Value>(&credential)
                .context("the credential file is not JSON")?;
            let baked = bake::bake(&read(&image)?, &Payload::Json(credential))?;
            std::fs::write(&output, baked)
                .with_context(|| format!("cannot write {}", output.display()))?;
            Ok(ExitCode::SUCCESS)
        }
        CredentialCommand::Keygen { output } => {
            let key = KeyPair::generate();
            let text = serde_json::to_string_pretty(&serde_json::json!({
                "did": key.did(),
                "verificationMethod": key.verification_method(),
                "publicKeyMultibase": key.public_key().multibase(),
                "secretKeyMultibase": key.secret_multibase().as_str(),
            }))?;
            match output {
                Some(path) => write_secret(&path, text.as_bytes())?,
                None => println!("{text}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        CredentialCommand::Sign {
            unsigned,
            key,
            output,
        } => {
            let key_file: serde_json::Value = serde_json::from_slice(&read(&key)?)
                .context("the key file is not JSON (use `credential keygen`)")?;
            let secret = key_file
                .get("secretKeyMultibase")
                .and_then(|v| v.as_str())
                .context("the key file has no secretKeyMultibase")?;
            let key = KeyPair::from_secret_multibase(secret)?;
            let doc: serde_json::Value = serde_json::from_slice(&read(&unsigned)?)
                .context("the unsigned credential is not JSON")?;
            let signed = default_suite().sign(&doc, &key, &ProofOptions::at(Utc::now()))?;
            let mut text = serde_json::to_vec_pretty(&signed)?;
            text.push(b'\n');
            write_out(output.as_deref(), &text)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn verify(file: &Path, at: Option<DateTime<Utc>>, json: bool) -> anyhow::Result<ExitCode> {
    let bytes = read(file)?;
    let (credential, issues) = if ImageFormat::detect(&bytes).is_some() {
        extract(&bytes)?
    } else {
        (bytes, Vec::new())
    };
    let report = verify_json(&credential, &VerifyOptions::at(at.unwrap_or_else(Utc::now)));
    if json {
        let mut value = serde_json::to_value(&report)?;
        if let Some(object) = value.as_object_mut() {
            object.insert("bakingIssues".into(), serde_json::to_value(&issues)?);
        }
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        for issue in &issues {
            println!("WARN {:<22} {issue}", issue.rule());
        }
        println!("{report}");
    }
    Ok(if report.is_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The Open Badges 3.0 credential JSON baked into an image, and the baking rules the image
/// breaks.
fn extract(image: &[u8]) -> anyhow::Result<(Vec<u8>, Vec<BakingIssue>)> {
    let extracted = bake::extract(image)?;
    match extracted.baked {
        Baked::V3(Payload::Json(json)) => Ok((json, extracted.issues)),
        Baked::V3(Payload::Jws(_)) => {
            bail!(
                "the image holds a JWS-secured credential; only Data Integrity proofs are supported"
            )
        }
        Baked::V2(_) => {
            bail!("the image holds an Open Badges 2.0 assertion, not an Open Badges 3.0 credential")
        }
    }
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

fn write_out(path: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write as _;
    match path {
        Some(p) => {
            std::fs::write(p, bytes).with_context(|| format!("cannot write {}", p.display()))
        }
        None => std::io::stdout()
            .write_all(bytes)
            .context("cannot write to standard output"),
    }
}

fn write_secret(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {} (it must not exist yet)", path.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}

//! Writes benchmark fixtures for `badge-engine import-mongo`:
//! `cargo run --release -p engine --example mongo_fixtures -- <dir> <users> <roles-per-user> <credentials>`.
//! A few credentials are really signed; the rest reuse one proof (the import does not check
//! signatures, so this measures loading, not signing).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

#[path = "../tests/support/mongo_fixtures.rs"]
mod fixtures;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(users), Some(roles), Some(credentials)) =
        (args.get(1), args.get(2), args.get(3), args.get(4))
    else {
        anyhow::bail!("usage: mongo_fixtures <dir> <users> <roles-per-user> <credentials>");
    };
    let spec = fixtures::Spec {
        users: users.parse()?,
        roles_per_user: roles.parse()?,
        credentials: credentials.parse()?,
        signed: 10,
        layout: fixtures::Layout::Lines,
        mode: fixtures::Mode::Relaxed,
        bad_records: false,
    };
    let f = fixtures::write(std::path::Path::new(dir), &spec)?;
    println!(
        "wrote {} users, {} role links, {} credentials to {dir}",
        f.users, f.role_links, f.credentials
    );
    Ok(())
}

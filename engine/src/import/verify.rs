//! The final verification: every foreign key of the tables an import writes is checked for
//! orphans, and each table's rows are counted against what the source promised.

use sqlx::PgConnection;

use super::Collection;

/// One target table of one collection.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TableCount {
    /// Source collection.
    pub collection: &'static str,
    /// Target table.
    pub table: &'static str,
    /// Valid rows (or join entries) in the source, after rejects.
    pub source: i64,
    /// Rows that should be in the table for them.
    pub expected: i64,
    /// Rows this run inserted (0 on a re-run).
    pub inserted: i64,
    /// Rows for them found in the table afterwards.
    pub present: i64,
}

impl TableCount {
    pub(super) fn new(
        c: Collection,
        table: &'static str,
        staged: i64,
        inserted: u64,
        present: i64,
    ) -> Self {
        TableCount {
            collection: c.name(),
            table,
            source: staged,
            expected: staged,
            inserted: i64::try_from(inserted).unwrap_or(i64::MAX),
            present,
        }
    }

    /// The table holds exactly what the source promised.
    pub fn matches(&self) -> bool {
        self.present == self.expected
    }
}

/// Rows breaking one foreign key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ForeignKeyCheck {
    /// `table.column → table`.
    pub name: String,
    /// Rows whose reference points nowhere.
    pub orphans: i64,
}

/// Counts orphans of every foreign key the import's tables carry (and of `legacy_ids`).
/// PostgreSQL enforces them, so anything but zero means a constraint was bypassed.
pub(super) async fn foreign_keys(
    conn: &mut PgConnection,
) -> Result<Vec<ForeignKeyCheck>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select name as "name!", orphans as "orphans!" from (
             select 'user_roles.user_id → users' as name, count(*) as orphans from user_roles x
               where not exists (select 1 from users y where y.id = x.user_id)
             union all select 'user_roles.role_id → roles', count(*) from user_roles x
               where not exists (select 1 from roles y where y.id = x.role_id)
             union all select 'oauth_client_apps.owner_id → users', count(*) from oauth_client_apps x
               where not exists (select 1 from users y where y.id = x.owner_id)
             union all select 'client_roles.client_id → oauth_client_apps', count(*) from client_roles x
               where not exists (select 1 from oauth_client_apps y where y.id = x.client_id)
             union all select 'client_role_users.client_role_id → client_roles', count(*) from client_role_users x
               where not exists (select 1 from client_roles y where y.id = x.client_role_id)
             union all select 'client_role_users.user_id → users', count(*) from client_role_users x
               where not exists (select 1 from users y where y.id = x.user_id)
             union all select 'issuers.parent_id → issuers', count(*) from issuers x
               where x.parent_id is not null and not exists (select 1 from issuers y where y.id = x.parent_id)
             union all select 'signing_keys.issuer_id → issuers', count(*) from signing_keys x
               where not exists (select 1 from issuers y where y.id = x.issuer_id)
             union all select 'achievements.issuer_id → issuers', count(*) from achievements x
               where not exists (select 1 from issuers y where y.id = x.issuer_id)
             union all select 'achievement_alignments.achievement_id → achievements', count(*) from achievement_alignments x
               where not exists (select 1 from achievements y where y.id = x.achievement_id)
             union all select 'achievement_result_descriptions.achievement_id → achievements', count(*)
               from achievement_result_descriptions x
               where not exists (select 1 from achievements y where y.id = x.achievement_id)
             union all select 'rubric_criterion_levels.result_description_id → achievement_result_descriptions', count(*)
               from rubric_criterion_levels x
               where not exists (select 1 from achievement_result_descriptions y where y.id = x.result_description_id)
             union all select 'credentials.(achievement_id, issuer_id) → achievements', count(*) from credentials x
               where not exists (select 1 from achievements y where y.id = x.achievement_id and y.issuer_id = x.issuer_id)
             union all select 'credentials.issuer_id → issuers', count(*) from credentials x
               where not exists (select 1 from issuers y where y.id = x.issuer_id)
             union all select 'credentials.recipient_user_id → users', count(*) from credentials x
               where x.recipient_user_id is not null and not exists (select 1 from users y where y.id = x.recipient_user_id)
             union all select 'endorsements.issuer_id → issuers', count(*) from endorsements x
               where x.issuer_id is not null and not exists (select 1 from issuers y where y.id = x.issuer_id)
             union all select 'endorsements.achievement_id → achievements', count(*) from endorsements x
               where x.achievement_id is not null and not exists (select 1 from achievements y where y.id = x.achievement_id)
             union all select 'endorsements.credential_id → credentials', count(*) from endorsements x
               where x.credential_id is not null and not exists (select 1 from credentials y where y.id = x.credential_id)
             union all select 'legacy_ids users, accounts → users', count(*) from legacy_ids l
               where l.collection in ('users', 'accounts') and not exists (select 1 from users y where y.id = l.id)
             union all select 'legacy_ids oauthClientApps → oauth_client_apps', count(*) from legacy_ids l
               where l.collection in ('oauthClientApps') and not exists (select 1 from oauth_client_apps y where y.id = l.id)
             union all select 'legacy_ids oauthRoles → client_roles', count(*) from legacy_ids l
               where l.collection in ('oauthRoles') and not exists (select 1 from client_roles y where y.id = l.id)
             union all select 'legacy_ids Profile → issuers', count(*) from legacy_ids l
               where l.collection in ('Profile') and not exists (select 1 from issuers y where y.id = l.id)
             union all select 'legacy_ids Multikey → signing_keys', count(*) from legacy_ids l
               where l.collection in ('Multikey') and not exists (select 1 from signing_keys y where y.id = l.id)
             union all select 'legacy_ids Achievement → achievements', count(*) from legacy_ids l
               where l.collection in ('Achievement') and not exists (select 1 from achievements y where y.id = l.id)
             union all select 'legacy_ids ResultDescription → achievement_result_descriptions', count(*) from legacy_ids l
               where l.collection in ('ResultDescription') and not exists (select 1 from achievement_result_descriptions y where y.id = l.id)
             union all select 'legacy_ids RubricCriterionLevel → rubric_criterion_levels', count(*) from legacy_ids l
               where l.collection in ('RubricCriterionLevel') and not exists (select 1 from rubric_criterion_levels y where y.id = l.id)
             union all select 'legacy_ids AchievementCredential → credentials', count(*) from legacy_ids l
               where l.collection in ('AchievementCredential') and not exists (select 1 from credentials y where y.id = l.id)
             union all select 'legacy_ids EndorsementCredential → endorsements', count(*) from legacy_ids l
               where l.collection in ('EndorsementCredential') and not exists (select 1 from endorsements y where y.id = l.id)
           ) checks"#
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ForeignKeyCheck {
            name: r.name,
            orphans: r.orphans,
        })
        .collect())
}

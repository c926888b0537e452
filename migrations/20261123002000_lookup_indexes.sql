-- Indexes for the remaining lookups: the admin user search (case-insensitive substring of
-- username, e-mail or display name) and the foreign keys whose ON DELETE SET NULL would
-- otherwise scan their table whenever a user row is deleted.
create index users_search_trgm on users using gin (
    (lower(username) || ' ' || coalesce(lower(email), '') || ' ' || coalesce(lower(display_name), ''))
    gin_trgm_ops
) where deleted_at is null;
create index user_roles_granted_by_idx on user_roles (granted_by) where granted_by is not null;
create index scim_tokens_created_by_idx on scim_tokens (created_by) where created_by is not null;
create index achievements_created_by_idx on achievements (created_by) where created_by is not null;

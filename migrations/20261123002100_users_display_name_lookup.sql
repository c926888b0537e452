-- SCIM `displayName eq "…"` on Users (caseExact false) is answered through this index instead
-- of reading every live user; display names are not unique, so neither is the index.
create index users_display_name_idx on users (lower(display_name)) where deleted_at is null;

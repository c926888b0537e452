-- Re-issuing credentials of the earlier system's shape (https issuer id, bare did:key
-- verification method) under the issuer's DID: the old row points at its successor.
alter table credentials add column superseded_by uuid references credentials (id) on delete set null;
alter table credentials add constraint credentials_superseded_is_revoked check (superseded_by is null or revoked_at is not null);
create index credentials_superseded_by_idx on credentials (superseded_by) where superseded_by is not null;

-- True for a credential document in the earlier system's shape, which strict verifiers refuse.
create function credential_is_old_shape(c jsonb) returns boolean
language sql immutable parallel safe as $$
    select coalesce(c->'issuer'->>'id', c->>'issuer') like 'http%'
       and coalesce(c->'proof'->>'verificationMethod', c->'proof'->0->>'verificationMethod') like 'did:key:%'
       and position('#' in coalesce(c->'proof'->>'verificationMethod', c->'proof'->0->>'verificationMethod')) = 0
$$;
-- The imported credentials still to re-issue, per issuer.
create index credentials_old_shape_idx on credentials (issuer_id, achievement_id, id)
    where credential_source is not null and revoked_at is null and credential_is_old_shape(credential);

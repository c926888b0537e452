-- API callers are client apps or, with API_ENTRA_AUDIENCE, Entra apps (a stable UUIDv5 of
-- tenant and app id, with no row here): stored answers are keyed by caller, not by app row.
-- They expire after 24 hours either way (engine::idempotency::purge_expired).
alter table api_idempotency drop constraint api_idempotency_client_id_fkey;

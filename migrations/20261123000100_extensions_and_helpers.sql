-- Extensions and helper functions used by every later migration.
-- pg_trgm: case-insensitive substring search over award recipients.
create extension if not exists pg_trgm;

-- UUIDv7 (RFC 9562) for rows created by SQL (seed rows, bulk scripts). The application
-- normally generates ids itself with `uuid::Uuid::now_v7()`; both sort by creation time,
-- which keeps B-tree inserts at the right-hand edge of the index.
create or replace function uuid_generate_v7() returns uuid
language sql volatile parallel safe as $$
  select encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
              placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
              from 1 for 6),
      52, 1), 53, 1),
    'hex')::uuid;
$$;

-- Keeps `updated_at` truthful whoever updates the row (application, psql, scripts).
create or replace function set_updated_at() returns trigger
language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

-- True for an Open Badges extensible-enumeration extension term such as `ext:MyType`.
create or replace function is_ob_extension_term(value text) returns boolean
language sql immutable parallel safe as $$
  select value ~ '^ext:[A-Za-z0-9._-]+$';
$$;

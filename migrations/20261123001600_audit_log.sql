-- Append-only record of every administrative change, award and revocation.
create table audit_log (
    id            uuid primary key default uuid_generate_v7(),
    at            timestamptz not null default now(),
    actor_user_id uuid references users (id) on delete set null,
    -- who it was, kept even after the user row is gone (username, `scim:<token name>`, `system`).
    actor_label   text not null constraint audit_log_actor_label_not_blank check (length(btrim(actor_label)) > 0),
    action        text not null constraint audit_log_action_format check (action ~ '^[a-z_]+\.[a-z_]+$'),
    entity_type   text not null constraint audit_log_entity_type_format check (entity_type ~ '^[a-z_]+$'),
    entity_id     uuid,
    before        jsonb,
    after         jsonb
);
create index audit_log_at_idx on audit_log (at desc);
create index audit_log_entity_idx on audit_log (entity_type, entity_id, at desc);
create index audit_log_actor_idx on audit_log (actor_user_id, at desc) where actor_user_id is not null;

-- Refuse UPDATE, DELETE and TRUNCATE. The only update allowed is the one the
-- `actor_user_id ... on delete set null` foreign key performs itself.
create or replace function audit_log_refuse_change() returns trigger
language plpgsql as $$
begin
    if tg_op = 'UPDATE'
       and new.actor_user_id is null
       and old.actor_user_id is not null
       and (new.id, new.at, new.actor_label, new.action, new.entity_type, new.entity_id, new.before, new.after)
           is not distinct from
           (old.id, old.at, old.actor_label, old.action, old.entity_type, old.entity_id, old.before, old.after)
    then
        return new;
    end if;
    raise exception 'audit_log is append-only'
        using errcode = 'restrict_violation', constraint = 'audit_log_append_only';
end;
$$;
create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_refuse_change();

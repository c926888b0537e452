-- A claim mapping says which claim it matches: an Entra group object id (the ID token's
-- `groups` claim, and SCIM groups whose externalId it is) or an app-role value (the `roles`
-- claim only). Before, one value matched both, so a SCIM client could create a group whose
-- externalId equals an admin-mapped app-role value and hand itself that role.
alter table group_roles add column claim_kind text
    constraint group_roles_claim_kind_known check (claim_kind in ('group', 'app_role'));

-- Existing mappings: GUID-shaped values are Entra group ids, anything else an app-role value.
update group_roles
   set claim_kind = case
       when claim_value ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then 'group'
       else 'app_role' end
 where claim_value is not null;

alter table group_roles add constraint group_roles_claim_kind_present
    check ((claim_value is null) = (claim_kind is null));

drop index group_roles_claim_role_key;
create unique index group_roles_claim_role_key on group_roles (claim_kind, claim_value, role_id)
    where claim_value is not null;

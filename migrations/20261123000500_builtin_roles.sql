-- Built-in permissions and roles (admin, issuer_manager, awarder, viewer).
insert into permissions (name, description) values
    ('manage_users',        'Create, edit and deactivate users; grant roles to users'),
    ('manage_roles',        'Create and edit roles and group-to-role mappings'),
    ('manage_scim_tokens',  'Create and revoke SCIM provisioning tokens'),
    ('manage_client_apps',  'Register and manage OAuth client applications'),
    ('manage_issuers',      'Create and edit issuer profiles and their signing keys'),
    ('manage_achievements', 'Create and edit achievements'),
    ('award',               'Award credentials and re-send award notifications'),
    ('revoke',              'Revoke awarded credentials'),
    ('view_admin',          'Read-only access to the administration pages')
on conflict (name) do nothing;

insert into roles (name, description, built_in) values
    ('admin',          'Everything, including users, roles, SCIM tokens and client apps', true),
    ('issuer_manager', 'Manage issuers and achievements', true),
    ('awarder',        'Award, revoke and re-send credentials', true),
    ('viewer',         'Read-only administration', true)
on conflict do nothing;

insert into role_permissions (role_id, permission)
select r.id, p.permission
from roles r
join (values
    ('admin', 'manage_users'), ('admin', 'manage_roles'), ('admin', 'manage_scim_tokens'),
    ('admin', 'manage_client_apps'), ('admin', 'manage_issuers'), ('admin', 'manage_achievements'),
    ('admin', 'award'), ('admin', 'revoke'), ('admin', 'view_admin'),
    ('issuer_manager', 'manage_issuers'), ('issuer_manager', 'manage_achievements'),
    ('issuer_manager', 'view_admin'),
    ('awarder', 'award'), ('awarder', 'revoke'), ('awarder', 'view_admin'),
    ('viewer', 'view_admin')
) as p (role, permission) on p.role = r.name
on conflict do nothing;

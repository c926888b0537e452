# Badge Engine — English texts of the admin pages (/admin/…).

## Shared (admin/mod.rs)
admin-invalid-id = That id is not valid.
admin-nav-label = Administration
admin-nav-dashboard = Dashboard
admin-nav-issuers = Issuers
admin-nav-awards = Awards
admin-nav-jobs = Jobs
admin-nav-outbox = Outbox
admin-nav-audit = Audit log
admin-nav-users = Users
admin-nav-roles = Role mappings
admin-nav-scim-tokens = SCIM tokens
admin-nav-client-apps = Client apps
admin-nav-wallets = Wallets
admin-nav-import = Import

## Dashboard
admin-dashboard-title = Administration
admin-dashboard-welcome = Welcome, { $name }
admin-dashboard-roles = Your roles: { $roles }.
admin-dashboard-issuers = Issuers ({ $count })
admin-dashboard-no-issuers = No issuers yet.
admin-dashboard-all-issuers = All issuers
admin-dashboard-new-issuer = New issuer
admin-dashboard-people = People
admin-dashboard-users = Users and sessions
admin-dashboard-roles-link = Role mappings
admin-dashboard-latest = Latest awards
admin-dashboard-all-awards = All awards →

## Jobs
admin-jobs-title = Jobs
admin-jobs-heading = Background jobs
admin-jobs-lead = Bulk awards and imports run here. A failed job is retried with growing pauses; after its last attempt it waits here for you.
admin-jobs-status = Status
admin-jobs-filter-all = All
admin-jobs-filter-queued = Queued
admin-jobs-filter-running = Running
admin-jobs-filter-failed = Failed
admin-jobs-filter-succeeded = Succeeded
admin-jobs-filter-cancelled = Cancelled
admin-jobs-filter = Filter
admin-jobs-loading = Loading jobs…
admin-jobs-none = No jobs.
admin-jobs-col-job = Job
admin-jobs-col-status = Status
admin-jobs-col-progress = Progress
admin-jobs-col-attempts = Attempts
admin-jobs-worker = worker { $worker }
admin-jobs-next-attempt = next attempt { $when }
admin-jobs-retry = Retry
admin-jobs-cancel = Cancel
admin-jobs-attempts-of = { $attempts } of { $max }
admin-jobs-unknown-action = Unknown action.
admin-jobs-kind-bulk-award = bulk award
admin-jobs-kind-import-mongo = import mongo
admin-jobs-kind-reissue-legacy = reissue legacy
admin-jobs-status-queued = queued
admin-jobs-status-running = running
admin-jobs-status-succeeded = succeeded
admin-jobs-status-failed = failed
admin-jobs-status-cancelled = cancelled

## Outbox
admin-outbox-title = Outbox
admin-outbox-heading = Outbox
admin-outbox-dev-before = Development mode: messages are written as .eml files to{" "}
admin-outbox-dev-after = {" "}instead of being sent. Set SMTP_URL to send them.
admin-outbox-none = No e-mail yet.
admin-outbox-col-to = To
admin-outbox-col-subject = Subject
admin-outbox-col-status = Status
admin-outbox-col-queued = Queued
admin-outbox-delivered = delivered { $when }
admin-outbox-attempts = { $count ->
    [one] { $count } attempt: { $error }
   *[other] { $count } attempts: { $error }
}
admin-outbox-waiting = waiting
admin-outbox-status-queued = queued
admin-outbox-status-sending = sending
admin-outbox-status-sent = sent
admin-outbox-status-failed = failed

## Audit log
admin-audit-title = Audit log
admin-audit-who = Who
admin-audit-who-placeholder = Name
admin-audit-about = About
admin-audit-about-anything = Anything
admin-audit-about-issuers = Issuers
admin-audit-about-achievements = Achievements
admin-audit-about-awards = Awards
admin-audit-about-bulk-awards = Bulk awards
admin-audit-about-users = Users
admin-audit-about-roles = Roles
admin-audit-about-groups = Groups
admin-audit-about-jobs = Jobs
admin-audit-action = Action
admin-audit-action-placeholder = e.g. credential.revoke
admin-audit-from = From
admin-audit-to = To
admin-audit-filter = Filter
admin-audit-none = Nothing matches.
admin-audit-col-field = Field
admin-audit-col-before = Before
admin-audit-col-after = After
admin-audit-entity = { $kind } { $id }
admin-audit-kind-achievement = achievement
admin-audit-kind-bulk-award = bulk_award
admin-audit-kind-client-app = client_app
admin-audit-kind-credential = credential
admin-audit-kind-group = group
admin-audit-kind-import = import
admin-audit-kind-issuer = issuer
admin-audit-kind-job = job
admin-audit-kind-role = role
admin-audit-kind-role-mapping = role_mapping
admin-audit-kind-scim-token = scim_token
admin-audit-kind-session = session
admin-audit-kind-user = user

## Users
admin-users-title = Users
admin-users-heading = Users and sessions
admin-users-search = Search
admin-users-search-placeholder = name, username or e-mail
admin-users-col-user = User
admin-users-col-status = Status
admin-users-col-last-sign-in = Last sign-in
admin-users-col-sessions = Active sessions
admin-users-active = active
admin-users-deactivated = deactivated
admin-users-never = never
admin-users-this-session = (this session)
admin-users-revoke = Revoke
admin-users-revoke-all = Revoke all

## Role mappings
admin-roles-title = Role mappings
admin-roles-heading = Group → role mappings
admin-roles-lead = Members of an Entra group (by object id, from the token's groups claim or SCIM provisioning) or holders of an app role (its value, from the roles claim only) receive the mapped role at their next request.
admin-roles-col-source = Source
admin-roles-col-role = Role
admin-roles-remove = Remove
admin-roles-add-heading = Add a mapping
admin-roles-matched-against = Matched against
admin-roles-kind-group = Entra group (object id, from the groups claim or SCIM)
admin-roles-kind-app-role = App role (value, from the roles claim)
admin-roles-claim-value = Group object id or app-role value
admin-roles-role = Role
admin-roles-add = Add mapping
admin-roles-source-entra-group = Entra group { $group }
admin-roles-source-app-role = app role { $role }
admin-roles-source-scim-group = SCIM group { $group }
admin-roles-claim-value-invalid = Give a group object id or app-role value (at most 200 characters).
admin-roles-claim-kind-invalid = Choose whether the value is an Entra group or an app role.

## SCIM tokens
admin-scim-title = SCIM tokens
admin-scim-heading = SCIM provisioning tokens
admin-scim-created-before = Token{" "}
admin-scim-created-after = {" "}created. Copy it now — it will not be shown again:
admin-scim-name = Name
admin-scim-create = Create token
admin-scim-col-name = Name
admin-scim-col-prefix = Prefix
admin-scim-col-created = Created
admin-scim-col-last-used = Last used
admin-scim-col-status = Status
admin-scim-never = never
admin-scim-revoked = revoked { $when }
admin-scim-revoke = Revoke
admin-scim-name-invalid = Give the token a name (at most 100 characters).

## Wallets
admin-wallets-title = Wallets
admin-wallets-lead = Wallets and backpacks register themselves through the Open Badges API and reach an earner's badges only after that earner signs in and agrees. Earners see them under “Connected apps” on My badges and can disconnect them. Block a wallet here to end every earner's connection to it.
admin-wallets-blocked-notice = Wallet blocked. Its tokens no longer work.
admin-wallets-none = No wallets have registered yet
admin-wallets-none-hint = A wallet starts from the API's discovery document:
admin-wallets-discovery = Discovery document for wallets:{" "}
admin-wallets-col-wallet = Wallet
admin-wallets-col-scopes = May ask for
admin-wallets-col-returns-to = Returns to
admin-wallets-col-earners = Earners
admin-wallets-col-added = Badges added
admin-wallets-col-last-active = Last active
admin-wallets-block-label = Block { $wallet }
admin-wallets-block = Block
admin-wallets-blocked = blocked { $when }
admin-wallets-registered = registered { $when }
admin-wallets-never = never

## Issuers
admin-issuers-title = Issuers
admin-issuers-new = New issuer
admin-issuers-lead = Organisations and their departments. Each issuer signs its badges with its own key.
admin-issuers-search-label = Search issuers
admin-issuers-search-placeholder = Search by name
admin-issuers-search = Search
admin-issuers-loading = Loading issuers…
admin-issuers-none = No issuers yet
admin-issuers-none-text = An issuer is the organisation (or department) whose name appears on the badges it awards.
admin-issuers-create-first = Create the first issuer
admin-issuers-col-issuer = Issuer
admin-issuers-col-identity = Identity
admin-issuers-col-achievements = Achievements
admin-issuers-department = {" "}(department)

## New issuer
admin-issuer-new-title = New issuer
admin-issuer-new-breadcrumb = {" "}› New
admin-issuer-new-lead = The issuer's name, logo and contact details appear on every badge it awards. A signing key is created for it automatically.
admin-issuer-new-creating = Creating…
admin-issuer-new-create = Create issuer
admin-issuer-new-cancel = Cancel

## Issuer form (issuer_form.rs)
admin-issuer-form-parent-invalid = Choose a parent organisation from the list.
admin-issuer-form-ident-identifier = Identifier
admin-issuer-form-ident-sourced-id = Sourced id
admin-issuer-form-ident-system-id = System id
admin-issuer-form-ident-national-identity-number = National registry number
admin-issuer-form-ident-lis-sourced-id = LIS sourced id
admin-issuer-form-ident-one-roster-sourced-id = OneRoster sourced id
admin-issuer-form-ident-sis-sourced-id = SIS sourced id
admin-issuer-form-ident-lti-platform-id = LTI platform id
admin-issuer-form-no-parent = None — a top-level organisation
admin-issuer-form-profile = Profile
admin-issuer-form-logo = Logo
admin-issuer-form-logo-hint = PNG, JPEG, WebP, GIF or SVG, at most 5 MB; it is fitted into a square.
admin-issuer-form-address = Address
admin-issuer-form-organisation = Organisation
admin-issuer-form-other-identifiers = Other identifiers
admin-issuer-form-other-identifiers-hint = Registry numbers or ids in other systems, included in the issuer profile of every badge.
admin-issuer-form-ident-type = Identifier { $n } type
admin-issuer-form-ident-value = Identifier { $n } value
admin-issuer-form-ident-placeholder = e.g. 12345678
admin-issuer-form-identity = Identity
admin-issuer-form-identity-hint = How verifiers recognise the issuer's signature. It cannot be changed later.
admin-issuer-form-did-key = {" "}— self-contained; a new key gets a new identifier. Works everywhere, nothing to host.
admin-issuer-form-did-web = {" "}— a stable identifier under this site's address; old and new keys are published together.

## Image field (issuer_form.rs ImageField)
admin-image-none = No image
admin-image-chosen = Chosen image
admin-image-upload = Upload an image
admin-image-uploading = Uploading…
admin-image-url = …or image address

## Issuer page (issuer_edit.rs)
admin-issuer-title = Issuer
admin-issuer-loading = Loading issuer…
admin-issuer-achievements = Achievements
admin-issuer-awards = Awards
admin-issuer-public-page = Public page
admin-issuer-created = Issuer created, with its own signing key. Next: add achievements or give colleagues a role.
admin-issuer-profile = Profile
admin-issuer-saved = Saved.
admin-issuer-saving = Saving…
admin-issuer-save = Save profile
admin-issuer-view-only = You may view this issuer; its owners and administrators edit it.
admin-issuer-departments = Departments
admin-issuer-no-departments = No departments.
admin-issuer-add-department = Add a department
admin-issuer-identity = Identity
admin-issuer-named-as = Badges name this issuer as
admin-issuer-did-document = DID document:{" "}
admin-issuer-keys = Signing keys
admin-issuer-col-key = Signing key
admin-issuer-col-created = Created
admin-issuer-col-status = Status
admin-issuer-key-signing = signing
admin-issuer-key-retired = retired { $when }
admin-issuer-keys-hint = Compare the fingerprint with what your organisation recorded to check the key out of band. Badges signed with retired keys keep verifying.
admin-issuer-rotate-confirm = Replace the signing key: new badges are signed with a new key.
admin-issuer-new-key = New key in use:{" "}
admin-issuer-rotate = Rotate key
admin-issuer-rotate-confirm-missing = Tick the box to confirm the rotation.
admin-issuer-staff = Staff
admin-issuer-staff-hint = Roles on this issuer and its departments, in addition to roles from Entra groups.
admin-issuer-staff-none = Nobody has a role on this issuer yet.
admin-issuer-staff-group = group
admin-issuer-staff-remove-label = Remove { $name } as { $role }
admin-issuer-staff-remove = Remove
admin-issuer-staff-search-label = Add someone: search people or groups
admin-issuer-staff-search-placeholder = Name or e-mail
admin-issuer-staff-search = Search
admin-issuer-staff-nobody-found = Nobody found. Only people provisioned from Entra (or who signed in) can be chosen.
admin-issuer-staff-role = Role
admin-issuer-staff-option-awarder = Awarder
admin-issuer-staff-option-editor = Editor
admin-issuer-staff-option-owner = Owner
admin-issuer-staff-grant = Grant
admin-issuer-staff-roles-hint = Owner: profile, keys, staff, achievements and awards. Editor: achievements. Awarder: awards.
admin-issuer-staff-role-invalid = Choose owner, editor or awarder.
admin-issuer-staff-grantee-invalid = Choose a person or group from the search results.
admin-issuer-role-owner = owner
admin-issuer-role-editor = editor
admin-issuer-role-awarder = awarder
admin-issuer-role-help-owner = edits the profile, keys and staff, defines achievements and awards
admin-issuer-role-help-editor = defines and edits achievements
admin-issuer-role-help-awarder = awards, revokes and re-sends badges

## Achievements (list)
admin-achievement-status-draft = draft
admin-achievement-status-active = active
admin-achievement-status-archived = archived
admin-achievements-title = Achievements
admin-achievements-loading = Loading achievements…
admin-achievements-breadcrumb = {" "}› Achievements
admin-achievements-new = New achievement
admin-achievements-search-label = Search achievements
admin-achievements-search-placeholder = Name or tag
admin-achievements-status = Status
admin-achievements-filter-current = Drafts and active
admin-achievements-filter-active = Active
admin-achievements-filter-drafts = Drafts
admin-achievements-filter-archived = Archived
admin-achievements-filter = Filter
admin-achievements-none = No achievements yet
admin-achievements-no-match = Nothing matches
admin-achievements-none-text = An achievement describes what earners did to earn a badge: its name, image and criteria.
admin-achievements-create = Create an achievement
admin-achievements-awarded = { $count } awarded

## Achievement page (achievement.rs)
admin-achievement-title = Achievement
admin-achievement-result-none = — none —
admin-achievement-result-value = { $result } (enter a value below)
admin-achievement-result-level = { $result }: { $level }
admin-achievement-date-invalid = Give a date such as 2030-12-31.
admin-achievement-result-invalid = Choose a result from the list.
admin-achievement-unknown-action = Unknown action.
admin-achievement-published = Published: it can now be awarded.
admin-achievement-edit = Edit
admin-achievement-bulk-award = Bulk award (CSV)
admin-achievement-public-page = Public page
admin-achievement-draft-before = This is a draft.{" "}
admin-achievement-draft-link = Preview and publish it
admin-achievement-draft-after = {" "}to award it.
admin-achievement-archived = Archived: it can no longer be awarded. Badges already awarded stay valid.
admin-achievement-bulk-awards = Bulk awards
admin-achievement-bulk-by = {" "}by { $by } · { $status }
admin-achievement-latest = Latest awards
admin-achievement-all-awards = All awards of this achievement →
admin-achievement-award-heading = Award to someone
admin-achievement-awarded-to = Awarded to{" "}
admin-achievement-email-on-its-way = The e-mail with the claim link is on its way.{" "}
admin-achievement-view-credential = View the credential
admin-achievement-result = Result
admin-achievement-evidence-summary = Evidence, dates and expiry
admin-achievement-notify = E-mail the earner a claim link
admin-achievement-signing = Signing…
admin-achievement-award = Award badge
admin-achievement-manage = Manage
admin-achievement-duplicate = Duplicate
admin-achievement-restore = Restore
admin-achievement-archive = Archive
admin-achievement-delete = Delete
admin-achievement-manage-hint = Archiving stops new awards; badges already awarded stay valid. Only an achievement that was never awarded can be deleted.

## Awards (awards.rs)
admin-awards-email-failed = e-mail failed: { $error }
admin-awards-email-retrying = e-mail retrying: { $error }
admin-awards-email-status = e-mail { $status }
admin-awards-none = No awards match.
admin-awards-col-earner = Earner
admin-awards-col-achievement = Achievement
admin-awards-col-issued = Issued
admin-awards-col-status = Status
admin-awards-title = Awards
admin-awards-export = Export CSV
admin-awards-search = Search
admin-awards-search-placeholder = Part of a name or e-mail (3+ characters)
admin-awards-status = Status
admin-awards-filter-all = All
admin-awards-filter-unclaimed = Unclaimed
admin-awards-filter-claimed = Claimed
admin-awards-filter-suspended = Suspended
admin-awards-filter-revoked = Revoked
admin-awards-filter-expired = Expired
admin-awards-filter = Filter
admin-awards-loading = Loading awards…
admin-awards-showing = Showing awards of{" "}
admin-awards-show-all = Show all

## One award (credential.rs)
admin-credential-title = Award
admin-credential-email-delivered = delivered { $when }
admin-credential-email-attempts = { $count ->
    [one] { $count } attempt; last error: { $error }
   *[other] { $count } attempts; last error: { $error }
}
admin-credential-email-next = next attempt { $when }
admin-credential-email = E-mail
admin-credential-issued = Issued
admin-credential-expires = Expires
admin-credential-never = never
admin-credential-accepted = Accepted
admin-credential-not-yet = not yet
admin-credential-public-page = Public page
admin-credential-public = shown to everyone
admin-credential-private = private (earner's choice)
admin-credential-revoked-because = Revoked because
admin-credential-open-page = Open the credential page
admin-credential-emails = E-mails
admin-credential-no-emails = No e-mail was sent for this award.
admin-credential-resend = Send the claim e-mail again
admin-credential-resend-queued = Queued; it goes out within seconds.
admin-credential-suspend-or-revoke = Suspend or revoke
admin-credential-suspended = Suspended: verifiers report it as not valid until you lift the suspension.
admin-credential-unsuspend = Lift the suspension
admin-credential-suspend = Suspend
admin-credential-revoke = Revoke permanently

## Bulk award (bulk_award.rs)
admin-bulk-title = Bulk award
admin-bulk-breadcrumb = {" "}› Bulk award
admin-bulk-heading = Bulk award: { $name }
admin-bulk-problems = { $count ->
    [one] { $count } problem in { $file } — nothing was awarded
   *[other] { $count } problems in { $file } — nothing was awarded
}
admin-bulk-problems-hint = Correct these rows in your spreadsheet and upload the file again.
admin-bulk-col-row = Row
admin-bulk-col-column = Column
admin-bulk-col-problem = Problem
admin-bulk-col-name = Name
admin-bulk-col-email = E-mail
admin-bulk-more-problems = … and { $count } more.
admin-bulk-prepare = 1. Prepare the file
admin-bulk-prepare-required = A CSV with a header line and one earner per row. Required columns:{" "}
admin-bulk-prepare-optional = {"."} Optional:{" "}
admin-bulk-prepare-date = {" "}(YYYY-MM-DD).
admin-bulk-levels-before = The{" "}
admin-bulk-levels-after = {" "}column takes one of: { $levels }.
admin-bulk-format = UTF-8 (with or without BOM), comma or semicolon separated; at most { $max } rows. Every row is checked before anything is awarded.
admin-bulk-template = Download the template
admin-bulk-upload = 2. Upload it
admin-bulk-file = CSV file
admin-bulk-award-again = Award again to people who already received it from this file
admin-bulk-check = Check the file
admin-bulk-all-correct = All { $count } rows are correct.
admin-bulk-already = {" "}{ $count } of them were awarded from the same data before and will be skipped.
admin-bulk-first-rows = First rows
admin-bulk-confirm = Award { $count } badges and send the e-mails
admin-bulk-upload-another = Upload another file
admin-bulk-queued = Waiting for a worker…
admin-bulk-running = Signing and storing the badges…
admin-bulk-succeeded = Done: { $issued } awarded, { $skipped } skipped as awarded before.
admin-bulk-cancelled = Cancelled by an administrator.
admin-bulk-failed = Failed; see the rows below or the Jobs page.
admin-bulk-started-by = Started by { $by }. You can leave this page; the work continues and anyone on the issuer's staff can follow it here.
admin-bulk-refresh = Refresh to see progress
admin-bulk-failures = Rows that failed
admin-bulk-see-awards = See the awards
admin-bulk-status-invalid = invalid
admin-bulk-status-validated = validated
admin-bulk-status-queued = queued
admin-bulk-status-running = running
admin-bulk-status-succeeded = succeeded
admin-bulk-status-failed = failed
admin-bulk-status-cancelled = cancelled

## Re-issue (reissue.rs, on the issuer page)
admin-reissue-heading = Credentials from the earlier system
admin-reissue-pending = { $count ->
    [one] { $count } imported credential names this issuer by a web address while signed with a bare did:key. Its signature is intact, but strict verifiers refuse it.
   *[other] { $count } imported credentials name this issuer by a web address while signed with a bare did:key. Their signatures are intact, but strict verifiers refuse them.
}
admin-reissue-running = Re-issuing…
admin-reissue-last = Last re-issue: { $count } re-issued.
admin-reissue-last-with-failures = Last re-issue: { $count } re-issued, { $failed } could not be.
admin-reissue-not-reissued = Not re-issued
admin-reissue-col-credential = Credential
admin-reissue-col-why = Why
admin-reissue-hint = Each gets a new credential for the same person, achievement and dates, signed with this issuer's DID (above). The old one is revoked with the reason “superseded”. Earners are not e-mailed.
admin-reissue-start = { $count ->
    [one] Re-issue { $count } credential
   *[other] Re-issue { $count } credentials
}

## Import (import.rs)
admin-import-mode-dry-run-strict = dry run, strict
admin-import-mode-dry-run = dry run
admin-import-mode-import-strict = import, strict
admin-import-mode-import = import
admin-import-title = Import from MongoDB
admin-import-heading = Import from the MongoDB version
admin-import-nothing-imported = Nothing was imported:{" "}
admin-import-export = 1. Export the old database
admin-import-export-run = Run{" "}
admin-import-export-writing = {" "}once per collection, writing{" "}
admin-import-export-lines = {" "}(JSON lines or{" "}
admin-import-export-reads = , canonical or relaxed Extended JSON). The import reads:
admin-import-missing = Missing files are skipped. Running the same files again changes nothing; an import that was interrupted loads what is missing.
admin-import-upload = 2. Upload the files
admin-import-files = Export files
admin-import-files-hint = Choose all of them at once; up to { $limit } MiB in all. Larger exports: run badge-engine import-mongo on the server.
admin-import-dry-run = Dry run first: load everything, show the summary, then roll it back
admin-import-strict = Strict: stop at the first bad record and write nothing (otherwise bad records are skipped and listed)
admin-import-submit = Upload and start
admin-import-recent = Recent imports
admin-import-col-started = Started
admin-import-col-mode = Mode
admin-import-col-files = Files
admin-import-col-status = Status
admin-import-orphans = { $name }: { $count } orphans
admin-import-job-title = Import
admin-import-job-breadcrumb = {" "}› This import
admin-import-queued = Waiting for a worker…
admin-import-running = Importing…
admin-import-dry-run-skipped = { $count ->
    [one] Dry run finished: nothing was written; 1 record skipped (listed below).
   *[other] Dry run finished: nothing was written; { $count } records skipped (listed below).
}
admin-import-dry-run-done = Dry run finished: nothing was written.
admin-import-done-skipped = { $count ->
    [one] Import finished with 1 record skipped (listed below); the rest passed every check.
   *[other] Import finished with { $count } records skipped (listed below); the rest passed every check.
}
admin-import-done = Import finished; every check passed.
admin-import-cancelled = Cancelled by an administrator.
admin-import-failed = Failed: { $error }
admin-import-see-jobs = see the Jobs page
admin-import-job-heading-dry-run = Import: dry run
admin-import-job-heading-dry-run-strict = Import: dry run, strict
admin-import-job-heading = Import
admin-import-job-heading-strict = Import, strict
admin-import-leave = You can leave this page; the import continues in the background.
admin-import-refresh = Refresh to see progress
admin-import-files-list = Files:{" "}
admin-import-summary = Summary
admin-import-col-collection = Collection
admin-import-col-table = Table
admin-import-col-documents = Documents
admin-import-col-rejected = Rejected
admin-import-col-inserted = Inserted
admin-import-col-present = Present
admin-import-col-check = Check
admin-import-ok = ok
admin-import-expected = expected { $count }
admin-import-fk-ok = Foreign keys: { $count } checked, no orphans.
admin-import-fk-broken = Foreign keys: { $count } checked; broken: { $broken }
admin-import-skipped = { $count ->
    [one] { $count } record skipped
   *[other] { $count } records skipped
}
admin-import-col-file-line = File:line
admin-import-col-why = Why
admin-import-more-rejects = … and { $count } more; the CLI's --rejects FILE writes all of them.
admin-import-for-real = Import these files for real
admin-import-upload-other = Upload other files

## Client apps (client_apps.rs)
admin-apps-perm-view-admin = Read issuers, achievements, awards and jobs
admin-apps-perm-manage-achievements = Create and change achievements
admin-apps-perm-award = Award credentials
admin-apps-perm-revoke = Revoke and suspend credentials
admin-apps-perm-manage-issuers = Change issuers
admin-apps-perm-manage-jobs = Retry and cancel jobs
admin-apps-all-issuers = All issuers
admin-apps-never = never
admin-apps-no-such-user = No user has the username or e-mail `{ $user }`.
admin-apps-secret-before = Client app{" "}
admin-apps-secret-after = : copy the secret now — it will not be shown again.
admin-apps-client-id = Client id
admin-apps-client-secret = Client secret
admin-apps-previous-until = The previous secret keeps working until { $when }.
admin-apps-get-token = Get an access token:
admin-apps-title = Client apps
admin-apps-lead-before = Systems such as an LMS or an HR tool issue badges through the{" "}
admin-apps-lead-api = REST API
admin-apps-lead-middle = . Register each one here: it gets a client id and a secret for{" "}
admin-apps-lead-after = , and may do what its roles allow.
admin-apps-register-heading = Register an app
admin-apps-name = Name
admin-apps-name-placeholder = Campus LMS
admin-apps-description = Description
admin-apps-description-placeholder = Awards course badges when a course is passed
admin-apps-redirects = Redirect URIs{" "}
admin-apps-redirects-hint = (one per line; only for apps that sign users in)
admin-apps-register = Register app
admin-apps-none = No client apps yet. Register one above.
admin-apps-overlap = Keep the old secret working for{" "}
admin-apps-overlap-none = no time
admin-apps-overlap-days = { $days ->
    [one] { $days } day
   *[other] { $days } days
}
admin-apps-rotate = Rotate secret
admin-apps-revoke = Revoke app
admin-apps-add-role-heading = Add a role
admin-apps-role-name = Name
admin-apps-role-name-placeholder = awarder
admin-apps-may = May
admin-apps-on = On
admin-apps-add-role = Add role
admin-apps-revoked = revoked { $when }
admin-apps-active = active
admin-apps-secret = Secret
admin-apps-registered = Registered
admin-apps-last-token = Last token
admin-apps-old-secret = Old secret
admin-apps-works-until = works until { $when }
admin-apps-roles = Roles
admin-apps-no-roles = No roles: the app can get a token but do nothing with it.
admin-apps-col-role = Role
admin-apps-col-issuers = Issuers
admin-apps-col-users = Users
admin-apps-remove-user = Remove { $user }
admin-apps-user-placeholder = username or e-mail
admin-apps-user-label = User to assign
admin-apps-assign = Assign
admin-apps-delete-role = Delete

## Achievement wizard (achievement_wizard/*)
admin-wizard-step-basics = Basics
admin-wizard-step-criteria = Criteria
admin-wizard-step-extras = Alignments & results
admin-wizard-step-preview = Preview
admin-wizard-steps = Steps
admin-wizard-step-label = { $n }. { $title }
admin-wizard-credits-invalid = Credits must be a number, such as 2.5.
admin-wizard-days-invalid = Give a whole number of days, such as 365.
admin-wizard-date-invalid = Give a date such as 2030-12-31.
admin-wizard-new-title = New achievement
admin-wizard-new-breadcrumb = {" "}› New achievement
admin-wizard-save-continue = Save and continue
admin-wizard-saved-as-draft = Saved as a draft; nobody can be awarded it until you publish it.
admin-wizard-edit-title = Edit achievement
admin-wizard-saving = Saving…
admin-wizard-leave = Leave the wizard
admin-wizard-edit-breadcrumb = {" "}› Edit
admin-wizard-edit-heading = { $name } — { $step }
admin-wizard-draft = Draft
admin-wizard-saved = Saved.
admin-wizard-type-choose = — choose —
admin-wizard-badge-image = Badge image
admin-wizard-badge-image-hint = A square PNG or SVG works best (at most 5 MB). Without one, a medal is drawn.
admin-wizard-criteria-lead = What must someone do to earn this badge? Give a narrative, a link to the full criteria, or both.
admin-wizard-alignment-type-none = —
admin-wizard-alignment-type-cfitem = CASE item (CFItem)
admin-wizard-alignment-type-cfrubric = CASE rubric
admin-wizard-alignment-type-cfrubric-criterion = CASE rubric criterion
admin-wizard-alignment-type-cfrubric-level = CASE rubric level
admin-wizard-alignment-type-ctdl = Credential Engine (CTDL)
admin-wizard-alignment-type-ctdl-asn = CTDL-ASN competency
admin-wizard-alignment-type-ctdl-credential = CTDL credential
admin-wizard-result-type-rubric = Rubric
admin-wizard-result-type-performance-level = Performance level
admin-wizard-result-type-letter-grade = Letter grade
admin-wizard-result-type-percent = Percentage
admin-wizard-result-type-raw-score = Score
admin-wizard-result-type-gpa = Grade point average
admin-wizard-result-type-status = Status
admin-wizard-result-type-other = Other result
admin-wizard-alignments = Alignments
admin-wizard-alignments-hint = Frameworks, standards or competencies this achievement maps to. Leave the last row empty if you need no more.
admin-wizard-alignment-n = Alignment { $n }
admin-wizard-target-name = Target name
admin-wizard-target-name-placeholder = e.g. Relational data modelling
admin-wizard-target-url = Target URL
admin-wizard-framework = Framework
admin-wizard-framework-placeholder = e.g. e-CF
admin-wizard-code = Code
admin-wizard-code-placeholder = e.g. B.1
admin-wizard-alignment-type = Type
admin-wizard-results = Results and rubrics
admin-wizard-results-hint = What an awarder records for each earner, e.g. a rubric from “Novice” to “Expert”. Levels one per line, lowest first.
admin-wizard-result-n = Result { $n }
admin-wizard-result-name = Name
admin-wizard-result-name-placeholder = e.g. Mastery
admin-wizard-result-kind = Kind
admin-wizard-levels = Rubric levels (one per line)
admin-wizard-levels-placeholder =
    Novice
    Competent
    Expert
admin-wizard-required-level = Level needed to earn the badge
admin-wizard-required-level-placeholder = e.g. Competent
admin-wizard-validity = Validity
admin-wizard-validity-hint = How long an award stays valid, unless the awarder sets another expiry. Leave both empty for no expiry.
admin-wizard-preview-earner = Ada Lovelace (example)
admin-wizard-preview-lead = This is how earners and anyone they share it with will see the badge (with an example earner).
admin-wizard-publish = Publish — make it awardable
admin-wizard-back-to-basics = Back to the basics
admin-wizard-done = Done

## Form fields (Field / SelectField props; used once components/form.rs takes String labels)
admin-field-award-name = Earner's name, as on the badge
admin-field-award-email = Earner's e-mail
admin-field-award-result-value = Result value
admin-field-award-result-value-hint = For results without levels, e.g. a grade.
admin-field-award-evidence-url = Evidence link
admin-field-award-narrative = What they did
admin-field-award-narrative-hint = Markdown is allowed.
admin-field-award-activity-start = Activity started
admin-field-award-activity-end = Activity ended
admin-field-award-expiry = Expires
admin-field-award-expiry-hint = Leave empty for the achievement's default.
admin-field-suspend-reason = Reason for suspending (optional)
admin-field-revoke-reason = Reason for revoking
admin-field-revoke-reason-hint = Shown to the earner and to verifiers. Revocation cannot be undone.
admin-field-issuer-name = Name
admin-field-issuer-name-hint = As it should appear on badges, e.g. “Faculty of Science”.
admin-field-issuer-description = Description
admin-field-issuer-description-hint = A sentence or two about the organisation.
admin-field-issuer-url = Website
admin-field-issuer-email = Contact e-mail
admin-field-issuer-phone = Phone
admin-field-issuer-street = Street
admin-field-issuer-postal-code = Postal code
admin-field-issuer-locality = Town or city
admin-field-issuer-region = Region
admin-field-issuer-country = Country
admin-field-issuer-parent = Part of
admin-field-issuer-parent-hint = A department belongs to an organisation; staff of the organisation can work on its departments too.
admin-field-achievement-name = Name
admin-field-achievement-name-hint = Short and specific, e.g. “Data Modelling Practitioner”.
admin-field-achievement-description = Description
admin-field-achievement-description-hint = What the badge recognises, in a sentence or two. Earners and employers read this first.
admin-field-achievement-type = Type
admin-field-achievement-type-hint = The Open Badges 3.0 achievement type.
admin-field-achievement-image-caption = Image description (alt text)
admin-field-achievement-image-caption-hint = What the image shows, for people who cannot see it.
admin-field-achievement-tags = Tags
admin-field-achievement-tags-hint = Comma-separated, e.g. data, sql, modelling.
admin-field-achievement-field-of-study = Field of study
admin-field-achievement-field-of-study-placeholder = e.g. Computer science
admin-field-achievement-code = Course code
admin-field-achievement-code-placeholder = e.g. DM-101
admin-field-achievement-credits = Credits (ECTS)
admin-field-achievement-credits-placeholder = e.g. 2.5
admin-field-achievement-language = Language of the texts
admin-field-achievement-criteria = Criteria
admin-field-achievement-criteria-hint = Markdown: **bold**, *italic*, lists with -, links as [text](https://…). HTML is shown as text.
admin-field-achievement-criteria-url = Criteria page
admin-field-achievement-valid-for = Valid for (days)
admin-field-achievement-valid-until = …or valid until

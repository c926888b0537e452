# Badge Engine — English texts of the earner pages (sign-in, claim, my badges, addresses) and of errors.

## Sign in (/sign-in)
sign-in-title = Sign in
sign-in-staff = Staff and members
sign-in-staff-text = Sign in with your organisation's account (Microsoft Entra ID).
sign-in-with-organisation = Sign in with your organisation
sign-in-earners = Earners
sign-in-earners-text = Received a badge at an address outside the organisation? Get a one-time sign-in link by e-mail.
sign-in-your-email = Your e-mail address
sign-in-email-me-link = E-mail me a sign-in link
sign-in-link-sent = If that address received a badge, a sign-in link is on its way. It works for 20 minutes.

## Claim (/claim/{token})
claim-title = Your badge
claim-opening = Opening your badge…
claim-invalid-title = This link does not work
claim-invalid-text = It may have been cut off when it was copied. Open it straight from the e-mail, or ask the issuer to send it again.
claim-expired-title = This link has expired
claim-expired-text = Claim links work for 90 days. Ask the issuer to send the badge again; it is still yours.
claim-used = This badge was already accepted with this link. If that was you, it is in your badges.
claim-revoked = The issuer has revoked this badge, so it can no longer be accepted.
claim-accept = Accept the badge
claim-sign-in-to-accept = Sign in to accept it
claim-sign-in-hint = If you have an account at the issuer's organisation.
claim-email-label = Or get a sign-in link at the address the badge was sent to
claim-awarded-to = Awarded to
claim-signed-in-as = Signed in as

## My badges (/me/badges)
me-loading = Loading your badges…
me-accepted = Badge accepted. It is private until you make it public.
me-filter-issuer = Issuer
me-filter-all-issuers = All issuers
me-filter-status = Status
me-filter-all = All
me-filter-claimed = Accepted
me-filter-unclaimed = Not accepted yet
me-filter-expired = Expired
me-filter-revoked = Revoked
me-filter = Filter
me-empty-title = No badges here yet
me-empty-text = Badges awarded to your addresses appear here. If you received a badge at another address, add that address below.
me-show-public = Show on my public page
me-hide-name = Hide my name there
me-save = Save
me-public-note = Public: anyone with the link can see it.
me-private-note = Private: only you and the issuer see it.
me-addresses-title = Your e-mail addresses
me-addresses-hint = Badges sent to any of these addresses are yours.
me-add-address = Add an address
me-send-confirmation = Send a confirmation link
me-apps-title = Connected apps
me-apps-hint = Wallets and backpacks you allowed to reach your badges through the Open Badges API. Disconnecting one stops its access at once; badges it already copied stay with it.
me-apps-disconnected = Disconnected. That app can no longer reach your badges.
me-apps-none = No apps are connected.
me-disconnect = Disconnect
confirm-title = Confirm address
confirm-busy = Confirming…
confirm-done = Address confirmed
confirm-sign-in-title = Sign in to confirm
confirm-sign-in-text = Sign in to the account that asked for this address, then open the link again.
me-address-sent = We sent a link to { $email }. Open it while signed in to add the address.
me-disconnect-label = Disconnect { $name }
me-connected-since = Connected { $since } · last active { $active }
confirm-done-text = Badges sent to { $email } are now in your account.

## Errors (app::error)
error-unauthenticated = Please sign in first.
error-forbidden = You do not have permission to do that.
error-not-found = { $what } was not found.
error-stale = This was changed by someone else since you opened it. Reload to see their changes, then make yours again.
error-unavailable = A service is briefly unavailable; please try again in a moment.
error-server = Something went wrong on our side. It has been logged; please try again.
error-in-use = { $field } is already in use.
error-unreadable = The request could not be read ({ $detail }).

## Names of things in error messages ("… was not found")
entity-achievement = Achievement
entity-bulk-award = Bulk award
entity-client = Client
entity-client-app = Client app
entity-connection = Connection
entity-credential = Credential
entity-did-document = DID document
entity-group = Group
entity-image = Image
entity-import = Import
entity-issuer = Issuer
entity-job = Job
entity-profile = Profile
entity-record = Record
entity-role = Role
entity-role-mapping = Role mapping
entity-scim-token = SCIM token
entity-signing-key = Signing key
entity-staff-grant = Staff grant
entity-status-list = Status list
entity-user = User
entity-verification-report = Verification report

## Names of form fields in error messages
field-name = Name
field-email = Email
field-display-name = Display name
field-username = Username
field-image = Image
field-address = Address
field-role = Role
field-search = Search
field-recipient-email = Recipient email
field-recipient-name = Recipient name
field-description = Description
field-criteria = Criteria
field-url = Url

## Notices for signed-out and refused visitors (auth::ErrorNotice)
notice-sign-in-title = Sign in required
notice-sign-in-heading = Please sign in
notice-sign-in-text = Sign in to see this page: with your organisation’s account, or — if you received a badge by e-mail — with a one-time link sent to that address.
notice-sign-in-by-email = Received a badge by e-mail? Sign in with a link
notice-forbidden-title = Not allowed
notice-forbidden-heading = You do not have access to this page
notice-forbidden-text = Your account is signed in, but none of your groups grants this permission. Ask an administrator if you need it.

## Shared parts of pages (components)
pager-label = Pages
pager-none = No results
pager-range = { $from }–{ $to } of { $total }
pager-page = Page { $page }
pager-previous = ← Previous
pager-next = Next →
progress-label = Progress
progress-done = { $done } of { $total } { $unit } ({ $pct } %)
progress-rate = { $rate } per second
progress-failed = { $errors } failed
progress-unit-items = items
progress-unit-rows = rows
progress-unit-credentials = credentials
form-correct-field = Please correct the marked field.
form-failed = That did not work.
upload-unreached = The upload did not reach the server; check your connection and try again.
upload-unexpected = Unexpected answer from the server.
upload-refused = The image was refused.

# Badge Engine — English texts of the pages. E-mails are in main.ftl.

## Dates (locales::date)
date-long = { $day } { $month } { $year }
date-time = { $date }, { $time } UTC
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Layout
nav-skip = Skip to content
nav-menu = Menu
nav-main = Main
nav-home = Home
nav-how = How it works
nav-verify = Verify a badge
nav-my-badges = My badges
nav-admin = Administration
nav-sign-out = Sign out
nav-sign-out-everywhere = Sign out everywhere
nav-sign-out-everywhere-hint = End your sessions in every browser and device
nav-sign-in = Sign in
footer-before = Badge Engine issues{" "}
footer-after = {" "}credentials that anyone can verify.
lang-switcher = Language

## Home
home-name-placeholder-shown = Your name here
home-description = Badge Engine issues verifiable Open Badges 3.0 credentials.
home-eyebrow = Open Badges 3.0 issuer
home-title = Recognise what people achieve — in a form anyone can verify.
home-lead-1 = Badge Engine lets your organisation define achievements, award them to people, and hand each earner a{" "}
home-lead-2 = signed credential they can share, download as an image, and verify anywhere.
home-preview-title = Preview a badge
home-preview-name = Earner's name
home-preview-placeholder = e.g. Ada Lovelace
home-demo-achievement = Demo Achievement
home-demo-issuer = Issued by Badge Engine Demo
home-loading = Loading figures…
home-issuers = Issuers
home-achievements = Achievements
home-awarded = Badges awarded
home-unavailable = Figures are unavailable right now.
home-how = How it works
home-define = Define
home-define-text = {" "}issuers and achievements with criteria, alignments and images.
home-award = Award
home-award-text = {" "}them to people one by one or in bulk; each award is a signed Open Badges 3.0 credential.
home-share = Share and verify
home-share-text = {" "}— earners download baked PNG or SVG badges, and anyone can check the signature.
home-verify = Verify a badge
home-verify-text = Every credential carries an eddsa-rdfc-2022 proof from its issuer's did:key, so any conforming Open Badges 3.0 verifier can check it without asking us.

## Not found
nf-title = Page not found
nf-heading = We could not find that page
nf-text = The link may be old, or the badge may have moved. Check the address, or start again from the home page.
nf-home = Go to the home page

## Verification panel (public/mod.rs)
check-structure = Open Badges 3.0 format
check-signature = Signature
check-issuer = Issuer's key
check-revocation = Not revoked
check-suspension = Not suspended
check-expiry = Within its validity dates
check-other = Check
check-passed = passed
check-failed = failed
check-skipped = not applicable
check-unknown = could not be checked
check-baking = The image does not follow the Open Badges baking rules:
verdict-valid = Verified
verdict-valid-text = Every check passed: this credential is genuine and in force.
verdict-invalid = Not valid
verdict-invalid-text = At least one check failed; see below.

## Verify page
verify-title = Verify a badge
verify-description = Check that an Open Badges 3.0 credential is genuine, unchanged and in force.
verify-lead = Check that a badge is genuine, unchanged since it was issued, not revoked and not expired. Works for any Open Badges 3.0 credential, from any issuer.
verify-expired = That report has expired; verify the file again.
verify-file-label-inline = File:{" "}
verify-a-credential = A credential
verify-issued-by = {" "}issued by{" "}
verify-upload-title = Upload a badge image
verify-upload-hint = A PNG or SVG downloaded from a credential page (the credential is inside it), or a .json file. Up to 16 MB.
verify-file = File
verify-file-submit = Verify the file
verify-paste-title = Or paste the credential
verify-json = Credential JSON
verify-json-submit = Verify the JSON
verify-kept = The file is checked on this server and not kept; the report is kept for an hour so you can share its address.

## Shared
loading = Loading…

## Public achievement page
ach-archived = This badge is no longer awarded. Badges already awarded stay valid.
ach-awarded-times = { $count ->
    [one] Awarded once
   *[other] Awarded { $count } times
}

## Public issuer page
iss-eyebrow = Issuer
iss-website = Website
iss-email = E-mail
iss-phone = Phone
iss-address = Address
iss-identity = Identity
iss-did-document = DID document
iss-departments = Departments
iss-badges = Badges awarded
iss-no-badges = No badges published yet.
iss-share-description = { $issuer } issues verifiable Open Badges 3.0 credentials.
iss-logo-alt = { $issuer } logo

## Public credential page
cred-loading = Loading the credential…
cred-not-found-title = Credential not found
cred-unavailable = This credential is not available
cred-unavailable-text = It may not exist, or its earner keeps it private. If it is yours, sign in to see it.
cred-replaced = This credential was replaced.
cred-replaced-text = {" "}The issuer re-issued it under its current identity, so that every verifier accepts it.{" "}
cred-see-new = See the new credential
cred-revoked = This credential was revoked by its issuer.
cred-reason = {" "}Reason:{" "}
cred-suspended = This credential is suspended by its issuer and is not valid for now.
cred-change-in-my-badges = Change it in My badges
cred-share-title = Share and download
cred-linkedin-add = Add to LinkedIn profile
cred-share-linkedin = Share on LinkedIn
cred-share-x = Share on X
cred-share-email = Send by e-mail
cred-link = Link to this page
cred-download = Download
cred-download-png = Badge image (PNG) with the credential inside
cred-download-svg = Badge image (SVG) with the credential inside
cred-download-json = The signed credential (JSON)
cred-check-before = Anyone can check these files at{" "}
cred-check-link = the verify page
cred-check-after = {" "}or with any Open Badges 3.0 verifier.
cred-share-description = { $achievement } awarded by { $issuer }. { $description }
cred-public = Everyone with the link can see this page.
cred-private = Only you and the issuer can see this page.

## Award states (admin::awards::state_words)
state-revoked = Revoked
state-suspended = Suspended
state-expired = Expired
state-claimed = Claimed
state-issued-today = Issued today
state-unclaimed = { $days ->
    [one] Unclaimed for 1 day
   *[other] Unclaimed for { $days } days
}

## Badge card (components/badge_card.rs)
card-issued-by = Issued by{" "}
card-awarded-to = Awarded to{" "}
card-issued = Issued{" "}
card-expires = {" "}· Expires{" "}
card-tags = Tags
card-criteria = Criteria
card-full-criteria = Full criteria
card-results = Results
card-aligned = Aligned to
card-evidence = Evidence
fact-code = Code
fact-field = Field of study
fact-specialization = Specialization
fact-credits = Credits
fact-valid-for = Valid for
fact-valid-until = Valid until

## Achievement types (Open Badges 3.0 AchievementType)
type-Achievement = Achievement
type-ApprenticeshipCertificate = Apprenticeship certificate
type-Assessment = Assessment
type-Assignment = Assignment
type-AssociateDegree = Associate degree
type-Award = Award
type-Badge = Badge
type-BachelorDegree = Bachelor's degree
type-Certificate = Certificate
type-CertificateOfCompletion = Certificate of completion
type-Certification = Certification
type-CommunityService = Community service
type-Competency = Competency
type-Course = Course
type-CoCurricular = Co-curricular activity
type-Degree = Degree
type-Diploma = Diploma
type-DoctoralDegree = Doctoral degree
type-Fieldwork = Fieldwork
type-GeneralEducationDevelopment = General education development
type-JourneymanCertificate = Journeyman certificate
type-LearningProgram = Learning programme
type-License = Licence
type-Membership = Membership
type-ProfessionalDoctorate = Professional doctorate
type-QualityAssuranceCredential = Quality assurance credential
type-MasterCertificate = Master certificate
type-MasterDegree = Master's degree
type-MicroCredential = Micro-credential
type-ResearchDoctorate = Research doctorate
type-SecondarySchoolDiploma = Secondary school diploma
card-image-alt = { $achievement } badge
fact-valid-for-days = { $days ->
    [one] 1 day after award
   *[other] { $days } days after award
}

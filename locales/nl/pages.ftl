# Badge Engine — Nederlandse teksten van de pagina's. E-mails staan in main.ftl.

## Datums (locales::date)
date-long = { $day } { $month } { $year }
date-time = { $date }, { $time } UTC
month-1 = januari
month-2 = februari
month-3 = maart
month-4 = april
month-5 = mei
month-6 = juni
month-7 = juli
month-8 = augustus
month-9 = september
month-10 = oktober
month-11 = november
month-12 = december

## Layout
nav-skip = Naar de inhoud
nav-menu = Menu
nav-main = Hoofdmenu
nav-home = Start
nav-how = Hoe het werkt
nav-verify = Badge controleren
nav-my-badges = Mijn badges
nav-admin = Beheer
nav-sign-out = Afmelden
nav-sign-out-everywhere = Overal afmelden
nav-sign-out-everywhere-hint = Beëindig je sessies in elke browser en op elk apparaat
nav-sign-in = Aanmelden
footer-before = Badge Engine geeft{" "}
footer-after = -credentials uit die iedereen kan controleren.
lang-switcher = Taal

## Home
home-name-placeholder-shown = Jouw naam hier
home-description = Badge Engine geeft controleerbare Open Badges 3.0-credentials uit.
home-eyebrow = Uitgever van Open Badges 3.0
home-title = Erken wat mensen bereiken — in een vorm die iedereen kan controleren.
home-lead-1 = Met Badge Engine legt je organisatie prestaties vast, kent ze toe aan mensen en geeft ze elke ontvanger een{" "}
home-lead-2 = ondertekende credential die ze kunnen delen, als afbeelding downloaden en overal laten controleren.
home-preview-title = Bekijk een voorbeeldbadge
home-preview-name = Naam van de ontvanger
home-preview-placeholder = bijv. Ada Lovelace
home-demo-achievement = Demoprestatie
home-demo-issuer = Uitgegeven door Badge Engine Demo
home-loading = Cijfers laden…
home-issuers = Uitgevers
home-achievements = Prestaties
home-awarded = Toegekende badges
home-unavailable = De cijfers zijn nu niet beschikbaar.
home-how = Hoe het werkt
home-define = Leg vast
home-define-text = {" "}uitgevers en prestaties met criteria, koppelingen en afbeeldingen.
home-award = Ken toe
home-award-text = {" "}ze aan mensen, een voor een of in bulk; elke toekenning is een ondertekende Open Badges 3.0-credential.
home-share = Deel en controleer
home-share-text = {" "}— ontvangers downloaden PNG- of SVG-badges met de credential erin, en iedereen kan de handtekening controleren.
home-verify = Badge controleren
home-verify-text = Elke credential draagt een eddsa-rdfc-2022-bewijs van de did:key van de uitgever, dus elke Open Badges 3.0-verifier die de standaard volgt kan hem controleren zonder ons iets te vragen.

## Not found
nf-title = Pagina niet gevonden
nf-heading = We konden die pagina niet vinden
nf-text = De link is misschien oud, of de badge is verplaatst. Controleer het adres of begin opnieuw op de startpagina.
nf-home = Naar de startpagina

## Verification panel (public/mod.rs)
check-structure = Open Badges 3.0-formaat
check-signature = Handtekening
check-issuer = Sleutel van de uitgever
check-revocation = Niet ingetrokken
check-suspension = Niet opgeschort
check-expiry = Binnen de geldigheidsdata
check-other = Controle
check-passed = geslaagd
check-failed = mislukt
check-skipped = niet van toepassing
check-unknown = kon niet worden gecontroleerd
check-baking = De afbeelding volgt de bakregels van Open Badges niet:
verdict-valid = Geverifieerd
verdict-valid-text = Alle controles zijn geslaagd: deze credential is echt en geldig.
verdict-invalid = Niet geldig
verdict-invalid-text = Minstens één controle is mislukt; zie hieronder.

## Verify page
verify-title = Badge controleren
verify-description = Controleer dat een Open Badges 3.0-credential echt, ongewijzigd en geldig is.
verify-lead = Controleer dat een badge echt is, niet gewijzigd sinds hij is uitgegeven, niet ingetrokken en niet verlopen. Werkt voor elke Open Badges 3.0-credential, van elke uitgever.
verify-expired = Dat rapport is verlopen; controleer het bestand opnieuw.
verify-file-label-inline = Bestand:{" "}
verify-a-credential = Een credential
verify-issued-by = {" "}uitgegeven door{" "}
verify-upload-title = Upload een badgeafbeelding
verify-upload-hint = Een PNG of SVG die je van een credentialpagina hebt gedownload (de credential zit erin), of een .json-bestand. Tot 16 MB.
verify-file = Bestand
verify-file-submit = Controleer het bestand
verify-paste-title = Of plak de credential
verify-json = JSON van de credential
verify-json-submit = Controleer de JSON
verify-kept = Het bestand wordt op deze server gecontroleerd en niet bewaard; het rapport blijft een uur bewaard, zodat je het adres kunt delen.

## Shared
loading = Laden…

## Public achievement page
ach-archived = Deze badge wordt niet meer toegekend. Al toegekende badges blijven geldig.
ach-awarded-times = { $count ->
    [one] Eén keer toegekend
   *[other] { $count } keer toegekend
}

## Public issuer page
iss-eyebrow = Uitgever
iss-website = Website
iss-email = E-mail
iss-phone = Telefoon
iss-address = Adres
iss-identity = Identiteit
iss-did-document = DID-document
iss-departments = Afdelingen
iss-badges = Toegekende badges
iss-no-badges = Nog geen badges gepubliceerd.
iss-share-description = { $issuer } geeft controleerbare Open Badges 3.0-credentials uit.
iss-logo-alt = Logo van { $issuer }

## Public credential page
cred-loading = De credential laden…
cred-not-found-title = Credential niet gevonden
cred-unavailable = Deze credential is niet beschikbaar
cred-unavailable-text = Misschien bestaat hij niet, of houdt de ontvanger hem privé. Is hij van jou? Meld je dan aan om hem te zien.
cred-replaced = Deze credential is vervangen.
cred-replaced-text = {" "}De uitgever heeft hem opnieuw uitgegeven onder zijn huidige identiteit, zodat elke verifier hem accepteert.{" "}
cred-see-new = Bekijk de nieuwe credential
cred-revoked = Deze credential is door de uitgever ingetrokken.
cred-reason = {" "}Reden:{" "}
cred-suspended = Deze credential is door de uitgever opgeschort en is voorlopig niet geldig.
cred-change-in-my-badges = Wijzig het in Mijn badges
cred-share-title = Delen en downloaden
cred-linkedin-add = Aan LinkedIn-profiel toevoegen
cred-share-linkedin = Delen op LinkedIn
cred-share-x = Delen op X
cred-share-email = Per e-mail versturen
cred-link = Link naar deze pagina
cred-download = Downloaden
cred-download-png = Badgeafbeelding (PNG) met de credential erin
cred-download-svg = Badgeafbeelding (SVG) met de credential erin
cred-download-json = De ondertekende credential (JSON)
cred-check-before = Iedereen kan deze bestanden controleren op{" "}
cred-check-link = de controlepagina
cred-check-after = {" "}of met elke Open Badges 3.0-verifier.
cred-share-description = { $achievement }, toegekend door { $issuer }. { $description }
cred-public = Iedereen met de link kan deze pagina zien.
cred-private = Alleen jij en de uitgever kunnen deze pagina zien.

## Award states (admin::awards::state_words)
state-revoked = Ingetrokken
state-suspended = Opgeschort
state-expired = Verlopen
state-claimed = Aangenomen
state-issued-today = Vandaag uitgegeven
state-unclaimed = { $days ->
    [one] 1 dag niet aangenomen
   *[other] { $days } dagen niet aangenomen
}

## Badge card (components/badge_card.rs)
card-issued-by = Uitgegeven door{" "}
card-awarded-to = Toegekend aan{" "}
card-issued = Uitgegeven{" "}
card-expires = {" "}· Verloopt{" "}
card-tags = Tags
card-criteria = Criteria
card-full-criteria = Volledige criteria
card-results = Resultaten
card-aligned = Gekoppeld aan
card-evidence = Bewijs
fact-code = Code
fact-field = Studierichting
fact-specialization = Specialisatie
fact-credits = Studiepunten
fact-valid-for = Geldig
fact-valid-until = Geldig tot

## Achievement types (Open Badges 3.0 AchievementType)
type-Achievement = Prestatie
type-ApprenticeshipCertificate = Leerlingcertificaat
type-Assessment = Toets
type-Assignment = Opdracht
type-AssociateDegree = Associate degree
type-Award = Onderscheiding
type-Badge = Badge
type-BachelorDegree = Bachelordiploma
type-Certificate = Certificaat
type-CertificateOfCompletion = Bewijs van deelname
type-Certification = Certificering
type-CommunityService = Vrijwilligerswerk
type-Competency = Competentie
type-Course = Cursus
type-CoCurricular = Extracurriculaire activiteit
type-Degree = Graad
type-Diploma = Diploma
type-DoctoralDegree = Doctorsgraad
type-Fieldwork = Veldwerk
type-GeneralEducationDevelopment = Algemene vorming
type-JourneymanCertificate = Gezellenbrief
type-LearningProgram = Leertraject
type-License = Vergunning
type-Membership = Lidmaatschap
type-ProfessionalDoctorate = Professioneel doctoraat
type-QualityAssuranceCredential = Kwaliteitskeurmerk
type-MasterCertificate = Mastercertificaat
type-MasterDegree = Masterdiploma
type-MicroCredential = Microcredential
type-ResearchDoctorate = Onderzoeksdoctoraat
type-SecondarySchoolDiploma = Diploma voortgezet onderwijs
card-image-alt = Badge { $achievement }
fact-valid-for-days = { $days ->
    [one] 1 dag na toekenning
   *[other] { $days } dagen na toekenning
}

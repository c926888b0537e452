# Badge Engine — Nederlandse teksten van de beheerpagina's (/admin/…).

## Shared (admin/mod.rs)
admin-invalid-id = Die id is niet geldig.
admin-nav-label = Beheer
admin-nav-dashboard = Overzicht
admin-nav-issuers = Uitgevers
admin-nav-awards = Toekenningen
admin-nav-jobs = Taken
admin-nav-outbox = Uitgaande e-mail
admin-nav-audit = Auditlog
admin-nav-users = Gebruikers
admin-nav-roles = Rolkoppelingen
admin-nav-scim-tokens = SCIM-tokens
admin-nav-client-apps = Client-apps
admin-nav-wallets = Wallets
admin-nav-import = Importeren

## Dashboard
admin-dashboard-title = Beheer
admin-dashboard-welcome = Welkom, { $name }
admin-dashboard-roles = Je rollen: { $roles }.
admin-dashboard-issuers = Uitgevers ({ $count })
admin-dashboard-no-issuers = Nog geen uitgevers.
admin-dashboard-all-issuers = Alle uitgevers
admin-dashboard-new-issuer = Nieuwe uitgever
admin-dashboard-people = Mensen
admin-dashboard-users = Gebruikers en sessies
admin-dashboard-roles-link = Rolkoppelingen
admin-dashboard-latest = Laatste toekenningen
admin-dashboard-all-awards = Alle toekenningen →

## Jobs
admin-jobs-title = Taken
admin-jobs-heading = Achtergrondtaken
admin-jobs-lead = Toekenningen in bulk en imports lopen hier. Een mislukte taak wordt opnieuw geprobeerd met steeds langere pauzes; na de laatste poging wacht hij hier op jou.
admin-jobs-status = Status
admin-jobs-filter-all = Alle
admin-jobs-filter-queued = In de wachtrij
admin-jobs-filter-running = Bezig
admin-jobs-filter-failed = Mislukt
admin-jobs-filter-succeeded = Geslaagd
admin-jobs-filter-cancelled = Geannuleerd
admin-jobs-filter = Filteren
admin-jobs-loading = Taken laden…
admin-jobs-none = Geen taken.
admin-jobs-col-job = Taak
admin-jobs-col-status = Status
admin-jobs-col-progress = Voortgang
admin-jobs-col-attempts = Pogingen
admin-jobs-worker = worker { $worker }
admin-jobs-next-attempt = volgende poging { $when }
admin-jobs-retry = Opnieuw proberen
admin-jobs-cancel = Annuleren
admin-jobs-attempts-of = { $attempts } van { $max }
admin-jobs-unknown-action = Onbekende actie.
admin-jobs-kind-bulk-award = toekenning in bulk
admin-jobs-kind-import-mongo = import uit MongoDB
admin-jobs-kind-reissue-legacy = oude credentials opnieuw uitgeven
admin-jobs-status-queued = in de wachtrij
admin-jobs-status-running = bezig
admin-jobs-status-succeeded = geslaagd
admin-jobs-status-failed = mislukt
admin-jobs-status-cancelled = geannuleerd

## Outbox
admin-outbox-title = Uitgaande e-mail
admin-outbox-heading = Uitgaande e-mail
admin-outbox-dev-before = Ontwikkelmodus: berichten worden als .eml-bestanden in{" "}
admin-outbox-dev-after = {" "}gezet in plaats van verstuurd. Stel SMTP_URL in om ze te versturen.
admin-outbox-none = Nog geen e-mail.
admin-outbox-col-to = Aan
admin-outbox-col-subject = Onderwerp
admin-outbox-col-status = Status
admin-outbox-col-queued = In de wachtrij gezet
admin-outbox-delivered = afgeleverd { $when }
admin-outbox-attempts = { $count ->
    [one] 1 poging: { $error }
   *[other] { $count } pogingen: { $error }
}
admin-outbox-waiting = wacht
admin-outbox-status-queued = in de wachtrij
admin-outbox-status-sending = wordt verstuurd
admin-outbox-status-sent = verstuurd
admin-outbox-status-failed = mislukt

## Audit log
admin-audit-title = Auditlog
admin-audit-who = Wie
admin-audit-who-placeholder = Naam
admin-audit-about = Over
admin-audit-about-anything = Alles
admin-audit-about-issuers = Uitgevers
admin-audit-about-achievements = Prestaties
admin-audit-about-awards = Toekenningen
admin-audit-about-bulk-awards = Toekenningen in bulk
admin-audit-about-users = Gebruikers
admin-audit-about-roles = Rollen
admin-audit-about-groups = Groepen
admin-audit-about-jobs = Taken
admin-audit-action = Actie
admin-audit-action-placeholder = bijv. credential.revoke
admin-audit-from = Van
admin-audit-to = Tot en met
admin-audit-filter = Filteren
admin-audit-none = Niets gevonden.
admin-audit-col-field = Veld
admin-audit-col-before = Voor
admin-audit-col-after = Na
admin-audit-entity = { $kind } { $id }
admin-audit-kind-achievement = prestatie
admin-audit-kind-bulk-award = toekenning in bulk
admin-audit-kind-client-app = client-app
admin-audit-kind-credential = credential
admin-audit-kind-group = groep
admin-audit-kind-import = import
admin-audit-kind-issuer = uitgever
admin-audit-kind-job = taak
admin-audit-kind-role = rol
admin-audit-kind-role-mapping = rolkoppeling
admin-audit-kind-scim-token = SCIM-token
admin-audit-kind-session = sessie
admin-audit-kind-user = gebruiker

## Users
admin-users-title = Gebruikers
admin-users-heading = Gebruikers en sessies
admin-users-search = Zoeken
admin-users-search-placeholder = naam, gebruikersnaam of e-mailadres
admin-users-col-user = Gebruiker
admin-users-col-status = Status
admin-users-col-last-sign-in = Laatst aangemeld
admin-users-col-sessions = Actieve sessies
admin-users-active = actief
admin-users-deactivated = gedeactiveerd
admin-users-never = nooit
admin-users-this-session = (deze sessie)
admin-users-revoke = Beëindigen
admin-users-revoke-all = Alle beëindigen

## Role mappings
admin-roles-title = Rolkoppelingen
admin-roles-heading = Koppelingen van groep → rol
admin-roles-lead = Leden van een Entra-groep (op object-id, uit de groups-claim van het token of via SCIM-provisioning) en houders van een app-rol (de waarde ervan, alleen uit de roles-claim) krijgen de gekoppelde rol bij hun volgende verzoek.
admin-roles-col-source = Bron
admin-roles-col-role = Rol
admin-roles-remove = Verwijderen
admin-roles-add-heading = Koppeling toevoegen
admin-roles-matched-against = Vergeleken met
admin-roles-kind-group = Entra-groep (object-id, uit de groups-claim of SCIM)
admin-roles-kind-app-role = App-rol (waarde, uit de roles-claim)
admin-roles-claim-value = Object-id van de groep of waarde van de app-rol
admin-roles-role = Rol
admin-roles-add = Koppeling toevoegen
admin-roles-source-entra-group = Entra-groep { $group }
admin-roles-source-app-role = app-rol { $role }
admin-roles-source-scim-group = SCIM-groep { $group }
admin-roles-claim-value-invalid = Geef een object-id van een groep of een waarde van een app-rol op (hoogstens 200 tekens).
admin-roles-claim-kind-invalid = Kies of de waarde een Entra-groep of een app-rol is.

## SCIM tokens
admin-scim-title = SCIM-tokens
admin-scim-heading = Tokens voor SCIM-provisioning
admin-scim-created-before = Token{" "}
admin-scim-created-after = {" "}is aangemaakt. Kopieer het nu — het wordt niet nog eens getoond:
admin-scim-name = Naam
admin-scim-create = Token aanmaken
admin-scim-col-name = Naam
admin-scim-col-prefix = Begin
admin-scim-col-created = Aangemaakt
admin-scim-col-last-used = Laatst gebruikt
admin-scim-col-status = Status
admin-scim-never = nooit
admin-scim-revoked = ingetrokken { $when }
admin-scim-revoke = Intrekken
admin-scim-name-invalid = Geef het token een naam (hoogstens 100 tekens).

## Wallets
admin-wallets-title = Wallets
admin-wallets-lead = Wallets en backpacks registreren zich via de Open Badges-API en komen pas bij de badges van een ontvanger nadat die zich heeft aangemeld en toestemming heeft gegeven. Ontvangers zien ze onder “Gekoppelde apps” in Mijn badges en kunnen ze daar ontkoppelen. Blokkeer hier een wallet om de koppeling van elke ontvanger ermee te beëindigen.
admin-wallets-blocked-notice = Wallet geblokkeerd. De tokens ervan werken niet meer.
admin-wallets-none = Er hebben zich nog geen wallets geregistreerd
admin-wallets-none-hint = Een wallet begint bij het discovery-document van de API:
admin-wallets-discovery = Discovery-document voor wallets:{" "}
admin-wallets-col-wallet = Wallet
admin-wallets-col-scopes = Mag vragen om
admin-wallets-col-returns-to = Keert terug naar
admin-wallets-col-earners = Ontvangers
admin-wallets-col-added = Toegevoegde badges
admin-wallets-col-last-active = Laatst actief
admin-wallets-block-label = { $wallet } blokkeren
admin-wallets-block = Blokkeren
admin-wallets-blocked = geblokkeerd { $when }
admin-wallets-registered = geregistreerd { $when }
admin-wallets-never = nooit

## Issuers
admin-issuers-title = Uitgevers
admin-issuers-new = Nieuwe uitgever
admin-issuers-lead = Organisaties en hun afdelingen. Elke uitgever ondertekent zijn badges met een eigen sleutel.
admin-issuers-search-label = Uitgevers zoeken
admin-issuers-search-placeholder = Zoek op naam
admin-issuers-search = Zoeken
admin-issuers-loading = Uitgevers laden…
admin-issuers-none = Nog geen uitgevers
admin-issuers-none-text = Een uitgever is de organisatie (of afdeling) waarvan de naam op de badges staat die hij toekent.
admin-issuers-create-first = Maak de eerste uitgever aan
admin-issuers-col-issuer = Uitgever
admin-issuers-col-identity = Identiteit
admin-issuers-col-achievements = Prestaties
admin-issuers-department = {" "}(afdeling)

## New issuer
admin-issuer-new-title = Nieuwe uitgever
admin-issuer-new-breadcrumb = {" "}› Nieuw
admin-issuer-new-lead = De naam, het logo en de contactgegevens van de uitgever staan op elke badge die hij toekent. Er wordt automatisch een ondertekeningssleutel voor aangemaakt.
admin-issuer-new-creating = Bezig met aanmaken…
admin-issuer-new-create = Uitgever aanmaken
admin-issuer-new-cancel = Annuleren

## Issuer form (issuer_form.rs)
admin-issuer-form-parent-invalid = Kies een bovenliggende organisatie uit de lijst.
admin-issuer-form-ident-identifier = Identificatie
admin-issuer-form-ident-sourced-id = Bron-id
admin-issuer-form-ident-system-id = Systeem-id
admin-issuer-form-ident-national-identity-number = Nummer in een nationaal register
admin-issuer-form-ident-lis-sourced-id = LIS-bron-id
admin-issuer-form-ident-one-roster-sourced-id = OneRoster-bron-id
admin-issuer-form-ident-sis-sourced-id = SIS-bron-id
admin-issuer-form-ident-lti-platform-id = LTI-platform-id
admin-issuer-form-no-parent = Geen — een organisatie op het hoogste niveau
admin-issuer-form-profile = Profiel
admin-issuer-form-logo = Logo
admin-issuer-form-logo-hint = PNG, JPEG, WebP, GIF of SVG, hoogstens 5 MB; het wordt in een vierkant gepast.
admin-issuer-form-address = Adres
admin-issuer-form-organisation = Organisatie
admin-issuer-form-other-identifiers = Andere identificaties
admin-issuer-form-other-identifiers-hint = Registernummers of id's in andere systemen; ze staan in het uitgeversprofiel van elke badge.
admin-issuer-form-ident-type = Soort van identificatie { $n }
admin-issuer-form-ident-value = Waarde van identificatie { $n }
admin-issuer-form-ident-placeholder = bijv. 12345678
admin-issuer-form-identity = Identiteit
admin-issuer-form-identity-hint = Hoe verifiers de handtekening van de uitgever herkennen. Dit kun je later niet meer wijzigen.
admin-issuer-form-did-key = {" "}— op zichzelf staand; een nieuwe sleutel krijgt een nieuwe identificatie. Werkt overal, er hoeft niets gehost te worden.
admin-issuer-form-did-web = {" "}— een vaste identificatie onder het adres van deze site; oude en nieuwe sleutels worden samen gepubliceerd.

## Image field (issuer_form.rs ImageField)
admin-image-none = Geen afbeelding
admin-image-chosen = Gekozen afbeelding
admin-image-upload = Upload een afbeelding
admin-image-uploading = Bezig met uploaden…
admin-image-url = …of adres van de afbeelding

## Issuer page (issuer_edit.rs)
admin-issuer-title = Uitgever
admin-issuer-loading = Uitgever laden…
admin-issuer-achievements = Prestaties
admin-issuer-awards = Toekenningen
admin-issuer-public-page = Openbare pagina
admin-issuer-created = Uitgever aangemaakt, met een eigen ondertekeningssleutel. Volgende stap: voeg prestaties toe of geef collega's een rol.
admin-issuer-profile = Profiel
admin-issuer-saved = Opgeslagen.
admin-issuer-saving = Bezig met opslaan…
admin-issuer-save = Profiel opslaan
admin-issuer-view-only = Je kunt deze uitgever bekijken; de eigenaren en beheerders ervan bewerken hem.
admin-issuer-departments = Afdelingen
admin-issuer-no-departments = Geen afdelingen.
admin-issuer-add-department = Afdeling toevoegen
admin-issuer-identity = Identiteit
admin-issuer-named-as = Badges noemen deze uitgever
admin-issuer-did-document = DID-document:{" "}
admin-issuer-keys = Ondertekeningssleutels
admin-issuer-col-key = Ondertekeningssleutel
admin-issuer-col-created = Aangemaakt
admin-issuer-col-status = Status
admin-issuer-key-signing = in gebruik
admin-issuer-key-retired = buiten gebruik sinds { $when }
admin-issuer-keys-hint = Vergelijk de vingerafdruk met wat je organisatie heeft vastgelegd om de sleutel langs een andere weg te controleren. Badges die met oude sleutels zijn ondertekend, blijven controleerbaar.
admin-issuer-rotate-confirm = Vervang de ondertekeningssleutel: nieuwe badges worden met een nieuwe sleutel ondertekend.
admin-issuer-new-key = Nieuwe sleutel in gebruik:{" "}
admin-issuer-rotate = Sleutel vervangen
admin-issuer-rotate-confirm-missing = Vink het vakje aan om de vervanging te bevestigen.
admin-issuer-staff = Medewerkers
admin-issuer-staff-hint = Rollen voor deze uitgever en zijn afdelingen, naast de rollen uit Entra-groepen.
admin-issuer-staff-none = Nog niemand heeft een rol bij deze uitgever.
admin-issuer-staff-group = groep
admin-issuer-staff-remove-label = { $name } verwijderen als { $role }
admin-issuer-staff-remove = Verwijderen
admin-issuer-staff-search-label = Iemand toevoegen: zoek mensen of groepen
admin-issuer-staff-search-placeholder = Naam of e-mailadres
admin-issuer-staff-search = Zoeken
admin-issuer-staff-nobody-found = Niemand gevonden. Je kunt alleen mensen kiezen die vanuit Entra zijn aangemaakt (of die zich al hebben aangemeld).
admin-issuer-staff-role = Rol
admin-issuer-staff-option-awarder = Toekenner
admin-issuer-staff-option-editor = Redacteur
admin-issuer-staff-option-owner = Eigenaar
admin-issuer-staff-grant = Toewijzen
admin-issuer-staff-roles-hint = Eigenaar: profiel, sleutels, medewerkers, prestaties en toekenningen. Redacteur: prestaties. Toekenner: toekenningen.
admin-issuer-staff-role-invalid = Kies eigenaar, redacteur of toekenner.
admin-issuer-staff-grantee-invalid = Kies een persoon of groep uit de zoekresultaten.
admin-issuer-role-owner = eigenaar
admin-issuer-role-editor = redacteur
admin-issuer-role-awarder = toekenner
admin-issuer-role-help-owner = bewerkt het profiel, de sleutels en de medewerkers, legt prestaties vast en kent ze toe
admin-issuer-role-help-editor = legt prestaties vast en bewerkt ze
admin-issuer-role-help-awarder = kent badges toe, trekt ze in en verstuurt ze opnieuw

## Achievements (list)
admin-achievement-status-draft = concept
admin-achievement-status-active = actief
admin-achievement-status-archived = gearchiveerd
admin-achievements-title = Prestaties
admin-achievements-loading = Prestaties laden…
admin-achievements-breadcrumb = {" "}› Prestaties
admin-achievements-new = Nieuwe prestatie
admin-achievements-search-label = Prestaties zoeken
admin-achievements-search-placeholder = Naam of tag
admin-achievements-status = Status
admin-achievements-filter-current = Concepten en actieve
admin-achievements-filter-active = Actief
admin-achievements-filter-drafts = Concepten
admin-achievements-filter-archived = Gearchiveerd
admin-achievements-filter = Filteren
admin-achievements-none = Nog geen prestaties
admin-achievements-no-match = Niets gevonden
admin-achievements-none-text = Een prestatie beschrijft wat ontvangers hebben gedaan om een badge te verdienen: de naam, de afbeelding en de criteria.
admin-achievements-create = Maak een prestatie aan
admin-achievements-awarded = { $count } keer toegekend

## Achievement page (achievement.rs)
admin-achievement-title = Prestatie
admin-achievement-result-none = — geen —
admin-achievement-result-value = { $result } (vul hieronder een waarde in)
admin-achievement-result-level = { $result }: { $level }
admin-achievement-date-invalid = Geef een datum op, zoals 2030-12-31.
admin-achievement-result-invalid = Kies een resultaat uit de lijst.
admin-achievement-unknown-action = Onbekende actie.
admin-achievement-published = Gepubliceerd: hij kan nu worden toegekend.
admin-achievement-edit = Bewerken
admin-achievement-bulk-award = In bulk toekennen (CSV)
admin-achievement-public-page = Openbare pagina
admin-achievement-draft-before = Dit is een concept.{" "}
admin-achievement-draft-link = Bekijk en publiceer hem
admin-achievement-draft-after = {" "}om hem toe te kennen.
admin-achievement-archived = Gearchiveerd: hij kan niet meer worden toegekend. Al toegekende badges blijven geldig.
admin-achievement-bulk-awards = Toekenningen in bulk
admin-achievement-bulk-by = {" "}door { $by } · { $status }
admin-achievement-latest = Laatste toekenningen
admin-achievement-all-awards = Alle toekenningen van deze prestatie →
admin-achievement-award-heading = Aan iemand toekennen
admin-achievement-awarded-to = Toegekend aan{" "}
admin-achievement-email-on-its-way = De e-mail met de link om de badge aan te nemen is onderweg.{" "}
admin-achievement-view-credential = Bekijk de credential
admin-achievement-result = Resultaat
admin-achievement-evidence-summary = Bewijs, data en verloopdatum
admin-achievement-notify = Stuur de ontvanger een e-mail met een link om de badge aan te nemen
admin-achievement-signing = Bezig met ondertekenen…
admin-achievement-award = Badge toekennen
admin-achievement-manage = Beheren
admin-achievement-duplicate = Dupliceren
admin-achievement-restore = Terugzetten
admin-achievement-archive = Archiveren
admin-achievement-delete = Verwijderen
admin-achievement-manage-hint = Archiveren stopt nieuwe toekenningen; al toegekende badges blijven geldig. Alleen een prestatie die nooit is toegekend, kun je verwijderen.

## Awards (awards.rs)
admin-awards-email-failed = e-mail mislukt: { $error }
admin-awards-email-retrying = e-mail wordt opnieuw geprobeerd: { $error }
admin-awards-email-status = e-mail { $status }
admin-awards-none = Geen toekenningen gevonden.
admin-awards-col-earner = Ontvanger
admin-awards-col-achievement = Prestatie
admin-awards-col-issued = Uitgegeven
admin-awards-col-status = Status
admin-awards-title = Toekenningen
admin-awards-export = CSV exporteren
admin-awards-search = Zoeken
admin-awards-search-placeholder = Deel van een naam of e-mailadres (minstens 3 tekens)
admin-awards-status = Status
admin-awards-filter-all = Alle
admin-awards-filter-unclaimed = Niet aangenomen
admin-awards-filter-claimed = Aangenomen
admin-awards-filter-suspended = Opgeschort
admin-awards-filter-revoked = Ingetrokken
admin-awards-filter-expired = Verlopen
admin-awards-filter = Filteren
admin-awards-loading = Toekenningen laden…
admin-awards-showing = Toekenningen van{" "}
admin-awards-show-all = Alles tonen

## One award (credential.rs)
admin-credential-title = Toekenning
admin-credential-email-delivered = afgeleverd { $when }
admin-credential-email-attempts = { $count ->
    [one] 1 poging; laatste fout: { $error }
   *[other] { $count } pogingen; laatste fout: { $error }
}
admin-credential-email-next = volgende poging { $when }
admin-credential-email = E-mail
admin-credential-issued = Uitgegeven
admin-credential-expires = Verloopt
admin-credential-never = nooit
admin-credential-accepted = Aangenomen
admin-credential-not-yet = nog niet
admin-credential-public-page = Openbare pagina
admin-credential-public = zichtbaar voor iedereen
admin-credential-private = privé (keuze van de ontvanger)
admin-credential-revoked-because = Ingetrokken omdat
admin-credential-open-page = Open de pagina van de credential
admin-credential-emails = E-mails
admin-credential-no-emails = Voor deze toekenning is geen e-mail verstuurd.
admin-credential-resend = Verstuur de e-mail om de badge aan te nemen opnieuw
admin-credential-resend-queued = In de wachtrij gezet; hij gaat binnen enkele seconden de deur uit.
admin-credential-suspend-or-revoke = Opschorten of intrekken
admin-credential-suspended = Opgeschort: verifiers melden hem als niet geldig tot je de opschorting opheft.
admin-credential-unsuspend = Opschorting opheffen
admin-credential-suspend = Opschorten
admin-credential-revoke = Definitief intrekken

## Bulk award (bulk_award.rs)
admin-bulk-title = Toekennen in bulk
admin-bulk-breadcrumb = {" "}› Toekennen in bulk
admin-bulk-heading = Toekennen in bulk: { $name }
admin-bulk-problems = { $count ->
    [one] { $count } probleem in { $file } — er is niets toegekend
   *[other] { $count } problemen in { $file } — er is niets toegekend
}
admin-bulk-problems-hint = Verbeter deze rijen in je spreadsheet en upload het bestand opnieuw.
admin-bulk-col-row = Rij
admin-bulk-col-column = Kolom
admin-bulk-col-problem = Probleem
admin-bulk-col-name = Naam
admin-bulk-col-email = E-mail
admin-bulk-more-problems = … en nog { $count }.
admin-bulk-prepare = 1. Bereid het bestand voor
admin-bulk-prepare-required = Een CSV met een kopregel en één ontvanger per rij. Verplichte kolommen:{" "}
admin-bulk-prepare-optional = {"."} Optioneel:{" "}
admin-bulk-prepare-date = {" "}(JJJJ-MM-DD).
admin-bulk-levels-before = De kolom{" "}
admin-bulk-levels-after = {" "}accepteert een van deze waarden: { $levels }.
admin-bulk-format = UTF-8 (met of zonder BOM), gescheiden door komma's of puntkomma's; hoogstens { $max } rijen. Elke rij wordt gecontroleerd voordat er iets wordt toegekend.
admin-bulk-template = Download het sjabloon
admin-bulk-upload = 2. Upload het
admin-bulk-file = CSV-bestand
admin-bulk-award-again = Opnieuw toekennen aan mensen die hem al uit dit bestand hebben gekregen
admin-bulk-check = Controleer het bestand
admin-bulk-all-correct = { $count ->
    [one] De rij is correct.
   *[other] Alle { $count } rijen zijn correct.
}
admin-bulk-already = {" "}{ $count ->
    [one] Eén ervan is eerder met dezelfde gegevens toegekend en wordt overgeslagen.
   *[other] { $count } ervan zijn eerder met dezelfde gegevens toegekend en worden overgeslagen.
}
admin-bulk-first-rows = Eerste rijen
admin-bulk-confirm = { $count ->
    [one] Ken 1 badge toe en verstuur de e-mail
   *[other] Ken { $count } badges toe en verstuur de e-mails
}
admin-bulk-upload-another = Upload een ander bestand
admin-bulk-queued = Wacht op een worker…
admin-bulk-running = De badges worden ondertekend en opgeslagen…
admin-bulk-succeeded = Klaar: { $issued } toegekend, { $skipped } overgeslagen omdat ze al eerder waren toegekend.
admin-bulk-cancelled = Geannuleerd door een beheerder.
admin-bulk-failed = Mislukt; zie de rijen hieronder of de pagina Taken.
admin-bulk-started-by = Gestart door { $by }. Je kunt deze pagina verlaten; het werk gaat door en iedereen van de medewerkers van de uitgever kan het hier volgen.
admin-bulk-refresh = Vernieuw de pagina om de voortgang te zien
admin-bulk-failures = Mislukte rijen
admin-bulk-see-awards = Bekijk de toekenningen
admin-bulk-status-invalid = ongeldig
admin-bulk-status-validated = gecontroleerd
admin-bulk-status-queued = in de wachtrij
admin-bulk-status-running = bezig
admin-bulk-status-succeeded = geslaagd
admin-bulk-status-failed = mislukt
admin-bulk-status-cancelled = geannuleerd

## Re-issue (reissue.rs, on the issuer page)
admin-reissue-heading = Credentials uit het vorige systeem
admin-reissue-pending = { $count ->
    [one] { $count } geïmporteerde credential noemt deze uitgever bij een webadres, maar is ondertekend met een kale did:key. De handtekening is intact, maar strenge verifiers weigeren hem.
   *[other] { $count } geïmporteerde credentials noemen deze uitgever bij een webadres, maar zijn ondertekend met een kale did:key. De handtekeningen zijn intact, maar strenge verifiers weigeren ze.
}
admin-reissue-running = Bezig met opnieuw uitgeven…
admin-reissue-last = Laatste keer opnieuw uitgegeven: { $count }.
admin-reissue-last-with-failures = Laatste keer opnieuw uitgegeven: { $count }, niet gelukt: { $failed }.
admin-reissue-not-reissued = Niet opnieuw uitgegeven
admin-reissue-col-credential = Credential
admin-reissue-col-why = Waarom
admin-reissue-hint = Elke credential wordt vervangen door een nieuwe voor dezelfde persoon, prestatie en data, ondertekend met de DID van deze uitgever (hierboven). De oude wordt ingetrokken met als reden “superseded” (vervangen). Ontvangers krijgen geen e-mail.
admin-reissue-start = { $count ->
    [one] { $count } credential opnieuw uitgeven
   *[other] { $count } credentials opnieuw uitgeven
}

## Import (import.rs)
admin-import-mode-dry-run-strict = proefimport, strikt
admin-import-mode-dry-run = proefimport
admin-import-mode-import-strict = import, strikt
admin-import-mode-import = import
admin-import-title = Importeren uit MongoDB
admin-import-heading = Importeren uit de MongoDB-versie
admin-import-nothing-imported = Er is niets geïmporteerd:{" "}
admin-import-export = 1. Exporteer de oude database
admin-import-export-run = Voer{" "}
admin-import-export-writing = {" "}één keer per collectie uit en schrijf naar{" "}
admin-import-export-lines = {" "}(JSON-regels of{" "}
admin-import-export-reads = , canonieke of relaxed Extended JSON). De import leest:
admin-import-missing = Ontbrekende bestanden worden overgeslagen. Dezelfde bestanden nog eens inlezen verandert niets; een onderbroken import laadt wat er nog ontbreekt.
admin-import-upload = 2. Upload de bestanden
admin-import-files = Exportbestanden
admin-import-files-hint = Kies ze allemaal tegelijk; samen hoogstens { $limit } MiB. Grotere exports: voer badge-engine import-mongo uit op de server.
admin-import-dry-run = Eerst een proefimport: alles laden, de samenvatting tonen en dan terugdraaien
admin-import-strict = Strikt: stop bij het eerste foute record en schrijf niets weg (anders worden foute records overgeslagen en opgesomd)
admin-import-submit = Uploaden en starten
admin-import-recent = Recente imports
admin-import-col-started = Gestart
admin-import-col-mode = Modus
admin-import-col-files = Bestanden
admin-import-col-status = Status
admin-import-orphans = { $name }: { $count } wezen
admin-import-job-title = Importeren
admin-import-job-breadcrumb = {" "}› Deze import
admin-import-queued = Wacht op een worker…
admin-import-running = Bezig met importeren…
admin-import-dry-run-skipped = { $count ->
    [one] Proefimport klaar: er is niets weggeschreven; 1 record overgeslagen (zie hieronder).
   *[other] Proefimport klaar: er is niets weggeschreven; { $count } records overgeslagen (zie hieronder).
}
admin-import-dry-run-done = Proefimport klaar: er is niets weggeschreven.
admin-import-done-skipped = { $count ->
    [one] Import klaar met 1 overgeslagen record (zie hieronder); de rest heeft elke controle doorstaan.
   *[other] Import klaar met { $count } overgeslagen records (zie hieronder); de rest heeft elke controle doorstaan.
}
admin-import-done = Import klaar; elke controle is geslaagd.
admin-import-cancelled = Geannuleerd door een beheerder.
admin-import-failed = Mislukt: { $error }
admin-import-see-jobs = zie de pagina Taken
admin-import-job-heading-dry-run = Import: proefimport
admin-import-job-heading-dry-run-strict = Import: proefimport, strikt
admin-import-job-heading = Import
admin-import-job-heading-strict = Import, strikt
admin-import-leave = Je kunt deze pagina verlaten; de import gaat op de achtergrond door.
admin-import-refresh = Vernieuw de pagina om de voortgang te zien
admin-import-files-list = Bestanden:{" "}
admin-import-summary = Samenvatting
admin-import-col-collection = Collectie
admin-import-col-table = Tabel
admin-import-col-documents = Documenten
admin-import-col-rejected = Geweigerd
admin-import-col-inserted = Ingevoegd
admin-import-col-present = Aanwezig
admin-import-col-check = Controle
admin-import-ok = ok
admin-import-expected = verwacht: { $count }
admin-import-fk-ok = Foreign keys: { $count } gecontroleerd, geen wezen.
admin-import-fk-broken = Foreign keys: { $count } gecontroleerd; kapot: { $broken }
admin-import-skipped = { $count ->
    [one] { $count } record overgeslagen
   *[other] { $count } records overgeslagen
}
admin-import-col-file-line = Bestand:regel
admin-import-col-why = Waarom
admin-import-more-rejects = … en nog { $count }; de optie --rejects FILE van de CLI schrijft ze allemaal weg.
admin-import-for-real = Deze bestanden echt importeren
admin-import-upload-other = Andere bestanden uploaden

## Client apps (client_apps.rs)
admin-apps-perm-view-admin = Uitgevers, prestaties, toekenningen en taken lezen
admin-apps-perm-manage-achievements = Prestaties aanmaken en wijzigen
admin-apps-perm-award = Credentials toekennen
admin-apps-perm-revoke = Credentials intrekken en opschorten
admin-apps-perm-manage-issuers = Uitgevers wijzigen
admin-apps-perm-manage-jobs = Taken opnieuw proberen en annuleren
admin-apps-all-issuers = Alle uitgevers
admin-apps-never = nooit
admin-apps-no-such-user = Er is geen gebruiker met de gebruikersnaam of het e-mailadres `{ $user }`.
admin-apps-secret-before = Client-app{" "}
admin-apps-secret-after = : kopieer het geheim nu — het wordt niet nog eens getoond.
admin-apps-client-id = Client-id
admin-apps-client-secret = Clientgeheim
admin-apps-previous-until = Het vorige geheim blijft werken tot { $when }.
admin-apps-get-token = Een toegangstoken ophalen:
admin-apps-title = Client-apps
admin-apps-lead-before = Systemen zoals een LMS of een HR-pakket geven badges uit via de{" "}
admin-apps-lead-api = REST-API
admin-apps-lead-middle = . Registreer ze hier elk apart: elk krijgt een client-id en een geheim voor{" "}
admin-apps-lead-after = , en mag doen wat zijn rollen toestaan.
admin-apps-register-heading = Een app registreren
admin-apps-name = Naam
admin-apps-name-placeholder = Campus-LMS
admin-apps-description = Beschrijving
admin-apps-description-placeholder = Kent cursusbadges toe als iemand voor een cursus slaagt
admin-apps-redirects = Redirect-URI's{" "}
admin-apps-redirects-hint = (één per regel; alleen voor apps die gebruikers laten aanmelden)
admin-apps-register = App registreren
admin-apps-none = Nog geen client-apps. Registreer er hierboven een.
admin-apps-overlap = Laat het oude geheim nog werken gedurende{" "}
admin-apps-overlap-none = geen tijd
admin-apps-overlap-days = { $days ->
    [one] { $days } dag
   *[other] { $days } dagen
}
admin-apps-rotate = Geheim vervangen
admin-apps-revoke = App intrekken
admin-apps-add-role-heading = Een rol toevoegen
admin-apps-role-name = Naam
admin-apps-role-name-placeholder = toekenner
admin-apps-may = Mag
admin-apps-on = Voor
admin-apps-add-role = Rol toevoegen
admin-apps-revoked = ingetrokken { $when }
admin-apps-active = actief
admin-apps-secret = Geheim
admin-apps-registered = Geregistreerd
admin-apps-last-token = Laatste token
admin-apps-old-secret = Oud geheim
admin-apps-works-until = werkt tot { $when }
admin-apps-roles = Rollen
admin-apps-no-roles = Geen rollen: de app kan een token krijgen, maar er niets mee doen.
admin-apps-col-role = Rol
admin-apps-col-issuers = Uitgevers
admin-apps-col-users = Gebruikers
admin-apps-remove-user = { $user } verwijderen
admin-apps-user-placeholder = gebruikersnaam of e-mailadres
admin-apps-user-label = Gebruiker om toe te wijzen
admin-apps-assign = Toewijzen
admin-apps-delete-role = Verwijderen

## Achievement wizard (achievement_wizard/*)
admin-wizard-step-basics = Basis
admin-wizard-step-criteria = Criteria
admin-wizard-step-extras = Koppelingen en resultaten
admin-wizard-step-preview = Voorbeeld
admin-wizard-steps = Stappen
admin-wizard-step-label = { $n }. { $title }
admin-wizard-credits-invalid = Studiepunten moeten een getal zijn, zoals 2,5.
admin-wizard-days-invalid = Geef een heel aantal dagen op, zoals 365.
admin-wizard-date-invalid = Geef een datum op, zoals 2030-12-31.
admin-wizard-new-title = Nieuwe prestatie
admin-wizard-new-breadcrumb = {" "}› Nieuwe prestatie
admin-wizard-save-continue = Opslaan en verder
admin-wizard-saved-as-draft = Opgeslagen als concept; niemand kan hem krijgen tot je hem publiceert.
admin-wizard-edit-title = Prestatie bewerken
admin-wizard-saving = Bezig met opslaan…
admin-wizard-leave = Wizard verlaten
admin-wizard-edit-breadcrumb = {" "}› Bewerken
admin-wizard-edit-heading = { $name } — { $step }
admin-wizard-draft = Concept
admin-wizard-saved = Opgeslagen.
admin-wizard-type-choose = — kies —
admin-wizard-badge-image = Badgeafbeelding
admin-wizard-badge-image-hint = Een vierkante PNG of SVG werkt het best (hoogstens 5 MB). Zonder afbeelding wordt er een medaille getekend.
admin-wizard-criteria-lead = Wat moet iemand doen om deze badge te verdienen? Geef een beschrijving, een link naar de volledige criteria, of allebei.
admin-wizard-alignment-type-none = —
admin-wizard-alignment-type-cfitem = CASE-item (CFItem)
admin-wizard-alignment-type-cfrubric = CASE-rubric
admin-wizard-alignment-type-cfrubric-criterion = CASE-rubriccriterium
admin-wizard-alignment-type-cfrubric-level = CASE-rubricniveau
admin-wizard-alignment-type-ctdl = Credential Engine (CTDL)
admin-wizard-alignment-type-ctdl-asn = CTDL-ASN-competentie
admin-wizard-alignment-type-ctdl-credential = CTDL-credential
admin-wizard-result-type-rubric = Rubric
admin-wizard-result-type-performance-level = Prestatieniveau
admin-wizard-result-type-letter-grade = Lettercijfer
admin-wizard-result-type-percent = Percentage
admin-wizard-result-type-raw-score = Score
admin-wizard-result-type-gpa = Gemiddeld cijfer (GPA)
admin-wizard-result-type-status = Status
admin-wizard-result-type-other = Ander resultaat
admin-wizard-alignments = Koppelingen
admin-wizard-alignments-hint = Kaders, standaarden of competenties waaraan deze prestatie gekoppeld is. Laat de laatste rij leeg als je er geen meer nodig hebt.
admin-wizard-alignment-n = Koppeling { $n }
admin-wizard-target-name = Naam van het doel
admin-wizard-target-name-placeholder = bijv. Relationele datamodellering
admin-wizard-target-url = URL van het doel
admin-wizard-framework = Kader
admin-wizard-framework-placeholder = bijv. e-CF
admin-wizard-code = Code
admin-wizard-code-placeholder = bijv. B.1
admin-wizard-alignment-type = Soort
admin-wizard-results = Resultaten en rubrics
admin-wizard-results-hint = Wat een toekenner voor elke ontvanger vastlegt, bijv. een rubric van “Beginner” tot “Expert”. Eén niveau per regel, laagste eerst.
admin-wizard-result-n = Resultaat { $n }
admin-wizard-result-name = Naam
admin-wizard-result-name-placeholder = bijv. Beheersing
admin-wizard-result-kind = Soort
admin-wizard-levels = Rubricniveaus (één per regel)
admin-wizard-levels-placeholder =
    Beginner
    Bekwaam
    Expert
admin-wizard-required-level = Niveau dat nodig is voor de badge
admin-wizard-required-level-placeholder = bijv. Bekwaam
admin-wizard-validity = Geldigheid
admin-wizard-validity-hint = Hoe lang een toekenning geldig blijft, tenzij de toekenner een andere verloopdatum kiest. Laat beide leeg voor geen verloopdatum.
admin-wizard-preview-earner = Ada Lovelace (voorbeeld)
admin-wizard-preview-lead = Zo zien ontvangers en iedereen met wie ze hem delen de badge (met een voorbeeldontvanger).
admin-wizard-publish = Publiceren — toekenbaar maken
admin-wizard-back-to-basics = Terug naar de basis
admin-wizard-done = Klaar

## Form fields (Field / SelectField props; used once components/form.rs takes String labels)
admin-field-award-name = Naam van de ontvanger, zoals op de badge
admin-field-award-email = E-mailadres van de ontvanger
admin-field-award-result-value = Waarde van het resultaat
admin-field-award-result-value-hint = Voor resultaten zonder niveaus, bijv. een cijfer.
admin-field-award-evidence-url = Link naar bewijs
admin-field-award-narrative = Wat de ontvanger heeft gedaan
admin-field-award-narrative-hint = Markdown is toegestaan.
admin-field-award-activity-start = Activiteit begonnen
admin-field-award-activity-end = Activiteit afgerond
admin-field-award-expiry = Verloopt
admin-field-award-expiry-hint = Laat leeg voor de standaard van de prestatie.
admin-field-suspend-reason = Reden van opschorten (optioneel)
admin-field-revoke-reason = Reden van intrekken
admin-field-revoke-reason-hint = Zichtbaar voor de ontvanger en voor verifiers. Intrekken kun je niet ongedaan maken.
admin-field-issuer-name = Naam
admin-field-issuer-name-hint = Zoals hij op badges moet staan, bijv. “Faculteit der Natuurwetenschappen”.
admin-field-issuer-description = Beschrijving
admin-field-issuer-description-hint = Een of twee zinnen over de organisatie.
admin-field-issuer-url = Website
admin-field-issuer-email = Contactadres (e-mail)
admin-field-issuer-phone = Telefoon
admin-field-issuer-street = Straat en huisnummer
admin-field-issuer-postal-code = Postcode
admin-field-issuer-locality = Plaats
admin-field-issuer-region = Provincie of regio
admin-field-issuer-country = Land
admin-field-issuer-parent = Onderdeel van
admin-field-issuer-parent-hint = Een afdeling hoort bij een organisatie; medewerkers van de organisatie kunnen ook aan haar afdelingen werken.
admin-field-achievement-name = Naam
admin-field-achievement-name-hint = Kort en specifiek, bijv. “Datamodelleur in de praktijk”.
admin-field-achievement-description = Beschrijving
admin-field-achievement-description-hint = Wat de badge erkent, in een of twee zinnen. Ontvangers en werkgevers lezen dit als eerste.
admin-field-achievement-type = Soort
admin-field-achievement-type-hint = Het soort prestatie volgens Open Badges 3.0.
admin-field-achievement-image-caption = Beschrijving van de afbeelding (alt-tekst)
admin-field-achievement-image-caption-hint = Wat de afbeelding laat zien, voor mensen die hem niet kunnen zien.
admin-field-achievement-tags = Tags
admin-field-achievement-tags-hint = Gescheiden door komma's, bijv. data, sql, modelleren.
admin-field-achievement-field-of-study = Studierichting
admin-field-achievement-field-of-study-placeholder = bijv. Informatica
admin-field-achievement-code = Cursuscode
admin-field-achievement-code-placeholder = bijv. DM-101
admin-field-achievement-credits = Studiepunten (EC)
admin-field-achievement-credits-placeholder = bijv. 2,5
admin-field-achievement-language = Taal van de teksten
admin-field-achievement-criteria = Criteria
admin-field-achievement-criteria-hint = Markdown: **vet**, *cursief*, lijsten met -, links als [tekst](https://…). HTML wordt als tekst getoond.
admin-field-achievement-criteria-url = Pagina met de criteria
admin-field-achievement-valid-for = Geldig gedurende (dagen)
admin-field-achievement-valid-until = …of geldig tot

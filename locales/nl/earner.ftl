# Badge Engine — Nederlandse teksten van de pagina's voor ontvangers (aanmelden, claimen, mijn badges, adressen) en van foutmeldingen.

## Sign in (/sign-in)
sign-in-title = Aanmelden
sign-in-staff = Medewerkers en leden
sign-in-staff-text = Meld je aan met het account van je organisatie (Microsoft Entra ID).
sign-in-with-organisation = Aanmelden met je organisatie
sign-in-earners = Ontvangers
sign-in-earners-text = Een badge ontvangen op een adres buiten de organisatie? Vraag een eenmalige aanmeldlink per e-mail aan.
sign-in-your-email = Je e-mailadres
sign-in-email-me-link = Stuur me een aanmeldlink
sign-in-link-sent = Als dat adres een badge heeft ontvangen, is er een aanmeldlink onderweg. Die werkt 20 minuten.

## Claim (/claim/{token})
claim-title = Je badge
claim-opening = Je badge wordt geopend…
claim-invalid-title = Deze link werkt niet
claim-invalid-text = Misschien is hij bij het kopiëren afgebroken. Open hem direct vanuit de e-mail, of vraag de uitgever hem opnieuw te sturen.
claim-expired-title = Deze link is verlopen
claim-expired-text = Claimlinks werken 90 dagen. Vraag de uitgever de badge opnieuw te sturen; hij is nog steeds van jou.
claim-used = Deze badge is met deze link al geaccepteerd. Was jij dat, dan staat hij bij je badges.
claim-revoked = De uitgever heeft deze badge ingetrokken; hij kan niet meer worden geaccepteerd.
claim-accept = Badge accepteren
claim-sign-in-to-accept = Meld je aan om hem te accepteren
claim-sign-in-hint = Als je een account hebt bij de organisatie van de uitgever.
claim-email-label = Of vraag een aanmeldlink aan op het adres waar de badge naartoe is gestuurd
claim-awarded-to = Toegekend aan
claim-signed-in-as = Aangemeld als

## My badges (/me/badges)
me-loading = Je badges worden geladen…
me-accepted = Badge geaccepteerd. Hij is privé tot je hem openbaar maakt.
me-filter-issuer = Uitgever
me-filter-all-issuers = Alle uitgevers
me-filter-status = Status
me-filter-all = Alle
me-filter-claimed = Geaccepteerd
me-filter-unclaimed = Nog niet geaccepteerd
me-filter-expired = Verlopen
me-filter-revoked = Ingetrokken
me-filter = Filteren
me-empty-title = Hier staan nog geen badges
me-empty-text = Badges die aan je adressen zijn toegekend, verschijnen hier. Heb je een badge op een ander adres ontvangen, voeg dat adres dan hieronder toe.
me-show-public = Tonen op mijn openbare pagina
me-hide-name = Mijn naam daar verbergen
me-save = Opslaan
me-public-note = Openbaar: iedereen met de link kan hem zien.
me-private-note = Privé: alleen jij en de uitgever zien hem.
me-addresses-title = Je e-mailadressen
me-addresses-hint = Badges die naar een van deze adressen zijn gestuurd, zijn van jou.
me-add-address = Een adres toevoegen
me-send-confirmation = Bevestigingslink sturen
me-apps-title = Gekoppelde apps
me-apps-hint = Wallets en backpacks die via de Open Badges-API bij je badges mogen. Ontkoppel je er een, dan stopt de toegang meteen; badges die hij al heeft gekopieerd, blijven daar.
me-apps-disconnected = Ontkoppeld. Die app kan niet meer bij je badges.
me-apps-none = Er zijn geen apps gekoppeld.
me-disconnect = Ontkoppelen
confirm-title = Adres bevestigen
confirm-busy = Bezig met bevestigen…
confirm-done = Adres bevestigd
confirm-sign-in-title = Meld je aan om te bevestigen
confirm-sign-in-text = Meld je aan bij het account dat dit adres heeft aangevraagd en open de link daarna opnieuw.
me-address-sent = We hebben een link gestuurd naar { $email }. Open hem terwijl je bent aangemeld om het adres toe te voegen.
me-disconnect-label = { $name } ontkoppelen
me-connected-since = Gekoppeld op { $since } · laatst actief { $active }
confirm-done-text = Badges die naar { $email } zijn gestuurd, staan nu in je account.

## Foutmeldingen (app::error)
error-unauthenticated = Meld je eerst aan.
error-forbidden = Je hebt geen toestemming om dat te doen.
error-not-found = { $what } is niet gevonden.
error-stale = Iemand anders heeft dit gewijzigd nadat jij het opende. Laad de pagina opnieuw om die wijzigingen te zien en breng de jouwe daarna opnieuw aan.
error-unavailable = Een dienst is even niet bereikbaar; probeer het zo nog eens.
error-server = Er ging bij ons iets mis. Het is vastgelegd; probeer het nog eens.
error-in-use = { $field } is al in gebruik.
error-unreadable = Het verzoek kon niet worden gelezen ({ $detail }).

## Namen van dingen in foutmeldingen ("… is niet gevonden")
entity-achievement = Prestatie
entity-bulk-award = Bulktoekenning
entity-client = Client
entity-client-app = Client-app
entity-connection = Koppeling
entity-credential = Credential
entity-did-document = DID-document
entity-group = Groep
entity-image = Afbeelding
entity-import = Import
entity-issuer = Uitgever
entity-job = Taak
entity-profile = Profiel
entity-record = Record
entity-role = Rol
entity-role-mapping = Roltoewijzing
entity-scim-token = SCIM-token
entity-signing-key = Ondertekeningssleutel
entity-staff-grant = Medewerkersrecht
entity-status-list = Statuslijst
entity-user = Gebruiker
entity-verification-report = Verificatierapport

## Namen van formuliervelden in foutmeldingen
field-name = Naam
field-email = E-mail
field-display-name = Weergavenaam
field-username = Gebruikersnaam
field-image = Afbeelding
field-address = Adres
field-role = Rol
field-search = Zoeken
field-recipient-email = E-mail ontvanger
field-recipient-name = Naam ontvanger
field-description = Beschrijving
field-criteria = Criteria
field-url = Url

## Meldingen voor afgemelde en geweigerde bezoekers (auth::ErrorNotice)
notice-sign-in-title = Aanmelden vereist
notice-sign-in-heading = Meld je aan
notice-sign-in-text = Meld je aan om deze pagina te zien: met het account van je organisatie, of — als je een badge per e-mail hebt ontvangen — met een eenmalige link naar dat adres.
notice-sign-in-by-email = Een badge per e-mail ontvangen? Meld je aan met een link
notice-forbidden-title = Geen toegang
notice-forbidden-heading = Je hebt geen toegang tot deze pagina
notice-forbidden-text = Je bent aangemeld, maar geen van je groepen geeft deze toestemming. Vraag een beheerder als je die nodig hebt.

## Gedeelde onderdelen van pagina's (components)
pager-label = Pagina's
pager-none = Geen resultaten
pager-range = { $from }–{ $to } van { $total }
pager-page = Pagina { $page }
pager-previous = ← Vorige
pager-next = Volgende →
progress-label = Voortgang
progress-done = { $done } van { $total } { $unit } ({ $pct } %)
progress-rate = { $rate } per seconde
progress-failed = { $errors } mislukt
progress-unit-items = items
progress-unit-rows = rijen
progress-unit-credentials = credentials
form-correct-field = Verbeter het gemarkeerde veld.
form-failed = Dat is niet gelukt.
upload-unreached = De upload heeft de server niet bereikt; controleer je verbinding en probeer het opnieuw.
upload-unexpected = Onverwacht antwoord van de server.
upload-refused = De afbeelding is geweigerd.

# Badge Engine — Nederlands.

## E-mails
email-award-subject = Je hebt “{ $achievement }” behaald
email-award-greeting = Hallo { $name },
email-award-body = { $issuer } heeft je de badge “{ $achievement }” toegekend.
email-award-claim = Neem je badge aan
email-award-claim-hint = Neem hem aan om hem aan je badges toe te voegen, te delen en te downloaden. De link is alleen voor jou en werkt één keer; hij verloopt op { $expires }.
email-award-verify = Iedereen kan op { $verify } controleren dat hij echt is.
email-award-footer = Je ontvangt deze e-mail omdat { $issuer } je via Badge Engine een badge heeft toegekend.
email-sign-in-subject = Je aanmeldlink voor Badge Engine
email-sign-in-body = Gebruik deze link om je aan te melden en je badges te zien. Hij werkt één keer, binnen 20 minuten.
email-sign-in-action = Aanmelden
email-sign-in-ignore = Heb je hier niet om gevraagd? Negeer deze e-mail dan; zonder de link kan niemand zich aanmelden.
email-verify-subject = Bevestig je e-mailadres
email-verify-body = Bevestig dat { $email } van jou is, zodat badges die naar dat adres zijn gestuurd bij je account komen.
email-verify-action = Adres bevestigen

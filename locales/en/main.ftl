# Badge Engine — English. Keys are shared by the pages (app) and the e-mails (engine).

## E-mails
email-award-subject = You have earned “{ $achievement }”
email-award-greeting = Hello { $name },
email-award-body = { $issuer } has awarded you the badge “{ $achievement }”.
email-award-claim = Accept your badge
email-award-claim-hint = Accept it to add it to your badges, share it and download it. The link is yours alone and works once; it expires on { $expires }.
email-award-verify = Anyone can check that it is genuine at { $verify }.
email-award-footer = You receive this e-mail because { $issuer } awarded you a badge through Badge Engine.
email-sign-in-subject = Your sign-in link for Badge Engine
email-sign-in-body = Use this link to sign in and see your badges. It works once, within 20 minutes.
email-sign-in-action = Sign in
email-sign-in-ignore = If you did not ask for it, ignore this e-mail; nobody can sign in without the link.
email-verify-subject = Confirm your e-mail address
email-verify-body = Confirm that { $email } is yours, so that badges sent to it come to your account.
email-verify-action = Confirm the address

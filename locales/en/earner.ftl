# Badge Engine — English texts of the earner pages (sign-in, claim, my badges, addresses) and of errors.

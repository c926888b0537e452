# Badge Engine — Nederlandse teksten van de pagina's voor ontvangers (aanmelden, claimen, mijn badges, adressen) en van foutmeldingen.

# Badge Engine — Nederlandse teksten van de beheerpagina's (/admin/…).

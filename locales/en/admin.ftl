# Badge Engine — English texts of the admin pages (/admin/…).

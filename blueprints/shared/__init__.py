"""What every blueprint's views share: access rules, reading ids and numbers from requests, page-or-
fragment rendering, list and CRUD views, error pages and security headers. No routes live here."""

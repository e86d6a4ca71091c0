"""Storage: the database (connections, backends, migrations, kept tables) and one repository
per aggregate bound to it. Never imports the domain rules or presentation."""

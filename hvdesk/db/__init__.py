"""The encrypted database: models, engine, keys, migrations and demo data. No Qt here."""

"""The demo school: believable staff, families and a year of visits, seeded through the
database layer. Not part of the database layer itself; only demos, tests and benchmarks use it."""

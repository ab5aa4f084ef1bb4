"""Use cases over one database session each; they enforce permissions. No Qt here."""

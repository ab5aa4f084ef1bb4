"""The after-visit record dialog (facts and opinions apart, follow-ups with owners)."""

"""The authoriser's review of a visit request, the signature that approves it, and amendments
to an authorised visit."""

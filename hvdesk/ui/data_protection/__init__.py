"""Data protection: subject access requests, retention review and legal holds."""

"""Micro-credential definitions, issued credentials, status lists and revocation."""

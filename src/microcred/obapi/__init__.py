"""Open Badges 3.0 API (``/ims/ob/v3p0``): a learner's credentials and profile for OAuth clients."""

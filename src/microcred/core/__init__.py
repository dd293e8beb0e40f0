"""The framework-free core: credential model, crypto, verification.

Nothing under ``microcred.core`` may import Django, an ORM or a network client
(``tests/core/test_layers.py`` enforces it); remote lookups go through the
:class:`microcred.core.verify.fetcher.Fetcher` port.
"""

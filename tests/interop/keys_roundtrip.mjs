// Keys move between tools: load a key file with @digitalbazaar/ed25519-multikey, sign a
// message, and export a freshly generated key the way that library does.
// Usage: node keys_roundtrip.mjs KEY.json MESSAGE_HEX OUT_SIGNATURE_HEX_FILE OUT_NEW_KEY.json
import {readFile, writeFile} from 'node:fs/promises';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

const [keyFile, messageHex, signatureFile, newKeyFile] = process.argv.slice(2);
const imported = await Ed25519Multikey.from(JSON.parse(await readFile(keyFile, 'utf8')));
const signer = imported.signer();
const signature = await signer.sign({data: Buffer.from(messageHex, 'hex')});
await writeFile(signatureFile, Buffer.from(signature).toString('hex'));

const fresh = await Ed25519Multikey.generate({controller: 'did:example:node'});
fresh.id = 'did:example:node#key-1';
const exported = await fresh.export({publicKey: true, secretKey: true, includeContext: true});
await writeFile(newKeyFile, JSON.stringify(exported, null, 2));
